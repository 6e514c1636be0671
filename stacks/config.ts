import type { TrustedPrincipals } from '../modules/iam/trust';
/**
 * PlatformConfig: one typed object per environment. It drives both the resources (PlatformStack)
 * and the contract verify holds the live account against.
 */
import type { Attribute, ProjectionType, StreamViewType, TableClass } from '../modules/table/table';
import type { CapacityAutoscaling } from '../modules/table/autoscaling';
import type { VaultLockProps } from '../modules/backup/vault';
import { check, checkPositiveInteger } from '../modules/common/validation';
import type { DrillPath, Suppression } from '../core/contract';
import { DRILL_PATHS } from '../core/contract';

export type { Suppression };

/** A secondary index of the table: a GSI in `globalSecondaryIndexes`, an LSI in `localSecondaryIndexes`. */
export interface IndexConfig {
  /**
   * Index name.
   * @limits 3-255 characters of [a-zA-Z0-9_.-]; unique across the table's GSIs and LSIs
   */
  readonly name: string;
  /**
   * GSI only: the index's partition key.
   * @default the table's partition key (an LSI always shares it; a GSI must name one)
   */
  readonly partitionKey?: Attribute;
  /**
   * The index's sort key.
   * @default no sort key (an LSI must name one)
   */
  readonly sortKey?: Attribute;
  /** Attributes copied into the index. @default 'ALL' */
  readonly projection?: ProjectionType;
  /**
   * Non-key attributes copied into the index with projection `INCLUDE`.
   * @default none (required with INCLUDE, allowed only with it)
   */
  readonly nonKeyAttributes?: readonly string[];
}

/** How the table pays for throughput: on-demand, or provisioned capacity with autoscaling. */
export type CapacityConfig =
  | {
      /** On-demand (pay per request) or provisioned capacity. */
      readonly mode: 'on-demand';
    }
  | {
      readonly mode: 'provisioned';
      /**
       * Read capacity units of the table and of each GSI.
       * @limits an integer ≥ 1
       */
      readonly read: number;
      /**
       * Write capacity units of the table and of each GSI.
       * @limits an integer ≥ 1
       */
      readonly write: number;
      /**
       * Target-tracking autoscaling of the table and each GSI. Rule TS-DDB-005 fails a provisioned
       * table without it (suppress the finding to run on fixed capacity).
       * @default no autoscaling
       * @limits integers ≥ 1 with minRead ≤ maxRead and minWrite ≤ maxWrite; targetUtilizationPercent 20-90
       */
      readonly autoscaling?: CapacityAutoscaling;
    };

/** The DynamoDB table, encrypted with the environment's customer-managed KMS key. */
export interface TableConfig {
  /**
   * Table name.
   * @limits 3-255 characters of [a-zA-Z0-9_.-]
   */
  readonly name: string;
  /**
   * Partition (hash) key.
   * @limits name 1-255 characters; type S, N or B
   */
  readonly partitionKey: Attribute;
  /**
   * Sort (range) key; local secondary indexes need one.
   * @default no sort key
   * @limits name differs from the partition key
   */
  readonly sortKey?: Attribute;
  /**
   * Global secondary indexes.
   * @default none
   * @limits at most 20
   */
  readonly globalSecondaryIndexes?: readonly IndexConfig[];
  /**
   * Local secondary indexes (share the table's partition key).
   * @default none
   * @limits at most 5; the table needs a sort key
   */
  readonly localSecondaryIndexes?: readonly IndexConfig[];
  /** Throughput mode. @default { mode: 'on-demand' } */
  readonly capacity?: CapacityConfig;
  /**
   * Attribute holding each item's expiry time (epoch seconds, a Number) for DynamoDB TTL.
   * @default TTL off
   * @limits 1-255 characters without spaces; not a key attribute of the table or an index
   */
  readonly ttlAttribute?: string;
  /**
   * DynamoDB stream view type.
   * @default streams off (NEW_AND_OLD_IMAGES when replicaRegions are set)
   * @limits NEW_AND_OLD_IMAGES with replicaRegions
   */
  readonly stream?: StreamViewType;
  /** Storage class. @default 'STANDARD' */
  readonly tableClass?: TableClass;
  /** Point-in-time recovery (rule TS-DDB-001). @default true */
  readonly pointInTimeRecovery?: boolean;
  /** Deletion protection (rule TS-DDB-003). @default true */
  readonly deletionProtection?: boolean;
  /**
   * Regions of global-table replicas (each gets its own key).
   * @default none
   * @limits each differs from `region` and appears once
   */
  readonly replicaRegions?: readonly string[];
}

export type RulePreset = 'hourly' | 'daily' | 'weekly' | 'monthly';

/** One rule of the AWS Backup plan: a schedule and how long its recovery points are kept. */
export interface BackupRuleConfig {
  /**
   * A preset schedule (UTC): `hourly` on the hour, `daily` at 05:00, `weekly` Saturdays 05:00,
   * `monthly` the 1st at 05:00. Give either this or `schedule`.
   * @default none: `schedule` and `name` instead
   */
  readonly preset?: RulePreset;
  /**
   * Custom cron expression (`cron(0 0/4 ? * * *)`); needs `name`.
   * @default the preset's
   * @limits a valid AWS Backup cron expression
   */
  readonly schedule?: string;
  /**
   * Rule name.
   * @default the preset name
   * @limits 1-50 characters of [a-zA-Z0-9_.-]; unique in the plan
   */
  readonly name?: string;
  /**
   * Recovery points are deleted after this many days.
   * @limits an integer ≥ 1; with coldStorageAfterDays, at least coldStorageAfterDays + 90
   */
  readonly deleteAfterDays: number;
  /**
   * Move recovery points to cold storage after this many days.
   * @default never
   * @limits an integer ≥ 1
   */
  readonly coldStorageAfterDays?: number;
  /** Copy each recovery point to the DR vault. @default false */
  readonly copyToDr?: boolean;
  /**
   * Minutes after the scheduled time a job may start before it is cancelled.
   * @default 60
   * @limits ≥ 60
   */
  readonly startWindowMinutes?: number;
  /**
   * Minutes a started job may run before it is cancelled.
   * @default 180
   * @limits ≥ 60 and more than startWindowMinutes
   */
  readonly completionWindowMinutes?: number;
}

/** AWS Backup: vault (+ DR vault), plan and selection of the table. */
export interface BackupConfig {
  /** The plan's rules. */
  readonly rules: readonly BackupRuleConfig[];
  /**
   * Recovery point objective, minutes: the plan's schedule must produce recovery points at least
   * this often (synth fails otherwise), and verify fails when the newest recovery point is older.
   */
  readonly rpoMinutes: number;
  /** Minimum retention of any recovery point, days. */
  readonly minRetentionDays: number;
  /**
   * AWS Backup Vault Lock (WORM) on the vault and the DR vault (rule TS-BAK-003).
   * @default no vault lock
   * @limits minRetentionDays ≤ maxRetentionDays ≤ 36500; changeableForDays ≥ 3, compliance mode only
   */
  readonly vaultLock?: VaultLockProps;
  /** Region of the DR vault copies go to. @default no DR copy */
  readonly drRegion?: string;
  /**
   * The vault access policy denies manual deletion of recovery points to everyone but
   * `breakGlassRoleArn` (rule TS-BAK-002).
   * @default true
   */
  readonly denyManualDeletion?: boolean;
  /** Role exempt from the vault's deny statement. @default none */
  readonly breakGlassRoleArn?: string;
  /** Opt the region into DynamoDB advanced backup. @default true */
  readonly advancedDynamoDbBackup?: boolean;
  /** Job-failure notifications to an encrypted SNS topic. @default true */
  readonly notifications?: boolean;
}

/** The CloudTrail trail: management events, the table's data events, an encrypted log bucket. */
export interface TrailConfig {
  /** Create the trail (turn it off only where another trail already covers the account). @default true */
  readonly enabled?: boolean;
  /** Log every region's management events (rule TS-CT-001). @default true */
  readonly multiRegion?: boolean;
  /**
   * S3 bucket for the log files.
   * @default "tablesafe-<environment>-trail-<account id>"
   * @limits 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit
   */
  readonly bucketName?: string;
  /**
   * Also deliver events to an encrypted CloudWatch Logs group kept this many days.
   * @default off
   * @limits one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
   */
  readonly cloudWatchLogsRetentionDays?: number;
}

/**
 * How `tablesafe verify` runs the restore drill (each also a verify option). The drill validates
 * the table as it was at the recovery point's time T: the backup restore is compared with the
 * other restore paths (which must agree), and with the live source only to measure the data at
 * risk since T (a figure, never a failure).
 */
export interface DrillConfig {
  /** Recovery time objective, minutes: each restore path's deadline and RTO target (`--timeout` overrides the deadline). */
  readonly rtoMinutes: number;
  /**
   * Restore paths the drill runs (`--paths`): `backup` restores the latest recovery point;
   * `pitr` restores the table to the recovery point's time with RestoreTableToPointInTime and
   * must agree with it; `dr` restores the recovery point's copy in the DR vault, in the DR
   * region, and must agree with it.
   * @default every path the environment supports: backup, pitr with table.pointInTimeRecovery, dr with backup.drRegion
   */
  readonly paths?: readonly DrillPath[];
  /** Keys allowed to differ between two restore paths (`--tolerance`). @default 0 */
  readonly tolerance?: number;
  /** Items of the backup restore read back by key from every other restored table and compared attribute by attribute (`--sample`). @default 10 */
  readonly sample?: number;
  /**
   * Compare an order-independent digest of every restored table, and measure the data at risk
   * key by key (`--digest` / `--no-digest`).
   * @default true
   */
  readonly digest?: boolean;
  /** Differing keys listed per comparison in the reports (`--max-keys`). @default 20 */
  readonly maxKeys?: number;
}

/** One environment: the stack `PlatformStack` builds and the contract verify holds it to. */
export interface PlatformConfig {
  /** Stack name and environment name: `demo`, `dev`, `prod`. */
  readonly environment: string;
  /** AWS region of the table, key, vault and trail. */
  readonly region: string;
  /** The DynamoDB table. */
  readonly table: TableConfig;
  /** Backup vault, plan and DR copy. */
  readonly backup: BackupConfig;
  /** Restore-drill targets and data validation. */
  readonly drill: DrillConfig;
  /** The CloudTrail trail. @default trail enabled with defaults */
  readonly trail?: TrailConfig;
  /**
   * Who may assume the app, drill and auditor roles: named IAM principals, and GitHub Actions or
   * Terraform Cloud workload identities (OIDC, with `sub` conditions; the stack creates the OIDC
   * provider unless its ARN is given). The backup role is AWS Backup's alone.
   * @default nobody (every assumable role's trust policy denies all principals)
   */
  readonly trustedPrincipals?: TrustedPrincipals;
  /**
   * Waiting period of the KMS keys' scheduled deletion, in days.
   * @default 30
   * @limits 7-30
   */
  readonly keyDeletionWindowDays?: number;
  /** Let destroy remove recovery points and logs (throw-away environments). @default false */
  readonly forceDestroy?: boolean;
  /** Tags on every resource of the stack. */
  readonly tags: Readonly<Record<string, string>>;
  /** The compliance pack synth and verify hold the stack to. @default { pack: 'tablesafe-strict', suppressions: [], requiredTags: REQUIRED_TAGS } */
  readonly compliance?: {
    /**
     * Rule pack: `tablesafe-strict` (every rule an error) or `tablesafe-baseline` (a few are warnings).
     * @default 'tablesafe-strict'
     */
    readonly pack?: string;
    /** Reasoned exceptions to rules of the pack. @default none */
    readonly suppressions?: readonly Suppression[];
    /** Tag keys the table must carry (rule TS-DDB-006), at synth and live. @default REQUIRED_TAGS */
    readonly requiredTags?: readonly string[];
  };
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
  if (c.drill.maxKeys !== undefined) checkPositiveInteger(f('drill.maxKeys'), c.drill.maxKeys, { min: 0 });
  if (c.drill.paths !== undefined) {
    const paths = c.drill.paths;
    check(paths.every((p) => DRILL_PATHS.includes(p)), f('drill.paths'), paths, 'each one of backup, pitr, dr');
    check(paths.includes('backup'), f('drill.paths'), paths, 'must include backup (the other paths are compared with it)');
    check(!paths.includes('pitr') || c.table.pointInTimeRecovery !== false, f('drill.paths'), paths, 'pitr needs table.pointInTimeRecovery');
    check(!paths.includes('dr') || c.backup.drRegion !== undefined, f('drill.paths'), paths, 'dr needs backup.drRegion');
  }
  for (const key of REQUIRED_TAGS) {
    check(typeof c.tags[key] === 'string' && c.tags[key] !== '', f(`tags.${key}`), c.tags[key], `tag "${key}" is required on every environment`);
  }
  for (const [i, key] of (c.compliance?.requiredTags ?? []).entries()) {
    check(typeof key === 'string' && key.trim() !== '', f(`compliance.requiredTags[${i}]`), key, 'must be a non-empty tag key');
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

/**
 * The demo: the table of the AWS CLI walk-through the project began from (partition key `ID`),
 * sandbox-friendly and cheap to throw away.
 */
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
