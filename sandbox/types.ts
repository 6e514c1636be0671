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

/** Outcome forced on the next backup/restore job by a test. */
export interface JobFault {
  readonly job: 'backup' | 'restore';
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
  takeJobFault(job: 'backup' | 'restore', region?: string): JobFault | undefined;
  takeCorruption(region?: string): CorruptionFault | undefined;
  /** True while a HANG fault for this job kind is still registered (cleared by DELETE /_sandbox/faults). */
  isHangCleared(job: 'backup' | 'restore'): boolean;
}

export interface BackupServiceOptions {
  /** Directory for the service's own durable state (vaults, plans, recovery points, jobs). */
  readonly stateDir: string;
  /** Job durations are divided by this (1 = AWS-like seconds; 100 = fast tests). */
  readonly timeScale: number;
  readonly dynamodb: DynamoDbCaller;
  readonly faults: JobFaultSource;
  /** When set, plan rules run on their cron schedule against this clock. */
  readonly clock?: { now(): Date };
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
  /** Stop timers; in-flight jobs stay recorded as they are and resume on next start. */
  close(): Promise<void>;
}
