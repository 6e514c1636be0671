import {
  BackupClient,
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Sandbox } from '../../../sandbox';
import { createBackupRole, postFault, startTestSandbox } from '../sandbox/helpers';

const ROLE = 'arn:aws:iam::123456789012:role/backup';
let sandbox: Sandbox;
let backup: BackupClient;
let ddb: DynamoDBClient;

beforeAll(async () => {
  sandbox = await startTestSandbox({ timeScale: 200 });
  backup = new BackupClient({ endpoint: sandbox.endpoint });
  ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
  await createBackupRole(sandbox.endpoint);
});
afterAll(async () => sandbox?.stop());

async function until<T>(fn: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

async function tableWithItems(name: string, n: number): Promise<string> {
  const out = await ddb.send(
    new CreateTableCommand({ TableName: name, KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  for (let i = 0; i < n; i++) await ddb.send(new PutItemCommand({ TableName: name, Item: { ID: { S: `id-${i}` } } }));
  return out.TableDescription!.TableArn!;
}

async function backupOf(tableArn: string, vault: string): Promise<string> {
  const start = await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: tableArn, IamRoleArn: ROLE }));
  const job = await until(() => backup.send(new DescribeBackupJobCommand({ BackupJobId: start.BackupJobId })), (j) => j.State === 'COMPLETED' || j.State === 'FAILED');
  expect(job.State).toBe('COMPLETED');
  return job.RecoveryPointArn!;
}

test('SDK v3: vault create, describe and tags', async () => {
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-vault', BackupVaultTags: { env: 'test' } }));
  const vault = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'sdk-vault' }));
  expect(vault.CreationDate).toBeInstanceOf(Date);
  expect((await backup.send(new ListTagsCommand({ ResourceArn: vault.BackupVaultArn }))).Tags).toEqual({ env: 'test' });
});

test('SDK v3: an unknown vault surfaces as ResourceNotFoundException', async () => {
  await expect(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'nope-vault' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
});

test('SDK v3: backup then restore of a moto table restores every item', async () => {
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'rt-vault' }));
  const tableArn = await tableWithItems('rt-source', 7);
  const rp = await backupOf(tableArn, 'rt-vault');
  const listed = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'rt-vault' }));
  expect(listed.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toContain(rp);
  const meta = await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'rt-vault', RecoveryPointArn: rp }));
  expect(meta.RestoreMetadata).toMatchObject({ targetTableName: 'rt-source' });
  const start = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, IamRoleArn: ROLE, ResourceType: 'DynamoDB', Metadata: { targetTableName: 'rt-restored' } }));
  const job = await until(() => backup.send(new DescribeRestoreJobCommand({ RestoreJobId: start.RestoreJobId })), (j) => j.Status === 'COMPLETED' || j.Status === 'FAILED');
  expect(job.Status).toBe('COMPLETED');
  expect(job.CreatedResourceArn).toMatch(/table\/rt-restored$/);
  expect((await ddb.send(new DescribeTableCommand({ TableName: 'rt-restored' }))).Table!.TableStatus).toBe('ACTIVE');
  expect((await ddb.send(new ScanCommand({ TableName: 'rt-restored' }))).Count).toBe(7);
});

test('SDK v3: a restore fault posted to the front door fails the next restore with its message', async () => {
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'fault-vault' }));
  const rp = await backupOf(await tableWithItems('fault-source', 1), 'fault-vault');
  expect((await postFault(sandbox.endpoint, { job: 'restore', outcome: 'FAILED', message: 'injected by test', count: 1 })).ok).toBe(true);
  const start = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, IamRoleArn: ROLE, Metadata: { targetTableName: 'fault-restored' } }));
  const job = await until(() => backup.send(new DescribeRestoreJobCommand({ RestoreJobId: start.RestoreJobId })), (j) => j.Status === 'COMPLETED' || j.Status === 'FAILED');
  expect(job).toMatchObject({ Status: 'FAILED', StatusMessage: 'injected by test' });
});

test('SDK v3: DeleteRecoveryPoint denied by the vault access policy is AccessDeniedException', async () => {
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'deny-vault' }));
  const rp = await backupOf(await tableWithItems('deny-source', 1), 'deny-vault');
  await backup.send(
    new PutBackupVaultAccessPolicyCommand({
      BackupVaultName: 'deny-vault',
      Policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] }),
    }),
  );
  await expect(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'deny-vault', RecoveryPointArn: rp }))).rejects.toMatchObject({
    name: 'AccessDeniedException',
    message: expect.stringMatching(/explicit deny/),
  });
});
