/**
 * Order-independent table digest with O(1) memory: every item is encoded canonically (attribute
 * names sorted, sets sorted, maps by key), hashed with SHA-256, and the hashes are summed modulo
 * 2^256. Sum is commutative, so parallel Scan segments in any order give the same digest, and
 * only the running sum and count are held. Exact only for a quiescent source: items written to the
 * source after the recovery point make the digests differ although the restore is correct.
 */
import { createHash } from 'node:crypto';
import { AttributeValue, DynamoDBClient, ScanCommand, ScanCommandInput } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

const MOD = 1n << 256n;

/** A stable text for one attribute value, independent of attribute and set order. */
export function canonicalValue(v: AttributeValue): string {
  if (v.S !== undefined) return `S${JSON.stringify(v.S)}`;
  if (v.N !== undefined) return `N${canonicalNumber(v.N)}`;
  if (v.B !== undefined) return `B${Buffer.from(v.B).toString('base64')}`;
  if (v.BOOL !== undefined) return `BOOL${v.BOOL}`;
  if (v.NULL !== undefined) return 'NULL';
  if (v.SS !== undefined) return `SS[${[...v.SS].sort().map((s) => JSON.stringify(s)).join(',')}]`;
  if (v.NS !== undefined) return `NS[${v.NS.map(canonicalNumber).sort().join(',')}]`;
  if (v.BS !== undefined) return `BS[${v.BS.map((b) => Buffer.from(b).toString('base64')).sort().join(',')}]`;
  if (v.L !== undefined) return `L[${v.L.map(canonicalValue).join(',')}]`;
  if (v.M !== undefined) return `M{${canonicalItem(v.M)}}`;
  return 'UNKNOWN';
}

/** DynamoDB numbers compare by value: `1.0`, `1` and `01` are the same number. */
function canonicalNumber(n: string): string {
  const s = n.trim();
  if (!/^[-+]?\d*\.?\d*(e[-+]?\d+)?$/i.test(s)) return s;
  const [mantissa, exp] = s.toLowerCase().split('e');
  const neg = mantissa.startsWith('-');
  let [int = '', frac = ''] = mantissa.replace(/^[-+]/, '').split('.');
  int = int.replace(/^0+/, '');
  frac = frac.replace(/0+$/, '');
  const digits = int + frac;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  const significant = digits.slice(lead).replace(/0+$/, '');
  if (significant === '') return '0';
  const exponent = int.length - lead + Number(exp ?? 0);
  return `${neg ? '-' : ''}0.${significant}e${exponent}`;
}

export function canonicalItem(item: Item): string {
  return Object.keys(item)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalValue(item[k])}`)
    .join(',');
}

export function itemHash(item: Item): bigint {
  return BigInt(`0x${createHash('sha256').update(canonicalItem(item)).digest('hex')}`);
}

export interface TableDigest {
  readonly items: number;
  /** 64 hex characters. */
  readonly digest: string;
}

export interface ScanOptions {
  /**
   * Parallel Scan segments.
   * @default 4
   */
  readonly segments?: number;
  /**
   * Digest every item (false: count only, with Select COUNT).
   * @default true
   */
  readonly hash?: boolean;
  readonly signal?: AbortSignal;
}

/** Counts (and digests) a table with a parallel Scan; memory stays O(segments), not O(items). */
export async function scanDigest(client: DynamoDBClient, tableName: string, options: ScanOptions = {}): Promise<TableDigest> {
  const segments = options.segments ?? 4;
  const hash = options.hash ?? true;
  const partials = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let sum = 0n;
      let count = 0;
      let start: Item | undefined;
      do {
        if (options.signal?.aborted) throw Object.assign(new Error('scan aborted'), { name: 'AbortError' });
        const input: ScanCommandInput = { TableName: tableName, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start, ...(hash ? {} : { Select: 'COUNT' }) };
        const page = await client.send(new ScanCommand(input));
        if (hash) for (const item of page.Items ?? []) sum = (sum + itemHash(item)) % MOD;
        count += page.Count ?? page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return { sum, count };
    }),
  );
  const total = partials.reduce((a, p) => (a + p.sum) % MOD, 0n);
  return { items: partials.reduce((a, p) => a + p.count, 0), digest: hash ? total.toString(16).padStart(64, '0') : '' };
}

/** Attribute names whose values differ between two items (missing on either side counts). */
export function differingAttributes(a: Item, b: Item): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => (a[n] ? canonicalValue(a[n]) : undefined) !== (b[n] ? canonicalValue(b[n]) : undefined)).sort();
}
