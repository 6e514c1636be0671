/**
 * moto keeps state in memory; the journal makes acknowledged writes survive a graceful restart
 * and a `kill -9` of the sandbox process, with server-generated ids (KMS key ids) unchanged.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startSandbox } from '../../../sandbox';
import { createBackupRole, tempStateDir, useSandboxEnv } from './helpers';

const TABLE = {
  TableName: 'persisted', BillingMode: 'PAY_PER_REQUEST' as const,
  KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' as const }],
};

jest.setTimeout(60_000);
beforeAll(useSandboxEnv);

describe('persistence', () => {
  it('keeps items, keys and roles across a graceful restart, with the same generated ids', async () => {
    const stateDir = tempStateDir();
    const first = await startSandbox({ stateDir, quiet: true });
    const kms = new KMSClient({ endpoint: first.endpoint });
    const key = await kms.send(new CreateKeyCommand({ Description: 'persisted' }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/persisted', TargetKeyId: key.KeyMetadata!.KeyId }));
    const role = await new IAMClient({ endpoint: first.endpoint }).send(new CreateRoleCommand({ RoleName: 'persisted', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    const ddb = new DynamoDBClient({ endpoint: first.endpoint });
    await ddb.send(new CreateTableCommand({ ...TABLE, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key.KeyMetadata!.Arn } }));
    for (let i = 0; i < 20; i++) await ddb.send(new PutItemCommand({ TableName: 'persisted', Item: { ID: { S: `item-${i}` } } }));
    await first.stop();

    const second = await startSandbox({ stateDir, quiet: true });
    try {
      const described = await new KMSClient({ endpoint: second.endpoint }).send(new DescribeKeyCommand({ KeyId: 'alias/persisted' }));
      const again = await new IAMClient({ endpoint: second.endpoint }).send(new GetRoleCommand({ RoleName: 'persisted' }));
      const scan = await new DynamoDBClient({ endpoint: second.endpoint }).send(new ScanCommand({ TableName: 'persisted' }));
      expect({ key: described.KeyMetadata?.Arn, roleId: again.Role?.RoleId, items: scan.Count }).toEqual({ key: key.KeyMetadata!.Arn, roleId: role.Role?.RoleId, items: 20 });
    } finally {
      await second.stop();
    }
  });

  it('replays the same key ids when reads came before the first write, including an AWS managed key a read created', async () => {
    // moto sets an account up lazily, drawing from its random generator, on the first requests
    // that name it. Here a read comes first; on replay the write is first. Ids must not differ.
    const stateDir = tempStateDir();
    const first = await startSandbox({ stateDir, quiet: true });
    await new STSClient({ endpoint: first.endpoint }).send(new GetCallerIdentityCommand({}));
    const kms = new KMSClient({ endpoint: first.endpoint });
    await kms.send(new ListKeysCommand({}));
    const created = await kms.send(new CreateKeyCommand({ Description: 'after a read' }));
    // An AWS managed key springs into being when first named, as the provider's table read does.
    const managed = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/dynamodb' }));
    await first.stop();

    const second = await startSandbox({ stateDir, quiet: true });
    try {
      const kmsAgain = new KMSClient({ endpoint: second.endpoint });
      const keys = await kmsAgain.send(new ListKeysCommand({}));
      const managedAgain = await kmsAgain.send(new DescribeKeyCommand({ KeyId: 'alias/aws/dynamodb' }));
      expect({ keys: keys.Keys?.map((k) => k.KeyId).sort(), managed: managedAgain.KeyMetadata?.KeyId })
        .toEqual({ keys: [created.KeyMetadata?.KeyId, managed.KeyMetadata?.KeyId].sort(), managed: managed.KeyMetadata?.KeyId });
    } finally {
      await second.stop();
    }
  });

  it('compacts the journal on restart: a deleted scratch table\'s items are not replayed, live items are', async () => {
    const stateDir = tempStateDir();
    const first = await startSandbox({ stateDir, quiet: true });
    const ddb = new DynamoDBClient({ endpoint: first.endpoint });
    await ddb.send(new CreateTableCommand(TABLE));
    for (let i = 0; i < 5; i++) await ddb.send(new PutItemCommand({ TableName: 'persisted', Item: { ID: { S: `live-${i}` } } }));
    await ddb.send(new CreateTableCommand({ ...TABLE, TableName: 'drill-scratch' }));
    for (let b = 0; b < 4; b++) {
      const batch = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { ID: { S: `scratch-${b}-${i}` } } } }));
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { 'drill-scratch': batch } }));
    }
    await ddb.send(new DeleteTableCommand({ TableName: 'drill-scratch' }));
    await first.stop();
    const journaled = readFileSync(path.join(stateDir, 'journal.jsonl'), 'utf8').trim().split('\n').length;

    const second = await startSandbox({ stateDir, quiet: true });
    try {
      const after = new DynamoDBClient({ endpoint: second.endpoint });
      const live = await after.send(new ScanCommand({ TableName: 'persisted' }));
      const tables = await after.send(new ListTablesCommand({}));
      expect({ replayed: second.replayed, live: live.Count, tables: tables.TableNames })
        .toEqual({ replayed: journaled - 4, live: 5, tables: ['persisted'] });
    } finally {
      await second.stop();
    }
  });

  it('keeps every acknowledged write after kill -9 of the sandbox process', async () => {
    const stateDir = tempStateDir();
    const bin = path.join(__dirname, '..', '..', '..', 'bin', 'tablesafe.js');
    const child = spawn(process.execPath, [bin, 'sandbox', 'start', '--port', '0', '--state-dir', stateDir, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^endpoint (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (m) resolve(m[1]);
      });
    });
    const ddb = new DynamoDBClient({ endpoint });
    await ddb.send(new CreateTableCommand(TABLE));
    // Writes in flight when the process dies: only the acknowledged ones must survive.
    const acknowledged: string[] = [];
    const writes = Array.from({ length: 40 }, (_, i) => ddb.send(new PutItemCommand({ TableName: 'persisted', Item: { ID: { S: `k-${i}` } } })).then(() => acknowledged.push(`k-${i}`)));
    await Promise.race([Promise.allSettled(writes), new Promise((r) => setTimeout(r, 150))]);
    const snapshot = [...acknowledged];
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    await Promise.allSettled(writes);

    const restarted = await startSandbox({ stateDir, quiet: true });
    try {
      const after = new DynamoDBClient({ endpoint: restarted.endpoint });
      const missing: string[] = [];
      for (const id of snapshot) {
        const got = await after.send(new GetItemCommand({ TableName: 'persisted', Key: { ID: { S: id } } }));
        if (!got.Item) missing.push(id);
      }
      expect({ acknowledged: snapshot.length > 0, missing }).toEqual({ acknowledged: true, missing: [] });
    } finally {
      await restarted.stop();
    }
  });
});

describe('persistence of AWS Backup state', () => {
  it('keeps a completed recovery point across a restart, and it still restores', async () => {
    const { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeRestoreJobCommand, ListRecoveryPointsByBackupVaultCommand, StartBackupJobCommand, StartRestoreJobCommand } = await import('@aws-sdk/client-backup');
    const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const v = await read();
        if (done(v) || Date.now() > deadline) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const role = 'arn:aws:iam::123456789012:role/backup';
    const stateDir = tempStateDir();
    const first = await startSandbox({ stateDir, quiet: true, timeScale: 100 });
    let recoveryPointArn: string | undefined;
    try {
      const ddb = new DynamoDBClient({ endpoint: first.endpoint });
      const { TableDescription } = await ddb.send(new CreateTableCommand(TABLE));
      for (let i = 0; i < 5; i++) await ddb.send(new PutItemCommand({ TableName: 'persisted', Item: { ID: { S: `rp-${i}` } } }));
      const backup = new BackupClient({ endpoint: first.endpoint });
      // The role is journaled like any IAM write: the restore after the restart needs it too.
      expect(await createBackupRole(first.endpoint)).toBe(role);
      await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'persisted-vault' }));
      const { BackupJobId } = await backup.send(new StartBackupJobCommand({ BackupVaultName: 'persisted-vault', ResourceArn: TableDescription!.TableArn, IamRoleArn: role }));
      const job = await until(() => backup.send(new DescribeBackupJobCommand({ BackupJobId })), (j) => j.State === 'COMPLETED' || j.State === 'FAILED');
      recoveryPointArn = job.RecoveryPointArn;
    } finally {
      await first.stop();
    }

    const second = await startSandbox({ stateDir, quiet: true, timeScale: 100 });
    try {
      const backup = new BackupClient({ endpoint: second.endpoint });
      const points = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'persisted-vault' }));
      const { RestoreJobId } = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: recoveryPointArn, IamRoleArn: role, Metadata: { targetTableName: 'persisted-restored' } }));
      const restore = await until(() => backup.send(new DescribeRestoreJobCommand({ RestoreJobId })), (j) => j.Status === 'COMPLETED' || j.Status === 'FAILED');
      const scan = await new DynamoDBClient({ endpoint: second.endpoint }).send(new ScanCommand({ TableName: 'persisted-restored' }));
      expect({ points: points.RecoveryPoints?.map((p) => p.RecoveryPointArn), restore: restore.Status, items: scan.Count })
        .toEqual({ points: [recoveryPointArn], restore: 'COMPLETED', items: 5 });
    } finally {
      await second.stop();
    }
  });
});
