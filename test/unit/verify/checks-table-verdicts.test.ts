/** The table checks as auditors read them: every verdict, its message naming field and values, and its evidence. */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { LiveState, Read } from '../../../compliance/facts/live-state';
import type { Contract } from '../../../core/contract';
import { tableChecks } from '../../../verify/checks/table';
import { contract, KEY_ARN, outputs, TABLE, TABLE_ARN } from './fixtures';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const denied = (what: string): Read<never> => ({ ok: false, error: `AccessDeniedException: not authorized to perform ${what}` });
const EARLIEST = new Date('2026-11-20T00:00:00.000Z');

function table(overrides: Record<string, unknown> = {}): TableDescription {
  return {
    TableName: TABLE, TableArn: TABLE_ARN, TableStatus: 'ACTIVE',
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN }, DeletionProtectionEnabled: true,
    ...overrides,
  } as TableDescription;
}
function live(overrides: Partial<LiveState> = {}): LiveState {
  return {
    readAt: new Date('2026-11-23T12:00:00Z'),
    table: ok(table()),
    pitr: ok({ PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: EARLIEST }),
    ttl: ok({ TimeToLiveStatus: 'DISABLED' }),
    tags: ok({ project: 'tablesafe' }),
    scalableTargets: ok([]),
    ...overrides,
  } as LiveState;
}
const withTable = (t: Partial<Contract['table']>) => contract({ table: { ...contract().table, ...t } });
const run = (l: LiveState, c = contract(), o = outputs()) => tableChecks(c, o, l);
const byId = (l: LiveState, id: string, c = contract(), o = outputs()) => {
  const r = run(l, c, o).find((x) => x.id === id);
  if (!r) throw new Error(`no ${id}`);
  return r;
};

describe('table checks on a table that matches the contract', () => {
  it('every check passes with a message naming what was proved and the table ARN as evidence', () => {
    const results = run(live());
    expect(results.map((r) => [r.id, r.status, r.category])).toEqual([
      ['TABLE-ACTIVE', 'pass', 'contract'], ['TABLE-DESIGN', 'pass', 'contract'], ['TABLE-BILLING', 'pass', 'contract'], ['TABLE-SSE', 'pass', 'contract'],
      ['TABLE-PITR', 'pass', 'contract'], ['TABLE-DELETION-PROTECTION', 'pass', 'contract'], ['TABLE-TTL', 'pass', 'contract'], ['TABLE-STREAM', 'pass', 'contract'], ['TABLE-TAGS', 'pass', 'contract'],
    ]);
    const m = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(m['TABLE-ACTIVE'].title).toBe('Table exists and is ACTIVE');
    expect(m['TABLE-ACTIVE'].message).toBe(`${TABLE} is ACTIVE`);
    expect(m['TABLE-DESIGN'].title).toBe('Key schema, attributes and indexes equal the contract');
    expect(m['TABLE-DESIGN'].message).toBe('key schema, attributes, GSIs and LSIs equal the contract');
    expect(m['TABLE-BILLING'].title).toBe('Billing mode and capacity equal the contract');
    expect(m['TABLE-BILLING'].message).toBe('billing PAY_PER_REQUEST');
    expect(m['TABLE-SSE'].title).toBe("Encrypted with the contract's KMS key");
    expect(m['TABLE-SSE'].message).toBe(`SSE KMS with ${KEY_ARN}`);
    expect(m['TABLE-SSE'].evidence).toEqual([`table ${TABLE_ARN}`, `key ${KEY_ARN}`]);
    expect(m['TABLE-PITR'].title).toBe('Point-in-time recovery enabled');
    expect(m['TABLE-PITR'].message).toBe('PITR ENABLED, earliest restorable 2026-11-20T00:00:00.000Z');
    expect(m['TABLE-PITR'].evidence).toEqual([`table ${TABLE_ARN}`, 'earliestRestorableDateTime 2026-11-20T00:00:00.000Z']);
    expect(m['TABLE-DELETION-PROTECTION'].title).toBe('Deletion protection as declared');
    expect(m['TABLE-DELETION-PROTECTION'].message).toBe('deletion protection on');
    expect(m['TABLE-TTL'].title).toBe('Time to live as declared');
    expect(m['TABLE-TTL'].message).toBe('TTL off as declared');
    expect(m['TABLE-STREAM'].title).toBe('Streams as declared');
    expect(m['TABLE-STREAM'].message).toBe('no stream, as declared');
    expect(m['TABLE-TAGS'].title).toBe('Tags as declared');
    expect(m['TABLE-TAGS'].message).toBe('1 declared tag(s) present');
    for (const id of ['TABLE-ACTIVE', 'TABLE-DESIGN', 'TABLE-BILLING', 'TABLE-DELETION-PROTECTION', 'TABLE-TTL', 'TABLE-STREAM', 'TABLE-TAGS']) expect(m[id].evidence).toEqual([`table ${TABLE_ARN}`]);
    expect(results.every((r) => r.error === undefined)).toBe(true);
  });

  it('falls back to the tableArn output as evidence when DescribeTable gives no ARN', () => {
    expect(byId(live({ table: ok(table({ TableArn: undefined })) }), 'TABLE-ACTIVE').evidence).toEqual([`table ${TABLE_ARN}`]);
    expect(byId(live({ table: ok(table({ TableArn: undefined })) }), 'TABLE-ACTIVE', contract(), outputs({ tableArn: 'arn:from-outputs' })).evidence).toEqual(['table arn:from-outputs']);
    expect(byId(live(), 'TABLE-ACTIVE', contract(), outputs({ tableArn: 'arn:from-outputs' })).evidence).toEqual([`table ${TABLE_ARN}`]);
  });

  it('passes TTL on the declared attribute while it is being enabled, and a declared stream', () => {
    const c = withTable({ ttlAttribute: 'expiresAt', streamViewType: 'NEW_AND_OLD_IMAGES', deletionProtection: false });
    const l = live({ ttl: ok({ TimeToLiveStatus: 'ENABLING', AttributeName: 'expiresAt' }), table: ok(table({ DeletionProtectionEnabled: undefined, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })) });
    expect(byId(l, 'TABLE-TTL', c)).toMatchObject({ status: 'pass', message: 'TTL on expiresAt' });
    expect(byId(l, 'TABLE-STREAM', c)).toMatchObject({ status: 'pass', message: 'stream NEW_AND_OLD_IMAGES' });
    expect(byId(l, 'TABLE-DELETION-PROTECTION', c)).toMatchObject({ status: 'pass', message: 'deletion protection off' });
    const enabled = live({ ttl: ok({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' }) });
    expect(byId(enabled, 'TABLE-TTL', c).status).toBe('pass');
  });
});

describe('table checks that fail', () => {
  it('a table that cannot be read yields one TABLE-ACTIVE error naming the table and the AWS error', () => {
    const r = run(live({ table: denied('dynamodb:DescribeTable') }));
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ id: 'TABLE-ACTIVE', title: 'Table exists and is ACTIVE', status: 'fail', error: true, message: 'could not read table orders: AccessDeniedException: not authorized to perform dynamodb:DescribeTable' });
    expect(r[0].evidence).toEqual(['AccessDeniedException: not authorized to perform dynamodb:DescribeTable']);
  });

  it('a PITR, TTL or tags read failure is an error of that check, naming what could not be read', () => {
    const r = run(live({ pitr: denied('dynamodb:DescribeContinuousBackups'), ttl: denied('dynamodb:DescribeTimeToLive'), tags: denied('dynamodb:ListTagsOfResource') }));
    const m = Object.fromEntries(r.map((x) => [x.id, x]));
    expect(m['TABLE-PITR']).toMatchObject({ status: 'fail', error: true, title: 'Point-in-time recovery enabled', message: 'could not read continuous backups: AccessDeniedException: not authorized to perform dynamodb:DescribeContinuousBackups' });
    expect(m['TABLE-TTL']).toMatchObject({ status: 'fail', error: true, title: 'Time to live as declared', message: 'could not read time to live: AccessDeniedException: not authorized to perform dynamodb:DescribeTimeToLive' });
    expect(m['TABLE-TAGS']).toMatchObject({ status: 'fail', error: true, title: 'Tags as declared', message: 'could not read table tags: AccessDeniedException: not authorized to perform dynamodb:ListTagsOfResource' });
    expect(m['TABLE-ACTIVE'].status).toBe('pass');
  });

  it('PITR enabled without an earliest restorable time fails; PITR absent reads as DISABLED', () => {
    const noTime = byId(live({ pitr: ok({ PointInTimeRecoveryStatus: 'ENABLED' }) }), 'TABLE-PITR');
    expect(noTime).toMatchObject({ status: 'fail', message: 'table.pitr.earliestRestorableDateTime: expected a timestamp, actual (none)' });
    expect(noTime.evidence).toEqual([`table ${TABLE_ARN}`, 'earliestRestorableDateTime (none)']);
    expect(byId(live({ pitr: ok(undefined) }), 'TABLE-PITR').message).toBe('table.pointInTimeRecovery: expected ENABLED, actual DISABLED');
    const off = byId(live({ pitr: ok(undefined) }), 'TABLE-PITR', withTable({ pointInTimeRecovery: false }));
    expect(off).toMatchObject({ status: 'pass', message: 'PITR DISABLED' });
    expect(off.evidence).toEqual([`table ${TABLE_ARN}`, 'earliestRestorableDateTime (none)']);
    const declaredOffButOn = byId(live({ pitr: ok({ PointInTimeRecoveryStatus: 'ENABLED' }) }), 'TABLE-PITR', withTable({ pointInTimeRecovery: false }));
    expect(declaredOffButOn.message).toBe('table.pointInTimeRecovery: expected DISABLED, actual ENABLED');
  });

  it('TTL on another attribute, a disabled TTL while one is declared, and a stream that is off', () => {
    const c = withTable({ ttlAttribute: 'expiresAt', streamViewType: 'NEW_IMAGE' });
    expect(byId(live({ ttl: ok({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' }) }), 'TABLE-TTL', c).message).toBe('table.ttlAttribute: expected expiresAt, actual ttl');
    expect(byId(live({ ttl: ok({ TimeToLiveStatus: 'DISABLING', AttributeName: 'expiresAt' }) }), 'TABLE-TTL', c).message).toBe('table.ttlAttribute: expected expiresAt, actual (none)');
    expect(byId(live({ ttl: ok(undefined) }), 'TABLE-TTL', c).message).toBe('table.ttlAttribute: expected expiresAt, actual (none)');
    const off = live({ table: ok(table({ StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } })) });
    expect(byId(off, 'TABLE-STREAM', c)).toMatchObject({ status: 'fail', message: 'table.streamViewType: expected NEW_IMAGE, actual (none)' });
    const undeclared = live({ table: ok(table({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })) });
    expect(byId(undeclared, 'TABLE-STREAM').message).toBe('table.streamViewType: expected (none), actual KEYS_ONLY');
  });

  it('deletion protection missing from DescribeTable reads as off', () => {
    expect(byId(live({ table: ok(table({ DeletionProtectionEnabled: undefined })) }), 'TABLE-DELETION-PROTECTION').message).toBe('table.deletionProtection: expected true, actual false');
  });

  it('SSE that is off or not KMS names status and type; the key evidence says (none) when there is none', () => {
    const r = byId(live({ table: ok(table({ SSEDescription: undefined })) }), 'TABLE-SSE');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('table.sse.status: expected ENABLED, actual (none); table.sse.type: expected KMS, actual (none); table.sse.kmsMasterKeyArn: expected ' + KEY_ARN + ', actual (none)');
    expect(r.evidence).toEqual([`table ${TABLE_ARN}`, 'key (none)']);
    const noKeyOutput = byId(live({ table: ok(table({ SSEDescription: { Status: 'ENABLED', SSEType: 'AES256', KMSMasterKeyArn: 'arn:aws-owned' } })) }), 'TABLE-SSE', contract(), outputs({ keyArn: undefined }));
    expect(noKeyOutput.message).toBe('table.sse.type: expected KMS, actual AES256');
  });

  it('a tag with another value names the tag and both values; every declared tag is counted', () => {
    const c = withTable({ tags: { project: 'tablesafe', owner: 'data' } });
    expect(byId(live({ tags: ok({ project: 'other', owner: 'data' }) }), 'TABLE-TAGS', c).message).toBe('table.tags.project: expected tablesafe, actual other');
    expect(byId(live({ tags: ok({ project: 'tablesafe', owner: 'data', extra: 'x' }) }), 'TABLE-TAGS', c).message).toBe('2 declared tag(s) present');
  });
});

describe('table design', () => {
  const gsi = { name: 'byCustomer', partitionKey: { name: 'customer', type: 'S' as const }, sortKey: { name: 'at', type: 'N' as const }, projectionType: 'INCLUDE' as const, nonKeyAttributes: ['total', 'status'] };
  const lsi = { name: 'byDate', partitionKey: { name: 'ID', type: 'S' as const }, sortKey: { name: 'date', type: 'S' as const }, projectionType: 'ALL' as const };
  const c = withTable({ sortKey: { name: 'SK', type: 'N' }, globalSecondaryIndexes: [gsi] as any, localSecondaryIndexes: [lsi] as any });
  const liveGsi = { IndexName: 'byCustomer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'total'] } };
  const liveLsi = { IndexName: 'byDate', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }, { AttributeName: 'date', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } };
  const designed = (o: Record<string, unknown> = {}) => table({
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'SK', AttributeType: 'N' }, { AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }, { AttributeName: 'date', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [liveGsi], LocalSecondaryIndexes: [liveLsi], ...o,
  });

  it('passes a table whose keys, attributes (in any order), GSIs and LSIs equal the contract', () => {
    expect(byId(live({ table: ok(designed()) }), 'TABLE-DESIGN', c)).toMatchObject({ status: 'pass' });
  });

  it('names a missing sort key and attribute differences', () => {
    const r = byId(live({ table: ok(designed({ KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }] })) }), 'TABLE-DESIGN', c);
    expect(r.message).toContain('table.keySchema: expected ["HASH ID","RANGE SK"], actual ["HASH ID"]');
    expect(r.message).toContain('table.attributeDefinitions: expected ["ID:S","SK:N","at:N","customer:S","date:S"], actual ["ID:S"]');
    expect(byId(live({ table: ok(table({ KeySchema: undefined, AttributeDefinitions: undefined })) }), 'TABLE-DESIGN').message).toBe('table.keySchema: expected ["HASH ID"], actual []; table.attributeDefinitions: expected ["ID:S"], actual []');
  });

  it('names missing and extra indexes by kind, and every difference of an index', () => {
    const none = byId(live({ table: ok(designed({ GlobalSecondaryIndexes: undefined, LocalSecondaryIndexes: [{ ...liveLsi, IndexName: 'other' }] })) }), 'TABLE-DESIGN', c);
    expect(none.message).toBe('globalSecondaryIndexes[].name: expected ["byCustomer"], actual []; localSecondaryIndexes[].name: expected ["byDate"], actual ["other"]');
    const wrong = designed({
      GlobalSecondaryIndexes: [{ ...liveGsi, KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] } }],
      LocalSecondaryIndexes: [{ ...liveLsi, Projection: { ProjectionType: 'KEYS_ONLY' } }],
    });
    const r = byId(live({ table: ok(wrong) }), 'TABLE-DESIGN', c);
    expect(r.message).toBe('globalSecondaryIndexes.byCustomer.keySchema: expected ["HASH customer","RANGE at"], actual ["HASH customer"]; globalSecondaryIndexes.byCustomer.nonKeyAttributes: expected ["status","total"], actual ["total"]; localSecondaryIndexes.byDate.projectionType: expected ALL, actual KEYS_ONLY');
    const noProjection = byId(live({ table: ok(designed({ GlobalSecondaryIndexes: [{ ...liveGsi, Projection: undefined }] })) }), 'TABLE-DESIGN', c);
    expect(noProjection.message).toBe('globalSecondaryIndexes.byCustomer.projectionType: expected INCLUDE, actual (none); globalSecondaryIndexes.byCustomer.nonKeyAttributes: expected ["status","total"], actual []');
    const unnamed = byId(live({ table: ok(designed({ GlobalSecondaryIndexes: [{ ...liveGsi, IndexName: undefined }] })) }), 'TABLE-DESIGN', c);
    expect(unnamed.message).toBe('globalSecondaryIndexes[].name: expected ["byCustomer"], actual [""]');
  });

  it('compares index names in any order, and names only the projection type when it differs from a declared ALL', () => {
    const two = withTable({ globalSecondaryIndexes: [{ ...gsi, name: 'zeta', projectionType: 'ALL', nonKeyAttributes: undefined }, { ...gsi, name: 'alpha', projectionType: 'ALL', nonKeyAttributes: undefined }] as any });
    const attrs = [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }];
    const idx = (name: string, projection: object = { ProjectionType: 'ALL' }) => ({ ...liveGsi, IndexName: name, Projection: projection });
    expect(byId(live({ table: ok(table({ AttributeDefinitions: attrs, GlobalSecondaryIndexes: [idx('zeta'), idx('alpha')] })) }), 'TABLE-DESIGN', two).status).toBe('pass');
    const included = live({ table: ok(table({ AttributeDefinitions: attrs, GlobalSecondaryIndexes: [idx('zeta', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }), idx('alpha')] })) });
    expect(byId(included, 'TABLE-DESIGN', two).message).toBe('globalSecondaryIndexes.zeta.projectionType: expected ALL, actual INCLUDE');
  });

  it('an INCLUDE index declared without attributes expects none', () => {
    const bare = withTable({ globalSecondaryIndexes: [{ ...gsi, nonKeyAttributes: undefined }] as any });
    const l = live({ table: ok(table({ AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }], GlobalSecondaryIndexes: [{ ...liveGsi, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } }] })) });
    expect(byId(l, 'TABLE-DESIGN', bare).message).toBe('globalSecondaryIndexes.byCustomer.nonKeyAttributes: expected [], actual ["x"]');
  });

  it('judges an index capacity only when the contract fixes it and the table is not autoscaled', () => {
    const fixed = withTable({ billingMode: 'PROVISIONED', capacity: { read: 5, write: 5 }, globalSecondaryIndexes: [{ ...gsi, projectionType: 'ALL', nonKeyAttributes: undefined, capacity: { read: 3, write: 2 } }] as any });
    const attrs = [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }];
    const t = (through?: object) => table({ BillingModeSummary: undefined, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, AttributeDefinitions: attrs, GlobalSecondaryIndexes: [{ ...liveGsi, Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: through }] });
    expect(byId(live({ table: ok(t({ ReadCapacityUnits: 3, WriteCapacityUnits: 2 })) }), 'TABLE-DESIGN', fixed).status).toBe('pass');
    expect(byId(live({ table: ok(t({ ReadCapacityUnits: 1, WriteCapacityUnits: 2 })) }), 'TABLE-DESIGN', fixed).message).toBe('globalSecondaryIndexes.byCustomer.capacity: expected {"read":3,"write":2}, actual {"read":1,"write":2}');
    expect(byId(live({ table: ok(t(undefined)) }), 'TABLE-DESIGN', fixed).message).toBe('globalSecondaryIndexes.byCustomer.capacity: expected {"read":3,"write":2}, actual {}');
    const scaled = withTable({ ...fixed.table, autoscaling: { minRead: 1, maxRead: 10, minWrite: 1, maxWrite: 10, targetUtilization: 70 } as any });
    expect(byId(live({ table: ok(t({ ReadCapacityUnits: 1, WriteCapacityUnits: 9 })) }), 'TABLE-DESIGN', scaled).status).toBe('pass');
    const lsiCap = withTable({ sortKey: { name: 'SK', type: 'N' }, localSecondaryIndexes: [{ ...lsi, capacity: { read: 3, write: 2 } }] as any });
    const lt = table({ KeySchema: designed().KeySchema, AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'N' }, { AttributeName: 'date', AttributeType: 'S' }], LocalSecondaryIndexes: [{ ...liveLsi, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] });
    expect(byId(live({ table: ok(lt) }), 'TABLE-DESIGN', lsiCap).message).toBe('localSecondaryIndexes.byDate.capacity: expected {"read":3,"write":2}, actual {"read":1,"write":1}');
  });
});

describe('billing, capacity and autoscaling', () => {
  const provisioned = withTable({ billingMode: 'PROVISIONED', capacity: { read: 5, write: 4 } });
  const pt = (read?: number, write?: number, o: Record<string, unknown> = {}) => live({ table: ok(table({ BillingModeSummary: undefined, ProvisionedThroughput: read === undefined ? undefined : { ReadCapacityUnits: read, WriteCapacityUnits: write }, ...o })) });

  it('a table with no billing summary is PROVISIONED; fixed capacity is compared read and write', () => {
    expect(byId(pt(5, 4), 'TABLE-BILLING', provisioned)).toMatchObject({ status: 'pass', message: 'billing PROVISIONED' });
    expect(byId(pt(5, 1), 'TABLE-BILLING', provisioned).message).toBe('table.capacity: expected {"read":5,"write":4}, actual {"read":5,"write":1}');
    expect(byId(pt(undefined), 'TABLE-BILLING', provisioned).message).toBe('table.capacity: expected {"read":5,"write":4}, actual {"read":0,"write":0}');
    expect(byId(pt(5, 4), 'TABLE-BILLING').message).toBe('table.billingMode: expected PAY_PER_REQUEST, actual PROVISIONED');
    const ondemandWithCapacity = withTable({ capacity: { read: 5, write: 4 } });
    expect(byId(live(), 'TABLE-BILLING', ondemandWithCapacity).status).toBe('pass');
  });

  const scaled = (gsis: unknown[] = []) => withTable({
    billingMode: 'PROVISIONED', capacity: { read: 5, write: 5 }, globalSecondaryIndexes: gsis as any,
    autoscaling: { minRead: 2, maxRead: 10, minWrite: 3, maxWrite: 20, targetUtilization: 70 } as any,
  });
  const targets = (id: string, dims = ['Read', 'Write'], kind = 'table') => dims.map((d) => ({ ResourceId: id, ScalableDimension: `dynamodb:${kind}:${d}CapacityUnits` }));

  it('autoscaled capacity must lie within the bounds; the bounds are named', () => {
    const good = { scalableTargets: ok(targets('table/orders')), scalingPolicies: ok(targets('table/orders')) } as any;
    expect(byId({ ...pt(2, 3), ...good }, 'TABLE-BILLING', scaled())).toMatchObject({ status: 'pass' });
    expect(byId({ ...pt(10, 20), ...good }, 'TABLE-BILLING', scaled()).status).toBe('pass');
    expect(byId({ ...pt(1, 2), ...good }, 'TABLE-BILLING', scaled()).message).toBe('table.capacity.read: expected 2..10 (autoscaling), actual 1; table.capacity.write: expected 3..20 (autoscaling), actual 2');
    expect(byId({ ...pt(11, 21), ...good }, 'TABLE-BILLING', scaled()).message).toBe('table.capacity.read: expected 2..10 (autoscaling), actual 11; table.capacity.write: expected 3..20 (autoscaling), actual 21');
  });

  it('names missing scalable targets and policies of the table and of each GSI', () => {
    const g = [{ name: 'byCustomer', partitionKey: { name: 'customer', type: 'S' }, projectionType: 'ALL' }];
    const l = { ...pt(5, 5), scalableTargets: ok([...targets('table/orders'), ...targets('table/orders/index/byCustomer', ['Read'], 'index'), { ResourceId: 'table/other', ScalableDimension: 'dynamodb:table:WriteCapacityUnits' }]), scalingPolicies: ok(targets('table/orders', ['Read'])) } as any;
    const r = byId(l, 'TABLE-BILLING', scaled(g));
    expect(r.status).toBe('fail');
    expect(r.message).toBe([
      'table.autoscaling.policies: expected a scaling policy for each target, actual none for dynamodb:table:WriteCapacityUnits',
      'globalSecondaryIndexes.byCustomer.autoscaling.targets: expected ["dynamodb:index:ReadCapacityUnits","dynamodb:index:WriteCapacityUnits"], actual ["dynamodb:index:ReadCapacityUnits"]',
      'globalSecondaryIndexes.byCustomer.autoscaling.policies: expected a scaling policy for each target, actual none for dynamodb:index:ReadCapacityUnits',
    ].join('; '));
    const noDims = { ...pt(5, 5), scalableTargets: ok([{ ResourceId: 'table/orders' }]), scalingPolicies: ok([{ ResourceId: 'table/orders' }]) } as any;
    expect(byId(noDims, 'TABLE-BILLING', scaled()).message).toBe('table.autoscaling.targets: expected ["dynamodb:table:ReadCapacityUnits","dynamodb:table:WriteCapacityUnits"], actual [""]');
  });

  it('judges each resource by its own targets and policies, whatever order they are listed in', () => {
    const g = ['one', 'two'].map((name) => ({ name, partitionKey: { name: 'customer', type: 'S' }, projectionType: 'ALL' }));
    const all = [...targets('table/orders', ['Write', 'Read']), ...targets('table/orders/index/one', ['Write', 'Read'], 'index'), ...targets('table/orders/index/two', ['Write', 'Read'], 'index')];
    const l = { ...pt(5, 5), scalableTargets: ok(all), scalingPolicies: ok([...targets('table/orders'), ...targets('table/orders/index/one', ['Read', 'Write'], 'index')]) } as any;
    expect(byId(l, 'TABLE-BILLING', scaled(g)).message).toBe('globalSecondaryIndexes.two.autoscaling.policies: expected a scaling policy for each target, actual none for dynamodb:index:ReadCapacityUnits, dynamodb:index:WriteCapacityUnits');
  });

  it('names the table by its output, then the contract, when DescribeTable gives no name', () => {
    const l = { ...pt(5, 5, { TableName: undefined }), scalableTargets: ok(targets('table/from-output')), scalingPolicies: ok(targets('table/from-output')) } as any;
    expect(byId(l, 'TABLE-BILLING', scaled(), outputs({ tableName: 'from-output' })).status).toBe('pass');
    const l2 = { ...pt(5, 5, { TableName: undefined }), scalableTargets: ok(targets('table/orders')), scalingPolicies: ok(targets('table/orders')) } as any;
    expect(byId(l2, 'TABLE-BILLING', scaled(), outputs({ tableName: undefined })).status).toBe('pass');
  });

  it('a target or policy read failure is named; policies not read are not judged', () => {
    const t = byId({ ...pt(5, 5), scalableTargets: denied('application-autoscaling:DescribeScalableTargets') } as any, 'TABLE-BILLING', scaled());
    expect(t.message).toBe('table.autoscaling: could not read: AccessDeniedException: not authorized to perform application-autoscaling:DescribeScalableTargets');
    const p = byId({ ...pt(5, 5), scalableTargets: ok(targets('table/orders')), scalingPolicies: denied('application-autoscaling:DescribeScalingPolicies') } as any, 'TABLE-BILLING', scaled());
    expect(p.message).toBe('table.autoscaling.policies: could not read: AccessDeniedException: not authorized to perform application-autoscaling:DescribeScalingPolicies');
    expect(byId({ ...pt(5, 5), scalableTargets: ok(targets('table/orders')) } as any, 'TABLE-BILLING', scaled()).status).toBe('pass');
  });
});

describe('replicas', () => {
  const c = withTable({ replicaRegions: ['eu-west-1', 'ap-south-1'] });
  const replica = (region: string, o: Record<string, unknown> = {}) => ({ region, table: ok({ TableStatus: 'ACTIVE', SSEDescription: { SSEType: 'KMS' }, ...o }) });

  it('passes when every declared region holds an ACTIVE KMS-encrypted replica, named in the message', () => {
    const l = live({ table: ok(table({ Replicas: [{ RegionName: 'eu-west-1' }, { RegionName: 'ap-south-1' }] })), replicas: [replica('eu-west-1'), replica('ap-south-1')] } as any);
    const r = byId(l, 'TABLE-REPLICAS', c);
    expect(r).toMatchObject({ status: 'pass', title: 'Replicas as declared', message: 'replicas in eu-west-1, ap-south-1', evidence: [`table ${TABLE_ARN}`] });
    expect(run(live()).some((x) => x.id === 'TABLE-REPLICAS')).toBe(false);
  });

  it('names a missing region, a replica that is not ACTIVE or not KMS, and one that could not be read', () => {
    const l = live({ table: ok(table({ Replicas: [{ RegionName: 'eu-west-1' }] })), replicas: [replica('eu-west-1', { TableStatus: 'CREATING', SSEDescription: undefined }), { region: 'ap-south-1', table: denied('dynamodb:DescribeTable') }] } as any);
    const r = byId(l, 'TABLE-REPLICAS', c);
    expect(r.status).toBe('fail');
    expect(r.message).toBe([
      'table.replicaRegions: expected ["ap-south-1","eu-west-1"], actual ["eu-west-1"]',
      'table.replicas.eu-west-1.status: expected ACTIVE, actual CREATING',
      'table.replicas.eu-west-1.sse.type: expected KMS, actual (none)',
      'table.replicas.ap-south-1: could not read: AccessDeniedException: not authorized to perform dynamodb:DescribeTable',
    ].join('; '));
    expect(byId(live(), 'TABLE-REPLICAS', c).message).toBe('table.replicaRegions: expected ["ap-south-1","eu-west-1"], actual []');
  });
});
