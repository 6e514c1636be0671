/**
 * Start-up compaction folds each item's writes into its final state (sandbox/compact.ts). It must
 * change nothing a client can read: the same items after a restart as before it, and point-in-time
 * restores to times before the restart answer the same items as they did before it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand,
  RestoreTableToPointInTimeCommand, ScanCommand, TransactWriteItemsCommand, UpdateContinuousBackupsCommand, UpdateItemCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox, tempStateDir } from './helpers';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TIME_SCALE = 3000; // PITR's five-minute lag becomes 100 ms
const table = (TableName: string) => ({
  TableName, BillingMode: 'PAY_PER_REQUEST' as const,
  KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' as const }, { AttributeName: 'n', KeyType: 'RANGE' as const }],
  AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' as const }, { AttributeName: 'n', AttributeType: 'N' as const }],
});
const key = (id: string): Record<string, AttributeValue> => ({ ID: { S: id }, n: { N: '1' } });

async function state(ddb: DynamoDBClient, name: string): Promise<Record<string, unknown>> {
  const items = (await ddb.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? [];
  return Object.fromEntries(items.map((i) => [`${i.ID.S}/${i.n.N}`, i]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function restoredAt(ddb: DynamoDBClient, source: string, target: string, at: Date): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const latest = (await ddb.send(new DescribeContinuousBackupsCommand({ TableName: source }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.LatestRestorableDateTime;
    if ((latest?.getTime() ?? 0) >= at.getTime()) break;
    await sleep(50);
  }
  await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: source, TargetTableName: target, RestoreDateTime: at }));
  for (let i = 0; i < 400; i++) {
    if ((await ddb.send(new DescribeTableCommand({ TableName: target }))).Table?.TableStatus === 'ACTIVE') return state(ddb, target);
    await sleep(25);
  }
  throw new Error(`${target} never became ACTIVE`);
}

const lines = (stateDir: string) => readFileSync(path.join(stateDir, 'journal.jsonl'), 'utf8').trim().split('\n').length;

describe('journal compaction to live state', () => {
  it('restarts into the same items and the same point-in-time history, from a journal with one write per item', async () => {
    const stateDir = tempStateDir();
    let sandbox: Sandbox = await startTestSandbox({ stateDir, timeScale: TIME_SCALE });
    let ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
    const marks: Date[] = [];
    const before: Record<string, unknown> = {};
    try {
      await ddb.send(new CreateTableCommand(table('orders')));
      await ddb.send(new CreateTableCommand(table('audit')));
      await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      const round = async (r: number) => {
        for (let i = 0; i < 10; i++) {
          await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { ...key(`o${i}`), v: { N: String(r) }, tags: { SS: [`r${r}`] } } }));
          // An update expression and a condition on top of the put: only its image can be folded.
          await ddb.send(new UpdateItemCommand({
            TableName: 'orders', Key: key(`o${i}`), UpdateExpression: 'ADD amount :r, tags :t SET remark = if_not_exists(remark, :first)',
            ConditionExpression: 'attribute_exists(ID)', ExpressionAttributeValues: { ':r': { N: String(r * 10 + i) }, ':t': { SS: [`u${r}`] }, ':first': { S: `round ${r}` } },
          }));
        }
        await ddb.send(new BatchWriteItemCommand({ RequestItems: { orders: [
          { PutRequest: { Item: { ...key(`b${r % 2}`), v: { N: String(r) } } } },
          { DeleteRequest: { Key: key(`o${(r + 3) % 10}`) } },
        ] } }));
        // A batch over two tables is not split: it ends both tables' runs (once, mid-way).
        if (r === 2) await ddb.send(new BatchWriteItemCommand({ RequestItems: {
          orders: [{ PutRequest: { Item: { ...key('both'), v: { N: String(r) } } } }],
          audit: [{ PutRequest: { Item: { ...key('both-audit'), v: { N: String(r) } } } }],
        } }));
        await ddb.send(new UpdateItemCommand({ TableName: 'audit', Key: key('counter'), UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
      };
      await round(0);
      await round(1);
      await sleep(20);
      marks.push(new Date());
      await sleep(20);
      await round(2);
      // A transaction reads an item (its condition) and ends the run of writes it could see.
      await ddb.send(new TransactWriteItemsCommand({ TransactItems: [
        { ConditionCheck: { TableName: 'orders', Key: key('o1'), ConditionExpression: 'attribute_exists(ID)' } },
        { Put: { TableName: 'orders', Item: { ...key('txn'), v: { N: '1' } } } },
      ] }));
      await round(3);
      await ddb.send(new DeleteItemCommand({ TableName: 'orders', Key: key('o5') }));
      await sleep(20);
      marks.push(new Date());
      await sleep(20);
      await round(4);
      await sleep(20);
      marks.push(new Date());
      before.orders = await state(ddb, 'orders');
      before.audit = await state(ddb, 'audit');
      before.restores = [await restoredAt(ddb, 'orders', 'orders-at-0', marks[0]), await restoredAt(ddb, 'orders', 'orders-at-1', marks[1])];
    } finally {
      await sandbox.stop();
    }

    const journaled = lines(stateDir);
    sandbox = await startTestSandbox({ stateDir, timeScale: TIME_SCALE });
    ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
    try {
      const after = {
        orders: await state(ddb, 'orders'),
        audit: await state(ddb, 'audit'),
        restores: [await restoredAt(ddb, 'orders', 'again-at-0', marks[0]), await restoredAt(ddb, 'orders', 'again-at-1', marks[1])],
      };
      expect(after).toEqual(before);
      // The restored copies differ from each other and from now: the history is really exercised.
      expect(new Set([JSON.stringify(before.restores), JSON.stringify(before.orders)]).size).toBe(2);
      expect(JSON.stringify((before.restores as unknown[])[0])).not.toEqual(JSON.stringify((before.restores as unknown[])[1]));
      expect({ journaled, shrunk: sandbox.replayed < journaled / 2 }).toEqual({ journaled: expect.any(Number), shrunk: true });
    } finally {
      await sandbox.stop();
    }
  });
});
