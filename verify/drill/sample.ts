/**
 * DATA-SAMPLE's draw: random items of the backup restore, chosen by a seeded pseudo-random
 * generator, never the first Scan page (which would always read the same few hash ranges).
 *
 * Each draw picks a Scan segment at random (of `totalSegments`, sized so a segment holds about
 * one page of `PAGE` items), reads that segment's first page and takes the item at a random
 * offset in it. A table no larger than the sample is read whole. The seed, the segment count and
 * every key drawn are returned, so the report shows what was compared and the same seed over the
 * same table draws the same keys.
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Item, keyLabel, KeyNames } from './digest';
import type { SampledKey, Sampling } from './types';

/** Keys listed in the report per drill (a bounded list; `keysOmitted` counts the rest). */
export const MAX_SAMPLED_KEYS = 200;

/** Items per segment the segment count aims at, and the page size each draw reads. */
const PAGE = 10;

/** Largest TotalSegments DynamoDB accepts is 1,000,000; more than this buys nothing for a sample. */
const MAX_SEGMENTS = 100_000;

/** mulberry32: a small, well-known 32-bit PRNG; deterministic for a seed. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const newSeed = (): number => Math.floor(Math.random() * 4_294_967_296) >>> 0;

export interface DrawOptions {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly key: KeyNames;
  /** Items to draw. */
  readonly sample: number;
  /** Items the table holds (counted by the digest scan). */
  readonly tableItems: number;
  readonly seed: number;
  readonly signal?: AbortSignal;
}

export interface Draw {
  readonly items: readonly Item[];
  readonly sampling: Sampling;
}

export async function drawSample(o: DrawOptions): Promise<Draw> {
  const picked = new Map<string, { item: Item; at: SampledKey }>();
  let totalSegments = 1;
  let method: Sampling['method'] = 'all-items';
  if (o.tableItems <= o.sample) {
    let start: Item | undefined;
    do {
      const page = await o.client.send(new ScanCommand({ TableName: o.table, ExclusiveStartKey: start }), { abortSignal: o.signal });
      for (const item of (page.Items ?? []) as Item[]) {
        const label = keyLabel(item, o.key);
        if (picked.size < o.sample && !picked.has(label)) picked.set(label, { item, at: { key: label } });
      }
      start = page.LastEvaluatedKey as Item | undefined;
    } while (start && picked.size < o.sample);
  } else {
    method = 'seeded-segment-offset';
    totalSegments = Math.max(1, Math.min(MAX_SEGMENTS, Math.ceil(o.tableItems / PAGE)));
    const random = seededRandom(o.seed);
    // Empty segments and repeats cost a draw; three tries per item bound the reads.
    for (let attempt = 0; attempt < o.sample * 3 && picked.size < o.sample; attempt++) {
      const segment = Math.floor(random() * totalSegments);
      const page = await o.client.send(new ScanCommand({ TableName: o.table, Segment: segment, TotalSegments: totalSegments, Limit: PAGE }), { abortSignal: o.signal });
      const items = (page.Items ?? []) as Item[];
      if (items.length === 0) continue;
      const offset = Math.floor(random() * items.length);
      const label = keyLabel(items[offset], o.key);
      if (!picked.has(label)) picked.set(label, { item: items[offset], at: { key: label, segment, offset } });
    }
  }
  const all = [...picked.values()];
  return {
    items: all.map((p) => p.item),
    sampling: {
      method,
      seed: o.seed,
      totalSegments,
      requested: o.sample,
      sampled: all.length,
      keys: all.slice(0, MAX_SAMPLED_KEYS).map((p) => p.at),
      keysOmitted: Math.max(0, all.length - MAX_SAMPLED_KEYS),
    },
  };
}
