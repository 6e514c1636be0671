import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { canonicalItem, describeDifferences, differingAttributes, differingBuckets, diffTables, itemHash, keyBucket, PageLimit, scanDigest } from '../../../verify/drill/digest';

describe('canonical item encoding', () => {
  it('does not depend on attribute order', () => {
    expect(canonicalItem({ a: { S: '1' }, b: { N: '2' } })).toBe(canonicalItem({ b: { N: '2' }, a: { S: '1' } }));
  });

  it('does not depend on set order', () => {
    expect(itemHash({ s: { SS: ['x', 'y'] } })).toBe(itemHash({ s: { SS: ['y', 'x'] } }));
  });

  it('treats equal numbers written differently as equal', () => {
    expect(canonicalItem({ n: { N: '1.50' } })).toBe(canonicalItem({ n: { N: '001.5' } }));
  });

  it('keeps list order significant', () => {
    expect(itemHash({ l: { L: [{ S: 'a' }, { S: 'b' }] } })).not.toBe(itemHash({ l: { L: [{ S: 'b' }, { S: 'a' }] } }));
  });

  it('distinguishes a string from a number with the same text', () => {
    expect(itemHash({ v: { S: '1' } })).not.toBe(itemHash({ v: { N: '1' } }));
  });
});

describe('differingAttributes', () => {
  it('names changed, missing and extra attributes', () => {
    expect(differingAttributes({ a: { S: '1' }, b: { S: 'x' } }, { a: { S: '1' }, b: { S: 'y' }, c: { BOOL: true } })).toEqual(['b', 'c']);
  });
});

describe('scanDigest', () => {
  const ddb = mockClient(DynamoDBClient);
  const items = Array.from({ length: 6 }, (_, i) => ({ ID: { S: `id-${i}` } }));
  beforeEach(() => ddb.reset());

  it('gives the same digest whatever segment returns which items', async () => {
    ddb.on(ScanCommand).callsFake(async (input) => ({ Items: items.filter((_, i) => i % input.TotalSegments === input.Segment), Count: 0 }));
    const a = await scanDigest(new DynamoDBClient({ region: 'us-east-1' }), 't', { segments: 2 });
    ddb.reset();
    ddb.on(ScanCommand).callsFake(async (input) => ({ Items: input.Segment === 0 ? [...items].reverse() : [], Count: 0 }));
    const b = await scanDigest(new DynamoDBClient({ region: 'us-east-1' }), 't', { segments: 3 });
    expect(a.digest).toBe(b.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('follows LastEvaluatedKey through every page', async () => {
    ddb.on(ScanCommand).resolvesOnce({ Items: items.slice(0, 3), Count: 3, LastEvaluatedKey: { ID: { S: 'id-2' } } }).resolves({ Items: items.slice(3), Count: 3 });
    const d = await scanDigest(new DynamoDBClient({ region: 'us-east-1' }), 't', { segments: 1 });
    expect(d.items).toBe(6);
  });

  it('counts with Select COUNT when hashing is off', async () => {
    ddb.on(ScanCommand).resolves({ Count: 4 });
    const d = await scanDigest(new DynamoDBClient({ region: 'us-east-1' }), 't', { segments: 1, hash: false });
    expect(d).toEqual({ items: 4, digest: '' });
    expect(ddb.commandCalls(ScanCommand)[0].args[0].input.Select).toBe('COUNT');
  });
});

describe('key-hash buckets', () => {
  const ddb = mockClient(DynamoDBClient);
  const key = { partitionKey: 'ID' };
  const table = (n: number, tamper: (i: number) => Record<string, any> | undefined = () => undefined) =>
    Array.from({ length: n }, (_, i) => tamper(i) ?? { ID: { S: `id-${i}` }, n: { N: String(i) } }).filter((x) => Object.keys(x).length > 0);
  const serve = (tables: Record<string, Record<string, any>[]>) =>
    ddb.on(ScanCommand).callsFake(async (input) => ({ Items: tables[input.TableName].filter((_, i) => i % input.TotalSegments === input.Segment), Count: 0 }));
  const client = () => new DynamoDBClient({ region: 'us-east-1' });
  beforeEach(() => ddb.reset());

  it('puts the same key in the same bucket whatever the number spelling', () => {
    expect(keyBucket({ ID: { N: '1.50' } }, key, 1024)).toBe(keyBucket({ ID: { N: '001.5' } }, key, 1024));
  });

  it('keeps the whole-table digest the same with or without buckets', async () => {
    serve({ a: table(50) });
    const plain = await scanDigest(client(), 'a', { segments: 3 });
    const bucketed = await scanDigest(client(), 'a', { segments: 2, key, buckets: 64 });
    expect(bucketed.digest).toBe(plain.digest);
    expect(bucketed.buckets?.counts.reduce((x, y) => x + y, 0)).toBe(50);
  });

  it('differs only in the buckets of the keys that differ', async () => {
    serve({ a: table(200), b: table(200, (i) => (i === 7 ? { ID: { S: 'id-7' }, n: { N: '-1' } } : undefined)) });
    const [a, b] = await Promise.all([scanDigest(client(), 'a', { key }), scanDigest(client(), 'b', { key })]);
    expect(differingBuckets(a.buckets!, b.buckets!)).toEqual([keyBucket({ ID: { S: 'id-7' } }, key, 1024)]);
  });

  it('names missing, extra and changed keys, counts them all and lists at most maxKeys', async () => {
    const ref = table(300);
    const other = table(300, (i) => (i === 3 ? {} : i === 5 ? { ID: { S: 'id-5' }, n: { N: '99' } } : undefined));
    other.push({ ID: { S: 'new-1' }, n: { N: '1' } }, { ID: { S: 'new-2' }, n: { N: '2' } });
    serve({ a: ref, b: other });
    ddb.on(GetItemCommand).callsFake(async (input) => ({ Item: (input.TableName === 'a' ? ref : other).find((x) => x.ID.S === input.Key.ID.S) }));
    const [da, db] = await Promise.all([scanDigest(client(), 'a', { key }), scanDigest(client(), 'b', { key })]);
    const diff = await diffTables({ client: client(), table: 'a', digest: da }, { client: client(), table: 'b', digest: db }, { key, maxKeys: 3 });
    expect({ missing: diff.missing, extra: diff.extra, changed: diff.changed }).toEqual({ missing: 1, extra: 2, changed: 1 });
    expect(diff.keys).toHaveLength(3);
    const all = await diffTables({ client: client(), table: 'a', digest: da }, { client: client(), table: 'b', digest: db }, { key, maxKeys: 10 });
    expect(all.keys).toEqual(expect.arrayContaining([
      { key: '{"ID":"id-3"}', kind: 'missing' },
      { key: '{"ID":"id-5"}', kind: 'changed', attributes: ['n'] },
      { key: '{"ID":"new-1"}', kind: 'extra' },
      { key: '{"ID":"new-2"}', kind: 'extra' },
    ]));
    expect(describeDifferences([{ key: '{"ID":"id-5"}', kind: 'changed', attributes: ['n'] }], { missing: 'gone', extra: 'added', changed: 'changed' })).toBe('{"ID":"id-5"} changed (n)');
  });

  it('rescans only the differing buckets, in groups held under maxHeld', async () => {
    const ref = table(400);
    const other = table(400, (i) => (i % 40 === 0 ? { ID: { S: `id-${i}` }, n: { N: '-1' } } : undefined));
    serve({ a: ref, b: other });
    ddb.on(GetItemCommand).resolves({});
    const [da, db] = await Promise.all([scanDigest(client(), 'a', { key, buckets: 16 }), scanDigest(client(), 'b', { key, buckets: 16 })]);
    const diff = await diffTables({ client: client(), table: 'a', digest: da }, { client: client(), table: 'b', digest: db }, { key, maxHeld: 30 });
    expect(diff.changed).toBe(10);
    expect(diff.passes).toBeGreaterThan(1);
  });
});

describe('PageLimit', () => {
  it('keeps at most max pages in flight across scans, and lets every scan finish', async () => {
    const ddb = mockClient(DynamoDBClient);
    let inFlight = 0;
    let most = 0;
    ddb.on(ScanCommand).callsFake(async (input) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      const page = Number(input.ExclusiveStartKey?.p?.N ?? 0);
      return { Items: [{ ID: { S: `${input.TableName}-${input.Segment}-${page}` } }], Count: 1, LastEvaluatedKey: page < 2 ? { p: { N: String(page + 1) } } : undefined };
    });
    const pages = new PageLimit(3);
    const client = new DynamoDBClient({ region: 'us-east-1' });
    const digests = await Promise.all(['a', 'b', 'c'].map((t) => scanDigest(client, t, { segments: 4, pages })));
    expect(digests.map((d) => d.items)).toEqual([12, 12, 12]);
    expect(most).toBe(3);
    ddb.restore();
  });
});
