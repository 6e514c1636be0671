/**
 * The digest's scan and diff edges: aborts, pages without items, the digest's width, bucket sums
 * that agree with the whole-table digest, the grouping of rescans under maxHeld, and which
 * attributes a changed item is reported with.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { differingBuckets, diffTables, itemHashHex, PageLimit, scanDigest, scanItems, TableDigest } from '../../../verify/drill/digest';

const ddb = mockClient(DynamoDBClient);
const client = () => new DynamoDBClient({ region: 'us-east-1' });
const key = { partitionKey: 'ID' };
type Row = Record<string, any>;
const serve = (tables: Record<string, Row[]>) =>
  ddb.on(ScanCommand).callsFake(async (input) => ({ Items: tables[input.TableName].filter((_, i) => i % input.TotalSegments === input.Segment), Count: 0 }));
beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('scanItems', () => {
  it('rejects with an AbortError and sends nothing when the signal is already aborted', async () => {
    const c = new AbortController();
    c.abort();
    await expect(scanItems(client(), 't', () => undefined, { signal: c.signal })).rejects.toMatchObject({ name: 'AbortError', message: 'scan aborted' });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('counts a page that has no items without handing any item over', async () => {
    ddb.on(ScanCommand).resolvesOnce({ Count: 3, LastEvaluatedKey: { ID: { S: 'x' } } }).resolves({});
    const seen: unknown[] = [];
    let counted = 0;
    await scanItems(client(), 't', (item) => seen.push(item), { segments: 1, count: (n) => (counted += n) });
    expect(seen).toEqual([]);
    expect(counted).toBe(3);
  });
});

describe('PageLimit', () => {
  it('frees its slot after each page, so pages run one after another forever under max 1', async () => {
    const limit = new PageLimit(1);
    const results: number[] = [];
    for (let i = 0; i < 3; i++) {
      const stuck = new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 200));
      results.push(await Promise.race([limit.run(async () => i), stuck]) as number);
    }
    expect(results).toEqual([0, 1, 2]);
  });
});

describe('scanDigest', () => {
  it('writes the digest as 64 hex characters, leading zeros kept', async () => {
    let i = 0;
    while (!itemHashHex({ ID: { S: `k-${i}` } }).startsWith('0')) i += 1;
    const item = { ID: { S: `k-${i}` } };
    serve({ t: [item] });
    const d = await scanDigest(client(), 't', { segments: 1 });
    expect(d.digest).toBe(itemHashHex(item));
    expect(d.digest).toHaveLength(64);
  });

  it('keeps bucket sums that add up to the whole-table digest', async () => {
    serve({ t: Array.from({ length: 30 }, (_, i) => ({ ID: { S: `id-${i}` }, n: { N: String(i) } })) });
    const d = await scanDigest(client(), 't', { segments: 2, key, buckets: 1 });
    expect(d.buckets?.counts).toEqual([30]);
    expect(d.buckets!.sums[0].toString(16).padStart(64, '0')).toBe(d.digest);
  });
});

describe('differingBuckets', () => {
  it('names a bucket whose count differs even when its sum does not', () => {
    expect(differingBuckets({ sums: [0n, 5n], counts: [1, 1] }, { sums: [0n, 5n], counts: [2, 1] })).toEqual([0]);
  });
});

describe('diffTables', () => {
  const noBuckets: TableDigest = { items: 1, digest: '0'.repeat(64) };
  const withBuckets = (n: number): TableDigest => ({ items: 0, digest: '0'.repeat(64), buckets: { sums: new Array(n).fill(0n), counts: new Array(n).fill(0) } });

  it.each([
    ['the reference has no buckets', noBuckets, withBuckets(4)],
    ['the other table has no buckets', withBuckets(4), noBuckets],
    ['the bucket counts differ', withBuckets(4), withBuckets(8)],
  ])('refuses when %s', async (_, a, b) => {
    await expect(diffTables({ client: client(), table: 'a', digest: a }, { client: client(), table: 'b', digest: b }, { key })).rejects.toThrow('diffTables needs two digests taken with the same key buckets');
  });

  const ref = Array.from({ length: 40 }, (_, i) => ({ ID: { S: `id-${i}` }, n: { N: String(i) } }));
  const allChanged = ref.map((x) => ({ ...x, n: { N: '-1' } }));
  const digests = async (buckets: number) => {
    serve({ a: ref, b: allChanged });
    ddb.on(GetItemCommand).resolves({});
    return Promise.all([scanDigest(client(), 'a', { key, buckets }), scanDigest(client(), 'b', { key, buckets })]);
  };

  it('rescans every differing bucket in one pass when they fit maxHeld exactly', async () => {
    const [da, db] = await digests(4);
    expect(differingBuckets(da.buckets!, db.buckets!)).toEqual([0, 1, 2, 3]);
    const diff = await diffTables({ client: client(), table: 'a', digest: da }, { client: client(), table: 'b', digest: db }, { key, maxHeld: 40 });
    expect(diff).toMatchObject({ changed: 40, missing: 0, extra: 0, passes: 1 });
  });

  it('rescans bucket by bucket when no two fit maxHeld', async () => {
    const [da, db] = await digests(4);
    const diff = await diffTables({ client: client(), table: 'a', digest: da }, { client: client(), table: 'b', digest: db }, { key, maxHeld: 1 });
    expect(diff).toMatchObject({ changed: 40, passes: 4 });
  });

  // One reference item changed, one extra item scanned before it: the changed key gets its
  // attributes read, the extra key none.
  const changedRef = [{ ID: { S: 'c' }, n: { N: '1' }, s: { S: 'same' } }];
  const changedOther = [{ ID: { S: 'e' }, n: { N: '7' } }, { ID: { S: 'c' }, n: { N: '2' }, s: { S: 'same' } }];
  const sides = async () => {
    serve({ a: changedRef, b: changedOther });
    const [da, db] = await Promise.all([scanDigest(client(), 'a', { key, buckets: 1, segments: 1 }), scanDigest(client(), 'b', { key, buckets: 1, segments: 1 })]);
    ddb.resetHistory();
    return [{ client: client(), table: 'a', digest: da }, { client: client(), table: 'b', digest: db }] as const;
  };

  it('names the attributes of a changed item, read consistently, and none for an extra one', async () => {
    const [a, b] = await sides();
    ddb.on(GetItemCommand).callsFake(async (input) => ({ Item: (input.TableName === 'a' ? changedRef : changedOther).find((x) => x.ID.S === input.Key.ID.S) }));
    const diff = await diffTables(a, b, { key, segments: 1 });
    expect(diff).toEqual({ missing: 0, extra: 1, changed: 1, passes: 1, keys: [{ key: '{"ID":"e"}', kind: 'extra' }, { key: '{"ID":"c"}', kind: 'changed', attributes: ['n'] }] });
    const reads = ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input);
    expect(reads).toEqual(expect.arrayContaining([expect.objectContaining({ TableName: 'a', Key: { ID: { S: 'c' } }, ConsistentRead: true }), expect.objectContaining({ TableName: 'b', Key: { ID: { S: 'c' } }, ConsistentRead: true })]));
    expect(reads).toHaveLength(2);
  });

  it('rescans both tables with the segments it was given', async () => {
    const [a, b] = await sides();
    ddb.on(GetItemCommand).resolves({});
    await diffTables(a, b, { key, segments: 1 });
    const scans = ddb.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(scans.map((s) => [s.TableName, s.TotalSegments])).toEqual([['a', 1], ['b', 1]]);
  });

  it('still lists a changed key, without attributes, when reading it fails', async () => {
    const [a, b] = await sides();
    ddb.on(GetItemCommand).rejects(new Error('throttled'));
    const diff = await diffTables(a, b, { key, segments: 1 });
    expect(diff.keys).toEqual([{ key: '{"ID":"e"}', kind: 'extra' }, { key: '{"ID":"c"}', kind: 'changed' }]);
    expect(diff.changed).toBe(1);
  });
});
