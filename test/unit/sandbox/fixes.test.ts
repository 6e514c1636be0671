import type { BufferedResponse, ForwardRequest } from '../../../sandbox/forward';
import { findFix, newFixState, type FixContext } from '../../../sandbox/fixes';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): BufferedResponse =>
  ({ status, headers: { 'content-type': 'application/x-amz-json-1.1', ...headers }, body: Buffer.from(JSON.stringify(body)) });

function context(service: string, operation: string, input: unknown, answer: (req: ForwardRequest) => BufferedResponse, region = 'us-east-1') {
  const sent: ForwardRequest[] = [];
  const request: ForwardRequest = { method: 'POST', url: '/', headers: { 'x-amz-target': `X.${operation}` }, body: Buffer.from(JSON.stringify(input)) };
  const ctx: FixContext = {
    service, region, operation, protocol: service === 'dynamodb' ? 'awsJson1_0' : 'awsJson1_1', request, state: newFixState(),
    forward: async (r) => { sent.push(r ?? request); return answer(r ?? request); },
  };
  return { ctx, sent };
}

const run = async (ctx: FixContext) => {
  const res = await findFix(ctx.service, ctx.operation)!.apply(ctx);
  return { status: res.status, headers: res.headers, body: JSON.parse(res.body.toString() || '{}') };
};

describe('moto differences fixed in the front door', () => {
  it('CloudTrail DescribeTrails for an unknown trail answers an empty trailList instead of TrailNotFoundException', async () => {
    const { ctx } = context('cloudtrail', 'DescribeTrails', { trailNameList: ['arn:aws:cloudtrail:us-east-1:123456789012:trail/x'] },
      () => json(400, { __type: 'TrailNotFoundException', message: 'nope' }));
    expect(await run(ctx)).toMatchObject({ status: 200, body: { trailList: [] } });
  });

  it('CloudTrail StartLogging with a trail ARN reaches moto as the trail name', async () => {
    const { ctx, sent } = context('cloudtrail', 'StartLogging', { Name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/audit' }, () => json(200, {}));
    await run(ctx);
    expect(JSON.parse(sent[0].body.toString())).toEqual({ Name: 'audit' });
  });

  it('Application Auto Scaling TagResource then ListTagsForResource returns the tags', async () => {
    const state = newFixState();
    const arn = 'arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/abc';
    const tag = context('application-autoscaling', 'TagResource', { ResourceARN: arn, Tags: { team: 'data' } }, () => json(500, {}));
    await run({ ...tag.ctx, state });
    const list = context('application-autoscaling', 'ListTagsForResource', { ResourceARN: arn }, () => json(500, {}));
    expect((await run({ ...list.ctx, state })).body).toEqual({ Tags: { team: 'data' } });
  });

  it('Application Auto Scaling DescribeScalableTargets answers an empty list instead of ObjectNotFoundException', async () => {
    const { ctx } = context('application-autoscaling', 'DescribeScalableTargets', { ServiceNamespace: 'dynamodb' },
      () => json(400, { __type: 'ObjectNotFoundException', message: 'No scalable target found' }));
    expect((await run(ctx)).body).toEqual({ ScalableTargets: [] });
  });

  it('DynamoDB DescribeTable reports 0 capacity for an on-demand table and drops the stale CRC', async () => {
    const { ctx } = context('dynamodb', 'DescribeTable', { TableName: 't' }, () => json(200, {
      Table: { TableName: 't', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
    }, { 'x-amz-crc32': '123' }));
    const res = await run(ctx);
    expect([res.body.Table.ProvisionedThroughput.ReadCapacityUnits, res.body.Table.ProvisionedThroughput.WriteCapacityUnits, res.headers['x-amz-crc32']]).toEqual([0, 0, undefined]);
  });

  it('DynamoDB keeps the TableClass given at CreateTable in later DescribeTable answers', async () => {
    const state = newFixState();
    const create = context('dynamodb', 'CreateTable', { TableName: 'orders', TableClass: 'STANDARD_INFREQUENT_ACCESS' }, () => json(200, { TableDescription: { TableName: 'orders' } }));
    await run({ ...create.ctx, state });
    const describe = context('dynamodb', 'DescribeTable', { TableName: 'orders' }, () => json(200, { Table: { TableName: 'orders' } }));
    expect((await run({ ...describe.ctx, state })).body.Table.TableClassSummary).toEqual({ TableClass: 'STANDARD_INFREQUENT_ACCESS' });
  });
});

describe('DynamoDB input checks moto skips', () => {
  it('refuses a CreateTable name shorter than 3 characters with AWS\'s constraint message', async () => {
    const { ctx, sent } = context('dynamodb', 'CreateTable', { TableName: 'ab' }, () => json(200, {}));
    const res = await run(ctx);
    expect([res.status, res.body.message, sent.length]).toEqual([400, expect.stringMatching(/Value 'ab' at 'tableName' failed to satisfy constraint/), 0]);
  });

  it('refuses a key attribute of the wrong type once the table\'s schema is known', async () => {
    const state = newFixState();
    const describe = context('dynamodb', 'DescribeTable', { TableName: 'orders' }, () => json(200, {
      Table: { TableName: 'orders', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }] },
    }));
    await run({ ...describe.ctx, state });
    const get = context('dynamodb', 'GetItem', { TableName: 'orders', Key: { ID: { N: '1' } } }, () => json(200, {}));
    expect((await run({ ...get.ctx, state })).body.message).toMatch(/The provided key element does not match the schema/);
  });

  it('refuses a PutItem without the partition key, naming it', async () => {
    const state = newFixState();
    state.keyTypes.set('us-east-1/orders', { ID: 'S' });
    const put = context('dynamodb', 'PutItem', { TableName: 'orders', Item: { other: { S: 'x' } } }, () => json(200, {}));
    expect((await run({ ...put.ctx, state })).body.message).toMatch(/Missing the key ID in the item/);
  });
});

describe('KMS rotation period', () => {
  it('GetKeyRotationStatus reports the RotationPeriodInDays given to EnableKeyRotation (moto omits it)', async () => {
    const state = newFixState();
    const enable = context('kms', 'EnableKeyRotation', { KeyId: 'k-1', RotationPeriodInDays: 180 }, () => json(200, {}));
    await run({ ...enable.ctx, state });
    const status = context('kms', 'GetKeyRotationStatus', { KeyId: 'arn:aws:kms:us-east-1:123456789012:key/k-1' }, () => json(200, { KeyRotationEnabled: true }));
    expect((await run({ ...status.ctx, state })).body).toEqual({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
  });
});
