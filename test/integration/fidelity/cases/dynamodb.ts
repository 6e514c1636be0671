/** DynamoDB control plane, data plane and point-in-time recovery, as the API reference documents them. */
import { api, createTable, error, keySchema, nameOf, send, tableInput } from '../kit';
import type { Case } from '../harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const item = (id: string, extra: Record<string, unknown> = {}) => ({ ID: { S: id }, ...extra });

export const DYNAMODB_CONTROL: Case[] = [
  {
    id: 'ddb.create-table.description',
    reference: 'DynamoDB API Reference, CreateTable: TableDescription carries TableArn (arn:aws:dynamodb:region:account:table/name), TableId (UUID) and TableStatus',
    ...api('dynamodb', 'CreateTable', (_e, v) => tableInput(nameOf('ct', v))),
    expect: (out, _d, v) => {
      expect(out.TableDescription).toMatchObject({ TableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/fid-ct-${v.tag}`, TableId: expect.stringMatching(UUID), TableStatus: expect.stringMatching(/^(CREATING|ACTIVE)$/) });
    },
  },
  {
    id: 'ddb.create-table.name-pattern',
    reference: 'DynamoDB API Reference, CreateTable: TableName pattern [a-zA-Z0-9_.-]+ → ValidationException',
    ...api('dynamodb', 'CreateTable', () => tableInput('bad name!')),
    expect: error('ValidationException', /Member must satisfy regular expression pattern/, 400),
  },
  {
    id: 'ddb.create-table.exists',
    reference: 'DynamoDB API Reference, CreateTable: a table of that name exists → ResourceInUseException',
    setup: (e, v) => createTable(e, nameOf('dup', v)),
    ...api('dynamodb', 'CreateTable', (_e, v) => tableInput(nameOf('dup', v))),
    expect: error('ResourceInUseException', undefined, 400),
  },
  {
    id: 'ddb.create-table.missing-attribute-definition',
    reference: 'DynamoDB API Reference, CreateTable: every key attribute must be in AttributeDefinitions → ValidationException',
    ...api('dynamodb', 'CreateTable', (_e, v) => ({ TableName: nameOf('noattr', v), KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Other', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })),
    expect: error('ValidationException'),
  },
  {
    id: 'ddb.describe-table.not-found',
    reference: 'DynamoDB API Reference, DescribeTable: unknown table → ResourceNotFoundException (HTTP 400)',
    ...api('dynamodb', 'DescribeTable', () => ({ TableName: 'fid-no-such-table' })),
    expect: error('ResourceNotFoundException', /Requested resource not found/, 400),
  },
  {
    id: 'ddb.describe-table.on-demand-capacity',
    reference: 'DynamoDB API Reference, ProvisionedThroughputDescription: an on-demand table reports 0 read and write capacity units',
    setup: (e, v) => createTable(e, nameOf('od', v)),
    ...api('dynamodb', 'DescribeTable', (_e, v) => ({ TableName: nameOf('od', v) })),
    expect: (out) => expect(out.Table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 }),
  },
  {
    id: 'ddb.describe-table.table-class',
    reference: 'DynamoDB API Reference, TableDescription.TableClassSummary: the class given at CreateTable',
    setup: (e, v) => createTable(e, nameOf('cls', v), { TableClass: 'STANDARD_INFREQUENT_ACCESS' }),
    ...api('dynamodb', 'DescribeTable', (_e, v) => ({ TableName: nameOf('cls', v) })),
    expect: (out) => expect(out.Table.TableClassSummary).toMatchObject({ TableClass: 'STANDARD_INFREQUENT_ACCESS' }),
  },
  {
    id: 'ddb.describe-table.table-id',
    reference: 'DynamoDB API Reference, TableDescription.TableId: unique identifier (UUID) of the table, the same on every describe',
    setup: async (e, v) => (await createTable(e, nameOf('tid', v)), (await send(e, 'dynamodb', 'DescribeTable', { TableName: nameOf('tid', v) })).Table.TableId),
    ...api('dynamodb', 'DescribeTable', (_e, v) => ({ TableName: nameOf('tid', v) })),
    expect: (out, first) => expect([out.Table.TableId, out.Table.TableId]).toEqual([first, expect.stringMatching(UUID)]),
  },
  {
    id: 'ddb.describe-table.lsi-index-arn',
    reference: 'DynamoDB API Reference, LocalSecondaryIndexDescription.IndexArn: the ARN of the index (table ARN + /index/name)',
    setup: (e, v) => createTable(e, nameOf('lsi', v), {
      KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }, { AttributeName: 'S', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'S', AttributeType: 'S' }, { AttributeName: 'D', AttributeType: 'S' }],
      LocalSecondaryIndexes: [{ IndexName: 'byDate', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }, { AttributeName: 'D', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }),
    ...api('dynamodb', 'DescribeTable', (_e, v) => ({ TableName: nameOf('lsi', v) })),
    expect: (out, arn) => expect(out.Table.LocalSecondaryIndexes[0]).toMatchObject({ IndexName: 'byDate', IndexArn: `${arn}/index/byDate` }),
  },
  {
    id: 'ddb.describe-table.gsi-index-arn',
    reference: 'DynamoDB API Reference, GlobalSecondaryIndexDescription.IndexArn and IndexStatus',
    setup: (e, v) => createTable(e, nameOf('gsi', v), {
      AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'G', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'G', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }),
    ...api('dynamodb', 'DescribeTable', (_e, v) => ({ TableName: nameOf('gsi', v) })),
    expect: (out, arn) => expect(out.Table.GlobalSecondaryIndexes[0]).toMatchObject({ IndexName: 'byG', IndexArn: `${arn}/index/byG`, IndexStatus: 'ACTIVE' }),
  },
  {
    id: 'ddb.sse.key-id-answered-as-arn',
    reference: 'DynamoDB API Reference, SSEDescription.KMSMasterKeyArn: the key ARN, also when CreateTable named the key by id',
    ...api('dynamodb', 'CreateTable', (e, v) => tableInput(nameOf('sseid', v), { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: e.fx.keyId } })),
    expect: (out, _d) => expect(out.TableDescription.SSEDescription).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\//) }),
  },
  {
    id: 'ddb.sse.default-key-is-aws-managed',
    reference: 'DynamoDB Developer Guide, encryption at rest: SSE without a key uses the AWS managed key alias/aws/dynamodb (KMS KeyManager AWS)',
    setup: (e, v) => createTable(e, nameOf('ssedef', v), { SSESpecification: { Enabled: true, SSEType: 'KMS' } }),
    sdk: async (e, v) => {
      const t = await send(e, 'dynamodb', 'DescribeTable', { TableName: nameOf('ssedef', v) });
      return send(e, 'kms', 'DescribeKey', { KeyId: t.Table.SSEDescription.KMSMasterKeyArn });
    },
    cli: () => ['kms', 'describe-key', '--key-id', 'alias/aws/dynamodb'],
    expect: (out) => expect(out.KeyMetadata).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' }),
  },
  {
    id: 'ddb.sse.disabled-key-refused',
    reference: 'DynamoDB Developer Guide, encryption at rest: a disabled customer managed key cannot encrypt a new table → ValidationException',
    ...api('dynamodb', 'CreateTable', (e, v) => tableInput(nameOf('ssedis', v), { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: e.fx.disabledKeyArn } })),
    expect: error('ValidationException', /is disabled/, 400),
  },
  {
    id: 'ddb.sse.pending-deletion-key-refused',
    reference: 'DynamoDB Developer Guide, encryption at rest: a key pending deletion cannot encrypt a table → ValidationException',
    ...api('dynamodb', 'CreateTable', (e, v) => tableInput(nameOf('ssepend', v), { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: e.fx.pendingKeyArn } })),
    expect: error('ValidationException', /pending deletion/),
  },
  {
    id: 'ddb.sse.missing-key-refused',
    reference: 'DynamoDB API Reference, SSESpecification.KMSMasterKeyId: a key that does not exist → ValidationException',
    ...api('dynamodb', 'CreateTable', (_e, v) => tableInput(nameOf('ssemiss', v), { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000' } })),
    expect: error('ValidationException', /does not exist/),
  },
  {
    id: 'ddb.sse.update-to-disabled-key-refused',
    reference: 'DynamoDB API Reference, UpdateTable SSESpecification: switching to a disabled key → ValidationException; the table keeps its key',
    setup: (e, v) => createTable(e, nameOf('sseupd', v)),
    ...api('dynamodb', 'UpdateTable', (e, v) => ({ TableName: nameOf('sseupd', v), SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: e.fx.disabledKeyArn } })),
    expect: error('ValidationException', /is disabled/),
  },
  {
    id: 'ddb.ttl.enable',
    reference: 'DynamoDB API Reference, UpdateTimeToLive: answers the TimeToLiveSpecification it applied',
    setup: (e, v) => createTable(e, nameOf('ttl1', v)),
    ...api('dynamodb', 'UpdateTimeToLive', (_e, v) => ({ TableName: nameOf('ttl1', v), TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })),
    expect: (out) => expect(out.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expires' }),
  },
  {
    id: 'ddb.ttl.enable-twice',
    reference: 'DynamoDB API Reference, UpdateTimeToLive: enabling TTL where it is already enabled → ValidationException "TimeToLive is already enabled"',
    setup: async (e, v) => {
      await createTable(e, nameOf('ttl2', v));
      await send(e, 'dynamodb', 'UpdateTimeToLive', { TableName: nameOf('ttl2', v), TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    },
    ...api('dynamodb', 'UpdateTimeToLive', (_e, v) => ({ TableName: nameOf('ttl2', v), TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })),
    expect: error('ValidationException', /TimeToLive is already enabled/, 400),
  },
  {
    id: 'ddb.ttl.describe-missing-table',
    reference: 'DynamoDB API Reference, DescribeTimeToLive: unknown table → ResourceNotFoundException',
    ...api('dynamodb', 'DescribeTimeToLive', () => ({ TableName: 'fid-no-such-table' })),
    expect: error('ResourceNotFoundException'),
  },
  {
    id: 'ddb.tags.round-trip',
    reference: 'DynamoDB API Reference, TagResource / ListTagsOfResource: the tags put are listed',
    setup: async (e, v) => {
      const arn = await createTable(e, nameOf('tags', v));
      await send(e, 'dynamodb', 'TagResource', { ResourceArn: arn, Tags: [{ Key: 'team', Value: 'data' }] });
      return arn;
    },
    ...api('dynamodb', 'ListTagsOfResource', (_e, _v, arn) => ({ ResourceArn: arn })),
    expect: (out) => expect(out.Tags).toEqual([{ Key: 'team', Value: 'data' }]),
  },
  {
    id: 'ddb.delete-table.deletion-protection',
    reference: 'DynamoDB API Reference, DeleteTable: a table with DeletionProtectionEnabled cannot be deleted → ValidationException "Resource cannot be deleted as it is currently protected against deletion"',
    setup: (e, v) => createTable(e, nameOf('protect', v), { DeletionProtectionEnabled: true }),
    ...api('dynamodb', 'DeleteTable', (_e, v) => ({ TableName: nameOf('protect', v) })),
    expect: error('ValidationException', /currently protected against deletion/),
  },
  {
    id: 'ddb.delete-table.not-found',
    reference: 'DynamoDB API Reference, DeleteTable: unknown table → ResourceNotFoundException',
    ...api('dynamodb', 'DeleteTable', () => ({ TableName: 'fid-no-such-table' })),
    expect: error('ResourceNotFoundException'),
  },
  {
    id: 'ddb.update-table.billing-mode',
    reference: 'DynamoDB API Reference, UpdateTable BillingMode: switching PROVISIONED → PAY_PER_REQUEST is reflected in BillingModeSummary',
    setup: (e, v) => createTable(e, nameOf('bill', v), { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }),
    ...api('dynamodb', 'UpdateTable', (_e, v) => ({ TableName: nameOf('bill', v), BillingMode: 'PAY_PER_REQUEST' })),
    expect: (out) => expect(out.TableDescription.BillingModeSummary).toMatchObject({ BillingMode: 'PAY_PER_REQUEST' }),
  },
  {
    id: 'ddb.create-backup.arn',
    reference: 'DynamoDB API Reference, CreateBackup: BackupArn is arn:aws:dynamodb:region:account:table/name/backup/id',
    setup: (e, v) => createTable(e, nameOf('nbk', v)),
    ...api('dynamodb', 'CreateBackup', (_e, v) => ({ TableName: nameOf('nbk', v), BackupName: 'fidelity' })),
    expect: (out, _d, v) => expect(out.BackupDetails.BackupArn).toMatch(new RegExp(`^arn:aws:dynamodb:us-east-1:123456789012:table/fid-nbk-${v.tag}/backup/`)),
  },
];

export const DYNAMODB_PITR: Case[] = [
  {
    id: 'ddb.pitr.default-disabled',
    reference: 'DynamoDB API Reference, DescribeContinuousBackups: a new table has ContinuousBackupsStatus ENABLED and PointInTimeRecoveryStatus DISABLED',
    setup: (e, v) => createTable(e, nameOf('pitr0', v)),
    ...api('dynamodb', 'DescribeContinuousBackups', (_e, v) => ({ TableName: nameOf('pitr0', v) })),
    expect: (out) => expect(out.ContinuousBackupsDescription).toMatchObject({ ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } }),
  },
  {
    id: 'ddb.pitr.enable',
    reference: 'DynamoDB API Reference, UpdateContinuousBackups: enabling PITR answers PointInTimeRecoveryStatus ENABLED with EarliestRestorableDateTime',
    setup: (e, v) => createTable(e, nameOf('pitr1', v)),
    ...api('dynamodb', 'UpdateContinuousBackups', (_e, v) => ({ TableName: nameOf('pitr1', v), PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })),
    expect: (out) => {
      expect(out.ContinuousBackupsDescription.PointInTimeRecoveryDescription).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED' });
      expect(out.ContinuousBackupsDescription.PointInTimeRecoveryDescription.EarliestRestorableDateTime).toBeDefined();
    },
  },
  {
    id: 'ddb.pitr.missing-table',
    reference: 'DynamoDB API Reference, DescribeContinuousBackups: unknown table → TableNotFoundException',
    ...api('dynamodb', 'DescribeContinuousBackups', () => ({ TableName: 'fid-no-such-table' })),
    expect: error('TableNotFoundException'),
  },
  {
    id: 'ddb.pitr.restore-without-pitr',
    reference: 'DynamoDB API Reference, RestoreTableToPointInTime: a source table without PITR → PointInTimeRecoveryUnavailableException',
    setup: (e, v) => createTable(e, nameOf('nopitr', v)),
    ...api('dynamodb', 'RestoreTableToPointInTime', (_e, v) => ({ SourceTableName: nameOf('nopitr', v), TargetTableName: nameOf('nopitr-r', v), UseLatestRestorableTime: true })),
    expect: error('PointInTimeRecoveryUnavailableException'),
  },
];

export const DYNAMODB_DATA: Case[] = [
  {
    id: 'ddb.put-get.round-trip',
    reference: 'DynamoDB API Reference, PutItem / GetItem: the item written is read back whole',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: item(`rt-${v.tag}`, { n: { N: '42' }, s: { SS: ['a', 'b'] } }) }),
    ...api('dynamodb', 'GetItem', (e, v) => ({ TableName: e.fx.table, Key: item(`rt-${v.tag}`), ConsistentRead: true })),
    expect: (out, _d, v) => expect(out.Item).toEqual(item(`rt-${v.tag}`, { n: { N: '42' }, s: { SS: ['a', 'b'] } })),
  },
  {
    id: 'ddb.put.key-type-mismatch',
    reference: 'DynamoDB API Reference, PutItem: a key attribute of the wrong type → ValidationException "Type mismatch for key"',
    ...api('dynamodb', 'PutItem', (e) => ({ TableName: e.fx.table, Item: { ID: { N: '1' } } })),
    expect: error('ValidationException', /Type mismatch for key ID/),
  },
  {
    id: 'ddb.put.missing-key',
    reference: 'DynamoDB API Reference, PutItem: an item without its key → ValidationException "Missing the key"',
    ...api('dynamodb', 'PutItem', (e) => ({ TableName: e.fx.table, Item: { other: { S: 'x' } } })),
    expect: error('ValidationException', /Missing the key ID/),
  },
  {
    id: 'ddb.get.key-schema-mismatch',
    reference: 'DynamoDB API Reference, GetItem: a key that does not match the schema → ValidationException',
    ...api('dynamodb', 'GetItem', (e) => ({ TableName: e.fx.table, Key: { ID: { S: 'a' }, extra: { S: 'b' } } })),
    expect: error('ValidationException', /provided key element does not match the schema/),
  },
  {
    id: 'ddb.put.item-too-large',
    reference: 'DynamoDB API Reference, PutItem: items are at most 400 KB → ValidationException "Item size has exceeded the maximum allowed size"',
    ...api('dynamodb', 'PutItem', (e, v) => ({ TableName: e.fx.table, Item: item(`big-${v.tag}`, { blob: { S: 'x'.repeat(401 * 1024) } }) })),
    expect: error('ValidationException', /Item size has exceeded the maximum allowed size/),
  },
  {
    id: 'ddb.put.empty-string-key',
    reference: 'DynamoDB API Reference, AttributeValue: a key attribute cannot be an empty string → ValidationException',
    ...api('dynamodb', 'PutItem', (e) => ({ TableName: e.fx.table, Item: { ID: { S: '' } } })),
    expect: error('ValidationException', /empty string/),
  },
  {
    id: 'ddb.put.condition-failed',
    reference: 'DynamoDB API Reference, PutItem ConditionExpression: attribute_not_exists on an existing item → ConditionalCheckFailedException',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: item(`cond-${v.tag}`) }),
    ...api('dynamodb', 'PutItem', (e, v) => ({ TableName: e.fx.table, Item: item(`cond-${v.tag}`), ConditionExpression: 'attribute_not_exists(ID)' })),
    expect: error('ConditionalCheckFailedException', undefined, 400),
  },
  {
    id: 'ddb.put.return-old-values',
    reference: 'DynamoDB API Reference, PutItem ReturnValues ALL_OLD: answers the item as it was',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: item(`old-${v.tag}`, { n: { N: '1' } }) }),
    ...api('dynamodb', 'PutItem', (e, v) => ({ TableName: e.fx.table, Item: item(`old-${v.tag}`, { n: { N: '2' } }), ReturnValues: 'ALL_OLD' })),
    expect: (out, _d, v) => expect(out.Attributes).toEqual(item(`old-${v.tag}`, { n: { N: '1' } })),
  },
  {
    id: 'ddb.update.reserved-word',
    reference: 'DynamoDB Developer Guide, reserved words: an expression naming a reserved word (Role) → ValidationException',
    ...api('dynamodb', 'UpdateItem', (e, v) => ({ TableName: e.fx.table, Key: item(`rw-${v.tag}`), UpdateExpression: 'SET Role = :r', ExpressionAttributeValues: { ':r': { S: 'x' } } })),
    expect: error('ValidationException', /reserved keyword: Role/),
  },
  {
    id: 'ddb.batch-write.26-requests',
    reference: 'DynamoDB API Reference, BatchWriteItem: at most 25 put or delete requests → ValidationException',
    ...api('dynamodb', 'BatchWriteItem', (e, v) => ({ RequestItems: { [e.fx.table]: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: item(`b26-${v.tag}-${i}`) } })) } })),
    expect: error('ValidationException', /25/, 400),
  },
  {
    id: 'ddb.batch-write.26-requests-writes-nothing',
    reference: 'DynamoDB API Reference, BatchWriteItem: a refused batch writes none of its items',
    setup: (e, v) => send(e, 'dynamodb', 'BatchWriteItem', { RequestItems: { [e.fx.table]: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: item(`bz-${v.tag}-${i}`) } })) } }).catch(() => undefined),
    ...api('dynamodb', 'GetItem', (e, v) => ({ TableName: e.fx.table, Key: item(`bz-${v.tag}-0`), ConsistentRead: true })),
    expect: (out) => expect(out.Item).toBeUndefined(),
  },
  {
    id: 'ddb.batch-write.25-requests',
    reference: 'DynamoDB API Reference, BatchWriteItem: 25 requests are accepted; UnprocessedItems is empty when all were written',
    ...api('dynamodb', 'BatchWriteItem', (e, v) => ({ RequestItems: { [e.fx.table]: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: item(`b25-${v.tag}-${i}`) } })) } })),
    expect: (out) => expect(out.UnprocessedItems ?? {}).toEqual({}),
  },
  {
    id: 'ddb.batch-get.101-keys',
    reference: 'DynamoDB API Reference, BatchGetItem: at most 100 items → ValidationException "Too many items requested for the BatchGetItem call"',
    ...api('dynamodb', 'BatchGetItem', (e, v) => ({ RequestItems: { [e.fx.table]: { Keys: Array.from({ length: 101 }, (_, i) => item(`g-${v.tag}-${i}`)) } } })),
    expect: error('ValidationException', /Too many items requested for the BatchGetItem call/),
  },
  {
    id: 'ddb.transact-write.over-4mb',
    reference: 'DynamoDB API Reference, TransactWriteItems: the aggregate size of the items in a transaction cannot exceed 4 MB → ValidationException',
    ...api('dynamodb', 'TransactWriteItems', (e, v) => ({
      TransactItems: Array.from({ length: 12 }, (_, i) => ({ Put: { TableName: e.fx.table, Item: item(`tx4-${v.tag}-${i}`, { blob: { S: 'x'.repeat(380 * 1024) } }) } })),
    })),
    expect: error('ValidationException', /Transaction request cannot be larger than 4 MB/),
  },
  {
    id: 'ddb.transact-write.101-actions',
    reference: 'DynamoDB API Reference, TransactWriteItems: TransactItems holds 1-100 actions → ValidationException',
    ...api('dynamodb', 'TransactWriteItems', (e, v) => ({ TransactItems: Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: e.fx.table, Item: item(`tx101-${v.tag}-${i}`) } })) })),
    expect: error('ValidationException', /100/),
  },
  {
    id: 'ddb.transact-write.same-item-twice',
    reference: 'DynamoDB API Reference, TransactWriteItems: two actions on one item → ValidationException',
    ...api('dynamodb', 'TransactWriteItems', (e, v) => ({ TransactItems: [1, 2].map((n) => ({ Put: { TableName: e.fx.table, Item: item(`txs-${v.tag}`, { n: { N: String(n) } }) } })) })),
    expect: error('ValidationException', /multiple operations on one item/),
  },
  {
    id: 'ddb.transact-write.condition-cancels',
    reference: 'DynamoDB API Reference, TransactWriteItems: a failed condition cancels the whole transaction → TransactionCanceledException',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: item(`txc-${v.tag}`) }),
    ...api('dynamodb', 'TransactWriteItems', (e, v) => ({
      TransactItems: [
        { Put: { TableName: e.fx.table, Item: item(`txc-${v.tag}`), ConditionExpression: 'attribute_not_exists(ID)' } },
        { Put: { TableName: e.fx.table, Item: item(`txc2-${v.tag}`) } },
      ],
    })),
    expect: error('TransactionCanceledException', /ConditionalCheckFailed/),
  },
  {
    id: 'ddb.partiql.insert',
    reference: 'DynamoDB API Reference, ExecuteStatement: INSERT of a new key writes the item',
    ...api('dynamodb', 'ExecuteStatement', (e, v) => ({ Statement: `INSERT INTO "${e.fx.table}" VALUE {'ID': 'pq-${v.tag}', 'n': 1}` })),
    observe: (e, _out, _d, v) => send(e, 'dynamodb', 'GetItem', { TableName: e.fx.table, Key: item(`pq-${v.tag}`), ConsistentRead: true }),
    expect: (out, _d, v) => expect(out.Item).toEqual(item(`pq-${v.tag}`, { n: { N: '1' } })),
  },
  {
    id: 'ddb.partiql.insert-duplicate',
    reference: 'DynamoDB API Reference, ExecuteStatement: INSERT of an existing key → DuplicateItemException, the item unchanged',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: item(`pqd-${v.tag}`, { n: { N: '1' } }) }),
    ...api('dynamodb', 'ExecuteStatement', (e, v) => ({ Statement: `INSERT INTO "${e.fx.table}" VALUE {'ID': 'pqd-${v.tag}', 'n': 2}` })),
    expect: error('DuplicateItemException', /Duplicate primary key exists in table/),
  },
  {
    id: 'ddb.partiql.select',
    reference: 'DynamoDB API Reference, ExecuteStatement: SELECT by key answers the item',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: item(`pqs-${v.tag}`, { n: { N: '7' } }) }),
    ...api('dynamodb', 'ExecuteStatement', (e, v) => ({ Statement: `SELECT * FROM "${e.fx.table}" WHERE ID = 'pqs-${v.tag}'` })),
    expect: (out, _d, v) => expect(out.Items).toEqual([item(`pqs-${v.tag}`, { n: { N: '7' } })]),
  },
  {
    id: 'ddb.partiql.insert-missing-table',
    reference: 'DynamoDB API Reference, ExecuteStatement: a statement on an unknown table → ResourceNotFoundException',
    ...api('dynamodb', 'ExecuteStatement', () => ({ Statement: `INSERT INTO "fid-no-such-table" VALUE {'ID': 'x'}` })),
    expect: error('ResourceNotFoundException'),
  },
  {
    id: 'ddb.query.non-key-condition',
    reference: 'DynamoDB API Reference, Query: KeyConditionExpression on a non-key attribute → ValidationException',
    ...api('dynamodb', 'Query', (e) => ({ TableName: e.fx.table, KeyConditionExpression: 'other = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    expect: error('ValidationException'),
  },
  {
    id: 'ddb.scan.limit-pages',
    reference: 'DynamoDB API Reference, Scan Limit: a full page answers LastEvaluatedKey to continue from',
    setup: (e, v) => send(e, 'dynamodb', 'BatchWriteItem', { RequestItems: { [e.fx.pageTable]: [1, 2, 3].map((i) => ({ PutRequest: { Item: item(`pg-${v.tag}-${i}`) } })) } }),
    ...api('dynamodb', 'Scan', (e) => ({ TableName: e.fx.pageTable, Limit: 2 }), ['--no-paginate']),
    expect: (out) => expect([out.Count, out.LastEvaluatedKey?.ID?.S]).toEqual([2, expect.any(String)]),
  },
  {
    id: 'ddb.put.number-too-precise',
    reference: 'DynamoDB Developer Guide, data types: numbers have at most 38 digits of precision → ValidationException',
    ...api('dynamodb', 'PutItem', (e, v) => ({ TableName: e.fx.table, Item: item(`num-${v.tag}`, { n: { N: '1'.repeat(39) } }) })),
    expect: error('ValidationException'),
  },
];

export const DYNAMODB_CASES: Case[] = [...DYNAMODB_CONTROL, ...DYNAMODB_PITR, ...DYNAMODB_DATA];
export { keySchema };
