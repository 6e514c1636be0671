/**
 * Backup plan schedules in a running sandbox: the plan's own rules back the table up on the system
 * clock sped up by the time scale, and a rule's copy action puts the copy in the DR vault's region,
 * from which a restore works there. Once through the library (`startSandbox`) and once through
 * `tablesafe sandbox start --time-scale`, as a user runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  BackupClient,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  RecoveryPointByBackupVault,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Sandbox } from '../../../sandbox';
import { createBackupRole, startTestSandbox, tempStateDir, useSandboxEnv } from '../sandbox/helpers';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/backup`;
const DR = 'us-west-2';
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'tablesafe.js');

async function until<T>(what: string, fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A table with `items` items, a vault and a DR vault, and a plan whose hourly rule copies to the DR vault. */
async function platform(endpoint: string, name: string, items: number): Promise<{ tableArn: string; planId: string }> {
  const ddb = new DynamoDBClient({ endpoint });
  const backup = new BackupClient({ endpoint });
  const drBackup = new BackupClient({ endpoint, region: DR });
  // Jobs only start with a role that exists and trusts AWS Backup, as on AWS.
  expect(await createBackupRole(endpoint)).toBe(ROLE);
  const table = await ddb.send(
    new CreateTableCommand({ TableName: name, KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  for (let i = 0; i < items; i++) await ddb.send(new PutItemCommand({ TableName: name, Item: { ID: { S: `id-${i}` }, n: { N: String(i) } } }));
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: `${name}-vault` }));
  const dr = await drBackup.send(new CreateBackupVaultCommand({ BackupVaultName: `${name}-dr-vault` }));
  const plan = await backup.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: `${name}-plan`,
        Rules: [{ RuleName: 'hourly', TargetBackupVaultName: `${name}-vault`, ScheduleExpression: 'cron(0 * ? * * *)', Lifecycle: { DeleteAfterDays: 7 }, CopyActions: [{ DestinationBackupVaultArn: dr.BackupVaultArn, Lifecycle: { DeleteAfterDays: 30 } }] }],
      },
    }),
  );
  await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: `${name}-tables`, IamRoleArn: ROLE, Resources: [table.TableDescription!.TableArn!] } }));
  for (const c of [ddb, backup, drBackup]) c.destroy();
  return { tableArn: table.TableDescription!.TableArn!, planId: plan.BackupPlanId! };
}

const completed = (vault: string, region: string, endpoint: string) => async (): Promise<RecoveryPointByBackupVault[]> => {
  const client = new BackupClient({ endpoint, region });
  try {
    return ((await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints ?? []).filter((p) => p.Status === 'COMPLETED');
  } finally {
    client.destroy();
  }
};

describe('plan schedules in the sandbox (startSandbox with runSchedules, time scale 3600)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ timeScale: 3600, runSchedules: true });
  });
  afterAll(async () => sandbox?.stop());

  it("the hourly rule backs the table up by itself, its copy lands in us-west-2, and a restore there works", async () => {
    const { tableArn, planId } = await platform(sandbox.endpoint, 'orders', 4);
    const points = await until('a scheduled recovery point', completed('orders-vault', 'us-east-1', sandbox.endpoint), (l) => l.length > 0);
    expect(points[0]).toMatchObject({ ResourceArn: tableArn, CreatedBy: { BackupPlanId: planId, BackupRuleName: 'hourly' } });
    // Real time: a recovery point made seconds ago, though schedule time is hours ahead.
    expect(Math.abs(points[0].CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);

    const copies = await until('a copy in the DR vault', completed('orders-dr-vault', DR, sandbox.endpoint), (l) => l.length > 0);
    expect(copies[0]).toMatchObject({ RecoveryPointArn: expect.stringMatching(/^arn:aws:backup:us-west-2:/), ResourceArn: tableArn, SourceBackupVaultArn: expect.stringMatching(/:us-east-1:.*backup-vault:orders-vault$/) });
    const backup = new BackupClient({ endpoint: sandbox.endpoint });
    const copyJobs = (await backup.send(new ListCopyJobsCommand({ ByResourceArn: tableArn }))).CopyJobs ?? [];
    expect(copyJobs.some((j) => j.State === 'COMPLETED' && j.DestinationRecoveryPointArn === copies[0].RecoveryPointArn)).toBe(true);
    backup.destroy();

    const drBackup = new BackupClient({ endpoint: sandbox.endpoint, region: DR });
    const drDdb = new DynamoDBClient({ endpoint: sandbox.endpoint, region: DR });
    const meta = await drBackup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'orders-dr-vault', RecoveryPointArn: copies[0].RecoveryPointArn }));
    const restore = await drBackup.send(new StartRestoreJobCommand({ RecoveryPointArn: copies[0].RecoveryPointArn, IamRoleArn: ROLE, Metadata: { ...meta.RestoreMetadata, targetTableName: 'orders-dr-restored' } }));
    const job = await until('the DR restore', () => drBackup.send(new DescribeRestoreJobCommand({ RestoreJobId: restore.RestoreJobId })), (j) => j.Status === 'COMPLETED' || j.Status === 'FAILED');
    expect(job).toMatchObject({ Status: 'COMPLETED', CreatedResourceArn: expect.stringMatching(/^arn:aws:dynamodb:us-west-2:.*table\/orders-dr-restored$/) });
    expect((await drDdb.send(new ScanCommand({ TableName: 'orders-dr-restored' }))).Count).toBe(4);
    expect((await new DynamoDBClient({ endpoint: sandbox.endpoint }).send(new ListTablesCommand({}))).TableNames).not.toContain('orders-dr-restored');
    drBackup.destroy();
    drDdb.destroy();
  });
});

describe('tablesafe sandbox start runs plan schedules', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });

  async function startCli(args: string[]): Promise<string> {
    useSandboxEnv();
    child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--port', '0', '--state-dir', tempStateDir(), '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise<string>((resolve, reject) => {
      child!.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
      child!.stdout!.on('data', (chunk: Buffer) => {
        const line = chunk.toString().split('\n').find((l) => l.startsWith('endpoint '));
        if (line) resolve(line.split(' ')[1]);
      });
    });
  }

  it('with --time-scale 3600 the hourly rule runs within seconds', async () => {
    const endpoint = await startCli(['--time-scale', '3600']);
    const { tableArn } = await platform(endpoint, 'cli-orders', 2);
    const backup = new BackupClient({ endpoint });
    const jobs = await until('a scheduled backup job', async () => (await backup.send(new ListBackupJobsCommand({ ByResourceArn: tableArn }))).BackupJobs ?? [], (l) => l.length > 0);
    expect(jobs[0].CreatedBy?.BackupRuleName).toBe('hourly');
    backup.destroy();
  });

  it('with --no-schedules no rule runs', async () => {
    const endpoint = await startCli(['--time-scale', '3600', '--no-schedules']);
    const { tableArn } = await platform(endpoint, 'quiet-orders', 1);
    await new Promise((r) => setTimeout(r, 2500));
    const backup = new BackupClient({ endpoint });
    expect((await backup.send(new ListBackupJobsCommand({ ByResourceArn: tableArn }))).BackupJobs).toEqual([]);
    backup.destroy();
  });
});
