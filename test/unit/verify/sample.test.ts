/** DATA-SAMPLE's draw: seeded random segments and offsets, never the first Scan page. */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { drawSample, MAX_SAMPLED_KEYS, seededRandom } from '../../../verify/drill/sample';
import type { Item } from '../../../verify/drill/digest';

/** A table of `n` items spread over Scan segments by a hash of the key, as DynamoDB does. */
function fakeTable(n: number) {
  const items: Item[] = Array.from({ length: n }, (_, i) => ({ ID: { S: `id-${String(i).padStart(5, '0')}` } }));
  const hash = (s: string) => [...s].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
  const scans: ScanCommand['input'][] = [];
  const client = {
    send: async (cmd: ScanCommand) => {
      const input = cmd.input;
      scans.push(input);
      const inSegment = input.TotalSegments ? items.filter((it) => hash(it.ID.S!) % input.TotalSegments! === input.Segment) : items;
      const page = inSegment.slice(0, input.Limit ?? inSegment.length);
      return { Items: page };
    },
  } as unknown as DynamoDBClient;
  return { client, items, scans };
}

describe('drawSample', () => {
  it('draws random keys from seeded segment and offset choices, not the first page', async () => {
    const t = fakeTable(1000);
    const d = await drawSample({ client: t.client, table: 't', key: { partitionKey: 'ID' }, sample: 20, tableItems: 1000, seed: 42 });
    expect(d.sampling).toMatchObject({ method: 'seeded-segment-offset', seed: 42, totalSegments: 100, requested: 20, sampled: 20, keysOmitted: 0 });
    expect(new Set(d.sampling.keys.map((k) => k.key)).size).toBe(20);
    expect(t.scans.every((s) => s.TotalSegments === 100 && s.Limit === 10)).toBe(true);
    // Not the first Scan page: the keys come from many segments.
    expect(new Set(d.sampling.keys.map((k) => k.segment)).size).toBeGreaterThan(10);
    const first = new Set(t.items.slice(0, 20).map((i) => JSON.stringify({ ID: i.ID.S })));
    expect(d.sampling.keys.filter((k) => first.has(k.key)).length).toBeLessThan(20);
  });

  it('is reproducible: the same seed draws the same keys; another seed other keys', async () => {
    const draw = (seed: number) => drawSample({ client: fakeTable(1000).client, table: 't', key: { partitionKey: 'ID' }, sample: 10, tableItems: 1000, seed });
    const [a, b, c] = await Promise.all([draw(7), draw(7), draw(8)]);
    expect(b.sampling.keys).toEqual(a.sampling.keys);
    expect(c.sampling.keys).not.toEqual(a.sampling.keys);
  });

  it('compares every item of a table no larger than the sample', async () => {
    const t = fakeTable(3);
    const d = await drawSample({ client: t.client, table: 't', key: { partitionKey: 'ID' }, sample: 5, tableItems: 3, seed: 1 });
    expect(d.sampling).toMatchObject({ method: 'all-items', sampled: 3, requested: 5 });
    expect(d.items).toHaveLength(3);
  });

  it('lists at most MAX_SAMPLED_KEYS keys and counts the rest', async () => {
    const t = fakeTable(2000);
    const d = await drawSample({ client: t.client, table: 't', key: { partitionKey: 'ID' }, sample: MAX_SAMPLED_KEYS + 50, tableItems: 2000, seed: 3 });
    expect(d.sampling.keys).toHaveLength(MAX_SAMPLED_KEYS);
    expect(d.sampling.keysOmitted).toBe(d.sampling.sampled - MAX_SAMPLED_KEYS);
    expect(d.items.length).toBe(d.sampling.sampled);
  });

  it('seededRandom is deterministic and in [0, 1)', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
