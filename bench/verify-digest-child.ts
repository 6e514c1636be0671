/**
 * Child of bench/verify.ts: digests one table in a fresh process and prints
 * `{"items":N,"baseRssMb":B,"peakRssMb":P,"heapAfterGcMb":H}`, so RSS at different table sizes
 * starts from the same base. Run with --expose-gc for the live heap after a full GC (what the
 * digest retains, as opposed to garbage the collector has not returned yet).
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/verify-digest-child.ts ENDPOINT TABLE SEGMENTS
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanDigest } from '../verify/drill/digest';

async function main(): Promise<void> {
  const [endpoint, table, segments] = process.argv.slice(2);
  const ddb = new DynamoDBClient({ endpoint, region: 'us-east-1' });
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const d = await scanDigest(ddb, table, { segments: Number(segments) });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  const heapAfterGcMb = mb(process.memoryUsage().heapUsed);
  ddb.destroy();
  process.stdout.write(`${JSON.stringify({ items: d.items, baseRssMb: mb(base), peakRssMb: mb(peak), heapAfterGcMb })}\n`);
}

main().catch((e) => {
  console.error(`verify-digest-child: ${(e as Error).message}`);
  process.exitCode = 2;
});
