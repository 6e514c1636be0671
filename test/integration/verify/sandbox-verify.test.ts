/**
 * verify against the sandbox: the demo stack applied with the real Terraform AWS provider, five
 * items seeded, one backup; then `tablesafe verify` passes (also while the table takes writes:
 * the backup and point-in-time restores agree exactly on the table at the recovery point's time),
 * and each sandbox fault gives the right failed check, exit code 1, a full report and no scratch
 * table left behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BackupClient, DeleteBackupVaultAccessPolicyCommand, DeleteRecoveryPointCommand, DescribeBackupJobCommand, ListRecoveryPointsByBackupVaultCommand, StartBackupJobCommand } from '@aws-sdk/client-backup';
import { DeleteItemCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, UpdateContinuousBackupsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Sandbox } from '../../../sandbox';
import { sandboxEnvironments, synthStacks } from '../../../demo/synth';
import { RECOVERY_POINT_TABLE_TAG } from '../../../core/contract';
import { Terraform } from '../../../demo/terraform';
import { runVerifyCli } from '../../../cli/verify';
import { reportProblems, type Report } from '../../../verify/report/report';
import { schemaErrors } from '../../unit/verify/report-schema';
import { postFault, startTestSandbox } from '../sandbox/helpers';

jest.setTimeout(300_000);

let sandbox: Sandbox;
let root: string;
let out: Record<string, string>;
let ddb: DynamoDBClient;
let backup: BackupClient;

async function runBackup(): Promise<void> {
  // Tagged with its table as the plan's points are: the drill role restores only such points.
  const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: out.backup_vault_name, ResourceArn: out.table_arn, IamRoleArn: out.backup_role_arn, RecoveryPointTags: { [RECOVERY_POINT_TABLE_TAG]: out.table_name } }));
  for (let i = 0; i < 600; i++) {
    const d = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    if (d.State === 'COMPLETED') return;
    if (d.State === 'FAILED') throw new Error(`seed backup FAILED: ${d.StatusMessage}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('seed backup did not complete');
}

beforeAll(async () => {
  // verify runs its phases as the stack's roles, which the sandbox holds to their policies.
  sandbox = await startTestSandbox({ timeScale: 200, enforceIam: true });
  root = mkdtempSync(path.join(tmpdir(), 'tablesafe-verify-it-'));
  const env = { ...process.env, TABLESAFE_ENDPOINT: sandbox.endpoint };
  const dirs = synthStacks({ outdir: path.join(root, 'cdktf.out'), stacks: ['demo'], environments: sandboxEnvironments(), env });
  const tf = new Terraform({ cwd: dirs.demo, env, pluginDir: existsSync('/opt/tf-plugins') ? '/opt/tf-plugins' : undefined });
  await tf.init();
  await tf.apply();
  out = (await tf.outputs()) as Record<string, string>;
  ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
  backup = new BackupClient({ endpoint: sandbox.endpoint });
  for (let i = 1; i <= 5; i++) await ddb.send(new PutItemCommand({ TableName: out.table_name, Item: { ID: { S: `item-${i}` }, n: { N: String(i) } } }));
  await runBackup();
});

afterAll(async () => {
  ddb?.destroy();
  backup?.destroy();
  await sandbox?.stop();
});

async function verify(...extra: string[]): Promise<{ code: number; report: Report; dir: string; stderr: string }> {
  return run('verify', ...extra);
}

async function run(command: 'verify' | 'drill', ...extra: string[]): Promise<{ code: number; report: Report; dir: string; stderr: string }> {
  const lines: string[] = [];
  const errLines: string[] = [];
  const stream = (sink: string[]) => ({ write: (s: string) => sink.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await runVerifyCli([command, '--stack', 'demo', '--endpoint', sandbox.endpoint, ...extra], { stdout: stream(lines), stderr: stream(errLines), cwd: root });
  const dir = /reports: (.*)/.exec(lines.join(''))?.[1]?.trim() ?? '';
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
  // Every report a real run writes validates against the shipped schema and agrees with itself,
  // and says it came from the local sandbox.
  expect(schemaErrors(report)).toEqual([]);
  expect(reportProblems(report)).toEqual([]);
  expect(report.provenance).toMatchObject({ localSandbox: true, endpoint: sandbox.endpoint, account: expect.stringMatching(/^\d{12}$/) });
  return { code, report, dir, stderr: errLines.join('') };
}

const statusOf = (r: Report, id: string) => r.checks.find((c) => c.id === id)?.status;
const messageOf = (r: Report, id: string) => r.checks.find((c) => c.id === id)?.message ?? '';

async function drillTablesLeft(): Promise<string[]> {
  const names = (await ddb.send(new ListTablesCommand({}))).TableNames ?? [];
  return names.filter((n) => n.startsWith('tablesafe-drill-'));
}

function expectFullReport(dir: string): void {
  for (const f of ['report.json', 'junit.xml', 'report.md', 'report.html', 'SHA256SUMS']) expect(existsSync(path.join(dir, f))).toBe(true);
}

/** Puts, updates and deletes on keys of its own, a write every few milliseconds, until stopped. */
function startWriter(): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      const id = `live-${n % 7}`;
      const op = n % 3;
      if (op === 0) await ddb.send(new PutItemCommand({ TableName: out.table_name, Item: { ID: { S: id }, n: { N: String(n) } } }));
      else if (op === 1) await ddb.send(new UpdateItemCommand({ TableName: out.table_name, Key: { ID: { S: id } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: String(n) } } }));
      else await ddb.send(new DeleteItemCommand({ TableName: out.table_name, Key: { ID: { S: `live-${(n + 3) % 7}` } } }));
      writes += 1;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return { stop: async () => {
    running = false;
    await loop;
    return writes;
  } };
}

test('verify passes on the applied, seeded, backed-up demo stack: backup and point-in-time restores agree', async () => {
  const { code, report, dir } = await verify();
  expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  expect(code).toBe(0);
  expect(report.drill).toMatchObject({ sourceItems: 5, restoredItems: 5, mismatches: 0, cleanedUp: true, dataAtRisk: { total: 0 } });
  expect(report.drill?.paths.map((p) => [p.path, p.status, p.agreement?.equal])).toEqual([['backup', 'passed', undefined], ['pitr', 'passed', true]]);
  expectFullReport(dir);
  expect(await drillTablesLeft()).toEqual([]);
});

test('a drill on a table taking writes passes, its restores agree exactly, and it reports the data at risk', async () => {
  const writer = startWriter();
  let result: Awaited<ReturnType<typeof run>>;
  try {
    await new Promise((r) => setTimeout(r, 300));
    // A fresh recovery point in the middle of the writes: both restore paths must hold the table at its time.
    result = await run('drill', '--fresh');
  } finally {
    expect(await writer.stop()).toBeGreaterThan(20);
  }
  const { code, report } = result;
  expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  expect(code).toBe(0);
  const [backupPath, pitrPath] = report.drill!.paths;
  expect(pitrPath).toMatchObject({ status: 'passed', agreement: { equal: true, by: 'digest' }, digest: backupPath.digest });
  expect(report.drill?.dataAtRisk?.total).toBeGreaterThan(0);
  expect(report.checks.find((c) => c.id === 'DATA-AT-RISK')?.message).toMatch(/^\d+ items? changed since the recovery point \(\d+ added, \d+ changed, \d+ removed\)/);
  expect(await drillTablesLeft()).toEqual([]);
});

test('a point-in-time restore AWS refuses fails DRILL-RESTORE-PITR with exit 1 and leaves no scratch table', async () => {
  await postFault(sandbox.endpoint, { service: 'dynamodb', operation: 'RestoreTableToPointInTime', error: 'PointInTimeRecoveryUnavailableException', message: 'Injected: point in time recovery unavailable', count: 1 });
  const { code, report, dir } = await verify();
  expect(code).toBe(1);
  expect(messageOf(report, 'DRILL-RESTORE-PITR')).toMatch(/RestoreTableToPointInTime of tablesafe-demo-records to .* failed: PointInTimeRecoveryUnavailableException: Injected: point in time recovery unavailable/);
  expect(statusOf(report, 'DRILL-RESTORE')).toBe('pass');
  expectFullReport(dir);
  expect(await drillTablesLeft()).toEqual([]);
});

test('a point-in-time restore that drops items fails DATA-DIGEST naming the keys, with exit 1', async () => {
  await postFault(sandbox.endpoint, { pitr: 'corrupt', dropItems: 2 });
  const { code, report, dir } = await verify();
  expect(code).toBe(1);
  expect(messageOf(report, 'DATA-DIGEST')).toMatch(/point-in-time restore differs from the backup restore in 2 key\(s\) \(2 missing, 0 extra, 0 changed\): \{"ID":"[^"]+"\} missing from the point-in-time restore; \{"ID":"[^"]+"\} missing from the point-in-time restore/);
  expect(report.drill?.paths.find((p) => p.path === 'pitr')?.status).toBe('failed');
  expectFullReport(dir);
  expect(await drillTablesLeft()).toEqual([]);
});

test('two drills at once on the same table do not collide', async () => {
  const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  const run = () => runVerifyCli(['drill', '--stack', 'demo', '--endpoint', sandbox.endpoint, '--json'], { stdout: sink, stderr: sink, cwd: root });
  expect(await Promise.all([run(), run()])).toEqual([0, 0]);
  expect(await drillTablesLeft()).toEqual([]);
});

test('throttled DynamoDB calls are retried and verify still passes', async () => {
  await postFault(sandbox.endpoint, { service: 'dynamodb', operation: 'DescribeTable', error: 'ThrottlingException', count: 3 });
  const { code } = await verify('--skip-drill');
  expect(code).toBe(0);
});

test('a FAILED restore job fails DRILL-RESTORE with exit 1 and leaves no scratch table', async () => {
  await postFault(sandbox.endpoint, { job: 'restore', outcome: 'FAILED', message: 'Injected: KMS key not accessible' });
  const { code, report, dir } = await verify();
  expect(code).toBe(1);
  expect(messageOf(report, 'DRILL-RESTORE')).toMatch(/FAILED: Injected: KMS key not accessible/);
  expectFullReport(dir);
  expect(await drillTablesLeft()).toEqual([]);
});

test('a hung restore fails at the deadline with exit 1 and leaves no scratch table', async () => {
  await postFault(sandbox.endpoint, { job: 'restore', outcome: 'HANG' });
  const { code, report, dir } = await verify('--timeout', '3s');
  expect(code).toBe(1);
  expect(messageOf(report, 'DRILL-RESTORE')).toMatch(/still (PENDING|RUNNING) after the 3 s deadline/);
  expectFullReport(dir);
  expect(await drillTablesLeft()).toEqual([]);
});

test('SIGINT during the drill stops it, writes a full report, exits 1 and leaves no scratch table', async () => {
  await postFault(sandbox.endpoint, { job: 'restore', outcome: 'HANG' });
  const bin = path.join(__dirname, '../../../bin/tablesafe.js');
  const child = spawn(process.execPath, [bin, 'drill', '--stack', 'demo', '--endpoint', sandbox.endpoint], { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => {
    stderr += String(c);
    if (/restore job .* started/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toMatch(/SIGINT: stopping the drill and deleting its scratch table/);
  expect(code).toBe(1);
  const dir = /reports: (.*)/.exec(stdout)?.[1]?.trim() ?? '';
  expectFullReport(dir);
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
  expect(statusOf(report, 'DRILL-ABORTED')).toBe('fail');
  expect(statusOf(report, 'DRILL-CLEANUP')).toBe('pass');
  expect(await drillTablesLeft()).toEqual([]);
});

test('janitor deletes the tables of restores that completed after their drills gave up', async () => {
  await fetch(`${sandbox.endpoint}/_sandbox/faults`, { method: 'DELETE' });
  for (let i = 0; i < 200 && (await drillTablesLeft()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await drillTablesLeft()).length).toBe(2);
  const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  const code = await runVerifyCli(['janitor', '--older-than', '1ms', '--endpoint', sandbox.endpoint], { stdout: sink, stderr: sink, cwd: root });
  expect(code).toBe(0);
  expect(await drillTablesLeft()).toEqual([]);
});

test('a corrupted recovery point fails DATA-COUNT and DATA-DIGEST naming the keys, with exit 1', async () => {
  await postFault(sandbox.endpoint, { recoveryPoint: 'corrupt', dropItems: 2 });
  const { code, report } = await verify();
  expect(code).toBe(1);
  // The latest recovery point is the --fresh one of the live-writes test: two items fewer in the backup restore.
  expect(messageOf(report, 'DATA-COUNT')).toMatch(/pitr.restored.itemCount: expected \d+ ± 0 \(the backup restore's\), actual \d+ \(2 item\(s\) missing or extra\)/);
  expect(messageOf(report, 'DATA-DIGEST')).toMatch(/\{"ID":"[^"]+"\} only in the point-in-time restore; \{"ID":"[^"]+"\} only in the point-in-time restore/);
  expect(await drillTablesLeft()).toEqual([]);
});

test('PITR switched off out-of-band fails TABLE-PITR and the PITR rule', async () => {
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: out.table_name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
  try {
    const { code, report } = await verify('--skip-drill');
    expect(code).toBe(1);
    expect(messageOf(report, 'TABLE-PITR')).toBe('table.pointInTimeRecovery: expected ENABLED, actual DISABLED');
    expect(report.checks.find((c) => c.id.startsWith('TS-DDB-001'))?.status).toBe('fail');
  } finally {
    await ddb.send(new UpdateContinuousBackupsCommand({ TableName: out.table_name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  }
});

test('deleted recovery points fail BACKUP-RPO and the drill with exit 1', async () => {
  // The vault policy denies deletion (as it should); a break-glass admin removes it first.
  await backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: out.backup_vault_name }));
  const points = (await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: out.backup_vault_name }))).RecoveryPoints ?? [];
  for (const p of points) await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: out.backup_vault_name, RecoveryPointArn: p.RecoveryPointArn }));
  const { code, report, dir } = await verify();
  expect(code).toBe(1);
  expect(messageOf(report, 'BACKUP-RPO')).toMatch(/expected a COMPLETED recovery point, actual none in the vault/);
  expect(statusOf(report, 'DRILL-RECOVERY-POINT')).toBe('fail');
  expect(messageOf(report, 'BACKUP-VAULT-POLICY')).toMatch(/expected Deny backup:DeleteRecoveryPoint, actual no access policy/);
  expectFullReport(dir);
  expect(await drillTablesLeft()).toEqual([]);
});
