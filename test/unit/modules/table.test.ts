import { Construct } from 'constructs';
import { EncryptionKey } from '../../../modules/kms/encryption-key';
import { Billing, Table, TableProps } from '../../../modules/table/table';
import { Role } from '../../../modules/iam/role';
import { accountTrust } from '../../../modules/iam/policy';
import { synthWith, Synthesized } from '../../helpers/synth';

function build(s: Construct, props: Partial<TableProps> = {}): Table {
  const key = new EncryptionKey(s, 'key', { alias: 'k', region: 'us-east-1', services: ['dynamodb'] });
  return new Table(s, 'table', { tableName: 'orders', region: 'us-east-1', partitionKey: { name: 'ID', type: 'S' }, encryptionKey: key, ...props });
}
const table = (props: Partial<TableProps> = {}) => synthWith((s) => build(s, props));

describe('Table defaults', () => {
  const t = table().only('aws_dynamodb_table');
  it('is on-demand with the partition key as hash key', () => {
    expect(t).toMatchObject({ name: 'orders', hash_key: 'ID', billing_mode: 'PAY_PER_REQUEST', attribute: [{ name: 'ID', type: 'S' }] });
  });
  it('turns point-in-time recovery and deletion protection on', () => {
    expect(t.point_in_time_recovery).toEqual({ enabled: true });
    expect(t.deletion_protection_enabled).toBe(true);
  });
  it('encrypts with the customer-managed key', () => {
    expect(t.server_side_encryption.enabled).toBe(true);
    expect(t.server_side_encryption.kms_key_arn).toMatch(/^\$\{aws_kms_key\.key_.*\.arn\}$/);
  });
  it('uses the STANDARD class with streams off', () => {
    expect(t.table_class).toBe('STANDARD');
    expect(t.stream_enabled).toBe(false);
  });
});

describe('Table.resolved', () => {
  const resolved = (props: Partial<TableProps> = {}) => {
    let t: Table | undefined;
    synthWith((s) => void (t = build(s, props)));
    return t!.resolved;
  };
  it('states every default it applied', () => {
    expect(resolved()).toMatchObject({
      billing: { mode: 'PAY_PER_REQUEST' },
      tableClass: 'STANDARD',
      pointInTimeRecovery: true,
      deletionProtection: true,
      stream: undefined,
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
      replicaRegions: [],
      tags: {},
    });
  });
  it('fills in index projections, an LSI\'s partition key, GSI capacity and the autoscaling target', () => {
    const r = resolved({
      sortKey: { name: 'SK', type: 'S' },
      billing: Billing.provisioned({ read: 5, write: 2 }, { minRead: 5, maxRead: 50, minWrite: 2, maxWrite: 20 }),
      globalSecondaryIndexes: [{ indexName: 'by-owner', partitionKey: { name: 'Owner', type: 'S' } }],
      localSecondaryIndexes: [{ indexName: 'by-date', sortKey: { name: 'Date', type: 'S' } }],
    });
    expect(r.globalSecondaryIndexes[0]).toMatchObject({ projectionType: 'ALL', capacity: { read: 5, write: 2 } });
    expect(r.localSecondaryIndexes[0]).toMatchObject({ partitionKey: { name: 'ID', type: 'S' }, projectionType: 'ALL', capacity: undefined });
    expect(r.billing).toMatchObject({ mode: 'PROVISIONED', autoscaling: { targetUtilizationPercent: 70 } });
  });
});

describe('Table options reach the resource', () => {
  it('sort key, GSI, LSI, TTL, stream, class, tags', () => {
    const t = table({
      sortKey: { name: 'SK', type: 'N' },
      globalSecondaryIndexes: [{ indexName: 'by-owner', partitionKey: { name: 'Owner', type: 'S' }, projectionType: 'INCLUDE', nonKeyAttributes: ['Name'] }],
      localSecondaryIndexes: [{ indexName: 'by-date', sortKey: { name: 'Date', type: 'S' }, projectionType: 'KEYS_ONLY' }],
      timeToLiveAttribute: 'ExpiresAt',
      stream: 'NEW_IMAGE',
      tableClass: 'STANDARD_INFREQUENT_ACCESS',
      pointInTimeRecovery: false,
      deletionProtection: false,
      tags: { team: 'data' },
    }).only('aws_dynamodb_table');
    expect(t.range_key).toBe('SK');
    expect(t.attribute).toEqual([
      { name: 'ID', type: 'S' },
      { name: 'SK', type: 'N' },
      { name: 'Owner', type: 'S' },
      { name: 'Date', type: 'S' },
    ]);
    expect(t.global_secondary_index).toEqual([{ name: 'by-owner', hash_key: 'Owner', projection_type: 'INCLUDE', non_key_attributes: ['Name'] }]);
    expect(t.local_secondary_index).toEqual([{ name: 'by-date', range_key: 'Date', projection_type: 'KEYS_ONLY' }]);
    expect(t.ttl).toEqual({ enabled: true, attribute_name: 'ExpiresAt' });
    expect(t).toMatchObject({ stream_enabled: true, stream_view_type: 'NEW_IMAGE', table_class: 'STANDARD_INFREQUENT_ACCESS', deletion_protection_enabled: false, tags: { team: 'data' } });
    expect(t.point_in_time_recovery).toEqual({ enabled: false });
  });

  it('provisioned capacity with autoscaling targets and target-tracking policies for the table and each GSI', () => {
    const out = table({
      globalSecondaryIndexes: [{ indexName: 'by-owner', partitionKey: { name: 'Owner', type: 'S' } }],
      billing: Billing.provisioned({ read: 5, write: 2 }, { minRead: 5, maxRead: 50, minWrite: 2, maxWrite: 20, targetUtilizationPercent: 60 }),
    });
    const t = out.only('aws_dynamodb_table');
    expect(t).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 2 });
    expect(t.global_secondary_index[0]).toMatchObject({ read_capacity: 5, write_capacity: 2 });
    expect(t.lifecycle.ignore_changes).toEqual(['read_capacity', 'write_capacity']);
    const targets = Object.values(out.resources('aws_appautoscaling_target'));
    expect(targets.map((x: any) => `${x.resource_id} ${x.scalable_dimension} ${x.min_capacity}-${x.max_capacity}`).sort()).toEqual([
      'table/orders dynamodb:table:ReadCapacityUnits 5-50',
      'table/orders dynamodb:table:WriteCapacityUnits 2-20',
      'table/orders/index/by-owner dynamodb:index:ReadCapacityUnits 5-50',
      'table/orders/index/by-owner dynamodb:index:WriteCapacityUnits 2-20',
    ]);
    const policies = Object.values(out.resources('aws_appautoscaling_policy')) as any[];
    expect(policies).toHaveLength(4);
    expect(policies[0]).toMatchObject({ policy_type: 'TargetTrackingScaling', target_tracking_scaling_policy_configuration: { target_value: 60 } });
  });

  it('replicas get their own regional key and streams NEW_AND_OLD_IMAGES', () => {
    const out = synthWith((s) => {
      const west = new EncryptionKey(s, 'west', { alias: 'w', region: 'us-west-2', services: ['dynamodb'] });
      build(s, { replicas: [{ region: 'us-west-2', encryptionKey: west }] });
    });
    const t = out.only('aws_dynamodb_table');
    expect(t.replica).toEqual([{ region_name: 'us-west-2', kms_key_arn: expect.stringMatching(/aws_kms_key\.west_key/), point_in_time_recovery: true, propagate_tags: true }]);
    expect(t.stream_view_type).toBe('NEW_AND_OLD_IMAGES');
  });
});

describe('Table grants', () => {
  const policies = (grant: 'grantReadData' | 'grantWriteData' | 'grantReadWriteData') => {
    const out = synthWith((s) => {
      const t = build(s);
      const role = new Role(s, 'role', { roleName: 'app', kind: 'app-reader', assumeRolePolicy: accountTrust(['arn:aws:iam::123456789012:root']) });
      t[grant](role);
    });
    return Synthesized.policy(out.only('aws_iam_role_policy').policy).Statement;
  };

  it('grantReadData scopes reads to the table and its indexes, and adds decrypt on the key', () => {
    const [data, key] = policies('grantReadData');
    expect(data.Action).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']));
    expect(data.Action).not.toContain('dynamodb:PutItem');
    expect(data.Resource).toEqual([expect.stringMatching(/aws_dynamodb_table\..*\.arn/), expect.stringMatching(/\.arn\}\/index\/\*$/)]);
    expect(key.Action).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    expect(key.Resource).toEqual([expect.stringMatching(/aws_kms_key\..*\.arn/)]);
  });

  it('grantWriteData adds writes and the encrypt actions, not reads like Scan', () => {
    const [data, key] = policies('grantWriteData');
    expect(data.Action).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(data.Action).not.toContain('dynamodb:Scan');
    expect(key.Action).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Encrypt']));
  });

  it('grantReadWriteData grants both without duplicates', () => {
    const [data] = policies('grantReadWriteData');
    expect(new Set(data.Action).size).toBe(data.Action.length);
    expect(data.Action).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
  });
});

describe('Table rejects invalid designs at synth', () => {
  const gsi = (n: number) => Array.from({ length: n }, (_, i) => ({ indexName: `gsi-${i}`, partitionKey: { name: `A${i}`, type: 'S' as const } }));
  const lsi = (n: number) => Array.from({ length: n }, (_, i) => ({ indexName: `lsi-${i}`, sortKey: { name: `L${i}`, type: 'S' as const } }));
  it.each<[string, Partial<TableProps>, RegExp]>([
    ['a short name', { tableName: 'ab' }, /Table\.tableName: "ab" is invalid: must be 3-255 characters of \[a-zA-Z0-9_.-\]/],
    ['bad characters', { tableName: 'my table' }, /Table\.tableName: "my table" is invalid/],
    ['sort key = partition key', { sortKey: { name: 'ID', type: 'S' } }, /Table\.sortKey\.name: "ID" is invalid: must differ from the partition key/],
    ['a non-key attribute type', { partitionKey: { name: 'ID', type: 'BOOL' as any } }, /Table\.partitionKey\.type: "BOOL" is invalid: key attributes must be of type S, N or B/],
    ['an index key redeclared with another type', { globalSecondaryIndexes: [{ indexName: 'idx', partitionKey: { name: 'ID', type: 'N' } }] }, /Table\.globalSecondaryIndexes\[0\]\.partitionKey\.type: "N" is invalid: attribute "ID" is already declared as type S/],
    ['a GSI without a partition key', { globalSecondaryIndexes: [{ indexName: 'idx' }] }, /Table\.globalSecondaryIndexes\[0\]\.partitionKey: \(unset\) is invalid: a global secondary index needs a partition key/],
    ['21 GSIs', { globalSecondaryIndexes: gsi(21) }, /Table\.globalSecondaryIndexes: 21 is invalid: at most 20 global secondary indexes/],
    ['6 LSIs', { sortKey: { name: 'SK', type: 'S' }, localSecondaryIndexes: lsi(6) }, /Table\.localSecondaryIndexes: 6 is invalid: at most 5 local secondary indexes/],
    ['an LSI without a table sort key', { localSecondaryIndexes: lsi(1) }, /Table\.localSecondaryIndexes: \["lsi-0"\] is invalid: a local secondary index needs a table with a sort key/],
    ['INCLUDE without attributes', { globalSecondaryIndexes: [{ indexName: 'idx', partitionKey: { name: 'A', type: 'S' }, projectionType: 'INCLUDE' }] }, /nonKeyAttributes: \(unset\) is invalid: non-key attributes are required with projection INCLUDE/],
    ['provisioned without capacity', { billing: { mode: 'PROVISIONED' } as any }, /Table\.billing\.capacity: \(unset\) is invalid: provisioned mode needs read and write capacity/],
    ['zero capacity', { billing: Billing.provisioned({ read: 0, write: 1 }) }, /Table\.billing\.capacity\.read: 0 is invalid: must be an integer from 1/],
    ['autoscaling min > max', { billing: Billing.provisioned({ read: 5, write: 5 }, { minRead: 10, maxRead: 5, minWrite: 1, maxWrite: 2 }) }, /Table\.billing\.autoscaling\.minRead: 10 is invalid: must not exceed maxRead \(5\)/],
    ['a TTL attribute that is a key', { timeToLiveAttribute: 'ID' }, /Table\.timeToLiveAttribute: "ID" is invalid: must not be a key attribute/],
  ])('%s', (_, props, message) => {
    expect(() => table(props)).toThrow(message);
  });

  it('a replica in the table region', () => {
    expect(() =>
      synthWith((s) => {
        const k = new EncryptionKey(s, 'k2', { alias: 'k2', region: 'us-east-1', services: ['dynamodb'] });
        build(s, { replicas: [{ region: 'us-east-1', encryptionKey: k }] });
      }),
    ).toThrow(/Table\.replicas\[0\]\.region: "us-east-1" is invalid: a replica must be in another region than the table \(us-east-1\)/);
  });

  it('a replica whose key is in another region', () => {
    expect(() =>
      synthWith((s) => {
        const k = new EncryptionKey(s, 'k2', { alias: 'k2', region: 'eu-west-1', services: ['dynamodb'] });
        build(s, { replicas: [{ region: 'us-west-2', encryptionKey: k }] });
      }),
    ).toThrow(/Table\.replicas\[0\]\.encryptionKey: "eu-west-1" is invalid: a replica needs a key in its own region \(us-west-2\)/);
  });
});
