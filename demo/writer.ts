/**
 * The demo's live traffic: a writer that keeps the demo table busy from before the backup until
 * after the drill, a few writes a second, in a key space of its own (`load-<n>`), so the seeded
 * items stay exactly as written (the disaster scenario checks them item by item) while the table
 * as a whole keeps changing: the drill must prove the table at the recovery point's time, not the
 * table of now. Each round is one of: a put of a new item, an update of one, a delete of the
 * oldest, and a transaction (a put and an update together). A refused write (the table is gone
 * during the disaster, throttling) is counted and the writer goes on.
 */
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';

export const WRITER_KEY_PREFIX = 'load-';

export interface WriterStats {
  readonly puts: number;
  readonly updates: number;
  readonly deletes: number;
  readonly transactions: number;
  /** Writes the table refused (e.g. while it was deleted and restored). */
  readonly refused: number;
  /** The last refusal, `Name: message`. */
  readonly lastRefusal?: string;
}

export interface LoadWriter {
  /** Counts so far. */
  stats(): WriterStats;
  /** Stops after the write in flight; resolves the final counts. */
  stop(): Promise<WriterStats>;
}

export interface WriterOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly partitionKey: string;
  /**
   * Pause between two writes.
   * @default 250 (four writes a second)
   */
  readonly intervalMs?: number;
  /** @default real timers */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Whether a key is one the writer owns (not one the demo seeded). */
export const isWriterKey = (key: string): boolean => key.startsWith(WRITER_KEY_PREFIX);

export function startWriter(o: WriterOptions): LoadWriter {
  const interval = o.intervalMs ?? 250;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.()));
  const counts = { puts: 0, updates: 0, deletes: 0, transactions: 0, refused: 0 };
  let lastRefusal: string | undefined;
  let running = true;
  let next = 1;
  /** Keys written and not deleted, oldest first. */
  const live: string[] = [];
  const key = (id: string): Record<string, AttributeValue> => ({ [o.partitionKey]: { S: id } });
  const item = (id: string, round: number): Record<string, AttributeValue> => ({
    ...key(id),
    Name: { S: `Load ${id.slice(WRITER_KEY_PREFIX.length)}` },
    Writes: { N: '1' },
    Round: { N: String(round) },
  });
  const bump = (id: string, round: number) => ({
    TableName: o.tableName,
    Key: key(id),
    UpdateExpression: 'ADD Writes :one SET #r = :round',
    ExpressionAttributeNames: { '#r': 'Round' },
    ExpressionAttributeValues: { ':one': { N: '1' }, ':round': { N: String(round) } },
  });

  const once = async (round: number): Promise<void> => {
    const kind = round % 4;
    if (kind === 0 || live.length < 2) {
      const id = `${WRITER_KEY_PREFIX}${next++}`;
      await o.client.send(new PutItemCommand({ TableName: o.tableName, Item: item(id, round) }));
      live.push(id);
      counts.puts += 1;
    } else if (kind === 1) {
      await o.client.send(new UpdateItemCommand(bump(live[live.length - 1], round)));
      counts.updates += 1;
    } else if (kind === 2) {
      const id = live.shift()!;
      await o.client.send(new DeleteItemCommand({ TableName: o.tableName, Key: key(id) }));
      counts.deletes += 1;
    } else {
      const id = `${WRITER_KEY_PREFIX}${next++}`;
      await o.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: o.tableName, Item: item(id, round) } }, { Update: bump(live[0], round) }] }));
      live.push(id);
      counts.transactions += 1;
    }
  };

  const loop = (async () => {
    for (let round = 0; running; round++) {
      try {
        await once(round);
      } catch (e) {
        counts.refused += 1;
        lastRefusal = `${(e as Error).name}: ${(e as Error).message}`.split('\n')[0];
      }
      if (running) await sleep(interval);
    }
  })();

  const stats = (): WriterStats => ({ ...counts, ...(lastRefusal ? { lastRefusal } : {}) });
  return {
    stats,
    stop: async () => {
      running = false;
      await loop;
      return stats();
    },
  };
}

/** `42 writes (12 puts, 10 updates, 10 deletes, 10 transactions)`, with refusals when there were any. */
export function formatWriterStats(s: WriterStats): string {
  const total = s.puts + s.updates + s.deletes + s.transactions;
  const refused = s.refused ? `; ${s.refused} refused (${s.lastRefusal ?? 'no message'})` : '';
  return `${total} writes (${s.puts} puts, ${s.updates} updates, ${s.deletes} deletes, ${s.transactions} transactions)${refused}`;
}
