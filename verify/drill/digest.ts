/**
 * Order-independent table digest with O(1) memory: every item is encoded canonically (attribute
 * names sorted, sets sorted, maps by key), hashed with SHA-256, and the hashes are summed modulo
 * 2^256. Sum is commutative, so parallel Scan segments in any order give the same digest, and
 * only the running sums and counts are held.
 *
 * With the table's key attributes, the sums are also kept per bucket of key hash (1,024 by
 * default): two tables whose digests differ differ in some buckets, and `diffTables` rescans only
 * those buckets to name the keys that differ, holding at most `maxHeld` entries at a time.
 */
import { createHash } from 'node:crypto';
import { AttributeValue, DynamoDBClient, GetItemCommand, ScanCommand, ScanCommandInput } from '@aws-sdk/client-dynamodb';

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

export function itemHashHex(item: Item): string {
  return createHash('sha256').update(canonicalItem(item)).digest('hex');
}

export function itemHash(item: Item): bigint {
  return BigInt(`0x${itemHashHex(item)}`);
}

/** The key attributes of a table (partition key, optional sort key). */
export interface KeyNames {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export const DEFAULT_BUCKETS = 1024;

/** The key attributes of an item, alone. */
export function keyOf(item: Item, key: KeyNames): Item {
  const k: Item = {};
  for (const name of [key.partitionKey, key.sortKey]) if (name && item[name]) k[name] = item[name];
  return k;
}

/** `{"ID":"id-1"}`: an item's key as people read it (binary keys in base64). */
export function keyLabel(item: Item, key: KeyNames): string {
  const k = keyOf(item, key);
  return JSON.stringify(Object.fromEntries(Object.entries(k).map(([name, v]) => [name, v.S ?? v.N ?? (v.B ? Buffer.from(v.B).toString('base64') : canonicalValue(v))])));
}

/** The canonical text of an item's key: equal keys, equal text, whatever the number spelling. */
export function canonicalKey(item: Item, key: KeyNames): string {
  const pk = item[key.partitionKey];
  const sk = key.sortKey ? item[key.sortKey] : undefined;
  return `${pk ? canonicalValue(pk) : ''}\u0000${sk ? canonicalValue(sk) : ''}`;
}

/** The bucket (0 ≤ b < buckets) of an item's key: the first 32 bits of the key's SHA-256. */
export function keyBucket(item: Item, key: KeyNames, buckets: number): number {
  return createHash('sha256').update(canonicalKey(item, key)).digest().readUInt32BE(0) % buckets;
}

/** Per-bucket sums (mod 2^256) and item counts. */
export interface BucketDigest {
  readonly sums: readonly bigint[];
  readonly counts: readonly number[];
}

export interface TableDigest {
  readonly items: number;
  /** 64 hex characters (empty when hashing was off). */
  readonly digest: string;
  /** Present when the scan was given the table's key. */
  readonly buckets?: BucketDigest;
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
  /**
   * The table's key attributes: with them, sums are also kept per key-hash bucket.
   * @default no buckets
   */
  readonly key?: KeyNames;
  /**
   * Number of key-hash buckets (with `key`).
   * @default 1024
   */
  readonly buckets?: number;
  readonly signal?: AbortSignal;
  /** Shared limit of Scan pages in flight. @default no limit beyond `segments` */
  readonly pages?: PageLimit;
}

const aborted = () => Object.assign(new Error('scan aborted'), { name: 'AbortError' });

/**
 * At most `max` Scan pages in flight, shared by every scan given it. The SDK parses a page (up to
 * 1 MB of JSON, several MB of objects) before the scan's loop gets it, so parallel scans of several
 * tables would otherwise hold one parsed page per segment per table at once.
 */
export class PageLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** Every item of a table through a parallel Scan, page by page; nothing is kept. */
export async function scanItems(client: DynamoDBClient, tableName: string, onItem: (item: Item) => void, options: { segments?: number; signal?: AbortSignal; count?: (n: number) => void; countOnly?: boolean; pages?: PageLimit } = {}): Promise<void> {
  const segments = options.segments ?? 4;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Item | undefined;
      do {
        if (options.signal?.aborted) throw aborted();
        const input: ScanCommandInput = { TableName: tableName, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start, ...(options.countOnly ? { Select: 'COUNT' } : {}) };
        const send = () => client.send(new ScanCommand(input));
        // Processed at once, before any other page can resume: the limit bounds parsed pages alive.
        const page = await (options.pages ? options.pages.run(send) : send());
        for (const item of page.Items ?? []) onItem(item);
        options.count?.(page.Count ?? page.Items?.length ?? 0);
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
}

/** Counts (and digests) a table with a parallel Scan; memory stays O(buckets), not O(items). */
export async function scanDigest(client: DynamoDBClient, tableName: string, options: ScanOptions = {}): Promise<TableDigest> {
  const hash = options.hash ?? true;
  const nBuckets = options.key ? options.buckets ?? DEFAULT_BUCKETS : 0;
  const sums: bigint[] = new Array(nBuckets).fill(0n);
  const counts: number[] = new Array(nBuckets).fill(0);
  let total = 0n;
  let items = 0;
  await scanItems(
    client,
    tableName,
    (item) => {
      if (!hash) return;
      const h = itemHash(item);
      total += h;
      if (options.key) {
        const b = keyBucket(item, options.key, nBuckets);
        sums[b] += h;
        counts[b] += 1;
      }
    },
    { segments: options.segments, signal: options.signal, countOnly: !hash, count: (n) => (items += n), pages: options.pages },
  );
  if (!hash) return { items, digest: '' };
  // Sums grow by a few bits over 2^256 at most; one reduction at the end is enough.
  return {
    items,
    digest: (total % MOD).toString(16).padStart(64, '0'),
    ...(options.key ? { buckets: { sums: sums.map((x) => x % MOD), counts } } : {}),
  };
}

/** Buckets whose sum or count differ. */
export function differingBuckets(a: BucketDigest, b: BucketDigest): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.sums.length; i++) if (a.sums[i] !== b.sums[i] || a.counts[i] !== b.counts[i]) out.push(i);
  return out;
}

export interface DiffSide {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly digest: TableDigest;
}

export type DifferenceKind = 'missing' | 'extra' | 'changed';

export interface KeyDifference {
  /** `{"ID":"id-1"}` */
  readonly key: string;
  /** missing: in the reference only; extra: in the other table only; changed: in both, different. */
  readonly kind: DifferenceKind;
  /** For changed items: the attributes that differ. */
  readonly attributes?: readonly string[];
}

export interface TableDiff {
  readonly missing: number;
  readonly extra: number;
  readonly changed: number;
  /** The first `maxKeys` differences. */
  readonly keys: readonly KeyDifference[];
  /** Rescans of both tables it took (one per group of differing buckets). */
  readonly passes: number;
}

export interface DiffOptions {
  readonly key: KeyNames;
  /** @default 4 */
  readonly segments?: number;
  /** Differences listed by key. @default 20 */
  readonly maxKeys?: number;
  /** Reference items held at once (differing buckets are rescanned in groups under it). @default 100000 */
  readonly maxHeld?: number;
  readonly signal?: AbortSignal;
  /** Shared limit of Scan pages in flight. @default no limit beyond `segments` */
  readonly pages?: PageLimit;
}

/**
 * Every key whose item differs between `reference` and `other`, counted exactly and the first
 * `maxKeys` listed (with the attributes that differ), found by rescanning only the buckets whose
 * digests differ. Memory: the reference items of one group of buckets (≤ maxHeld, unless one
 * bucket alone is larger), as key and hash, never whole items.
 */
export async function diffTables(reference: DiffSide, other: DiffSide, o: DiffOptions): Promise<TableDiff> {
  const ra = reference.digest.buckets;
  const oa = other.digest.buckets;
  if (!ra || !oa || ra.sums.length !== oa.sums.length) throw new Error('diffTables needs two digests taken with the same key buckets');
  const n = ra.sums.length;
  const maxKeys = o.maxKeys ?? 20;
  const maxHeld = o.maxHeld ?? 100_000;
  const buckets = differingBuckets(ra, oa);
  const groups: number[][] = [];
  let held = 0;
  for (const b of buckets) {
    if (groups.length === 0 || held + ra.counts[b] > maxHeld) {
      groups.push([]);
      held = 0;
    }
    groups[groups.length - 1].push(b);
    held += ra.counts[b];
  }
  let missing = 0;
  let extra = 0;
  let changed = 0;
  const keys: KeyDifference[] = [];
  const changedKeys: Item[] = [];
  const note = (d: KeyDifference, k?: Item) => {
    if (keys.length < maxKeys) {
      keys.push(d);
      if (d.kind === 'changed' && k) changedKeys.push(k);
    }
  };
  for (const group of groups) {
    const wanted = new Set(group);
    const held = new Map<string, { h: string; k: Item }>();
    await scanItems(reference.client, reference.table, (item) => {
      if (wanted.has(keyBucket(item, o.key, n))) held.set(canonicalKey(item, o.key), { h: itemHashHex(item), k: keyOf(item, o.key) });
    }, { segments: o.segments, signal: o.signal, pages: o.pages });
    await scanItems(other.client, other.table, (item) => {
      if (!wanted.has(keyBucket(item, o.key, n))) return;
      const ck = canonicalKey(item, o.key);
      const ref = held.get(ck);
      if (!ref) {
        extra += 1;
        note({ key: keyLabel(item, o.key), kind: 'extra' });
        return;
      }
      held.delete(ck);
      if (ref.h !== itemHashHex(item)) {
        changed += 1;
        note({ key: keyLabel(item, o.key), kind: 'changed' }, ref.k);
      }
    }, { segments: o.segments, signal: o.signal, pages: o.pages });
    for (const ref of held.values()) {
      missing += 1;
      note({ key: keyLabel(ref.k, o.key), kind: 'missing' });
    }
  }
  // Name the attributes of the listed changed items (two reads each, at most maxKeys).
  const detailed = await Promise.all(keys.map(async (d) => {
    if (d.kind !== 'changed') return d;
    const k = changedKeys.shift();
    if (!k) return d;
    try {
      const [a, b] = await Promise.all([reference, other].map(async (side) => (await side.client.send(new GetItemCommand({ TableName: side.table, Key: k, ConsistentRead: true }))).Item));
      return a && b ? { ...d, attributes: differingAttributes(a, b) } : d;
    } catch {
      return d;
    }
  }));
  return { missing, extra, changed, keys: detailed, passes: groups.length };
}

/** `{"ID":"id-3"} missing; {"ID":"id-9"} changed (name, n)`: differences for one line of a report. */
export function describeDifferences(keys: readonly KeyDifference[], words: Readonly<Record<DifferenceKind, string>>): string {
  return keys.map((d) => `${d.key} ${words[d.kind]}${d.attributes?.length ? ` (${d.attributes.join(', ')})` : ''}`).join('; ');
}

/** Attribute names whose values differ between two items (missing on either side counts). */
export function differingAttributes(a: Item, b: Item): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => (a[n] ? canonicalValue(a[n]) : undefined) !== (b[n] ? canonicalValue(b[n]) : undefined)).sort();
}
