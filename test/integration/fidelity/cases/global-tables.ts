/** DynamoDB global tables, version 2019.11.21 (UpdateTable ReplicaUpdates), as the API reference and developer guide document them. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { until, type Case, type Env } from '../harness';
import { api, createTable, error, nameOf, send } from '../kit';

const WEST = 'us-west-2';
const west = (e: Env) => new DynamoDBClient({ endpoint: e.endpoint, region: WEST, maxAttempts: 1 });
const streams = { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } };
const statusOf = async (e: Env, table: string) => (await send(e, 'dynamodb', 'DescribeTable', { TableName: table })).Table.Replicas?.[0]?.ReplicaStatus as string | undefined;

/** A table with an ACTIVE replica in us-west-2. */
async function globalTable(e: Env, table: string): Promise<void> {
  await createTable(e, table, streams);
  await send(e, 'dynamodb', 'UpdateTable', { TableName: table, ReplicaUpdates: [{ Create: { RegionName: WEST } }] });
  await until(() => statusOf(e, table), (s) => s === 'ACTIVE');
}

async function westSend(e: Env, operation: string, input: unknown): Promise<any> {
  const Command = (require('@aws-sdk/client-dynamodb') as Record<string, new (i: unknown) => unknown>)[`${operation}Command`];
  return (west(e) as unknown as { send(c: unknown): Promise<any> }).send(new Command(input));
}

export const GLOBAL_TABLE_CASES: Case[] = [
  {
    id: 'ddb.global.replica-create',
    reference: 'DynamoDB API Reference, UpdateTable ReplicaUpdates Create (version 2019.11.21): the TableDescription lists the new replica with ReplicaStatus CREATING and GlobalTableVersion',
    setup: (e, v) => createTable(e, nameOf('gt-create', v), streams),
    ...api('dynamodb', 'UpdateTable', (_e, v) => ({ TableName: nameOf('gt-create', v), ReplicaUpdates: [{ Create: { RegionName: WEST } }] })),
    expect: (out) => expect({ replicas: out.TableDescription.Replicas, version: out.TableDescription.GlobalTableVersion })
      .toEqual({ replicas: [expect.objectContaining({ RegionName: WEST, ReplicaStatus: 'CREATING' })], version: '2019.11.21' }),
  },
  {
    id: 'ddb.global.replica-active',
    reference: 'DynamoDB API Reference, ReplicaDescription.ReplicaStatus: CREATING becomes ACTIVE; the replica is a table of the same name and keys in its region, listing the other region as its replica',
    setup: (e, v) => createTable(e, nameOf('gt-active', v), streams),
    ...api('dynamodb', 'UpdateTable', (_e, v) => ({ TableName: nameOf('gt-active', v), ReplicaUpdates: [{ Create: { RegionName: WEST } }] })),
    observe: async (e, _out, _d, v) => {
      const status = await until(() => statusOf(e, nameOf('gt-active', v)), (s) => s === 'ACTIVE');
      const replica = (await westSend(e, 'DescribeTable', { TableName: nameOf('gt-active', v) })).Table;
      return { status, arn: replica.TableArn, keys: replica.KeySchema, replicas: replica.Replicas?.map((r: { RegionName: string }) => r.RegionName) };
    },
    expect: (out, _d, v) => expect(out).toEqual({
      status: 'ACTIVE', arn: `arn:aws:dynamodb:${WEST}:123456789012:table/${nameOf('gt-active', v)}`, keys: [{ AttributeName: 'ID', KeyType: 'HASH' }], replicas: ['us-east-1'],
    }),
  },
  {
    id: 'ddb.global.replica-own-key',
    reference: 'DynamoDB API Reference, CreateReplicationGroupMemberAction.KMSMasterKeyId: the replica is encrypted with the key given, a key in the replica\'s region',
    setup: async (e, v) => {
      await createTable(e, nameOf('gt-key', v), streams);
      return (await new KMSClient({ endpoint: e.endpoint, region: WEST }).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    },
    ...api('dynamodb', 'UpdateTable', (_e, v, key) => ({ TableName: nameOf('gt-key', v), ReplicaUpdates: [{ Create: { RegionName: WEST, KMSMasterKeyId: key } }] })),
    observe: async (e, _out, _d, v) => (await westSend(e, 'DescribeTable', { TableName: nameOf('gt-key', v) })).Table.SSEDescription?.KMSMasterKeyArn,
    expect: (out, key) => expect(out).toBe(key),
  },
  {
    id: 'ddb.global.replica-exists',
    reference: 'DynamoDB API Reference, UpdateTable ReplicaUpdates Create for a region that already has a replica → ValidationException',
    setup: (e, v) => globalTable(e, nameOf('gt-dup', v)),
    ...api('dynamodb', 'UpdateTable', (_e, v) => ({ TableName: nameOf('gt-dup', v), ReplicaUpdates: [{ Create: { RegionName: WEST } }] })),
    expect: error('ValidationException', undefined, 400),
  },
  {
    id: 'ddb.global.customer-key-needs-replica-key',
    reference: 'DynamoDB Developer Guide, global tables encryption: a table under a customer managed key needs KMSMasterKeyId for each new replica → ValidationException without it',
    setup: async (e, v) => {
      const key = (await send(e, 'kms', 'CreateKey', {})).KeyMetadata.Arn as string;
      await createTable(e, nameOf('gt-cmk', v), { ...streams, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key } });
    },
    ...api('dynamodb', 'UpdateTable', (_e, v) => ({ TableName: nameOf('gt-cmk', v), ReplicaUpdates: [{ Create: { RegionName: WEST } }] })),
    expect: error('ValidationException', /KMSMasterKeyId/, 400),
  },
  {
    id: 'ddb.global.replication',
    reference: 'DynamoDB Developer Guide, global tables: a write to one replica is propagated to every other replica (asynchronously, usually within a second)',
    setup: (e, v) => globalTable(e, nameOf('gt-rep', v)),
    ...api('dynamodb', 'PutItem', (_e, v) => ({ TableName: nameOf('gt-rep', v), Item: { ID: { S: 'x' }, v: { S: v.tag } } })),
    observe: (e, _out, _d, v) => until(
      async () => (await westSend(e, 'GetItem', { TableName: nameOf('gt-rep', v), Key: { ID: { S: 'x' } }, ConsistentRead: true })).Item,
      (item) => item !== undefined,
    ),
    expect: (out, _d, v) => expect(out).toEqual({ ID: { S: 'x' }, v: { S: v.tag } }),
  },
  {
    id: 'ddb.global.replication-back',
    reference: 'DynamoDB Developer Guide, global tables: every replica takes writes (multi-active); a delete in a replica region reaches the others too',
    setup: async (e, v) => {
      await globalTable(e, nameOf('gt-back', v));
      await westSend(e, 'PutItem', { TableName: nameOf('gt-back', v), Item: { ID: { S: 'w' } } });
      await until(async () => (await send(e, 'dynamodb', 'GetItem', { TableName: nameOf('gt-back', v), Key: { ID: { S: 'w' } } })).Item, (i) => i !== undefined);
    },
    ...api('dynamodb', 'DeleteItem', (_e, v) => ({ TableName: nameOf('gt-back', v), Key: { ID: { S: 'w' } } })),
    observe: (e, _out, _d, v) => until(
      async () => (await westSend(e, 'GetItem', { TableName: nameOf('gt-back', v), Key: { ID: { S: 'w' } }, ConsistentRead: true })).Item ?? null,
      (item) => item === null,
    ),
    expect: (out) => expect(out).toBeNull(),
  },
  {
    id: 'ddb.global.replica-delete',
    reference: 'DynamoDB API Reference, UpdateTable ReplicaUpdates Delete: the replica reports DELETING, then its table is gone from its region',
    setup: (e, v) => globalTable(e, nameOf('gt-del', v)),
    ...api('dynamodb', 'UpdateTable', (_e, v) => ({ TableName: nameOf('gt-del', v), ReplicaUpdates: [{ Delete: { RegionName: WEST } }] })),
    observe: async (e, out, _d, v) => {
      const gone = await until(() => statusOf(e, nameOf('gt-del', v)), (s) => s === undefined);
      const there = await westSend(e, 'DescribeTable', { TableName: nameOf('gt-del', v) }).then(() => 'exists', (err: Error) => err.name);
      return { first: out.TableDescription.Replicas?.[0]?.ReplicaStatus, gone: gone ?? 'gone', there };
    },
    expect: (out) => expect(out).toEqual({ first: 'DELETING', gone: 'gone', there: 'ResourceNotFoundException' }),
  },
];
