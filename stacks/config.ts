/**
 * PlatformConfig: one typed object per environment. It drives both the resources (PlatformStack)
 * and the contract verify holds the live account against.
 */
import type { Attribute, ProjectionType, StreamViewType, TableClass } from '../modules/table/table';
import type { CapacityAutoscaling } from '../modules/table/autoscaling';
import type { VaultLockProps } from '../modules/backup/vault';
import { check, checkPositiveInteger } from '../modules/common/validation';
import type { Suppression } from '../core/contract';

export type { Suppression };

export interface IndexConfig {
  readonly name: string;
  /** GSI only. */
  readonly partitionKey?: Attribute;
  readonly sortKey?: Attribute;
  /** @default 'ALL' */
  readonly projection?: ProjectionType;
  /** @default none (required with INCLUDE) */
  readonly nonKeyAttributes?: readonly string[];
}

export type CapacityConfig =
  | { readonly mode: 'on-demand' }
  | { readonly mode: 'provisioned'; readonly read: number; readonly write: number; readonly autoscaling?: CapacityAutoscaling };

export interface TableConfig {
  readonly name: string;
  readonly partitionKey: Attribute;
  /** @default no sort key */
  readonly sortKey?: Attribute;
  /** @default none */
  readonly globalSecondaryIndexes?: readonly IndexConfig[];
  /** @default none */
  readonly localSecondaryIndexes?: readonly IndexConfig[];
  /** @default { mode: 'on-demand' } */
  readonly capacity?: CapacityConfig;
  /** @default TTL off */
  readonly ttlAttribute?: string;
  /** @default streams off */
  readonly stream?: StreamViewType;
  /** @default 'STANDARD' */
  readonly tableClass?: TableClass;
  /** @default true */
  readonly pointInTimeRecovery?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Regions of global-table replicas (each gets its own key). @default none */
  readonly replicaRegions?: readonly string[];
}

export type RulePreset = 'hourly' | 'daily' | 'weekly' | 'monthly';

export interface BackupRuleConfig {
  /** A preset schedule, or a custom AWS Backup cron expression with `name`. */
  readonly preset?: RulePreset;
  /** Custom cron expression (`cron(0 0/4 ? * * *)`); needs `name`. @default the preset's */
  readonly schedule?: string;
  /** @default the preset name */
  readonly name?: string;
  readonly deleteAfterDays: number;
  /** @default never */
  readonly coldStorageAfterDays?: number;
  /** Copy each recovery point to the DR vault. @default false */
  readonly copyToDr?: boolean;
  /** @default 60 */
  readonly startWindowMinutes?: number;
  /** @default 180 */
  readonly completionWindowMinutes?: number;
}

export interface BackupConfig {
  readonly rules: readonly BackupRuleConfig[];
  /** Recovery point objective, minutes: the plan's schedule must produce recovery points at least this often. */
  readonly rpoMinutes: number;
  /** Minimum retention of any recovery point, days. */
  readonly minRetentionDays: number;
  /** @default no vault lock */
  readonly vaultLock?: VaultLockProps;
  /** Region of the DR vault copies go to. @default no DR copy */
  readonly drRegion?: string;
  /** @default true */
  readonly denyManualDeletion?: boolean;
  /** Role exempt from the vault's deny statement. @default none */
  readonly breakGlassRoleArn?: string;
  /** Opt the region into DynamoDB advanced backup. @default true */
  readonly advancedDynamoDbBackup?: boolean;
  /** Job-failure notifications to an encrypted SNS topic. @default true */
  readonly notifications?: boolean;
}

export interface TrailConfig {
  /** @default true */
  readonly enabled?: boolean;
  /** @default true */
  readonly multiRegion?: boolean;
  /** @default "tablesafe-<environment>-trail-<account id>" */
  readonly bucketName?: string;
  /** CloudWatch Logs delivery retention in days. @default off */
  readonly cloudWatchLogsRetentionDays?: number;
}

export interface DrillConfig {
  /** Recovery time objective, minutes: the restore drill's deadline. */
  readonly rtoMinutes: number;
  /** @default 0 */
  readonly tolerance?: number;
  /** @default 10 */
  readonly sample?: number;
  /** @default true */
  readonly digest?: boolean;
}

export interface PlatformConfig {
  /** Stack name and environment name: `demo`, `dev`, `prod`. */
  readonly environment: string;
  readonly region: string;
  readonly table: TableConfig;
  readonly backup: BackupConfig;
  readonly drill: DrillConfig;
  /** @default trail enabled with defaults */
  readonly trail?: TrailConfig;
  /** Principals (ARNs) trusted to assume the app, drill and auditor roles. @default the account root */
  readonly trustedPrincipalArns?: readonly string[];
  /** @default 30 */
  readonly keyDeletionWindowDays?: number;
  /** Let destroy remove recovery points and logs (throw-away environments). @default false */
  readonly forceDestroy?: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** @default { pack: 'tablesafe-strict', suppressions: [] } */
  readonly compliance?: { readonly pack?: string; readonly suppressions?: readonly Suppression[] };
}

/** Tag keys every environment's resources carry. */
export const REQUIRED_TAGS = ['project', 'environment', 'owner', 'data-classification'] as const;

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ENVIRONMENT = /^[a-z][a-z0-9-]{1,20}$/;

/** Fails with the field, the value and the rule for every cross-field rule of a config. */
export function validateConfig(c: PlatformConfig): void {
  const f = (field: string) => `PlatformConfig(${c.environment}).${field}`;
  check(ENVIRONMENT.test(c.environment), 'PlatformConfig.environment', c.environment, 'must be 2-21 characters of [a-z0-9-], starting with a letter');
  check(REGION.test(c.region), f('region'), c.region, 'must be an AWS region name such as us-east-1');
  checkPositiveInteger(f('backup.rpoMinutes'), c.backup.rpoMinutes);
  checkPositiveInteger(f('drill.rtoMinutes'), c.drill.rtoMinutes);
  checkPositiveInteger(f('backup.minRetentionDays'), c.backup.minRetentionDays);
  check(c.backup.rules.length > 0, f('backup.rules'), c.backup.rules.length, 'at least one backup rule is required');
  if (c.backup.drRegion !== undefined) {
    check(REGION.test(c.backup.drRegion), f('backup.drRegion'), c.backup.drRegion, 'must be an AWS region name such as us-west-2');
    check(c.backup.drRegion !== c.region, f('backup.drRegion'), c.backup.drRegion, `must differ from the primary region (${c.region})`);
  }
  c.backup.rules.forEach((r, i) => {
    check(!!r.preset !== !!r.schedule, f(`backup.rules[${i}]`), r, 'give either a preset or a custom schedule');
    check(!r.schedule || !!r.name, f(`backup.rules[${i}].name`), r.name, 'a custom schedule needs a rule name');
    check(!r.copyToDr || c.backup.drRegion !== undefined, f(`backup.rules[${i}].copyToDr`), r.copyToDr, 'needs backup.drRegion');
    check(r.deleteAfterDays >= c.backup.minRetentionDays, f(`backup.rules[${i}].deleteAfterDays`), r.deleteAfterDays, `must be at least backup.minRetentionDays (${c.backup.minRetentionDays})`);
  });
  (c.table.replicaRegions ?? []).forEach((r, i) =>
    check(REGION.test(r), f(`table.replicaRegions[${i}]`), r, 'must be an AWS region name'),
  );
  if (c.drill.tolerance !== undefined) checkPositiveInteger(f('drill.tolerance'), c.drill.tolerance, { min: 0 });
  if (c.drill.sample !== undefined) checkPositiveInteger(f('drill.sample'), c.drill.sample, { min: 0 });
  for (const key of REQUIRED_TAGS) {
    check(typeof c.tags[key] === 'string' && c.tags[key] !== '', f(`tags.${key}`), c.tags[key], `tag "${key}" is required on every environment`);
  }
  for (const [i, s] of (c.compliance?.suppressions ?? []).entries()) {
    check(typeof s.reason === 'string' && s.reason.trim().length >= 10, f(`compliance.suppressions[${i}].reason`), s.reason, 'a suppression needs a reason of at least 10 characters');
  }
}

const baseTags = (environment: string) => ({
  project: 'tablesafe',
  environment,
  owner: 'platform-team',
  'data-classification': 'internal',
});

/** The demo: seed 000's table (partition key `ID`), sandbox-friendly and cheap to throw away. */
export const demo: PlatformConfig = {
  environment: 'demo',
  region: 'us-east-1',
  table: {
    name: 'tablesafe-demo-records',
    partitionKey: { name: 'ID', type: 'S' },
    capacity: { mode: 'on-demand' },
    ttlAttribute: 'ExpiresAt',
    deletionProtection: false,
  },
  backup: {
    rules: [{ preset: 'daily', deleteAfterDays: 7 }],
    rpoMinutes: 24 * 60,
    minRetentionDays: 7,
  },
  drill: { rtoMinutes: 15, tolerance: 0, sample: 5, digest: true },
  keyDeletionWindowDays: 7,
  forceDestroy: true,
  tags: baseTags('demo'),
  compliance: {
    suppressions: [
      {
        ruleId: 'TS-DDB-003',
        resource: 'tablesafe-demo-records',
        reason: 'the demo table is created and destroyed by every `npm start`; deletion protection would block its teardown',
      },
    ],
  },
};

export const dev: PlatformConfig = {
  environment: 'dev',
  region: 'us-east-1',
  table: {
    name: 'tablesafe-dev-records',
    partitionKey: { name: 'ID', type: 'S' },
    globalSecondaryIndexes: [{ name: 'by-owner', partitionKey: { name: 'Owner', type: 'S' }, projection: 'KEYS_ONLY' }],
    capacity: { mode: 'on-demand' },
    ttlAttribute: 'ExpiresAt',
    stream: 'NEW_AND_OLD_IMAGES',
  },
  backup: {
    rules: [{ preset: 'daily', deleteAfterDays: 14 }],
    rpoMinutes: 24 * 60,
    minRetentionDays: 14,
  },
  drill: { rtoMinutes: 30, tolerance: 0, sample: 20, digest: true },
  keyDeletionWindowDays: 14,
  tags: baseTags('dev'),
};

export const prod: PlatformConfig = {
  environment: 'prod',
  region: 'us-east-1',
  table: {
    name: 'tablesafe-prod-records',
    partitionKey: { name: 'ID', type: 'S' },
    sortKey: { name: 'SK', type: 'S' },
    globalSecondaryIndexes: [
      { name: 'by-status', partitionKey: { name: 'Status', type: 'S' }, sortKey: { name: 'UpdatedAt', type: 'S' }, projection: 'INCLUDE', nonKeyAttributes: ['Owner'] },
    ],
    localSecondaryIndexes: [{ name: 'by-updated', sortKey: { name: 'UpdatedAt', type: 'S' }, projection: 'KEYS_ONLY' }],
    capacity: { mode: 'provisioned', read: 10, write: 5, autoscaling: { minRead: 10, maxRead: 200, minWrite: 5, maxWrite: 100, targetUtilizationPercent: 70 } },
    ttlAttribute: 'ExpiresAt',
    stream: 'NEW_AND_OLD_IMAGES',
  },
  backup: {
    rules: [
      { preset: 'hourly', deleteAfterDays: 7 },
      { preset: 'daily', deleteAfterDays: 120, coldStorageAfterDays: 30, copyToDr: true },
    ],
    rpoMinutes: 60,
    minRetentionDays: 7,
    vaultLock: { mode: 'governance', minRetentionDays: 7, maxRetentionDays: 365 },
    drRegion: 'us-west-2',
  },
  drill: { rtoMinutes: 60, tolerance: 0, sample: 50, digest: true },
  tags: { ...baseTags('prod'), 'data-classification': 'confidential' },
};

export const ENVIRONMENTS: readonly PlatformConfig[] = [demo, dev, prod];
