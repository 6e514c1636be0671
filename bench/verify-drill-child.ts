/**
 * Child of bench/verify.ts: runs the multi-path restore drill (backup + point-in-time) on one
 * table in a fresh process and prints one JSON line:
 * `{"items":N,"baseRssMb":B,"peakRssMb":P,"heapAfterGcMb":H,"itemsPerSecond":R,"validationSeconds":S,"paths":[…],"failed":[…]}`,
 * so peak RSS at different table sizes starts from the same base. Run with --expose-gc for the
 * live heap after a full GC.
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/verify-drill-child.ts ENDPOINT TABLE VAULT SEGMENTS PAGES KEY_ARN
 */
import { createClients } from '../core/aws/clients';
import { CONTRACT_SCHEMA_VERSION, OUTPUT_NAMES } from '../core/contract';
import { runDrill } from '../verify/drill/drill';
import { newRunId } from '../verify/drill/scratch';

async function main(): Promise<void> {
  const [endpoint, table, vault, segments, pages, keyArn] = process.argv.slice(2);
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  const clients = createClients({ region: 'us-east-1', endpoint });
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const contract = {
    schemaVersion: CONTRACT_SCHEMA_VERSION, stack: 'bench', environment: 'bench', region: 'us-east-1',
    table: { name: table, partitionKey: { name: 'ID', type: 'S' }, globalSecondaryIndexes: [], localSecondaryIndexes: [], billingMode: 'PAY_PER_REQUEST', pointInTimeRecovery: true, deletionProtection: false, tableClass: 'STANDARD', encryption: 'CUSTOMER_MANAGED', replicaRegions: [], tags: {} },
    key: { alias: 'alias/bench', rotation: true, deletionWindowDays: 7 },
    backup: { vaultName: vault, planName: 'p', selectionName: 's', rules: [], rpoMinutes: 600, minRetentionDays: 1, advancedDynamoDbBackup: true, denyManualDeletion: false },
    roles: {} as never, drill: { rtoMinutes: 30, paths: ['backup', 'pitr'], validation: { tolerance: 0, sample: 10, digest: true } }, compliance: { pack: 'tablesafe-strict' }, outputs: { ...OUTPUT_NAMES },
  } as const;
  const result = await runDrill({
    contract: contract as never,
    outputs: { tableName: table, tableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${table}`, vaultName: vault, keyArn, backupRoleArn: 'arn:aws:iam::123456789012:role/bench-backup' },
    clients,
    runId: newRunId(),
    scanSegments: Number(segments),
    scanPages: Number(pages),
    poll: { minDelayMs: 100, maxDelayMs: 500 },
  });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  const heapAfterGcMb = mb(process.memoryUsage().heapUsed);
  clients.destroy();
  const m = result.metrics;
  const failed = result.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);
  const validationSeconds = m.itemsPerSecond ? ((m.restoredItems ?? 0) * m.paths.length + (m.sourceItems ?? 0)) / m.itemsPerSecond : 0;
  process.stdout.write(`${JSON.stringify({
    items: m.restoredItems, baseRssMb: mb(base), peakRssMb: mb(peak), heapAfterGcMb, itemsPerSecond: m.itemsPerSecond, validationSeconds,
    paths: m.paths.map((p) => ({ path: p.path, status: p.status, rtoSeconds: p.rtoMeasuredSeconds, agrees: p.agreement?.equal })), failed,
  })}\n`);
}

main().catch((e) => {
  console.error(`verify-drill-child: ${(e as Error).message}`);
  process.exitCode = 2;
});
