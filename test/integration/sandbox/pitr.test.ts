/**
 * Point-in-time recovery in the sandbox restores the table as it was at the requested time (moto
 * alone copies the table as it is now), reports a truthful restorable window, refuses times outside
 * it as AWS does, keeps billing mode and SSE key, survives a restart, and a backup job's recovery
 * point holds the table as it was when the job was created.
 */
import { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeRestoreJobCommand, StartBackupJobCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
  DeleteItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Sandbox } from '../../../sandbox';
import { createBackupRole, postFault, startTestSandbox, tempStateDir } from './helpers';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let sandbox: Sandbox;
let stateDir: string;
let ddb: DynamoDBClient;
let keyArn: string;
/** Between the first writes and the overwrites. */
let T: Date;

const scan = async (table: string) =>
  Object.fromEntries(((await ddb.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []).map((i) => [i.ID.S, i.v?.S ?? i.n?.N]));

async function waitActive(table: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 400; i++) {
    const status = (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus ?? '';
    if (seen[seen.length - 1] !== status) seen.push(status);
    if (status === 'ACTIVE') return seen;
    await sleep(25);
  }
  throw new Error(`${table} never became ACTIVE (${seen.join(' → ')})`);
}

async function waitRestorable(table: string, t: Date): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const d = (await ddb.send(new DescribeContinuousBackupsCommand({ TableName: table }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    if ((d?.LatestRestorableDateTime?.getTime() ?? 0) >= t.getTime()) return;
    await sleep(50);
  }
  throw new Error('the restorable window never reached T');
}

async function start(): Promise<void> {
  sandbox = await startTestSandbox({ stateDir, timeScale: 100 });
  ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
}

beforeAll(async () => {
  stateDir = tempStateDir();
  await start();
  const kms = new KMSClient({ endpoint: sandbox.endpoint });
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  kms.destroy();
  await ddb.send(new CreateTableCommand({
    TableName: 'pitr-source',
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
    SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
  }));
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'pitr-source', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  for (const [id, v] of [['a', 'old-a'], ['b', 'old-b'], ['c', 'old-c']]) await ddb.send(new PutItemCommand({ TableName: 'pitr-source', Item: { ID: { S: id }, v: { S: v } } }));
  await sleep(20);
  T = new Date();
  await sleep(20);
  await ddb.send(new PutItemCommand({ TableName: 'pitr-source', Item: { ID: { S: 'a' }, v: { S: 'new-a' } } }));
  await ddb.send(new DeleteItemCommand({ TableName: 'pitr-source', Key: { ID: { S: 'b' } } }));
  await ddb.send(new UpdateItemCommand({ TableName: 'pitr-source', Key: { ID: { S: 'c' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'new-c' } } }));
  await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'pitr-source', Item: { ID: { S: 'd' }, v: { S: 'new-d' } } } }] }));
});

afterAll(async () => {
  ddb?.destroy();
  await sandbox?.stop();
});

test('the source holds the overwritten data now', async () => {
  expect(await scan('pitr-source')).toEqual({ a: 'new-a', c: 'new-c', d: 'new-d' });
});

test('DescribeContinuousBackups reports a window that starts at enablement and trails now', async () => {
  const d = (await ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'pitr-source' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  expect(d?.PointInTimeRecoveryStatus).toBe('ENABLED');
  expect(d?.EarliestRestorableDateTime!.getTime()).toBeLessThanOrEqual(T.getTime());
  // AWS's five minutes at time scale 100: three seconds behind now, never before the earliest.
  const earliest = d!.EarliestRestorableDateTime!.getTime();
  expect(d!.LatestRestorableDateTime!.getTime()).toBeLessThanOrEqual(Math.max(earliest, Date.now() - 2_900));
  expect(d!.LatestRestorableDateTime!.getTime()).toBeGreaterThanOrEqual(earliest);
});

test('a time after the latest restorable time is InvalidRestoreTimeException', async () => {
  await expect(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-too-late', RestoreDateTime: new Date() })))
    .rejects.toMatchObject({ name: 'InvalidRestoreTimeException', message: expect.stringMatching(/must be between the EarliestRestorableDateTime .* and the LatestRestorableDateTime/) });
  await expect(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-too-early', RestoreDateTime: new Date(T.getTime() - 3_600_000) })))
    .rejects.toMatchObject({ name: 'InvalidRestoreTimeException' });
});

test('restoring to T gives the old data, with the billing mode and SSE key of the source', async () => {
  await waitRestorable('pitr-source', T);
  const out = await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-at-t', RestoreDateTime: T }));
  expect(out.TableDescription).toMatchObject({ TableStatus: 'CREATING', RestoreSummary: { RestoreInProgress: true } });
  expect(out.TableDescription?.RestoreSummary?.RestoreDateTime?.getTime()).toBe(T.getTime());
  const states = await waitActive('pitr-at-t');
  expect(states[0]).toBe('CREATING');
  expect(await scan('pitr-at-t')).toEqual({ a: 'old-a', b: 'old-b', c: 'old-c' });
  const t = (await ddb.send(new DescribeTableCommand({ TableName: 'pitr-at-t' }))).Table;
  expect(t?.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED');
  expect(t?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 2 });
  expect(t?.SSEDescription).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: keyArn });
  expect(t?.RestoreSummary).toMatchObject({ RestoreInProgress: false });
});

test('a table being restored refuses DeleteTable and data calls, as on AWS', async () => {
  await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-busy', RestoreDateTime: T }));
  await expect(ddb.send(new DeleteTableCommand({ TableName: 'pitr-busy' }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  await expect(ddb.send(new ScanCommand({ TableName: 'pitr-busy' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await waitActive('pitr-busy');
  await ddb.send(new DeleteTableCommand({ TableName: 'pitr-busy' }));
});

test('an existing target, a missing source and a table without PITR get AWS errors', async () => {
  await expect(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-source', RestoreDateTime: T }))).rejects.toMatchObject({ name: 'TableAlreadyExistsException' });
  await expect(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'nope-table', TargetTableName: 'pitr-x', RestoreDateTime: T }))).rejects.toMatchObject({ name: 'SourceTableNotFoundException' });
  await ddb.send(new CreateTableCommand({ TableName: 'no-pitr', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  await expect(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'no-pitr', TargetTableName: 'pitr-y', UseLatestRestorableTime: true }))).rejects.toMatchObject({ name: 'PointInTimeRecoveryUnavailableException' });
});

test('a pitr corruption fault drops items from the next point-in-time restore only', async () => {
  expect((await postFault(sandbox.endpoint, { pitr: 'corrupt', dropItems: 1 })).status).toBe(200);
  await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-corrupt', RestoreDateTime: T }));
  await waitActive('pitr-corrupt');
  expect(Object.keys(await scan('pitr-corrupt'))).toHaveLength(2);
});

test('a backup job\'s recovery point holds the table as it was when the job was created', async () => {
  const backup = new BackupClient({ endpoint: sandbox.endpoint });
  try {
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'pitr-vault' }));
    // Jobs start only with a role that exists and trusts AWS Backup.
    const role = await createBackupRole(sandbox.endpoint, 'b');
    const tableArn = (await ddb.send(new DescribeTableCommand({ TableName: 'pitr-source' }))).Table?.TableArn;
    const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: 'pitr-vault', ResourceArn: tableArn, IamRoleArn: role }));
    await ddb.send(new PutItemCommand({ TableName: 'pitr-source', Item: { ID: { S: 'late' }, v: { S: 'after the backup' } } }));
    let rp: string | undefined;
    for (let i = 0; i < 400 && !rp; i++) {
      const d = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
      if (d.State === 'COMPLETED') rp = d.RecoveryPointArn;
      else await sleep(25);
    }
    const restore = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, IamRoleArn: 'arn:aws:iam::123456789012:role/b', Metadata: { targetTableName: 'pitr-from-backup' } }));
    for (let i = 0; i < 400; i++) {
      if ((await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restore.RestoreJobId }))).Status === 'COMPLETED') break;
      await sleep(25);
    }
    expect(await scan('pitr-from-backup')).toEqual({ a: 'new-a', c: 'new-c', d: 'new-d' });
  } finally {
    backup.destroy();
  }
});

test('after a restart the history is rebuilt from the journal: restoring to T still gives the old data', async () => {
  ddb.destroy();
  await sandbox.stop();
  await start();
  await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'pitr-source', TargetTableName: 'pitr-after-restart', RestoreDateTime: T }));
  await waitActive('pitr-after-restart');
  expect(await scan('pitr-after-restart')).toEqual({ a: 'old-a', b: 'old-b', c: 'old-c' });
});
