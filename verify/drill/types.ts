/** The drill's options, metrics and shared context (verify/drill/drill.ts runs it). */
import type { DrillPath, Contract } from '../../core/contract';
import type { StackOutputs } from '../../core/outputs';
import type { AwsClients } from '../../core/aws/clients';
import type { PollProgress, Sleep } from '../../core/poller';
import type { CheckResult } from '../checks/check';
import type { KeyDifference } from './digest';
import type { ScratchTables } from './scratch';

export interface DrillOptions {
  readonly contract: Contract;
  readonly outputs: StackOutputs;
  readonly clients: AwsClients;
  readonly runId: string;
  /**
   * Run an on-demand backup job first and restore from it (and copy it to the DR vault when the
   * dr path runs).
   * @default false
   */
  readonly fresh?: boolean;
  /**
   * Restore paths to run; `backup` is always among them (the others are compared with it).
   * @default the contract's `drill.paths`, else every path the contract supports
   */
  readonly paths?: readonly DrillPath[];
  /**
   * Each path's restore deadline in ms (the pitr path may first wait as long for its window).
   * @default the contract's RTO
   */
  readonly timeoutMs?: number;
  /**
   * Keys allowed to differ between two restore paths.
   * @default contract.drill.validation.tolerance
   */
  readonly tolerance?: number;
  /**
   * Items of the backup restore read back by key from every other restored table and compared
   * attribute by attribute.
   * @default contract.drill.validation.sample
   */
  readonly sample?: number;
  /**
   * Full order-independent digest of every restored table and of the source.
   * @default contract.drill.validation.digest
   */
  readonly digest?: boolean;
  /**
   * Differing keys listed per comparison.
   * @default contract.drill.validation.maxKeys, else 20
   */
  readonly maxKeys?: number;
  /**
   * Keys held at once while locating differences (differing buckets are rescanned in groups).
   * @default 100000
   */
  readonly maxHeld?: number;
  /**
   * Parallel Scan segments per table.
   * @default 4
   */
  readonly scanSegments?: number;
  /**
   * Scan pages in flight at once across every table validated (memory: a parsed page is several MB).
   * @default `scanSegments`
   */
  readonly scanPages?: number;
  /** Aborts the drill (SIGINT/SIGTERM); cleanup still runs. @default never aborted */
  readonly signal?: AbortSignal;
  /** Progress of long waits. @default silent */
  readonly onProgress?: (what: string, p: PollProgress) => void;
  /** Plain log lines. @default silent */
  readonly log?: (line: string) => void;
  /** Poll timing, injectable for tests. @default 2 s min, 30 s max, real clock */
  readonly poll?: { readonly minDelayMs?: number; readonly maxDelayMs?: number; readonly now?: () => number; readonly sleep?: Sleep; readonly random?: () => number };
  /**
   * Seed of DATA-SAMPLE's random draws (recorded in the report).
   * @default a random 32-bit seed
   */
  readonly sampleSeed?: number;
  /** Wall clock for ages. @default () => new Date() */
  readonly clock?: () => Date;
}

/** How two restore paths compare: equal digests, or the keys that differ. */
export interface PathAgreement {
  /** The path compared with (always the backup restore). */
  readonly with: DrillPath;
  readonly equal: boolean;
  /** What was compared: `digest` (every item) or `count` (item counts, with --no-digest). */
  readonly by: 'digest' | 'count';
  /** Keys in the backup restore only. */
  readonly missing: number;
  /** Keys in this path's restore only. */
  readonly extra: number;
  /** Keys in both whose items differ. */
  readonly changed: number;
  /** The first `maxKeys` differing keys. */
  readonly keys: readonly KeyDifference[];
}

/** One restore path: where it restored, how long it took, and whether it agrees with the backup restore. */
export interface DrillPathMetrics {
  readonly path: DrillPath;
  readonly region: string;
  readonly scratchTable: string;
  /** passed: restored (and agrees); failed: a check of this path failed; not-run: stopped before it started. */
  readonly status: 'passed' | 'failed' | 'not-run';
  /** backup: the recovery point restored; dr: its copy in the DR vault. */
  readonly recoveryPointArn?: string;
  /** backup, dr: the AWS Backup restore job. */
  readonly restoreJobId?: string;
  readonly restoreJobStatus?: string;
  /** dr: the copy job that made the DR copy. */
  readonly copyJobId?: string;
  /** pitr: the time RestoreTableToPointInTime was asked for (the recovery point's creation time). */
  readonly restoreDateTime?: string;
  /** When the restore was requested (StartRestoreJob / RestoreTableToPointInTime). */
  readonly restoreRequestedAt?: string;
  /** When the restored table was ACTIVE. */
  readonly restoredAt?: string;
  /** pitr: waited for the restorable window to reach T; dr: waited for the copy job. */
  readonly waitedSeconds?: number;
  readonly rtoMeasuredSeconds?: number;
  readonly rtoTargetMinutes: number;
  readonly items?: number;
  readonly digest?: string;
  /** pitr, dr: comparison with the backup restore. */
  readonly agreement?: PathAgreement;
  /** Why the path failed. */
  readonly message?: string;
  readonly cleanedUp: boolean;
}

/** The live source against the backup restore: what changed since the recovery point. */
export interface DataAtRisk {
  /** The recovery point's creation time. */
  readonly since?: string;
  readonly measuredAt: string;
  /** digest: counted key by key; count: only the net item count difference (digest off). */
  readonly by: 'digest' | 'count';
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** added + changed + removed (by count: |source − restored|). */
  readonly total: number;
  readonly sourceItems: number;
  readonly restoredItems: number;
  /** The first `maxKeys` keys: extra = added, missing = removed, changed = changed. */
  readonly keys: readonly KeyDifference[];
}

export interface DrillMetrics {
  readonly runId: string;
  /** The backup path's scratch table (every path's: `paths`). */
  readonly scratchTable: string;
  readonly recoveryPointArn?: string;
  readonly recoveryPointCreatedAt?: string;
  readonly rpoMeasuredMinutes?: number;
  readonly rpoTargetMinutes: number;
  readonly backupJobId?: string;
  /** The backup path's restore job. */
  readonly restoreJobId?: string;
  readonly restoreJobStatus?: string;
  /** The backup path's RTO (each path's: `paths`). */
  readonly rtoMeasuredSeconds?: number;
  readonly rtoTargetMinutes: number;
  /** Items in the live source when validated. */
  readonly sourceItems?: number;
  /** Items in the backup restore (the table at the recovery point). */
  readonly restoredItems?: number;
  readonly itemsValidated: number;
  readonly itemsPerSecond?: number;
  /** Keys that differ between restore paths (not data at risk). */
  readonly mismatches: number;
  readonly sourceDigest?: string;
  readonly restoredDigest?: string;
  readonly drillSeconds: number;
  /** Every scratch table of every path deleted and confirmed gone. */
  readonly cleanedUp: boolean;
  /** The restore paths asked for, in order backup, pitr, dr. */
  readonly paths: readonly DrillPathMetrics[];
  readonly dataAtRisk?: DataAtRisk;
  /** How DATA-SAMPLE chose the items it compared, and their keys. Absent when no data was validated. */
  readonly sampling?: Sampling;
  /** The contract declares the table may be empty (`drill.allowEmptyTable`): an inconclusive drill does not fail the run. */
  readonly emptyTableAllowed?: boolean;
}

/** Sampled keys and how they were drawn, so an auditor can see (and re-draw) what was compared. */
export interface Sampling {
  /**
   * `seeded-segment-offset`: for each draw a random Scan segment of `totalSegments`, then a random
   * item offset within that segment's first page; `all-items`: the table held no more items than
   * the sample size, so every item was compared.
   */
  readonly method: 'seeded-segment-offset' | 'all-items';
  /** Seed of the pseudo-random draws (mulberry32); the same seed over the same table draws the same keys. */
  readonly seed: number;
  readonly totalSegments: number;
  /** Items asked for (`drill.validation.sample` / `--sample`). */
  readonly requested: number;
  /** Items compared. */
  readonly sampled: number;
  /** Keys compared, at most `MAX_SAMPLED_KEYS`; `keysOmitted` says how many more were. */
  readonly keys: readonly SampledKey[];
  readonly keysOmitted: number;
}

export interface SampledKey {
  readonly key: string;
  /** The Scan segment it was drawn from (seeded-segment-offset). */
  readonly segment?: number;
  /** Its offset in that segment's first page. */
  readonly offset?: number;
}

export interface DrillResult {
  readonly checks: CheckResult[];
  readonly metrics: DrillMetrics;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What every path shares. */
export interface DrillContext {
  readonly o: DrillOptions;
  readonly clock: () => Date;
  readonly log: (line: string) => void;
  readonly sourceTable: string;
  readonly deadlineMs: number;
  readonly pollBase: { minDelayMs: number; maxDelayMs: number; now?: () => number; sleep?: Sleep; random?: () => number };
  readonly scratch: ScratchTables;
  readonly maxKeys: number;
}

