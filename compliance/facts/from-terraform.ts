/**
 * Synthesized Terraform JSON (cdktf's `cdk.tf.json`, or any hand-written `*.tf.json`) → FactSet.
 *
 * Values the configuration cannot know (ARNs, `${var.x}`) stay references or are listed in a
 * fact's `unknown`; defaults are the AWS provider's (a table without `point_in_time_recovery` has
 * PITR off, a trail without `is_multi_region_trail` is single-region).
 */
import type {
  BucketFact, FactSet, KeyFact, KeyType, PlanFact, PlanRuleFact, PolicyStatement, Requirements, RoleFact,
  SelectionFact, TableFact, TrailFact, VaultFact,
} from './types';
import { DEFAULT_REQUIREMENTS } from './types';
import { TablesafeError } from '../../core/errors';
import { deniesInsecureTransport, statementsFromJson, statementsFromPolicyDocument, toKeyPolicyStatement } from './policy';
import {
  awsProvidersOf, block, blocks, bool, dataSourcesOf, isExpression, isObject, isTerraformJson, Json, num,
  providerAliasOf, References, resourcesOf, str, stringMap, strings, TfProvider, TfResource,
} from './terraform-json';

export { isTerraformJson } from './terraform-json';

export interface FromTerraformOptions {
  /** Stack or file name shown in reports. @default the cdktf stack name in the JSON, else `terraform` */
  readonly scope?: string;
  /** Environment requirements the rules hold the facts against. @default DEFAULT_REQUIREMENTS */
  readonly requirements?: Requirements;
}

const ROLE_KINDS = ['app-reader', 'app-writer', 'backup', 'restore-drill', 'auditor'] as const;
const DEFAULT_KEY_POLICY: PolicyStatement = {
  sid: 'default key policy',
  effect: 'Allow',
  principals: ['AWS:arn:aws:iam::<account>:root'],
  actions: ['kms:*'],
  resources: ['*'],
  conditionKeys: [],
};

class Reader {
  readonly resources: TfResource[];
  readonly data: Map<string, TfResource>;
  readonly refs: References;
  readonly providers: TfProvider[];

  constructor(tf: Json) {
    this.resources = resourcesOf(tf);
    const data = dataSourcesOf(tf);
    this.data = new Map(data.map((d) => [d.address, d]));
    this.refs = new References([...this.resources, ...data]);
    this.providers = awsProvidersOf(tf);
  }

  ofType(type: string): TfResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  provider(r: TfResource): TfProvider | undefined {
    const alias = providerAliasOf(r.body);
    return this.providers.find((p) => p.alias === alias);
  }

  tags(r: TfResource): Record<string, string> {
    return { ...(this.provider(r)?.defaultTags ?? {}), ...stringMap(r.body.tags) };
  }

  resolve(x: unknown): string | undefined {
    return this.refs.resolve(str(x));
  }

  /** Whether `value` designates resource `target`: its literal name, or an expression on its address. */
  points(value: unknown, target: TfResource, nameAttr: string): boolean {
    const raw = str(value);
    const v = this.resolve(value);
    if (raw === undefined || v === undefined) return false;
    // Names may hold expressions themselves (`logs-${data.aws_caller_identity.c.account_id}`): equal text is the same name.
    const name = this.resolve(target.body[nameAttr]);
    if (name !== undefined && v === name) return true;
    const address = new RegExp(`\\$\\{[^}]*\\b${escape(target.address)}\\b`);
    return address.test(raw) || address.test(v);
  }

  /**
   * A policy attribute → statements: a JSON string, a parsed object, or a
   * `${data.aws_iam_policy_document.x.json}` reference. undefined when it cannot be resolved.
   */
  policy(x: unknown): PolicyStatement[] | undefined {
    if (isObject(x)) return statementsFromJson(x);
    if (typeof x !== 'string') return undefined;
    const doc = /^\$\{(data\.aws_iam_policy_document\.[\w-]+)\.json\}$/.exec(x.trim());
    if (doc) {
      const d = this.data.get(doc[1]);
      return d ? statementsFromPolicyDocument(d.body) : undefined;
    }
    if (/^\$\{/.test(x.trim()) && !x.trim().startsWith('{')) return undefined;
    return statementsFromJson(x);
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function base(reader: Reader, r: TfResource, name: string | undefined) {
  return {
    id: r.address,
    name: name && !isExpression(name) ? name : r.address,
    // A name with an expression in it still matches references that resolve to the same text.
    refs: name ? [name] : [],
    ...(r.path ? { path: r.path } : {}),
    tags: reader.tags(r),
  };
}

/** Last in a fact literal, so every `known()` before it has run. */
function unknownOf(unknown: string[]): { unknown?: string[] } {
  return unknown.length ? { unknown } : {};
}

function known(value: boolean | 'unknown', field: string, unknown: string[]): boolean {
  if (value === 'unknown') {
    unknown.push(field);
    return false;
  }
  return value;
}

function keyTypeOf(reader: Reader, keyRef: string | undefined, unknown: string[], field: string, absent: KeyType): KeyType {
  if (keyRef === undefined || keyRef === '') return absent;
  if (/alias\/aws\//.test(keyRef)) return 'AWS_MANAGED';
  if (!isExpression(keyRef)) return 'CUSTOMER_MANAGED';
  if (/\$\{aws_kms_(key|replica_key|alias)\./.test(keyRef)) return 'CUSTOMER_MANAGED';
  const alias = /\$\{(data\.aws_kms_alias\.[\w-]+)\./.exec(keyRef);
  const aliasName = alias ? reader.resolve(reader.data.get(alias[1])?.body.name) : undefined;
  if (aliasName !== undefined && !isExpression(aliasName)) return aliasName.startsWith('alias/aws/') ? 'AWS_MANAGED' : 'CUSTOMER_MANAGED';
  unknown.push(field);
  return 'CUSTOMER_MANAGED';
}

// --- DynamoDB ----------------------------------------------------------------------------

const DIMENSIONS = { read: 'ReadCapacityUnits', write: 'WriteCapacityUnits' };

function autoscaledDimensions(reader: Reader): Set<string> {
  const key = (body: Json) => `${reader.resolve(body.resource_id)}|${reader.resolve(body.scalable_dimension)}`;
  const targets = new Set(reader.ofType('aws_appautoscaling_target').filter((t) => str(t.body.service_namespace) === 'dynamodb').map((t) => key(t.body)));
  return new Set(reader.ofType('aws_appautoscaling_policy').map((p) => key(p.body)).filter((k) => targets.has(k)));
}

function tableFact(reader: Reader, r: TfResource, scaled: Set<string>): TableFact {
  const unknown: string[] = [];
  const b = r.body;
  const name = reader.resolve(b.name);
  const pitr = known(bool(block(b.point_in_time_recovery)?.enabled, false), 'pitrEnabled', unknown);
  const sse = block(b.server_side_encryption);
  const sseEnabled = known(bool(sse?.enabled, false), 'sse', unknown);
  const kmsKeyRef = reader.resolve(sse?.kms_key_arn);
  const keyType: KeyType = !sseEnabled ? 'AWS_OWNED' : keyTypeOf(reader, kmsKeyRef, unknown, 'sse', 'AWS_MANAGED');
  const billing = str(b.billing_mode) ?? 'PROVISIONED';
  if (billing !== 'PROVISIONED' && billing !== 'PAY_PER_REQUEST') unknown.push('autoscaling');
  const has = (resourceId: string, dim: 'read' | 'write', scope: 'table' | 'index') => scaled.has(`${resourceId}|dynamodb:${scope}:${DIMENSIONS[dim]}`);
  const tableId = `table/${name}`;
  const indexes = blocks(b.global_secondary_index).map((g) => str(g.name)).filter((n): n is string => !!n);
  return {
    kind: 'table',
    ...base(reader, r, name),
    pitrEnabled: pitr,
    sse: { keyType, ...(sseEnabled && kmsKeyRef ? { kmsKeyRef } : {}) },
    deletionProtection: known(bool(b.deletion_protection_enabled, false), 'deletionProtection', unknown),
    billingMode: billing === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    autoscaling: {
      read: has(tableId, 'read', 'table'),
      write: has(tableId, 'write', 'table'),
      indexesWithout: indexes.filter((i) => !has(`${tableId}/index/${i}`, 'read', 'index') || !has(`${tableId}/index/${i}`, 'write', 'index')),
    },
    replicaRegions: blocks(b.replica).map((x) => str(x.region_name)).filter((x): x is string => !!x),
    ...unknownOf(unknown),
  };
}

// --- KMS -----------------------------------------------------------------------------------

function keyFact(reader: Reader, r: TfResource): KeyFact {
  const unknown: string[] = [];
  const b = r.body;
  const aliases = reader.ofType('aws_kms_alias').filter((a) => reader.points(a.body.target_key_id, r, '__none__')).map((a) => reader.resolve(a.body.name)).filter((n): n is string => !!n && !isExpression(n));
  const separatePolicy = reader.ofType('aws_kms_key_policy').find((p) => reader.points(p.body.key_id, r, '__none__'));
  const rawPolicy = separatePolicy?.body.policy ?? b.policy;
  const statements = rawPolicy === undefined ? [DEFAULT_KEY_POLICY] : reader.policy(rawPolicy);
  const f = base(reader, r, aliases[0]);
  return {
    kind: 'key',
    ...f,
    refs: [...aliases, ...aliases.map((a) => a.replace(/^alias\//, ''))],
    rotationEnabled: known(bool(b.enable_key_rotation, false), 'rotationEnabled', unknown),
    enabled: bool(b.is_enabled, true) !== false,
    keySpec: str(b.customer_master_key_spec) ?? str(b.key_spec) ?? 'SYMMETRIC_DEFAULT',
    ...(statements ? { policy: statements.map(toKeyPolicyStatement) } : {}),
    ...unknownOf(unknown),
  };
}

// --- AWS Backup ------------------------------------------------------------------------------

function vaultFact(reader: Reader, r: TfResource): VaultFact {
  const unknown: string[] = [];
  const b = r.body;
  const name = reader.resolve(b.name);
  const kmsKeyRef = reader.resolve(b.kms_key_arn);
  const kmsKeyType = keyTypeOf(reader, kmsKeyRef, unknown, 'kmsKeyType', 'AWS_MANAGED');
  const policyResource = reader.ofType('aws_backup_vault_policy').find((p) => reader.points(p.body.backup_vault_name, r, 'name'));
  let accessPolicy: PolicyStatement[] | undefined;
  if (policyResource) {
    accessPolicy = reader.policy(policyResource.body.policy);
    if (!accessPolicy) unknown.push('accessPolicy');
  }
  const lock = reader.ofType('aws_backup_vault_lock_configuration').find((l) => reader.points(l.body.backup_vault_name, r, 'name'));
  const provider = reader.provider(r);
  const primaryRegion = reader.providers.find((p) => p.alias === undefined)?.region;
  return {
    kind: 'vault',
    ...base(reader, r, name),
    ...(provider?.region ? { region: provider.region } : {}),
    ...(kmsKeyRef ? { kmsKeyRef } : {}),
    kmsKeyType,
    ...(accessPolicy ? { accessPolicy } : {}),
    ...(lock
      ? {
          lock: {
            ...(num(lock.body.min_retention_days) !== undefined ? { minRetentionDays: num(lock.body.min_retention_days) } : {}),
            ...(num(lock.body.max_retention_days) !== undefined ? { maxRetentionDays: num(lock.body.max_retention_days) } : {}),
            ...(num(lock.body.changeable_for_days) !== undefined ? { changeableForDays: num(lock.body.changeable_for_days) } : {}),
          },
        }
      : {}),
    isDrVault: provider?.alias !== undefined && provider.region !== undefined && provider.region !== primaryRegion,
    ...unknownOf(unknown),
  };
}

function lifecycleOf(x: unknown): { deleteAfterDays?: number; coldStorageAfterDays?: number } {
  const l = block(x);
  const deleteAfterDays = num(l?.delete_after);
  const coldStorageAfterDays = num(l?.cold_storage_after);
  return { ...(deleteAfterDays !== undefined ? { deleteAfterDays } : {}), ...(coldStorageAfterDays !== undefined ? { coldStorageAfterDays } : {}) };
}

function planFact(reader: Reader, r: TfResource): PlanFact {
  const rules: PlanRuleFact[] = blocks(r.body.rule).map((x) => ({
    name: str(x.rule_name) ?? '(unnamed)',
    ...(str(x.schedule) ? { schedule: str(x.schedule) } : {}),
    targetVaultRef: reader.resolve(x.target_vault_name) ?? '',
    ...(num(x.start_window) !== undefined ? { startWindowMinutes: num(x.start_window) } : {}),
    ...(num(x.completion_window) !== undefined ? { completionWindowMinutes: num(x.completion_window) } : {}),
    ...lifecycleOf(x.lifecycle),
    continuousBackup: bool(x.enable_continuous_backup, false) === true,
    copyActions: blocks(x.copy_action).map((c) => ({ destinationVaultRef: reader.resolve(c.destination_vault_arn) ?? '', ...lifecycleOf(c.lifecycle) })),
  }));
  return { kind: 'plan', ...base(reader, r, reader.resolve(r.body.name)), rules };
}

function selectionFact(reader: Reader, r: TfResource): SelectionFact {
  const b = r.body;
  const tagConditions = [
    ...blocks(b.selection_tag).map((t) => ({ key: str(t.key) ?? '', value: str(t.value) ?? '' })),
    ...blocks(b.condition).flatMap((c) => blocks(c.string_equals)).map((t) => ({ key: (str(t.key) ?? '').replace(/^aws:ResourceTag\//, ''), value: str(t.value) ?? '' })),
  ];
  return {
    kind: 'selection',
    ...base(reader, r, reader.resolve(b.name)),
    planRef: reader.resolve(b.plan_id) ?? '',
    resources: strings(b.resources).map((x) => reader.resolve(x) ?? x),
    notResources: strings(b.not_resources).map((x) => reader.resolve(x) ?? x),
    tagConditions,
  };
}

// --- CloudTrail ------------------------------------------------------------------------------

const DDB_TABLE = 'AWS::DynamoDB::Table';

function trailEvents(reader: Reader, b: Json): { management: boolean; tables: string[] } {
  const basic = blocks(b.event_selector);
  const advanced = blocks(b.advanced_event_selector);
  if (basic.length === 0 && advanced.length === 0) return { management: true, tables: [] };
  let management = basic.some((s) => bool(s.include_management_events, true) === true);
  const tables: string[] = [];
  for (const s of basic) {
    for (const d of blocks(s.data_resource).filter((d) => str(d.type) === DDB_TABLE)) {
      for (const v of strings(d.values)) tables.push(v === 'arn:aws:dynamodb' ? '*' : reader.resolve(v) ?? v);
    }
  }
  for (const s of advanced) {
    const fields = blocks(s.field_selector);
    const equals = (field: string) => fields.filter((f) => str(f.field) === field).flatMap((f) => strings(f.equals));
    if (equals('eventCategory').includes('Management')) management = true;
    if (!equals('eventCategory').includes('Data') || !equals('resources.type').includes(DDB_TABLE)) continue;
    const arnFields = fields.filter((f) => str(f.field) === 'resources.ARN');
    const arns = [
      ...arnFields.flatMap((f) => strings(f.equals)),
      ...arnFields.flatMap((f) => strings(f.starts_with)).map((p) => `${p}*`),
    ].map((v) => reader.resolve(v) ?? v);
    tables.push(...(arnFields.length === 0 ? ['*'] : arns));
  }
  return { management, tables };
}

function trailFact(reader: Reader, r: TfResource): TrailFact {
  const unknown: string[] = [];
  const b = r.body;
  const events = trailEvents(reader, b);
  const kmsKeyRef = reader.resolve(b.kms_key_id);
  const logging = bool(b.enable_logging, true);
  return {
    kind: 'trail',
    ...base(reader, r, reader.resolve(b.name)),
    multiRegion: known(bool(b.is_multi_region_trail, false), 'multiRegion', unknown),
    logFileValidation: known(bool(b.enable_log_file_validation, false), 'logFileValidation', unknown),
    ...(kmsKeyRef ? { kmsKeyRef } : {}),
    ...(logging === false ? { logging: false } : {}),
    bucketRef: reader.resolve(b.s3_bucket_name) ?? '',
    managementEvents: events.management,
    dynamoDbDataEventTables: events.tables,
    ...unknownOf(unknown),
  };
}

// --- S3 --------------------------------------------------------------------------------------

function bucketFact(reader: Reader, r: TfResource): BucketFact {
  const unknown: string[] = [];
  const b = r.body;
  const about = (type: string) => reader.ofType(type).find((x) => reader.points(x.body.bucket, r, 'bucket'));
  const pab = about('aws_s3_bucket_public_access_block')?.body;
  const flag = (k: string) => bool(pab?.[k], false) === true;
  const versioningResource = about('aws_s3_bucket_versioning');
  const versioning = versioningResource
    ? str(block(versioningResource.body.versioning_configuration)?.status) === 'Enabled'
    : bool(block(b.versioning)?.enabled, false) === true;
  const policyResource = about('aws_s3_bucket_policy');
  const rawPolicy = policyResource?.body.policy ?? b.policy;
  const policy = rawPolicy === undefined ? undefined : reader.policy(rawPolicy);
  if (rawPolicy !== undefined && !policy) unknown.push('tlsOnly');
  const sse = about('aws_s3_bucket_server_side_encryption_configuration');
  const sseDefault = sse ? blocks(sse.body.rule).map((x) => block(x.apply_server_side_encryption_by_default)).find(Boolean) : undefined;
  const sseKmsKeyRef = reader.resolve(sseDefault?.kms_master_key_id);
  return {
    kind: 'bucket',
    ...base(reader, r, reader.resolve(b.bucket)),
    publicAccessBlocked: {
      blockPublicAcls: flag('block_public_acls'),
      blockPublicPolicy: flag('block_public_policy'),
      ignorePublicAcls: flag('ignore_public_acls'),
      restrictPublicBuckets: flag('restrict_public_buckets'),
    },
    versioning,
    tlsOnly: policy ? deniesInsecureTransport(policy) : false,
    ...(sseKmsKeyRef ? { sseKmsKeyRef } : {}),
    ...(policy ? { policy } : {}),
    ...unknownOf(unknown),
  };
}

// --- IAM -------------------------------------------------------------------------------------

function roleFact(reader: Reader, r: TfResource): RoleFact {
  const unknown: string[] = [];
  const b = r.body;
  const statements: (PolicyStatement & { policyName: string })[] = [];
  const add = (policyName: string, raw: unknown) => {
    const parsed = reader.policy(raw);
    if (!parsed) {
      if (!unknown.includes('statements')) unknown.push('statements');
      return;
    }
    statements.push(...parsed.map((s) => ({ ...s, policyName })));
  };
  for (const inline of blocks(b.inline_policy)) if (inline.policy !== undefined) add(str(inline.name) ?? 'inline', inline.policy);
  for (const p of reader.ofType('aws_iam_role_policy').filter((p) => reader.points(p.body.role, r, 'name'))) add(str(p.body.name) ?? p.address, p.body.policy);
  const managedPolicyArns = strings(b.managed_policy_arns).map((x) => reader.resolve(x) ?? x);
  const attached = [
    ...reader.ofType('aws_iam_role_policy_attachment').filter((a) => reader.points(a.body.role, r, 'name')).map((a) => a.body.policy_arn),
    ...reader.ofType('aws_iam_policy_attachment').filter((a) => strings(a.body.roles).some((x) => reader.points(x, r, 'name'))).map((a) => a.body.policy_arn),
    ...managedPolicyArns,
  ];
  const managed: string[] = [];
  for (const arn of attached) {
    const policy = reader.ofType('aws_iam_policy').find((p) => isExpression(str(arn)) && reader.points(arn, p, '__none__'));
    if (policy) add(str(policy.body.name) ?? policy.address, policy.body.policy);
    else if (str(arn)) managed.push(reader.resolve(arn) ?? String(arn));
  }
  const trust = reader.policy(b.assume_role_policy) ?? [];
  const trustedServices = trust.filter((s) => s.effect === 'Allow').flatMap((s) => s.principals).filter((p) => p.startsWith('Service:')).map((p) => p.slice('Service:'.length));
  const tags = reader.tags(r);
  const roleKind = ROLE_KINDS.find((k) => k === tags['tablesafe:role']);
  return {
    kind: 'role',
    ...base(reader, r, reader.resolve(b.name)),
    statements,
    managedPolicyArns: [...new Set(managed)],
    trustedServices,
    ...(roleKind ? { roleKind } : {}),
    ...unknownOf(unknown),
  };
}

/**
 * Builds the FactSet of one Terraform JSON configuration. Throws TS_E_NOT_TERRAFORM_JSON when the
 * input is not Terraform JSON.
 */
export function factsFromTerraform(tfJson: unknown, options: FromTerraformOptions = {}): FactSet {
  if (!isTerraformJson(tfJson)) {
    throw new TablesafeError('TS_E_NOT_TERRAFORM_JSON', 'not Terraform JSON: expected an object with resource, data, provider or terraform blocks', 'pass the cdk.tf.json of a synthesized stack (cdktf.out/stacks/<stack>/)');
  }
  const reader = new Reader(tfJson);
  const meta = block(tfJson['//']);
  const stackName = isObject(meta?.metadata) ? str(meta.metadata.stackName) : undefined;
  const scaled = autoscaledDimensions(reader);
  const map = <T>(type: string, f: (r: TfResource) => T) => reader.ofType(type).map(f);
  return {
    source: 'terraform',
    scope: options.scope ?? stackName ?? 'terraform',
    tables: map('aws_dynamodb_table', (r) => tableFact(reader, r, scaled)),
    keys: map('aws_kms_key', (r) => keyFact(reader, r)),
    vaults: map('aws_backup_vault', (r) => vaultFact(reader, r)),
    plans: map('aws_backup_plan', (r) => planFact(reader, r)),
    selections: map('aws_backup_selection', (r) => selectionFact(reader, r)),
    trails: map('aws_cloudtrail', (r) => trailFact(reader, r)),
    buckets: map('aws_s3_bucket', (r) => bucketFact(reader, r)),
    roles: map('aws_iam_role', (r) => roleFact(reader, r)),
    requirements: options.requirements ?? DEFAULT_REQUIREMENTS,
  };
}
