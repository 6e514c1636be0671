/**
 * The demo's data: seed 000's five items (partition key `ID`, attributes shaped like seed 001's
 * `ID`/`Name`/`Role`/`CreatedAt`), more generated on request, written with BatchWriteItem.
 * Items are deterministic so a restore can be validated attribute by attribute against them.
 */
import { BatchWriteItemCommand, DynamoDBClient, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { invalidInput, TablesafeError } from '../core/errors';

export type DemoItem = Record<string, AttributeValue>;

const SEED_PEOPLE: ReadonlyArray<readonly [string, string, string]> = [
  ['Arkan', 'Developer', 'Engineering'],
  ['Maya', 'Data Engineer', 'Analytics'],
  ['Omar', 'Security Analyst', 'Security'],
  ['Lena', 'Product Manager', 'Product'],
  ['Ravi', 'Site Reliability Engineer', 'Operations'],
];

const ROLES = ['Developer', 'Senior Developer', 'Data Engineer', 'Security Analyst', 'Product Manager', 'Site Reliability Engineer'];
const TEAMS = ['Engineering', 'Analytics', 'Security', 'Product', 'Operations'];
const EPOCH = Date.UTC(2024, 0, 15, 9, 0, 0);

/** Item `n` (1-based). The first five are seed 000's; the rest follow the same shape. */
export function demoItem(n: number): DemoItem {
  if (!Number.isInteger(n) || n < 1) throw invalidInput('item', n, 'must be an integer ≥ 1', { code: 'TS_E_DEMO_ITEM' });
  const seeded = SEED_PEOPLE[n - 1];
  const [name, role, team] = seeded ?? [`User ${n}`, ROLES[n % ROLES.length], TEAMS[n % TEAMS.length]];
  return {
    ID: { S: String(n) },
    Name: { S: name },
    Role: { S: role },
    Team: { S: team },
    Level: { N: String(1 + (n % 5)) },
    Active: { BOOL: n % 7 !== 0 },
    Skills: { SS: [role.split(' ')[0], team].filter((v, i, a) => a.indexOf(v) === i) },
    CreatedAt: { S: new Date(EPOCH + (n - 1) * 3_600_000).toISOString() },
  };
}

export function demoItems(count: number): DemoItem[] {
  return Array.from({ length: count }, (_, i) => demoItem(i + 1));
}

export interface SeedOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly items: readonly DemoItem[];
  /** @default 4 */
  readonly concurrency?: number;
  /** Called after each batch with items written so far. @default silent */
  readonly onProgress?: (written: number, total: number) => void;
  /** @default never aborted */
  readonly signal?: AbortSignal;
  /** Attempts for a batch's unprocessed items before giving up. @default 8 */
  readonly maxAttempts?: number;
  /** @default real timers */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const BATCH_SIZE = 25;

/** Writes every item (25 a batch, unprocessed items retried with backoff); resolves the count written. */
export async function seedItems(o: SeedOptions): Promise<number> {
  const batches: DemoItem[][] = [];
  for (let i = 0; i < o.items.length; i += BATCH_SIZE) batches.push(o.items.slice(i, i + BATCH_SIZE));
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = o.maxAttempts ?? 8;
  let written = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      if (o.signal?.aborted) throw new TablesafeError('TS_E_ABORTED', 'seeding was interrupted', 'run the demo again');
      const batch = batches[next++];
      let pending: WriteRequest[] = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > maxAttempts) {
          throw new TablesafeError('TS_E_SEED', `BatchWriteItem left ${pending.length} items unprocessed after ${maxAttempts} attempts on ${o.tableName}`, 'the table is throttling; retry, or seed fewer items with --items');
        }
        const out = await o.client.send(new BatchWriteItemCommand({ RequestItems: { [o.tableName]: pending } }), { abortSignal: o.signal as never });
        const before = pending.length;
        pending = out.UnprocessedItems?.[o.tableName] ?? [];
        written += before - pending.length;
        o.onProgress?.(written, o.items.length);
        if (pending.length > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, batches.length) }, worker));
  return written;
}
