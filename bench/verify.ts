/**
 * verify benchmark, against the sandbox, in one run:
 * 1. digest validation items/s vs a raw parallel Scan of the same table (target ≥ 0.8×);
 * 2. peak RSS growth while digesting the large vs the small table (target flat: ratio ≈ 1);
 * 3. drill overhead beyond the restore job's own duration (target ≤ 10 %).
 *
 *   npx ts-node --transpile-only bench/verify.ts [--small 10000] [--large 100000] [--segments 4] [--time-scale 5]
 *
 * The sandbox's job time scale sets how long the restore job takes; at very high scales the job
 * lasts milliseconds and any fixed cost looks large, so the default keeps it AWS-like within reason.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeRestoreJobCommand, StartBackupJobCommand } from '@aws-sdk/client-backup';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ScanCommand, WriteRequest } from '@aws-sdk/client-dynamodb';
import { startSandbox } from '../sandbox';
import { createClients } from '../core/aws/clients';
import { CONTRACT_SCHEMA_VERSION, OUTPUT_NAMES } from '../core/contract';
import { runDrill } from '../verify/drill/drill';
import { scanDigest } from '../verify/drill/digest';
import { newRunId } from '../verify/drill/scratch';

const DIGEST_TARGET = 0.8;
const OVERHEAD_TARGET = 0.1;
/** "Flat": 10× the items may cost at most this factor in peak RSS. */
const RSS_FLAT = 1.25;
/** Old-space cap under which the large digest must still complete (RSS growth beyond is GC slack). */
const HEAP_CAP_MB = 48;

interface ChildDigest {
  items: number;
  baseRssMb: number;
  peakRssMb: number;
  heapAfterGcMb: number;
}

/** Digests `table` in a fresh node process; `maxOldSpaceMb` caps its heap (a digest that needs more crashes). */
function childDigest(endpoint: string, table: string, segments: number, maxOldSpaceMb?: number): Promise<ChildDigest> {
  return new Promise((resolve, reject) => {
    const heapCap = maxOldSpaceMb ? [`--max-old-space-size=${maxOldSpaceMb}`] : [];
    const child = spawn(process.execPath, ['--expose-gc', ...heapCap, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'verify-digest-child.ts'), endpoint, table, String(segments)], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`digest child for ${table} exited ${code}`))));
  });
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} is "${process.argv[i + 1]}"; it must be a positive integer`);
  return v;
}

async function seed(ddb: DynamoDBClient, table: string, n: number): Promise<void> {
  await ddb.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < n; i += 25) {
    batches.push(Array.from({ length: Math.min(25, n - i) }, (_, j) => ({ PutRequest: { Item: { ID: { S: `item-${i + j}` }, n: { N: String(i + j) }, payload: { S: 'x'.repeat(100) }, tags: { SS: ['a', 'b'] } } } })));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let items: Record<string, WriteRequest[]> | undefined = { [table]: batches[next++] };
        while (items && Object.keys(items).length) items = (await ddb.send(new BatchWriteItemCommand({ RequestItems: items }))).UnprocessedItems;
      }
    }),
  );
  process.stderr.write(`seeded ${n} items into ${table}\n`);
}

async function rawScan(ddb: DynamoDBClient, table: string, segments: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, Segment) => {
      let count = 0;
      let start: Record<string, never> | undefined;
      do {
        const page = await ddb.send(new ScanCommand({ TableName: table, Segment, TotalSegments: segments, ExclusiveStartKey: start }));
        count += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
      return count;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Runs fn and returns its result and wall seconds. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function main(): Promise<number> {
  const small = arg('--small', 10_000);
  const large = arg('--large', 100_000);
  const segments = arg('--segments', 4);
  const timeScale = arg('--time-scale', 5);
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = process.env.AWS_ACCESS_KEY_ID ?? 'bench';
  process.env.AWS_SECRET_ACCESS_KEY = process.env.AWS_SECRET_ACCESS_KEY ?? 'bench';
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-verify-'));
  const sandbox = await startSandbox({ quiet: true, stateDir, timeScale });
  const ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
  try {
    await seed(ddb, 'bench-small', small);
    await seed(ddb, 'bench-large', large);

    // 1. digest vs raw scan on the large table (raw first and last, to even out warm-up).
    const raw1 = await measured(() => rawScan(ddb, 'bench-large', segments));
    const dig = await measured(() => scanDigest(ddb, 'bench-large', { segments }));
    const raw2 = await measured(() => rawScan(ddb, 'bench-large', segments));
    const rawRate = (2 * large) / (raw1.seconds + raw2.seconds);
    const digestRate = dig.value.items / dig.seconds;

    // 2. Peak RSS digesting small vs large, each in a fresh process (same starting point).
    const rssSmall = await childDigest(sandbox.endpoint, 'bench-small', segments);
    const rssLarge = await childDigest(sandbox.endpoint, 'bench-large', segments);
    const capped = await childDigest(sandbox.endpoint, 'bench-large', segments, HEAP_CAP_MB).then(
      () => true,
      () => false,
    );

    // 3. drill overhead on the small table.
    const overhead = await drillOverhead(sandbox.endpoint, small);

    const ratio = digestRate / rawRate;
    const rssRatio = rssLarge.peakRssMb / rssSmall.peakRssMb;
    console.log(`digest     ${Math.round(digestRate)} items/s vs raw parallel scan ${Math.round(rawRate)} items/s over ${large} items: ${ratio.toFixed(2)}× (target ≥ ${DIGEST_TARGET}×) ${ratio >= DIGEST_TARGET ? 'OK' : 'MISSED'}`);
    const heapRatio = rssLarge.heapAfterGcMb / rssSmall.heapAfterGcMb;
    console.log(`memory     peak RSS ${rssLarge.peakRssMb} MB digesting ${large} items vs ${rssSmall.peakRssMb} MB at ${small} (process base ${rssSmall.baseRssMb} MB): ${rssRatio.toFixed(2)}× for ${(large / small).toFixed(0)}× the items (target flat, ≤ ${RSS_FLAT}×) ${rssRatio <= RSS_FLAT ? 'OK' : 'MISSED'}`);
    console.log(`           live heap after GC ${rssLarge.heapAfterGcMb} MB vs ${rssSmall.heapAfterGcMb} MB: ${heapRatio.toFixed(2)}×; ${large} items digested with the heap capped at ${HEAP_CAP_MB} MB: ${capped ? 'yes' : 'NO'}`);
    console.log(`drill      ${overhead.drillSeconds.toFixed(1)} s total, restore job ${overhead.jobSeconds.toFixed(1)} s, validation ${overhead.validationSeconds.toFixed(1)} s; orchestration overhead ${(overhead.ratio * 100).toFixed(1)} % of the restore (target ≤ ${OVERHEAD_TARGET * 100} %) ${overhead.ratio <= OVERHEAD_TARGET ? 'OK' : 'MISSED'}`);
    return 0;
  } finally {
    ddb.destroy();
    await sandbox.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * Drill wall time minus the restore job's own duration (AWS Backup's CreationDate → CompletionDate)
 * and minus data validation (scans whose cost grows with the table, measured separately above).
 */
async function drillOverhead(endpoint: string, items: number): Promise<{ drillSeconds: number; jobSeconds: number; validationSeconds: number; ratio: number }> {
  const backup = new BackupClient({ endpoint });
  const vault = 'bench-vault';
  const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/bench-small`;
  const role = 'arn:aws:iam::123456789012:role/bench-backup';
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: tableArn, IamRoleArn: role }));
  for (;;) {
    const d = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    if (d.State === 'COMPLETED') break;
    if (d.State === 'FAILED') throw new Error(`bench backup FAILED: ${d.StatusMessage}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const contract = {
    schemaVersion: CONTRACT_SCHEMA_VERSION, stack: 'bench', environment: 'bench', region: 'us-east-1',
    table: { name: 'bench-small', partitionKey: { name: 'ID', type: 'S' }, globalSecondaryIndexes: [], localSecondaryIndexes: [], billingMode: 'PAY_PER_REQUEST', pointInTimeRecovery: false, deletionProtection: false, tableClass: 'STANDARD', encryption: 'CUSTOMER_MANAGED', replicaRegions: [], tags: {} },
    key: { alias: 'alias/bench', rotation: true, deletionWindowDays: 7 },
    backup: { vaultName: vault, planName: 'p', selectionName: 's', rules: [], rpoMinutes: 60, minRetentionDays: 1, advancedDynamoDbBackup: true, denyManualDeletion: false },
    roles: {} as never, drill: { rtoMinutes: 30, validation: { tolerance: 0, sample: 10, digest: true } }, compliance: { pack: 'tablesafe-strict' }, outputs: { ...OUTPUT_NAMES },
  } as const;
  const clients = createClients({ region: 'us-east-1', endpoint });
  const t0 = Date.now();
  const result = await runDrill({
    contract: contract as never,
    outputs: { tableName: 'bench-small', tableArn, vaultName: vault, backupRoleArn: role },
    clients,
    runId: newRunId(),
    poll: { minDelayMs: 100, maxDelayMs: 500 },
  });
  const drillSeconds = (Date.now() - t0) / 1000;
  // The bench table has no SSE, so only the restore and the data checks matter here.
  const failed = result.checks.filter((c) => c.status === 'fail' && (c.id.startsWith('DRILL-RESTORE') || c.category === 'data'));
  if (!result.metrics.restoreJobId || failed.length) throw new Error(`the drill failed: ${failed.map((c) => `${c.id}: ${c.message}`).join("; ")}`);
  const d = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: result.metrics.restoreJobId }));
  const jobSeconds = d.CompletionDate && d.CreationDate ? (d.CompletionDate.getTime() - d.CreationDate.getTime()) / 1000 : NaN;
  const validationSeconds = result.metrics.itemsPerSecond ? (2 * items) / result.metrics.itemsPerSecond : 0;
  clients.destroy();
  backup.destroy();
  return { drillSeconds, jobSeconds, validationSeconds, ratio: (drillSeconds - jobSeconds - validationSeconds) / jobSeconds };
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`bench/verify: ${(e as Error).message}`);
    process.exitCode = 2;
  },
);
