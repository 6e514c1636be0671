import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { canonicalItem, differingAttributes, itemHash, scanDigest } from '../../../verify/drill/digest';

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
