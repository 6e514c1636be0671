/** The named waiters settle on the resource's own states and never throw for a failed call. */
import { mockClient } from 'aws-sdk-client-mock';
import { BackupClient, DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRestoreJobCommand } from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { waitForBackupJob, waitForCopyJob, waitForRestorableTime, waitForRestoreJob, waitForTableActive, waitForTableDeleted } from '../../../core/waiters';

const fast = { maxWaitMs: 1_000, minDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };
const awsError = (name: string, status = 400) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('named waiters', () => {
  const backup = mockClient(BackupClient);
  const dynamodb = mockClient(DynamoDBClient);
  beforeEach(() => {
    backup.reset();
    dynamodb.reset();
  });

  it('waitForBackupJob: RUNNING then COMPLETED is SUCCESS with the job', async () => {
    backup.on(DescribeBackupJobCommand).resolvesOnce({ State: 'RUNNING', PercentDone: '40.0' }).resolves({ State: 'COMPLETED', RecoveryPointArn: 'arn:rp' });
    const progress: (number | undefined)[] = [];
    const out = await waitForBackupJob(new BackupClient({ region: 'us-east-1' }), 'bj-1', { ...fast, onProgress: (p) => progress.push(p.percent) });
    expect(out).toMatchObject({ state: 'SUCCESS', value: { RecoveryPointArn: 'arn:rp' }, attempts: 2 });
    expect(progress).toEqual([40]);
  });

  it('waitForBackupJob: EXPIRED is FAILURE with the status message', async () => {
    backup.on(DescribeBackupJobCommand).resolves({ State: 'EXPIRED', StatusMessage: 'window closed' });
    expect(await waitForBackupJob(new BackupClient({ region: 'us-east-1' }), 'bj-1', fast)).toMatchObject({ state: 'FAILURE', reason: 'EXPIRED: window closed' });
  });

  it('waitForRestoreJob: throttling is retried, an access error is FAILURE (not thrown)', async () => {
    backup.on(DescribeRestoreJobCommand).rejectsOnce(awsError('ThrottlingException')).rejects(awsError('AccessDeniedException'));
    const out = await waitForRestoreJob(new BackupClient({ region: 'us-east-1', maxAttempts: 1 }), 'rj-1', fast);
    expect(out).toMatchObject({ state: 'FAILURE', reason: 'AccessDeniedException: AccessDeniedException happened', attempts: 2 });
  });

  it('waitForCopyJob: RUNNING then COMPLETED is SUCCESS with the job; FAILED is FAILURE with its message', async () => {
    backup.on(DescribeCopyJobCommand).resolvesOnce({ CopyJob: { State: 'RUNNING' } }).resolves({ CopyJob: { State: 'COMPLETED', DestinationRecoveryPointArn: 'arn:dr' } });
    expect(await waitForCopyJob(new BackupClient({ region: 'us-east-1' }), 'cj-1', fast)).toMatchObject({ state: 'SUCCESS', value: { DestinationRecoveryPointArn: 'arn:dr' }, attempts: 2 });
    backup.reset();
    backup.on(DescribeCopyJobCommand).resolves({ CopyJob: { State: 'FAILED', StatusMessage: 'vault gone' } });
    expect(await waitForCopyJob(new BackupClient({ region: 'us-east-1' }), 'cj-1', fast)).toMatchObject({ state: 'FAILURE', reason: 'FAILED: vault gone' });
  });

  describe('waitForRestorableTime', () => {
    const T = new Date('2026-11-23T12:00:00Z');
    const window = (earliest: string, latest: string) => ({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED' as const, PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' as const, EarliestRestorableDateTime: new Date(earliest), LatestRestorableDateTime: new Date(latest) } } });

    it('waits while the latest restorable time is before the time asked for', async () => {
      dynamodb.on(DescribeContinuousBackupsCommand).resolvesOnce(window('2026-11-20T00:00:00Z', '2026-11-23T11:56:00Z')).resolves(window('2026-11-20T00:00:00Z', '2026-11-23T12:00:01Z'));
      expect(await waitForRestorableTime(new DynamoDBClient({ region: 'us-east-1' }), 't', T, fast)).toMatchObject({ state: 'SUCCESS', attempts: 2 });
    });

    it('fails at once when the window starts after the time asked for', async () => {
      dynamodb.on(DescribeContinuousBackupsCommand).resolves(window('2026-11-23T12:30:00Z', '2026-11-23T12:40:00Z'));
      expect(await waitForRestorableTime(new DynamoDBClient({ region: 'us-east-1' }), 't', T, fast)).toMatchObject({ state: 'FAILURE', reason: 'the point-in-time window of t starts at 2026-11-23T12:30:00.000Z, after 2026-11-23T12:00:00.000Z', attempts: 1 });
    });

    it('fails at once when point-in-time recovery is off', async () => {
      dynamodb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
      expect(await waitForRestorableTime(new DynamoDBClient({ region: 'us-east-1' }), 't', T, fast)).toMatchObject({ state: 'FAILURE', reason: 'point-in-time recovery is DISABLED on t' });
    });
  });

  it('waitForTableActive: a table not created yet is waited for', async () => {
    dynamodb.on(DescribeTableCommand).rejectsOnce(awsError('ResourceNotFoundException')).resolvesOnce({ Table: { TableStatus: 'CREATING' } }).resolves({ Table: { TableStatus: 'ACTIVE', TableName: 't' } });
    expect(await waitForTableActive(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }), 't', fast)).toMatchObject({ state: 'SUCCESS', value: { TableName: 't' }, attempts: 3 });
  });

  it('waitForTableDeleted: DELETING until ResourceNotFound; times out while the table stays', async () => {
    dynamodb.on(DescribeTableCommand).resolvesOnce({ Table: { TableStatus: 'DELETING' } }).rejects(awsError('ResourceNotFoundException'));
    expect(await waitForTableDeleted(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }), 't', fast)).toMatchObject({ state: 'SUCCESS', attempts: 2 });
    dynamodb.reset();
    dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    let t = 0;
    const out = await waitForTableDeleted(new DynamoDBClient({ region: 'us-east-1' }), 't', { ...fast, now: () => (t += 400) });
    expect(out).toMatchObject({ state: 'TIMEOUT' });
  });
});
