/**
 * Malformed and invalid requests get AWS error codes, never a hang or a 500, and never disturb
 * existing state.
 */
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

let sandbox: Sandbox;
let endpoint: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = sandbox.endpoint;
  const ddb = new DynamoDBClient({ endpoint });
  await ddb.send(new CreateTableCommand({
    TableName: 'intact', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
  }));
  for (let i = 0; i < 5; i++) await ddb.send(new PutItemCommand({ TableName: 'intact', Item: { ID: { S: String(i) }, v: { N: String(i) } } }));
});
afterAll(() => sandbox?.stop());

const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

async function raw(service: string, headers: Record<string, string>, body: string, method = 'POST', path = '/') {
  const res = await fetch(`${endpoint}${path}`, { method, headers: { authorization: auth(service), ...headers }, body: method === 'GET' ? undefined : body });
  return { status: res.status, text: await res.text() };
}

const dynamo = (op: string, body: string) => raw('dynamodb', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}` }, body);

describe('bad input', () => {
  it('answers malformed JSON with SerializationException naming the operation', async () => {
    const res = await dynamo('PutItem', '{"TableName": "intact", "Item": ');
    expect([res.status, JSON.parse(res.text)]).toEqual([400, { __type: 'SerializationException', message: expect.stringMatching(/^PutItem: the request body is not valid JSON/) }]);
  });

  it('answers an unknown JSON operation with UnknownOperationException naming it', async () => {
    const res = await dynamo('FrobnicateTable', '{}');
    expect([res.status, JSON.parse(res.text)]).toEqual([400, { __type: 'UnknownOperationException', message: expect.stringMatching(/FrobnicateTable/) }]);
  });

  it('answers an unknown query action with InvalidAction naming it', async () => {
    const res = await raw('iam', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=FrobnicateRole&Version=2010-05-08');
    expect([res.status, res.text]).toEqual([400, expect.stringMatching(/<Code>InvalidAction<\/Code><Message>[^<]*FrobnicateRole/)]);
  });

  it('answers a missing X-Amz-Target with UnknownOperationException', async () => {
    const res = await raw('dynamodb', { 'content-type': 'application/x-amz-json-1.0' }, '{}');
    expect(JSON.parse(res.text).__type).toBe('UnknownOperationException');
  });

  it('answers a missing required parameter with ValidationException', async () => {
    const res = await dynamo('PutItem', '{"Item": {"ID": {"S": "x"}}}');
    expect([res.status, JSON.parse(res.text).__type]).toEqual([400, expect.stringMatching(/ValidationException/)]);
  });

  it('answers an oversized item with ValidationException about the size', async () => {
    const big = 'x'.repeat(410 * 1024);
    await expect(new DynamoDBClient({ endpoint, maxAttempts: 1 }).send(new PutItemCommand({ TableName: 'intact', Item: { ID: { S: 'big' }, blob: { S: big } } })))
      .rejects.toThrow(/size/i);
  });

  it('answers an invalid table name with ValidationException naming the rule', async () => {
    await expect(new DynamoDBClient({ endpoint, maxAttempts: 1 }).send(new CreateTableCommand({
      TableName: 'a', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    }))).rejects.toThrow(/Value 'a' at 'tableName' failed to satisfy constraint: Member must have length between 3 and 255/);
  });

  it('answers an unknown table with ResourceNotFoundException', async () => {
    await expect(new DynamoDBClient({ endpoint, maxAttempts: 1 }).send(new DescribeTableCommand({ TableName: 'missing' }))).rejects.toThrow(/not found|ResourceNotFound/i);
  });

  it('never answers 500 and keeps every table and item intact after a batch of malformed requests', async () => {
    const junk = [
      dynamo('PutItem', 'not json'),
      dynamo('PutItem', '[]'),
      dynamo('PutItem', '{"TableName": 42, "Item": "nope"}'),
      dynamo('DeleteItem', '{"TableName": "intact", "Key": {"ID": {"N": "not-a-number"}}}'),
      dynamo('BatchWriteItem', '{"RequestItems": {"intact": [{"PutRequest": {}}]}}'),
      dynamo('UpdateItem', '{"TableName": "intact", "Key": {"ID": {"S": "1"}}, "UpdateExpression": "SET = broken"}'),
      dynamo('DeleteTable', '{}'),
      dynamo('CreateTable', '{"TableName": "intact"}'),
      raw('kms', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' }, '{"KeyUsage": 7}'),
      raw('s3', {}, '<not-xml', 'PUT', '/intact-bucket?policy'),
      raw('sns', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=CreateTopic&Version=2010-03-31'),
    ];
    const statuses = (await Promise.all(junk)).map((r) => r.status);
    await expect(new DynamoDBClient({ endpoint, maxAttempts: 1 }).send(new BatchWriteItemCommand({ RequestItems: { intact: [{ DeleteRequest: { Key: { ID: { N: '1' } } } }] } }))).rejects.toThrow(/The provided key element does not match the schema/);
    const scan = await new DynamoDBClient({ endpoint }).send(new ScanCommand({ TableName: 'intact' }));
    const items = (scan.Items ?? []).map((i) => i.ID.S).sort();
    expect({ fiveHundreds: statuses.filter((s) => s >= 500), items }).toEqual({ fiveHundreds: [], items: ['0', '1', '2', '3', '4'] });
  });
});
