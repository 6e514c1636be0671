/**
 * The contract: what a synthesized stack promises, written by PlatformStack at synth to
 * `cdktf.out/stacks/<stack>/tablesafe.contract.json` and read by `tablesafe verify`.
 *
 * Ids that only exist after apply (ARNs, plan and selection ids) are not in the contract: it names
 * the Terraform outputs that carry them (`outputs`), and verify reads those from
 * `terraform output -json` (or a file saved by a Terraform Cloud run).
 *
 * This module is pure data + validation: no cdktf, no AWS SDK.
 */
import { TablesafeError } from './errors';

/**
 * An explicit, reasoned exception: rule `ruleId` does not fail the run for `resource`.
 * Suppressed findings still appear in every report, with their reason.
 */
export interface Suppression {
  /**
   * The rule, e.g. `TS-DDB-005`.
   * @limits a rule id from the Compliance rules table
   */
  readonly ruleId: string;
  /**
   * The resource: its name (`tablesafe-staging-records`), Terraform address
   * (`aws_dynamodb_table.table_43360BC0`) or construct path (`staging/table`, which also covers
   * everything below it); `*` suppresses the rule for every resource.
   * @limits not empty
   */
  readonly resource: string;
  /** Why the finding is acceptable (at least 10 characters). */
  readonly reason: string;
}

/**
 * How long an on-demand recovery point (the drill's `--fresh` backup and its DR copy) is kept: the
 * contract's minimum retention, within the vault lock's min/max. AWS fails a job whose retention
 * lies outside the lock, and a job without one ("keep forever") breaks any lock's maximum.
 */
export function onDemandRetentionDays(backup: Pick<ContractBackup, 'minRetentionDays' | 'lock'>): number {
  const lock = backup.lock;
  if (!lock) return backup.minRetentionDays;
  return Math.min(Math.max(backup.minRetentionDays, lock.minRetentionDays), lock.maxRetentionDays);
}

export const CONTRACT_SCHEMA_VERSION = 1 as const;
export const CONTRACT_FILE_NAME = 'tablesafe.contract.json';
export const COMPLIANCE_FILE_NAME = 'tablesafe.compliance.json';

/** Prefix of every restore-drill scratch table; the drill role may delete only these. */
export const DRILL_TABLE_PREFIX = 'tablesafe-drill-';
/** Tag put on every scratch table, used by `tablesafe janitor`. */
export const DRILL_TAG_KEY = 'tablesafe:drill';

/** Terraform output names PlatformStack emits; the contract repeats them so verify never guesses. */
export const OUTPUT_NAMES = {
  tableName: 'table_name',
  tableArn: 'table_arn',
  tableStreamArn: 'table_stream_arn',
  keyArn: 'kms_key_arn',
  keyAlias: 'kms_key_alias',
  drKeyArn: 'dr_kms_key_arn',
  vaultName: 'backup_vault_name',
  vaultArn: 'backup_vault_arn',
  drVaultName: 'dr_backup_vault_name',
  drVaultArn: 'dr_backup_vault_arn',
  planId: 'backup_plan_id',
  planArn: 'backup_plan_arn',
  selectionId: 'backup_selection_id',
  notificationTopicArn: 'backup_notification_topic_arn',
  trailArn: 'trail_arn',
  trailName: 'trail_name',
  trailBucket: 'trail_bucket',
  backupRoleArn: 'backup_role_arn',
  drillRoleArn: 'restore_drill_role_arn',
  appReaderRoleArn: 'app_reader_role_arn',
  appWriterRoleArn: 'app_writer_role_arn',
  auditorRoleArn: 'auditor_role_arn',
  accountId: 'account_id',
  region: 'region',
} as const;

export type OutputKey = keyof typeof OUTPUT_NAMES;

export type AttributeType = 'S' | 'N' | 'B';
export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
export type VaultLockMode = 'governance' | 'compliance';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface ContractIndex {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projectionType: ProjectionType;
  readonly nonKeyAttributes?: readonly string[];
  /** Provisioned capacity of a GSI (provisioned tables only). */
  readonly capacity?: Capacity;
}

export interface Capacity {
  readonly read: number;
  readonly write: number;
}

export interface ContractTable {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly ContractIndex[];
  readonly localSecondaryIndexes: readonly ContractIndex[];
  readonly billingMode: BillingMode;
  /** Base capacity (provisioned only). With autoscaling, live capacity may drift within min..max. */
  readonly capacity?: Capacity;
  readonly autoscaling?: {
    readonly minRead: number;
    readonly maxRead: number;
    readonly minWrite: number;
    readonly maxWrite: number;
    readonly targetUtilizationPercent: number;
  };
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  readonly ttlAttribute?: string;
  readonly streamViewType?: StreamViewType;
  readonly tableClass: TableClass;
  /** SSE with the platform's customer-managed key, whose ARN is the `keyArn` output. */
  readonly encryption: 'CUSTOMER_MANAGED';
  readonly replicaRegions: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface ContractBackupRule {
  readonly name: string;
  /** AWS Backup cron expression, e.g. `cron(0 5 ? * * *)`. */
  readonly schedule: string;
  /** The longest gap between two scheduled runs, in minutes (the rule's RPO). */
  readonly intervalMinutes: number;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
  readonly deleteAfterDays?: number;
  readonly coldStorageAfterDays?: number;
  readonly continuousBackup: boolean;
  readonly copyToRegion?: string;
}

export interface ContractBackup {
  readonly vaultName: string;
  readonly planName: string;
  readonly selectionName: string;
  readonly lock?: {
    readonly mode: VaultLockMode;
    readonly minRetentionDays: number;
    readonly maxRetentionDays: number;
    readonly changeableForDays?: number;
  };
  readonly rules: readonly ContractBackupRule[];
  /** Recovery point objective: the latest COMPLETED recovery point must be younger than this. */
  readonly rpoMinutes: number;
  readonly minRetentionDays: number;
  readonly drCopy?: { readonly region: string; readonly vaultName: string };
  readonly advancedDynamoDbBackup: boolean;
  /** Whether the vault access policy must deny manual deletion. */
  readonly denyManualDeletion: boolean;
}

export interface ContractTrail {
  readonly name: string;
  readonly multiRegion: boolean;
  readonly logFileValidation: boolean;
  readonly kmsEncrypted: boolean;
  readonly dynamoDbDataEvents: boolean;
}

export interface ContractRole {
  readonly name: string;
  readonly output: string;
  /** Inline policy names and managed policy ARNs the role must carry, exactly. */
  readonly inlinePolicies: readonly string[];
  readonly managedPolicyArns: readonly string[];
}

/**
 * One way to get the table back, each restored into its own scratch table:
 * - `backup`: the recovery point (as of its creation time T) → StartRestoreJob → scratch A;
 * - `pitr`: RestoreTableToPointInTime of the source to T → scratch B (needs point-in-time recovery);
 * - `dr`: the copy of that recovery point in the DR vault, restored in the DR region → scratch C.
 */
export type DrillPath = 'backup' | 'pitr' | 'dr';
export const DRILL_PATHS: readonly DrillPath[] = ['backup', 'pitr', 'dr'];

export interface ContractDrill {
  /** Recovery time objective: each restore path's deadline unless `--timeout` overrides it. */
  readonly rtoMinutes: number;
  /**
   * Restore paths the drill runs (always including `backup`, the reference).
   * @default every path the contract supports (see drillPathsOf)
   */
  readonly paths?: readonly DrillPath[];
  readonly validation: {
    /** Keys allowed to differ between two restore paths (0: the paths agree exactly). */
    readonly tolerance: number;
    /** Items of the backup restore read back by key from every other path and compared attribute by attribute. */
    readonly sample: number;
    /** Full order-independent digest of every restored table. */
    readonly digest: boolean;
    /**
     * Differing keys listed per comparison in the report.
     * @default 20
     */
    readonly maxKeys?: number;
  };
}

/** Differing keys listed per comparison when the contract does not say. */
export const DEFAULT_MAX_KEYS = 20;

/** What decides which restore paths a contract supports. */
export interface DrillPathSupport {
  readonly table: { readonly pointInTimeRecovery: boolean };
  readonly backup: { readonly drCopy?: unknown };
}

/** The paths a contract supports: backup always, pitr with point-in-time recovery, dr with a DR vault. */
export function supportedDrillPaths(contract: DrillPathSupport): DrillPath[] {
  return DRILL_PATHS.filter((p) => p === 'backup' || (p === 'pitr' && contract.table.pointInTimeRecovery) || (p === 'dr' && contract.backup.drCopy !== undefined));
}

/** The paths the drill runs for a contract: `drill.paths` when declared, else every supported path. */
export function drillPathsOf(contract: DrillPathSupport & { readonly drill: { readonly paths?: readonly DrillPath[] } }): DrillPath[] {
  const declared = contract.drill.paths;
  return declared ? DRILL_PATHS.filter((p) => declared.includes(p)) : supportedDrillPaths(contract);
}

/**
 * Why `paths` cannot run against `contract` (undefined when they can): unknown names, no
 * `backup` (every other path is compared with it), `pitr` without point-in-time recovery, `dr`
 * without a DR vault.
 */
export function drillPathsProblem(paths: readonly string[], contract: DrillPathSupport): string | undefined {
  const unknown = paths.filter((p) => !(DRILL_PATHS as readonly string[]).includes(p));
  if (unknown.length) return `unknown path(s) ${unknown.join(', ')}: use ${DRILL_PATHS.join(', ')}`;
  if (paths.length === 0) return 'name at least one path (backup)';
  if (!paths.includes('backup')) return 'must include backup: the other paths are compared with its restore';
  if (paths.includes('pitr') && !contract.table.pointInTimeRecovery) return 'pitr needs point-in-time recovery, which the contract\'s table does not declare';
  if (paths.includes('dr') && !contract.backup.drCopy) return 'dr needs a DR vault (backup.drRegion), which the contract does not declare';
  return undefined;
}

export interface ContractCompliance {
  /** The rule pack the stack is held to, at synth and live. */
  readonly pack: string;
  /**
   * Tag keys every table must carry (rule TS-DDB-006).
   * @default the keys of `table.tags` (contracts written before this field existed)
   */
  readonly requiredTags?: readonly string[];
}

export interface Contract {
  readonly schemaVersion: typeof CONTRACT_SCHEMA_VERSION;
  readonly stack: string;
  readonly environment: string;
  readonly region: string;
  readonly drRegion?: string;
  readonly table: ContractTable;
  readonly key: { readonly alias: string; readonly rotation: boolean; readonly deletionWindowDays: number };
  readonly backup: ContractBackup;
  readonly trail?: ContractTrail;
  readonly roles: {
    readonly backup: ContractRole;
    readonly restoreDrill: ContractRole;
    readonly appReader: ContractRole;
    readonly appWriter: ContractRole;
    readonly auditor: ContractRole;
  };
  readonly drill: ContractDrill;
  readonly compliance: ContractCompliance;
  /** Terraform output names for every id that exists only after apply. */
  readonly outputs: Readonly<Record<OutputKey, string>>;
}

/**
 * Parses and checks a contract read from disk. Throws TS_E_CONTRACT_INVALID naming the first
 * invalid field.
 */
export function parseContract(json: unknown, source = 'contract'): Contract {
  const fail = (field: string, why: string): never => {
    throw new TablesafeError('TS_E_CONTRACT_INVALID', `${source}: ${field} ${why}`, 're-run `npx cdktf synth` with this tablesafe version', { field });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('(root)', 'is not a JSON object');
  const c = json as Record<string, unknown>;
  if (c.schemaVersion !== CONTRACT_SCHEMA_VERSION) {
    fail('schemaVersion', `is ${JSON.stringify(c.schemaVersion)}; this tablesafe reads version ${CONTRACT_SCHEMA_VERSION} (re-run synth)`);
  }
  for (const field of ['stack', 'environment', 'region'] as const) {
    if (typeof c[field] !== 'string' || c[field] === '') fail(field, 'must be a non-empty string');
  }
  for (const field of ['table', 'key', 'backup', 'roles', 'drill', 'outputs'] as const) {
    if (typeof c[field] !== 'object' || c[field] === null) fail(field, 'must be an object');
  }
  const table = c.table as Record<string, unknown>;
  if (typeof table.name !== 'string') fail('table.name', 'must be a string');
  const compliance = c.compliance as Record<string, unknown> | undefined;
  const requiredTags = compliance?.requiredTags;
  if (requiredTags !== undefined && !(Array.isArray(requiredTags) && requiredTags.every((t) => typeof t === 'string' && t !== ''))) {
    fail('compliance.requiredTags', 'must be an array of tag keys');
  }
  const drill = c.drill as Record<string, unknown>;
  // The restore drill's deadline: a hand-edited 0 would otherwise reach the poller as a bug.
  if (typeof drill.rtoMinutes !== 'number' || !(drill.rtoMinutes > 0)) fail('drill.rtoMinutes', 'must be a number of minutes > 0');
  if (drill.paths !== undefined) {
    if (!Array.isArray(drill.paths) || !drill.paths.every((p) => typeof p === 'string')) fail('drill.paths', 'must be an array of path names');
    const problem = drillPathsProblem(drill.paths as string[], { table: { pointInTimeRecovery: table.pointInTimeRecovery === true }, backup: c.backup as { drCopy?: unknown } });
    if (problem) fail('drill.paths', problem);
  }
  const maxKeys = (drill.validation as Record<string, unknown> | undefined)?.maxKeys;
  if (maxKeys !== undefined && !(Number.isSafeInteger(maxKeys) && (maxKeys as number) >= 0)) fail('drill.validation.maxKeys', 'must be a whole number >= 0');
  const outputs = c.outputs as Record<string, unknown>;
  for (const key of Object.keys(OUTPUT_NAMES)) {
    if (typeof outputs[key] !== 'string') fail(`outputs.${key}`, 'must name a Terraform output');
  }
  return json as Contract;
}

/**
 * Tag AWS Backup puts on every recovery point of the platform table (backup rule
 * `recovery_point_tags`): the drill role may restore AWS Backup-format recovery points
 * (`arn:aws:backup:…:recovery-point:…`, DynamoDB advanced backup) only when it names the table.
 */
export const RECOVERY_POINT_TABLE_TAG = 'tablesafe:source-table';
