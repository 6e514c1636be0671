/** `strictAuth`: only requests SigV4-signed with the configured key pair get through. */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

const keys = { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'strict-secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ strictAuth: keys });
});
afterAll(() => sandbox?.stop());

describe('strict auth', () => {
  it('accepts a request signed with the configured key pair', async () => {
    const res = await new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: keys }).send(new ListTablesCommand({}));
    expect(res.TableNames).toEqual([]);
  });

  it('accepts a signed S3 request (path not re-encoded)', async () => {
    const res = await new S3Client({ endpoint: sandbox.endpoint, credentials: keys, forcePathStyle: true }).send(new ListBucketsCommand({}));
    expect(res.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses a request signed with another secret', async () => {
    const client = new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: { ...keys, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow(/signature we calculated does not match/);
  });

  it('refuses another access key id', async () => {
    const client = new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow(/security token included in the request is invalid/);
  });

  it('refuses an unsigned request', async () => {
    const res = await fetch(`${sandbox.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
    expect([res.status, ((await res.json()) as { __type: string }).__type]).toEqual([403, 'MissingAuthenticationToken']);
  });

  it('puts the configured key pair in the environment it hands out', () => {
    expect([sandbox.env.AWS_ACCESS_KEY_ID, sandbox.env.AWS_SECRET_ACCESS_KEY]).toEqual([keys.accessKeyId, keys.secretAccessKey]);
  });
});
