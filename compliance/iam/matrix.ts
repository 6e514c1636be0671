/**
 * The capability matrix of a synthesized stack: every (role, capability) of core/capabilities.ts
 * evaluated with the IAM policy simulator over the stack's own documents (identity policies,
 * trust policies, key policies, vault access policies, bucket policies), and the full enumeration
 * (every DynamoDB, KMS, Backup, IAM, S3, STS and CloudTrail action against the stack's resources)
 * the widening test keeps.
 *
 * The matrix is data: `tablesafe.compliance.json` carries it (`iamMatrix`), TS-IAM-005 reads it
 * from the role facts, `tablesafe check --iam` prints it, verify reports may render it.
 */
import { Capability, capabilityKey, mustAllow, mustDeny, PLATFORM_ROLE_IDS, PlatformRoleId, StackResource } from '../../core/capabilities';
import { DRILL_TABLE_PREFIX, RECOVERY_POINT_TABLE_TAG } from '../../core/contract';
import { iamDocumentsFromTerraform, IamDocumentsOptions, ResolvedRole, StackIamDocuments } from './documents';
import { Decision, IAM_SIMULATOR_INSTALL, IAM_SIMULATOR_PACKAGE, IamSimulator, NamedPolicy, SimulationRequest } from './simulator';

/** `tablesafe:role` tag value → the contract's role id. */
export const ROLE_KIND_TO_ID: Readonly<Record<string, PlatformRoleId>> = {
  backup: 'backup',
  'restore-drill': 'restoreDrill',
  auditor: 'auditor',
  'app-reader': 'appReader',
  'app-writer': 'appWriter',
};

/** One evaluated (role, capability, resource). */
export interface MatrixRow {
  /** The must-deny id (`delete-source-table`), or `action resource` for a must-allow. */
  readonly capability: string;
  readonly kind: 'must-allow' | 'must-deny';
  readonly action: string;
  /** What the resource is in the platform (`sourceTable`), and its ARN in this stack. */
  readonly resource: StackResource;
  readonly arn: string;
  /** Request context keys the evaluation used besides the defaults. @default none */
  readonly context?: Readonly<Record<string, string>>;
  /** Who asked, when not the role itself (an unnamed principal assuming the role). @default the role */
  readonly principal?: string;
  readonly decision: Decision;
  /** `<policy>:<Sid>` that decided (absent for an implicit deny). */
  readonly statement?: string;
  readonly handAsserted?: boolean;
  /** True when the decision is what the matrix requires. */
  readonly ok: boolean;
  /** must-allow: the callers whose code makes the call; must-deny: what it would let the role do. */
  readonly why: string;
}

export interface RoleMatrix {
  readonly role: PlatformRoleId;
  readonly roleName: string;
  readonly roleArn: string;
  readonly rows: readonly MatrixRow[];
  /** Rows whose decision is not the required one. */
  readonly failures: number;
}

/**
 * The documented shape of `iamMatrix` in `tablesafe.compliance.json` (schema `tablesafe.iam-matrix/1`):
 * `status: 'simulated'` with one RoleMatrix per role, or `status: 'unavailable'` with the reason
 * (simulator not installed) — never a pass — or `status: 'failed'` when a document cannot be
 * evaluated as written (the roles are then non-compliant).
 */
export type CapabilityMatrix =
  | {
      readonly schema: 'tablesafe.iam-matrix/1';
      readonly status: 'simulated';
      readonly simulator: { readonly package: string; readonly dataVersion: string };
      /** The account the ARNs use (a stand-in at synth). */
      readonly account: string;
      readonly roles: readonly RoleMatrix[];
      readonly notes: readonly string[];
    }
  | { readonly schema: 'tablesafe.iam-matrix/1'; readonly status: 'unavailable'; readonly reason: string; readonly remedy: string }
  /** A document could not be evaluated as written (unknown action, misspelled operator, ...): the roles fail. */
  | { readonly schema: 'tablesafe.iam-matrix/1'; readonly status: 'failed'; readonly code: string; readonly message: string; readonly remedy?: string };

export const IAM_MATRIX_SCHEMA = 'tablesafe.iam-matrix/1';

/** A matrix not simulated, and why; by default because the simulator is not installed. */
export function unavailableMatrix(reason: string, remedy = `install the simulator: ${IAM_SIMULATOR_INSTALL}`): CapabilityMatrix {
  return { schema: IAM_MATRIX_SCHEMA, status: 'unavailable', reason, remedy };
}

export function failedMatrix(code: string, message: string, remedy?: string): CapabilityMatrix {
  return { schema: IAM_MATRIX_SCHEMA, status: 'failed', code, message, ...(remedy ? { remedy } : {}) };
}

export interface MatrixOptions extends IamDocumentsOptions {
  /**
   * Organisation guardrails the stack cannot see (SCP-like deny policies), applied to every
   * evaluation. @default none
   */
  readonly extraDenyPolicies?: readonly NamedPolicy[];
}

/** A stand-in principal no trust policy names. */
export const UNNAMED_PRINCIPAL = (partition: string, account: string) => `arn:${partition}:iam::${account}:role/tablesafe-matrix-unnamed-principal`;
const OTHER_TABLE = 'tablesafe-matrix-other-table';
const BACKUP_ID = '01700000000000000-0a1b2c3d';

interface Target {
  readonly arn: string;
  readonly resourcePolicy?: NamedPolicy;
  /** Context the resource brings (its tags). */
  readonly context?: Readonly<Record<string, string>>;
  readonly region: string;
}

/** The stack's resources by role in the platform, resolved to ARNs (a resource the stack lacks resolves to none). */
export class StackResources {
  readonly source?: StackIamDocuments['tables'][number];
  readonly drRegion?: string;
  private readonly roleByArn = new Map<string, ResolvedRole>();

  constructor(readonly docs: StackIamDocuments) {
    this.source = docs.tables.find((t) => t.region === docs.region) ?? docs.tables[0];
    this.drRegion = docs.vaults.find((v) => v.region !== docs.region)?.region;
    for (const r of docs.roles) this.roleByArn.set(r.arn, r);
  }

  private arn(service: string, region: string, rest: string): string {
    return `arn:${this.docs.partition}:${service}:${region}:${this.docs.account}:${rest}`;
  }

  roleOf(id: PlatformRoleId): ResolvedRole | undefined {
    return this.docs.roles.find((r) => r.kind && ROLE_KIND_TO_ID[r.kind] === id);
  }

  get vault() {
    return this.docs.vaults.find((v) => v.region === this.docs.region);
  }

  get drVault() {
    return this.docs.vaults.find((v) => v.region !== this.docs.region);
  }

  get trail() {
    return this.docs.trails[0];
  }

  get trailBucket() {
    const t = this.trail;
    return this.docs.buckets.find((b) => b.name === t?.bucket) ?? this.docs.buckets[0];
  }

  get signingKey() {
    return this.docs.keys.find((k) => k.usage === 'SIGN_VERIFY');
  }

  get evidenceBucket() {
    return this.docs.buckets.find((b) => b.objectLock);
  }

  key(arn: string | undefined) {
    return this.docs.keys.find((k) => k.arn === arn);
  }

  /** Every ARN `resource` stands for, with the policy on it. */
  targets(resource: StackResource): Target[] {
    const d = this.docs;
    const r = d.region;
    const src = this.source;
    const tag = (table: string) => ({ [`aws:ResourceTag/${RECOVERY_POINT_TABLE_TAG}`]: table });
    const keyTarget = (k: ReturnType<StackResources['key']>) => (k ? [{ arn: k.arn, resourcePolicy: k.policy, region: k.region }] : []);
    switch (resource) {
      case 'sourceTable':
        return src ? [{ arn: src.arn, region: src.region }] : [];
      case 'sourceStream':
        return src ? [{ arn: `${src.arn}/stream/2026-01-01T00:00:00.000`, region: src.region }] : [];
      case 'sourceBackup':
        return src ? [{ arn: `${src.arn}/backup/${BACKUP_ID}`, resourcePolicy: this.vault?.policy, region: src.region }] : [];
      case 'recoveryPoint':
        return src && this.vault ? [{ arn: this.arn('backup', r, 'recovery-point:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'), resourcePolicy: this.vault.policy, context: tag(src.name), region: r }] : [];
      case 'drRecoveryPoint':
        return src && this.drVault ? [{ arn: this.arn('backup', this.drVault.region, 'recovery-point:1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e'), resourcePolicy: this.drVault.policy, context: tag(src.name), region: this.drVault.region }] : [];
      case 'otherRecoveryPoint':
        return this.vault ? [{ arn: this.arn('backup', r, 'recovery-point:2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f'), context: tag(OTHER_TABLE), region: r }] : [];
      case 'scratchTable':
        return [{ arn: this.arn('dynamodb', r, `table/${DRILL_TABLE_PREFIX}matrix`), region: r }];
      case 'drScratchTable':
        return this.drRegion ? [{ arn: this.arn('dynamodb', this.drRegion, `table/${DRILL_TABLE_PREFIX}matrix`), region: this.drRegion }] : [];
      case 'otherTable':
        return [{ arn: this.arn('dynamodb', r, `table/${OTHER_TABLE}`), region: r }];
      case 'otherTableBackup':
        return [{ arn: this.arn('dynamodb', r, `table/${OTHER_TABLE}/backup/${BACKUP_ID}`), resourcePolicy: this.vault?.policy, region: r }];
      case 'vault':
        return this.vault ? [{ arn: this.vault.arn, resourcePolicy: this.vault.policy, region: this.vault.region }] : [];
      case 'drVault':
        return this.drVault ? [{ arn: this.drVault.arn, resourcePolicy: this.drVault.policy, region: this.drVault.region }] : [];
      case 'plan':
        return d.plans.slice(0, 1).map((p) => ({ arn: p.arn, region: p.region }));
      case 'key':
        return keyTarget(this.key(src?.keyArn));
      case 'drKey':
        return keyTarget(this.key(this.drVault?.keyArn));
      case 'trailKey':
        return keyTarget(this.key(this.trail?.keyArn));
      case 'otherKey':
        return [{ arn: this.arn('kms', r, 'key/00000000-0000-4000-8000-000000000000'), region: r }];
      case 'trail':
        return this.trail ? [{ arn: this.trail.arn, region: this.trail.region }] : [];
      case 'trailBucket': {
        const b = this.trailBucket;
        return b ? [{ arn: b.arn, resourcePolicy: b.policy, region: b.region }] : [];
      }
      case 'trailObject': {
        const b = this.trailBucket;
        return b ? [{ arn: `${b.arn}/AWSLogs/${d.account}/CloudTrail/${r}/2026/01/01/${d.account}_CloudTrail_${r}_20260101T0000Z_x.json.gz`, resourcePolicy: b.policy, region: b.region }] : [];
      }
      case 'signingKey':
        return keyTarget(this.signingKey);
      case 'evidenceBucket': {
        const b = this.evidenceBucket;
        return b ? [{ arn: b.arn, resourcePolicy: b.policy, region: b.region }] : [];
      }
      case 'evidenceObject': {
        const b = this.evidenceBucket;
        return b ? [{ arn: `${b.arn}/packs/${src?.name ?? 'stack'}/20260101t000000-abcdef/report.json`, resourcePolicy: b.policy, region: b.region }] : [];
      }
      case 'backupRole': {
        const b = this.roleOf('backup');
        return b ? [{ arn: b.arn, region: r }] : [];
      }
      case 'platformRole':
        return d.roles.map((role) => ({ arn: role.arn, resourcePolicy: role.trustPolicy, region: r }));
      case 'otherRole':
        return [{ arn: `arn:${d.partition}:iam::${d.account}:role/tablesafe-matrix-other-role`, region: r }];
      case '*':
        return [{ arn: '*', region: r }];
    }
  }
}

const DEFAULT_CONTEXT = { 'aws:SecureTransport': 'true' };

function withRegion(context: Readonly<Record<string, string>> | undefined, region: string): Record<string, string> | undefined {
  if (!context) return undefined;
  return Object.fromEntries(Object.entries(context).map(([k, v]) => [k, v.replace(/\$\{region\}/g, region)]));
}

/** The request for `role` exercising `capability` on `target`. */
function requestFor(role: ResolvedRole, capability: Capability, target: Target, options: MatrixOptions, account: string): SimulationRequest {
  // KMS sends the caller's account with every request.
  const kms: Record<string, string> = capability.action.startsWith('kms:') ? { 'kms:CallerAccount': account } : {};
  const context = { ...DEFAULT_CONTEXT, ...kms, ...target.context, ...withRegion(capability.context, target.region) };
  return {
    principal: role.arn,
    action: capability.action,
    resource: target.arn,
    context,
    identityPolicies: role.policies,
    resourcePolicy: target.resourcePolicy,
    serviceControlPolicies: options.extraDenyPolicies,
  };
}

const contextShown = (c: Capability, region: string) => withRegion(c.context, region);

/** Evaluates the must-allow and must-deny lists of every role the stack has. */
export async function evaluateCapabilityMatrix(simulator: IamSimulator, docs: StackIamDocuments, options: MatrixOptions = {}): Promise<CapabilityMatrix> {
  const res = new StackResources(docs);
  const notes = [...docs.notes];
  const roles: RoleMatrix[] = [];
  for (const id of PLATFORM_ROLE_IDS) {
    const role = res.roleOf(id);
    if (!role) continue;
    for (const m of role.unevaluatedManagedPolicies) notes.push(`${role.name}: managed policy ${m} is not vendored; its statements are not evaluated`);
    const rows: MatrixRow[] = [];
    for (const { capability, callers } of mustAllow(id)) {
      for (const target of res.targets(capability.resource)) {
        const r = await simulator.simulate(requestFor(role, capability, target, options, docs.account));
        rows.push(row(capabilityKey(capability), 'must-allow', capability, target, r, r.decision === 'allowed', `made by ${callers.join(', ')}`));
      }
    }
    for (const f of mustDeny(id)) {
      const targets = f.resource === 'platformRole' ? res.targets('platformRole').filter((t) => f.principal !== 'unnamed-principal' || t.arn === role.arn) : res.targets(f.resource);
      for (const target of targets) {
        const request =
          f.principal === 'unnamed-principal'
            ? {
                principal: UNNAMED_PRINCIPAL(docs.partition, docs.account),
                action: f.action,
                resource: target.arn,
                context: { ...DEFAULT_CONTEXT },
                // An administrator of the account: only the trust policy stands between them and the role.
                identityPolicies: [{ name: 'administrator', document: { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: '*' }] } }],
                resourcePolicy: role.trustPolicy,
                serviceControlPolicies: options.extraDenyPolicies,
              }
            : requestFor(role, f, target, options, docs.account);
        const r = await simulator.simulate(request);
        rows.push({ ...row(f.id, 'must-deny', f, target, r, r.decision !== 'allowed', f.description), ...(f.principal === 'unnamed-principal' ? { principal: request.principal } : {}) });
      }
    }
    roles.push({ role: id, roleName: role.name, roleArn: role.arn, rows, failures: rows.filter((x) => !x.ok).length });
  }
  return { schema: IAM_MATRIX_SCHEMA, status: 'simulated', simulator: { package: IAM_SIMULATOR_PACKAGE, dataVersion: simulator.dataVersion }, account: docs.account, roles, notes: [...new Set(notes)] };

  function row(capability: string, kind: MatrixRow['kind'], c: Capability, target: Target, r: Awaited<ReturnType<IamSimulator['simulate']>>, ok: boolean, why: string): MatrixRow {
    const context = contextShown(c, target.region);
    return {
      capability,
      kind,
      action: c.action,
      resource: c.resource,
      arn: target.arn,
      ...(context ? { context } : {}),
      decision: r.decision,
      ...(r.statement ? { statement: r.statement } : {}),
      ...(r.handAsserted ? { handAsserted: true } : {}),
      ok,
      why,
    };
  }
}

/** The services the widening snapshot enumerates. */
export const ENUMERATED_SERVICES = ['dynamodb', 'kms', 'backup', 'iam', 's3', 'sts', 'cloudtrail'] as const;

/** iam-data resource type → the stack resources of that type the enumeration tries. */
const RESOURCES_BY_TYPE: Readonly<Record<string, readonly StackResource[]>> = {
  'dynamodb:table': ['sourceTable', 'scratchTable', 'otherTable'],
  'dynamodb:backup': ['sourceBackup', 'otherTableBackup'],
  'dynamodb:stream': ['sourceStream'],
  'kms:key': ['key', 'drKey', 'trailKey', 'signingKey', 'otherKey'],
  'backup:backupVault': ['vault', 'drVault'],
  'backup:recoveryPoint': ['recoveryPoint', 'drRecoveryPoint', 'otherRecoveryPoint', 'sourceBackup'],
  'backup:backupPlan': ['plan'],
  'iam:role': ['platformRole', 'otherRole'],
  's3:bucket': ['trailBucket', 'evidenceBucket'],
  's3:object': ['trailObject', 'evidenceObject'],
  'cloudtrail:trail': ['trail'],
  'sts:role': ['platformRole', 'otherRole'],
};

/** One enumerated decision: `action arn` → decision and statement. */
export interface EnumeratedDecision {
  readonly action: string;
  readonly resource: StackResource;
  readonly arn: string;
  readonly decision: Decision;
  readonly statement?: string;
}

/**
 * Every action of ENUMERATED_SERVICES against each stack resource of a type it accepts (actions
 * without resource-level permissions on `*`), for one role. Returns every decision; callers keep
 * what they need (the snapshot keeps what is not implicitly denied).
 */
export async function enumerateRole(simulator: IamSimulator, docs: StackIamDocuments, id: PlatformRoleId, options: MatrixOptions = {}): Promise<EnumeratedDecision[]> {
  const res = new StackResources(docs);
  const role = res.roleOf(id);
  if (!role) return [];
  const out: EnumeratedDecision[] = [];
  for (const service of ENUMERATED_SERVICES) {
    for (const action of await simulator.actionsOf(service)) {
      const types = (await simulator.resourceTypesOf(action)).map((t) => `${service}:${t.name}`);
      const resources: StackResource[] = types.length === 0 || (await simulator.isWildcardOnly(action)) ? ['*'] : [...new Set(types.flatMap((t) => RESOURCES_BY_TYPE[t] ?? []))];
      for (const resource of resources) {
        for (const target of res.targets(resource)) {
          // DynamoDB-format backups are recovery points only for AWS Backup's own actions.
          if (resource === 'sourceBackup' && service === 'backup' && !types.includes('backup:recoveryPoint')) continue;
          const r = await simulator.simulate(requestFor(role, { action, resource }, target, options, docs.account)).catch((e: Error) => {
            // An ARN of a listed type the evaluator refuses for this action (e.g. a table for a stream-only action): not a capability.
            if (/could not be simulated/.test(e.message)) return undefined;
            throw e;
          });
          if (r) out.push({ action, resource, arn: target.arn, decision: r.decision, ...(r.statement ? { statement: r.statement } : {}) });
        }
      }
    }
  }
  return out;
}

/** Reads the stack's documents from its Terraform JSON and evaluates the matrix. */
export async function capabilityMatrixOf(simulator: IamSimulator, tfJson: unknown, options: MatrixOptions = {}): Promise<CapabilityMatrix> {
  return evaluateCapabilityMatrix(simulator, iamDocumentsFromTerraform(tfJson, options), options);
}
