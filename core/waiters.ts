/**
 * Named waiters, as the AWS SDK has them (`waitUntilTableExists`, …), built on the one poller:
 * each describes its resource until it settles, retries throttling and 5xx, and turns any other
 * error into a FAILURE outcome. None throws for a failure, a timeout or an abort: the outcome says
 * which, with the last value seen, so every caller (drill, demo, janitor) can report and clean up.
 */
import {
  BackupClient,
  DescribeCopyJobCommand,
  type CopyJob,
  DescribeBackupJobCommand,
  DescribeBackupJobCommandOutput,
  DescribeRestoreJobCommand,
  DescribeRestoreJobCommandOutput,
} from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, type PointInTimeRecoveryDescription, TableDescription } from '@aws-sdk/client-dynamodb';
import { describeError, isRetryable } from './aws/errors';
import { poll, PollObservation, PollOutcome, PollerOptions } from './poller';

export type WaiterOptions = PollerOptions;

const BACKUP_JOB_FAILED = ['FAILED', 'ABORTED', 'EXPIRED'];
const COPY_JOB_FAILED = ['FAILED', 'ABORTED', 'PARTIAL'];
const RESTORE_JOB_FAILED = ['FAILED', 'ABORTED'];

const percentOf = (p: string | undefined): number | undefined => (p ? Number.parseFloat(p) : undefined);

/** A call error: RETRY when another try may help (or `retryAlso` says so), else FAILURE. */
function onError<T>(e: unknown, retryAlso?: (e: unknown) => boolean): PollObservation<T> {
  return isRetryable(e) || retryAlso?.(e) ? { state: 'RETRY', reason: describeError(e) } : { state: 'FAILURE', reason: describeError(e) };
}

const notFound = (e: unknown): boolean => (e as Error)?.name === 'ResourceNotFoundException';

/** DescribeBackupJob until COMPLETED (SUCCESS) or FAILED/ABORTED/EXPIRED (FAILURE). */
export function waitForBackupJob(client: BackupClient, backupJobId: string, options: WaiterOptions): Promise<PollOutcome<DescribeBackupJobCommandOutput>> {
  return poll(async () => {
    try {
      const d = await client.send(new DescribeBackupJobCommand({ BackupJobId: backupJobId }));
      const state = d.State ?? 'UNKNOWN';
      if (state === 'COMPLETED') return { state: 'SUCCESS', value: d };
      if (BACKUP_JOB_FAILED.includes(state)) return { state: 'FAILURE', value: d, reason: `${state}: ${d.StatusMessage ?? 'no status message'}` };
      return { state: 'RETRY', value: d, percent: percentOf(d.PercentDone), reason: state };
    } catch (e) {
      return onError(e);
    }
  }, options);
}

/** DescribeRestoreJob until COMPLETED (SUCCESS) or FAILED/ABORTED (FAILURE). */
export function waitForRestoreJob(client: BackupClient, restoreJobId: string, options: WaiterOptions): Promise<PollOutcome<DescribeRestoreJobCommandOutput>> {
  return poll(async () => {
    try {
      const d = await client.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
      const status = d.Status ?? 'UNKNOWN';
      if (status === 'COMPLETED') return { state: 'SUCCESS', value: d };
      if (RESTORE_JOB_FAILED.includes(status)) return { state: 'FAILURE', value: d, reason: `${status}: ${d.StatusMessage ?? 'no status message'}` };
      return { state: 'RETRY', value: d, percent: percentOf(d.PercentDone), reason: status };
    } catch (e) {
      return onError(e);
    }
  }, options);
}

/**
 * DescribeTable until ACTIVE. A table that does not exist yet (a restore creates it late) is
 * waited for, not a failure.
 */
export function waitForTableActive(client: DynamoDBClient, tableName: string, options: WaiterOptions): Promise<PollOutcome<TableDescription>> {
  return poll(async () => {
    try {
      const t = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table ?? {};
      return t.TableStatus === 'ACTIVE' ? { state: 'SUCCESS', value: t } : { state: 'RETRY', value: t, reason: t.TableStatus };
    } catch (e) {
      return onError(e, notFound);
    }
  }, options);
}

/** DescribeTable until ResourceNotFound. */
export function waitForTableDeleted(client: DynamoDBClient, tableName: string, options: WaiterOptions): Promise<PollOutcome<void>> {
  return poll<void>(async () => {
    try {
      const t = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return { state: 'RETRY', reason: t.Table?.TableStatus ?? 'still listed' };
    } catch (e) {
      return notFound(e) ? { state: 'SUCCESS' } : onError(e);
    }
  }, options);
}

/** DescribeCopyJob until COMPLETED (SUCCESS) or FAILED/ABORTED/PARTIAL (FAILURE); the value is the job. */
export function waitForCopyJob(client: BackupClient, copyJobId: string, options: WaiterOptions): Promise<PollOutcome<CopyJob>> {
  return poll<CopyJob>(async () => {
    try {
      const job = (await client.send(new DescribeCopyJobCommand({ CopyJobId: copyJobId }))).CopyJob ?? {};
      const state = job.State ?? 'UNKNOWN';
      if (state === 'COMPLETED') return { state: 'SUCCESS', value: job };
      if (COPY_JOB_FAILED.includes(state)) return { state: 'FAILURE', value: job, reason: `${state}: ${job.StatusMessage ?? 'no status message'}` };
      return { state: 'RETRY', value: job, reason: state };
    } catch (e) {
      return onError(e);
    }
  }, options);
}

/**
 * DescribeContinuousBackups until the table's point-in-time window reaches `time`
 * (LatestRestorableDateTime ≥ time; AWS keeps it about five minutes behind now). FAILURE when
 * point-in-time recovery is off or the window starts after `time` (waiting cannot help).
 */
export function waitForRestorableTime(client: DynamoDBClient, tableName: string, time: Date, options: WaiterOptions): Promise<PollOutcome<PointInTimeRecoveryDescription>> {
  return poll<PointInTimeRecoveryDescription>(async () => {
    try {
      const out = await client.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
      const d = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription ?? {};
      if (d.PointInTimeRecoveryStatus !== 'ENABLED') return { state: 'FAILURE', value: d, reason: `point-in-time recovery is ${d.PointInTimeRecoveryStatus ?? 'not reported'} on ${tableName}` };
      const earliest = d.EarliestRestorableDateTime;
      const latest = d.LatestRestorableDateTime;
      if (earliest && earliest.getTime() > time.getTime()) {
        return { state: 'FAILURE', value: d, reason: `the point-in-time window of ${tableName} starts at ${earliest.toISOString()}, after ${time.toISOString()}` };
      }
      if (latest && latest.getTime() >= time.getTime()) return { state: 'SUCCESS', value: d };
      return { state: 'RETRY', value: d, reason: `latest restorable time ${latest?.toISOString() ?? 'unknown'} is before ${time.toISOString()}` };
    } catch (e) {
      return onError(e);
    }
  }, options);
}
