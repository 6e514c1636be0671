/**
 * verify benchmark, against the sandbox, in one run. Two ratios, both against this run's raw
 * parallel Scan of the same table:
 * 1. validation throughput of the multi-path drill (backup + point-in-time restores digested and
 *    compared, the live source digested for the data at risk): items validated per second vs the
 *    raw parallel Scan's items per second (target ≥ 0.8×);
 * 2. peak RSS of the multi-path drill at the large vs the small table, each in a fresh process
 *    with the same old-space limit (80 MB; target ≤ 1.2×: memory does not grow with the table).
 *    Without a limit V8 lets garbage pile up with the allocation rate of a long run (the SDK parses
 *    1 MB Scan pages), so peak RSS would measure GC policy, not what the drill holds;
 *    under the cap a drill that held the table's items would run out of heap instead of finishing.
 *    Items are about 600 bytes, so the small table too fills the 1 MB Scan pages of every segment:
 *    with partly filled pages its transient memory would be smaller, and the ratio would measure
 *    page fill rather than growth with the item count.
 * Plus, for information, the digest alone vs the raw scan, and whether the restores agreed.
 *
 *   npx ts-node --transpile-only bench/verify.ts [--small 10000] [--large 100000] [--segments 4] [--pages 4] [--heap-cap 80] [--time-scale 50]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, StartBackupJobCommand } from '@aws-sdk/client-backup';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ScanCommand, UpdateContinuousBackupsCommand, WriteRequest } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startSandbox } from '../sandbox';
import { scanDigest } from '../verify/drill/digest';

const THROUGHPUT_TARGET = 0.8;
const RSS_TARGET = 1.2;

const VAULT = 'bench-vault';
/** Attribute padding: items of about 600 bytes. */
const PAYLOAD = 'x'.repeat(500);

interface ChildDrill {
  items: number;
  baseRssMb: number;
  peakRssMb: number;
  heapAfterGcMb: number;
  itemsPerSecond: number;
  validationSeconds: number;
  paths: { path: string; status: string; rtoSeconds?: number; agrees?: boolean }[];
  failed: string[];
}

/** Runs the multi-path drill on `table` in a fresh node process. */
function childDrill(endpoint: string, table: string, segments: number, pages: number, heapCapMb: number, keyArn: string): Promise<ChildDrill> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', `--max-old-space-size=${heapCapMb}`, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'verify-drill-child.ts'), endpoint, table, VAULT, String(segments), String(pages), keyArn], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`drill child for ${table} exited ${code}`))));
  });
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} is "${process.argv[i + 1]}"; it must be a positive integer`);
  return v;
}

async function seed(ddb: DynamoDBClient, table: string, n: number, keyArn: string): Promise<void> {
  await ddb.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } }));
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < n; i += 25) {
    batches.push(Array.from({ length: Math.min(25, n - i) }, (_, j) => ({ PutRequest: { Item: { ID: { S: `item-${i + j}` }, n: { N: String(i + j) }, payload: { S: PAYLOAD }, tags: { SS: ['a', 'b'] } } } })));
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

/** An on-demand backup of the table into the bench vault, waited for: the recovery point the drill restores. */
async function backUp(backup: BackupClient, table: string): Promise<void> {
  const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: VAULT, ResourceArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${table}`, IamRoleArn: 'arn:aws:iam::123456789012:role/bench-backup' }));
  for (;;) {
    const d = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    if (d.State === 'COMPLETED') return;
    if (d.State === 'FAILED') throw new Error(`bench backup of ${table} FAILED: ${d.StatusMessage}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
  // Scan pages in flight across the drill's tables (its default), and the old-space cap of both drill processes.
  const pages = arg('--pages', segments);
  const heapCapMb = arg('--heap-cap', 80);
  const timeScale = arg('--time-scale', 50);
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = process.env.AWS_ACCESS_KEY_ID ?? 'bench';
  process.env.AWS_SECRET_ACCESS_KEY = process.env.AWS_SECRET_ACCESS_KEY ?? 'bench';
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-verify-'));
  const sandbox = await startSandbox({ quiet: true, stateDir, timeScale });
  const ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
  const backup = new BackupClient({ endpoint: sandbox.endpoint });
  try {
    const kms = new KMSClient({ endpoint: sandbox.endpoint });
    const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata?.Arn ?? '';
    kms.destroy();
    await seed(ddb, 'bench-small', small, keyArn);
    await seed(ddb, 'bench-large', large, keyArn);
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: VAULT }));
    await backUp(backup, 'bench-small');
    await backUp(backup, 'bench-large');
    process.stderr.write('backed up both tables\n');

    // The raw parallel Scan of the large table (before and after the drills, to even out warm-up).
    const raw1 = await measured(() => rawScan(ddb, 'bench-large', segments));
    const dig = await measured(() => scanDigest(ddb, 'bench-large', { segments, key: { partitionKey: 'ID' } }));
    const drillSmall = await childDrill(sandbox.endpoint, 'bench-small', segments, pages, heapCapMb, keyArn);
    process.stderr.write(`drill on ${small} items done\n`);
    const drillLarge = await childDrill(sandbox.endpoint, 'bench-large', segments, pages, heapCapMb, keyArn);
    process.stderr.write(`drill on ${large} items done\n`);
    const raw2 = await measured(() => rawScan(ddb, 'bench-large', segments));
    const rawRate = (2 * large) / (raw1.seconds + raw2.seconds);

    for (const d of [drillSmall, drillLarge]) if (d.failed.length) throw new Error(`the drill failed: ${d.failed.join('; ')}`);
    const ratio = drillLarge.itemsPerSecond / rawRate;
    const rssRatio = drillLarge.peakRssMb / drillSmall.peakRssMb;
    const agreed = (d: ChildDrill) => d.paths.map((p) => `${p.path} ${p.status}${p.path === 'backup' ? '' : p.agrees ? ' (digest equal)' : ' (DIFFERS)'}${p.rtoSeconds !== undefined ? ` in ${p.rtoSeconds} s` : ''}`).join(', ');
    console.log(`throughput multi-path drill validated ${Math.round(drillLarge.itemsPerSecond)} items/s (backup restore, point-in-time restore and source of ${large} items, ${drillLarge.validationSeconds.toFixed(1)} s) vs raw parallel scan ${Math.round(rawRate)} items/s of the same table: ${ratio.toFixed(2)}× (target ≥ ${THROUGHPUT_TARGET}×) ${ratio >= THROUGHPUT_TARGET ? 'OK' : 'MISSED'}`);
    console.log(`memory     multi-path drill peak RSS ${drillLarge.peakRssMb} MB at ${large} items vs ${drillSmall.peakRssMb} MB at ${small} (process base ${drillSmall.baseRssMb} MB, old space ≤ ${heapCapMb} MB in both): ${rssRatio.toFixed(2)}× for ${(large / small).toFixed(0)}× the items (target ≤ ${RSS_TARGET}×) ${rssRatio <= RSS_TARGET ? 'OK' : 'MISSED'}`);
    console.log(`           live heap after GC ${drillLarge.heapAfterGcMb} MB vs ${drillSmall.heapAfterGcMb} MB`);
    console.log(`info       digest alone ${Math.round(dig.value.items / dig.seconds)} items/s (${(dig.value.items / dig.seconds / rawRate).toFixed(2)}× the raw scan); paths at ${large} items: ${agreed(drillLarge)}; at ${small}: ${agreed(drillSmall)}`);
    return ratio >= THROUGHPUT_TARGET && rssRatio <= RSS_TARGET ? 0 : 1;
  } finally {
    ddb.destroy();
    backup.destroy();
    await sandbox.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`bench/verify: ${(e as Error).message}`);
    process.exitCode = 2;
  },
);
