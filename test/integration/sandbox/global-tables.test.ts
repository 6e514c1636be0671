/**
 * Global tables, version 2019.11.21 (sandbox/fixes-global-tables.ts): UpdateTable's ReplicaUpdates
 * create the replica's table in its region (with its own KMS key), DescribeTable lists replicas
 * with CREATING → ACTIVE, writes in either region reach the other, last writer wins, replicas
 * survive a restart, and deleting a replica deletes its table.
 */
import {
  CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand,
  UpdateTableCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox, tempStateDir } from './helpers';

jest.setTimeout(90_000);

const WEST = 'us-west-2';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TABLE = {
  BillingMode: 'PAY_PER_REQUEST' as const,
  KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' as const }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
};

let sandbox: Sandbox;
let east: DynamoDBClient;
let west: DynamoDBClient;
const stateDir = tempStateDir();

async function start(): Promise<void> {
  sandbox = await startTestSandbox({ stateDir });
  east = new DynamoDBClient({ endpoint: sandbox.endpoint, region: 'us-east-1' });
  west = new DynamoDBClient({ endpoint: sandbox.endpoint, region: WEST });
}
beforeAll(start);
afterAll(() => sandbox?.stop());

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(50);
  }
}
const item = async (client: DynamoDBClient, table: string, id: string) => (await client.send(new GetItemCommand({ TableName: table, Key: { ID: { S: id } }, ConsistentRead: true }))).Item;
const valueIn = async (client: DynamoDBClient, table: string, id: string) => (await item(client, table, id))?.v?.S;
const replicaStatuses = async (client: DynamoDBClient, table: string) =>
  (await client.send(new DescribeTableCommand({ TableName: table }))).Table?.Replicas?.map((r) => `${r.RegionName}:${r.ReplicaStatus}`) ?? [];

describe('global tables (2019.11.21)', () => {
  let westKey: string;

  it('creates the replica in its region with its own key, CREATING then ACTIVE, with the items already written', async () => {
    westKey = (await new KMSClient({ endpoint: sandbox.endpoint, region: WEST }).send(new CreateKeyCommand({ Description: 'replica key' }))).KeyMetadata!.Arn!;
    await east.send(new CreateTableCommand({ TableName: 'orders', ...TABLE }));
    await east.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: 'before' }, v: { S: 'old' } } }));
    const updated = await east.send(new UpdateTableCommand({ TableName: 'orders', ReplicaUpdates: [{ Create: { RegionName: WEST, KMSMasterKeyId: westKey } }] }));
    const statuses = [updated.TableDescription?.Replicas?.map((r) => `${r.RegionName}:${r.ReplicaStatus}`)];
    const active = await eventually(() => replicaStatuses(east, 'orders'), (s) => s[0] === `${WEST}:ACTIVE`);
    const replica = (await west.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!;
    expect({
      statuses: [...statuses, active],
      version: updated.TableDescription?.GlobalTableVersion,
      replica: { arn: replica.TableArn, key: replica.SSEDescription?.KMSMasterKeyArn, keys: replica.KeySchema, replicas: replica.Replicas?.map((r) => r.RegionName) },
      backfilled: await valueIn(west, 'orders', 'before'),
    }).toEqual({
      statuses: [[`${WEST}:CREATING`], [`${WEST}:ACTIVE`]],
      version: '2019.11.21',
      replica: { arn: 'arn:aws:dynamodb:us-west-2:123456789012:table/orders', key: westKey, keys: TABLE.KeySchema, replicas: ['us-east-1'] },
      backfilled: 'old',
    });
  });

  it('replicates puts, updates and deletes both ways', async () => {
    await east.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: 'e' }, v: { S: 'from-east' } } }));
    await west.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: 'w' }, v: { S: 'from-west' } } }));
    await west.send(new UpdateItemCommand({ TableName: 'orders', Key: { ID: { S: 'e' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '7' } } }));
    await east.send(new DeleteItemCommand({ TableName: 'orders', Key: { ID: { S: 'before' } } }));
    const scan = async (c: DynamoDBClient) => ((await c.send(new ScanCommand({ TableName: 'orders', ConsistentRead: true }))).Items ?? [])
      .map((i: Record<string, AttributeValue>) => `${i.ID.S}=${i.v?.S}${i.n ? `/${i.n.N}` : ''}`).sort();
    const expected = ['e=from-east/7', 'w=from-west'];
    expect({ east: await eventually(() => scan(east), (s) => s.join() === expected.join()), west: await eventually(() => scan(west), (s) => s.join() === expected.join()) })
      .toEqual({ east: expected, west: expected });
  });

  it('converges on the last writer when both regions write one item at once', async () => {
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      const client = i % 2 ? west : east;
      const id = `contended-${i % 3}`;
      writes.push(i % 4 === 3
        ? client.send(new UpdateItemCommand({ TableName: 'orders', Key: { ID: { S: id } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: `update-${i}` } } }))
        : client.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: id }, v: { S: `write-${i}` } } })));
    }
    await Promise.all(writes);
    const both = async () => Promise.all([0, 1, 2].map(async (k) => [await valueIn(east, 'orders', `contended-${k}`), await valueIn(west, 'orders', `contended-${k}`)]));
    // Replication is asynchronous: wait until it has settled, then the two copies must agree.
    await sleep(1000);
    const settled = await both();
    expect(settled.map(([a, b]) => a === b && a !== undefined)).toEqual([true, true, true]);
  });

  it('refuses a second replica in a region that has one, and a table under a customer key without a key for the replica', async () => {
    await expect(east.send(new UpdateTableCommand({ TableName: 'orders', ReplicaUpdates: [{ Create: { RegionName: WEST, KMSMasterKeyId: westKey } }] })))
      .rejects.toMatchObject({ name: 'ValidationException' });
    const eastKey = (await new KMSClient({ endpoint: sandbox.endpoint }).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await east.send(new CreateTableCommand({ TableName: 'keyed', ...TABLE, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: eastKey } }));
    await expect(east.send(new UpdateTableCommand({ TableName: 'keyed', ReplicaUpdates: [{ Create: { RegionName: WEST } }] })))
      .rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/KMSMasterKeyId/) });
  });

  it('keeps the replica, its items and replication across a restart', async () => {
    await sandbox.stop();
    await start();
    await east.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: 'after-restart' }, v: { S: 'x' } } }));
    expect({
      replicas: await replicaStatuses(east, 'orders'),
      west: await valueIn(west, 'orders', 'w'),
      replicated: await eventually(() => valueIn(west, 'orders', 'after-restart'), (v) => v === 'x'),
    }).toEqual({ replicas: [`${WEST}:ACTIVE`], west: 'from-west', replicated: 'x' });
  });

  it('deletes a replica: DELETING, then gone, with its table', async () => {
    const deleted = await east.send(new UpdateTableCommand({ TableName: 'orders', ReplicaUpdates: [{ Delete: { RegionName: WEST } }] }));
    const gone = await eventually(() => replicaStatuses(east, 'orders'), (s) => s.length === 0);
    await expect(west.send(new DescribeTableCommand({ TableName: 'orders' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect({ deleting: deleted.TableDescription?.Replicas?.map((r) => `${r.RegionName}:${r.ReplicaStatus}`), gone, east: await valueIn(east, 'orders', 'w') })
      .toEqual({ deleting: [`${WEST}:DELETING`], gone: [], east: 'from-west' });
  });
});
