/**
 * Sandbox benchmark, measured in one run (no thresholds in tests):
 * - PutItem / GetItem ops/s through the front door vs straight to moto, same moto, alternating
 *   rounds; prints the ratio (target >= 0.8: the front door must not be the bottleneck). Front-door
 *   writes include the journal's fsync.
 * - Journal replay time for 1k and 10k journaled writes (start-up on an existing state dir),
 *   start-up when the 10k writes went to a table deleted since (compaction drops them), and
 *   start-up on 10k overwrites of 100 items (compaction folds them to 100; target < 3 s), with its
 *   ratio to replaying 10k distinct writes.
 * - Anything registered in EXTRA_BENCHES (e.g. Backup backup + restore timing).
 *
 * Run: npx ts-node --transpile-only bench/sandbox.ts [--seconds N] [--replay-only]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeRestoreJobCommand, StartBackupJobCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { startSandbox, type Sandbox } from '../sandbox';
import type { JournalEntry } from '../sandbox/journal';
import { scopeOnlyAuthorization } from '../sandbox/server';

export interface BenchContext {
  /** A running sandbox on a scratch state dir. */
  readonly sandbox: Sandbox;
  /** Prints one result line. */
  readonly report: (name: string, value: string) => void;
}

/**
 * More benchmarks run after the built-in ones with a fresh sandbox each. Register with
 * `EXTRA_BENCHES.push({ name, run })`, e.g. backup + restore time for 1k and 10k items.
 */
export const EXTRA_BENCHES: Array<{ readonly name: string; run(ctx: BenchContext): Promise<void> }> = [
  { name: 'backup + restore of 1k and 10k items', run: backupAndRestore },
];

/** Polls a job until it leaves CREATED/PENDING/RUNNING; returns its final state. */
async function waitForJob(describe: () => Promise<string | undefined>): Promise<string> {
  for (;;) {
    const state = (await describe()) ?? 'UNKNOWN';
    if (!['CREATED', 'PENDING', 'RUNNING'].includes(state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Backup job + restore job wall time for 1k and 10k items (job durations scaled down 1000x, so
 * what remains is the snapshot scan and the restore's writes through moto): shows how they grow.
 */
async function backupAndRestore({ sandbox, report }: BenchContext): Promise<void> {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const ddb = client(sandbox.endpoint);
  const backup = new BackupClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'bench' }));
  // AWS Backup assumes the job role: it must exist and trust backup.amazonaws.com.
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const role = (await new IAMClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials }).send(new CreateRoleCommand({ RoleName: 'bench-backup', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  for (const items of [1_000, 10_000]) {
    const table = `bench-${items}`;
    await ddb.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }));
    for (let i = 0; i < items; i += 25) {
      const batch = Array.from({ length: Math.min(25, items - i) }, (_, j) => ({ PutRequest: { Item: { ID: { S: String(i + j) }, Payload: { S: 'x'.repeat(100) } } } }));
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: batch } }));
    }
    const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${table}`;
    let started = Date.now();
    const { BackupJobId } = await backup.send(new StartBackupJobCommand({ BackupVaultName: 'bench', ResourceArn: tableArn, IamRoleArn: role }));
    const backupState = await waitForJob(async () => (await backup.send(new DescribeBackupJobCommand({ BackupJobId }))).State);
    const backupMs = Date.now() - started;
    const point = (await backup.send(new DescribeBackupJobCommand({ BackupJobId }))).RecoveryPointArn;
    started = Date.now();
    const { RestoreJobId } = await backup.send(
      new StartRestoreJobCommand({ RecoveryPointArn: point, IamRoleArn: role, ResourceType: 'DynamoDB', Metadata: { targetTableName: `${table}-restored` } }),
    );
    const restoreState = await waitForJob(async () => (await backup.send(new DescribeRestoreJobCommand({ RestoreJobId }))).Status);
    const restoreMs = Date.now() - started;
    report(
      'backup',
      `${String(items).padStart(6)} items: backup ${(backupMs / 1000).toFixed(1)} s (${backupState}), restore ${(restoreMs / 1000).toFixed(1)} s (${restoreState}), ${(items / (restoreMs / 1000)).toFixed(0)} items/s restored`,
    );
  }
}

const CONCURRENCY = 4;
const TABLE = 'bench';

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'tablesafe-bench-'));
}

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

/** Runs `op` from CONCURRENCY workers for `seconds`; returns operations per second. */
async function opsPerSecond(seconds: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    for (let i = w; Date.now() < deadline; i += CONCURRENCY) {
      await op(i);
      done++;
    }
  }));
  return done / ((Date.now() - started) / 1000);
}

async function throughput(seconds: number): Promise<void> {
  const sandbox = await startSandbox({ stateDir: scratch(), quiet: true });
  try {
    const front = client(sandbox.endpoint);
    const moto = client(sandbox.motoEndpoint);
    await front.send(new CreateTableCommand({
      TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    }));
    const put = (c: DynamoDBClient, prefix: string) => (i: number) =>
      c.send(new PutItemCommand({ TableName: TABLE, Item: { ID: { S: `${prefix}-${i}` }, payload: { S: 'x'.repeat(200) } } }));
    const get = (c: DynamoDBClient, prefix: string) => (i: number) =>
      c.send(new GetItemCommand({ TableName: TABLE, Key: { ID: { S: `${prefix}-${i % 200}` } } }));
    // Warm both paths (connections, SDK) before measuring.
    await opsPerSecond(0.5, put(front, 'warm-f'));
    await opsPerSecond(0.5, put(moto, 'warm-m'));
    const rounds = 2;
    const totals = { putFront: 0, putMoto: 0, getFront: 0, getMoto: 0 };
    for (let r = 0; r < rounds; r++) {
      totals.putMoto += await opsPerSecond(seconds, put(moto, `m${r}`));
      totals.putFront += await opsPerSecond(seconds, put(front, `f${r}`));
      totals.getFront += await opsPerSecond(seconds, get(front, `f${r}`));
      totals.getMoto += await opsPerSecond(seconds, get(moto, `m${r}`));
    }
    const line = (op: string, f: number, m: number) =>
      console.log(`${op.padEnd(8)} front door ${(f / rounds).toFixed(0).padStart(6)} ops/s   moto ${(m / rounds).toFixed(0).padStart(6)} ops/s   ratio ${(f / m).toFixed(2)} (target >= 0.80)`);
    line('PutItem', totals.putFront, totals.putMoto);
    line('GetItem', totals.getFront, totals.getMoto);
  } finally {
    await sandbox.stop();
  }
}

/**
 * Writes a journal of one CreateTable and `writes` PutItems, as the front door would have; with
 * `thenDelete`, a DeleteTable at the end (a drill's scratch table: compaction drops its items).
 */
function journalWithWrites(dir: string, writes: number, thenDelete = false, items = writes): void {
  const now = Date.now();
  const headers = (op: string) => ({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${op}`,
    authorization: scopeOnlyAuthorization('us-east-1', 'dynamodb'),
  });
  const entry = (seq: number, op: string, body: unknown, seed?: number): JournalEntry => ({
    seq, ...(seed !== undefined ? { seed } : {}), service: 'dynamodb', region: 'us-east-1', operation: op,
    method: 'POST', url: '/', headers: headers(op), body: Buffer.from(JSON.stringify(body)).toString('base64'), at: now - writes + seq,
  });
  const lines = [entry(1, 'CreateTable', {
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
  }, 1)];
  for (let i = 0; i < writes; i++) lines.push(entry(i + 2, 'PutItem', { TableName: TABLE, Item: { ID: { S: `item-${i % items}` }, round: { N: String(Math.floor(i / items)) }, payload: { S: 'x'.repeat(200) } } }));
  if (thenDelete) lines.push(entry(writes + 2, 'DeleteTable', { TableName: TABLE }, writes + 2));
  writeFileSync(path.join(dir, 'journal.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

async function timedStart(stateDir: string): Promise<number> {
  const started = process.hrtime.bigint();
  const sandbox = await startSandbox({ stateDir, quiet: true });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await sandbox.stop();
  return ms;
}

async function replay(): Promise<void> {
  let tenThousandMs = NaN;
  const baseline = await timedStart(scratch());
  console.log(`start    empty state dir ${baseline.toFixed(0)} ms`);
  for (const writes of [1_000, 10_000]) {
    const dir = scratch();
    journalWithWrites(dir, writes);
    const ms = await timedStart(dir);
    if (writes === 10_000) tenThousandMs = ms;
    const replayMs = Math.max(0, ms - baseline);
    console.log(`replay   ${String(writes).padStart(6)} writes ${(replayMs / 1000).toFixed(1).padStart(6)} s  (${(writes / (replayMs / 1000)).toFixed(0)} writes/s)`);
  }
  const dir = scratch();
  journalWithWrites(dir, 10_000, true);
  const ms = await timedStart(dir);
  console.log(`compact   10000 writes to a table deleted since: start ${(ms / 1000).toFixed(1)} s (compacted away, not replayed)`);
  // 10k overwrites of 100 items: compaction folds each item's writes into its final image (history kept).
  const overwrites = scratch();
  journalWithWrites(overwrites, 10_000, false, 100);
  const foldedMs = await timedStart(overwrites);
  const again = await timedStart(overwrites);
  console.log(`compact   10000 overwrites of 100 items: first start ${(foldedMs / 1000).toFixed(2)} s (target < 3 s), next ${(again / 1000).toFixed(2)} s (empty state dir ${(baseline / 1000).toFixed(2)} s); `
    + `ratio to replaying every write ${(foldedMs / tenThousandMs).toFixed(2)}`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 3;
  if (!(seconds > 0)) throw new Error(`--seconds: "${process.argv[i + 1]}" is invalid: must be a number > 0`);
  console.log(`sandbox bench: ${CONCURRENCY} concurrent clients, ${seconds} s per measurement`);
  // --replay-only: just the start-up measurements (the compaction target).
  if (process.argv.includes('--replay-only')) return replay();
  await throughput(seconds);
  await replay();
  for (const extra of EXTRA_BENCHES) {
    const sandbox = await startSandbox({ stateDir: scratch(), quiet: true, timeScale: 1000 });
    try {
      await extra.run({ sandbox, report: (name, value) => console.log(`${name.padEnd(8)} ${value}`) });
    } finally {
      await sandbox.stop();
    }
  }
}

if (require.main === module) {
  main().then(() => process.exit(0), (err: unknown) => {
    console.error(`bench/sandbox: ${(err as Error).stack ?? err}`);
    process.exit(2);
  });
}
