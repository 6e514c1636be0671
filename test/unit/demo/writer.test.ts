/** The demo's live writer: puts, updates, deletes and transactions on keys of its own, refusals counted. */
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { compareItems } from '../../../demo/disaster';
import { formatWriterStats, isWriterKey, startWriter } from '../../../demo/writer';

const ddb = mockClient(DynamoDBClient);
beforeEach(() => ddb.reset());

/** A sleep that lets `rounds` writes happen, then waits forever (until the writer is stopped). */
function rounds(n: number) {
  let left = n;
  let wake: (() => void) | undefined;
  const done = new Promise<void>((r) => (wake = r));
  return { sleep: async () => void (--left <= 0 && wake?.()), done };
}

describe('live writer', () => {
  it('cycles through puts, updates, deletes and transactions in its own key space', async () => {
    ddb.onAnyCommand().resolves({});
    const r = rounds(12);
    const w = startWriter({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 't', partitionKey: 'ID', sleep: r.sleep });
    await r.done;
    const s = await w.stop();
    expect(s.puts + s.updates + s.deletes + s.transactions).toBeGreaterThanOrEqual(12);
    expect([s.puts, s.updates, s.deletes, s.transactions].every((n) => n > 0)).toBe(true);
    const keys = [...ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item!.ID.S!), ...ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.Key!.ID.S!), ...ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.Key!.ID.S!)];
    expect(keys.every(isWriterKey)).toBe(true);
    expect(ddb.commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems).toHaveLength(2);
  });

  it('counts refused writes and goes on', async () => {
    ddb.onAnyCommand().rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    const r = rounds(3);
    const w = startWriter({ client: new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }), tableName: 't', partitionKey: 'ID', sleep: r.sleep });
    await r.done;
    const s = await w.stop();
    expect(s.refused).toBeGreaterThanOrEqual(3);
    expect(formatWriterStats(s)).toMatch(/^0 writes .*; \d+ refused \(ResourceNotFoundException: Requested resource not found\)$/);
  });
});

describe('the disaster check with a live writer', () => {
  it('compares the demo\'s own items exactly and counts the writer\'s apart', () => {
    const mine = [{ ID: { S: '1' }, Name: { S: 'Arkan' } }];
    const found = new Map<string, Record<string, { S: string }>>([['1', mine[0]], ['load-3', { ID: { S: 'load-3' } }]]);
    expect(compareItems(mine, found, 'ID', isWriterKey)).toEqual({ expected: 1, found: 2, matching: 1, problems: [], others: 1 });
    expect(compareItems(mine, found, 'ID').problems).toEqual(['ID=load-3: not written by the demo']);
  });
});
