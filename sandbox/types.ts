/**
 * The seams inside the sandbox: the front door (routing, journal, faults, moto process) and the
 * AWS Backup service that the sandbox implements itself. Neither side imports the other's
 * internals; both import these types.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** One AWS request as the front door hands it to a service handler. */
export interface SandboxRequest {
  readonly method: string;
  /** Path without the query string, percent-decoded segments left as sent. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** From the SigV4 credential scope (`…/<date>/<region>/<service>/aws4_request`). */
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Request id the front door assigned (echoed as x-amzn-RequestId). */
  readonly requestId: string;
}

export interface SandboxResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/**
 * A direct line to moto's DynamoDB (awsJson1_0) for the sandbox's own services, e.g. a backup
 * job's snapshot or a restore's CreateTable/BatchWriteItem. Mutating calls made through it are
 * journaled like client requests, so their effects survive a restart.
 * Resolves with the parsed JSON response; rejects with an Error whose `name` is the AWS error
 * code (`ResourceNotFoundException`, …) and whose message is AWS's.
 */
export type DynamoDbCaller = (region: string, operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A role as IAM reports it: its ARN and trust policy (JSON text). */
export interface RoleRecord {
  readonly arn: string;
  readonly trustPolicy: string;
}

/** A KMS key as DescribeKey reports it. */
export interface KeyRecord {
  readonly arn: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, … */
  readonly state: string;
  /** `AWS` or `CUSTOMER`. */
  readonly manager: string;
}

/**
 * What our AWS Backup asks the rest of the account before it uses a role or a key, as AWS Backup
 * does: the front door answers from moto's IAM and KMS.
 */
export interface AccountLookup {
  /** The role, or undefined when there is no role with exactly this ARN. */
  role(roleArn: string): Promise<RoleRecord | undefined>;
  /** The key (by id, ARN or alias) in `region`, or undefined when there is no such key. */
  key(region: string, keyId: string): Promise<KeyRecord | undefined>;
}

/** The AWS Backup jobs a test can force an outcome on. */
export type FaultableJob = 'backup' | 'restore' | 'copy';

/** Outcome forced on the next backup, restore or copy job by a test. */
export interface JobFault {
  readonly job: FaultableJob;
  readonly outcome: 'FAILED' | 'HANG';
  readonly message?: string;
  /** Only jobs in this region. @default every region */
  readonly region?: string;
}

/** Silent corruption: the next restore completes, but the restored table lacks `dropItems` items. */
export interface CorruptionFault {
  readonly dropItems: number;
  /** Only restores in this region. @default every region */
  readonly region?: string;
}

/** What the Backup service asks the fault registry; each `take` consumes one count. */
export interface JobFaultSource {
  /** The next fault for a job of this kind in `region` (jobs' region: the recovery point's). */
  takeJobFault(job: FaultableJob, region?: string): JobFault | undefined;
  takeCorruption(region?: string): CorruptionFault | undefined;
  /** True while a HANG fault for this job kind is still registered (cleared by DELETE /_sandbox/faults). */
  isHangCleared(job: FaultableJob): boolean;
}

export interface BackupServiceOptions {
  /** Directory for the service's own durable state (vaults, plans, recovery points, jobs). */
  readonly stateDir: string;
  /**
   * Job durations are divided by this (1 = AWS-like seconds; 100 = fast tests), and on the system
   * clock plan schedules run this much faster (3600: an hour of schedules a second).
   */
  readonly timeScale: number;
  readonly dynamodb: DynamoDbCaller;
  /** IAM roles and KMS keys, for the checks AWS Backup makes before it starts a job. */
  readonly account: AccountLookup;
  readonly faults: JobFaultSource;
  /**
   * Clock of every record and of the schedules, unscaled (tests move it by hand).
   * @default the system clock; schedules on it sped up by `timeScale`
   */
  readonly clock?: { now(): Date };
  /** Run plan rules on their cron schedules by themselves. @default false (only `runSchedules()` runs them) */
  readonly runSchedules?: boolean;
  /**
   * The table as it was at `at` (epoch ms), from the front door's item history (sandbox/pitr.ts):
   * a backup job's snapshot is the table at the job's creation, as on AWS. Undefined (or an
   * undefined answer) falls back to scanning the table when the job runs.
   */
  readonly tableAt?: (region: string, tableName: string, at: number) => Promise<{ table: Record<string, unknown>; items: Record<string, unknown>[] } | undefined>;
}

export interface BackupService {
  handle(req: SandboxRequest): Promise<SandboxResponse>;
  /**
   * The access policy (JSON text) of the vault `resourceArn` names, or of the vault holding the
   * recovery point it names; undefined when there is none. `--enforce-iam` evaluates it as AWS does.
   */
  vaultPolicyOf?(resourceArn: string): string | undefined;
  /** The tags of a vault or recovery point (`aws:ResourceTag/*` for `--enforce-iam`); undefined when it has none. */
  tagsOf?(resourceArn: string): Readonly<Record<string, string>> | undefined;
  /** Stop timers; in-flight jobs stay recorded as they are and resume on next start. */
  close(): Promise<void>;
}
