/** The named waiters settle on the resource's own states and never throw for a failed call. */
import { mockClient } from 'aws-sdk-client-mock';
import { BackupClient, DescribeBackupJobCommand, DescribeRestoreJobCommand } from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { waitForBackupJob, waitForRestoreJob, waitForTableActive, waitForTableDeleted } from '../../../core/waiters';

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
