/** `strictAuth`: only requests SigV4-signed with the configured key pair get through. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand, PutObjectCommand, S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

const keys = { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'strict-secret' };
let sandbox: Sandbox;

/** The SDK's Checksum interface over node:crypto (what @aws-sdk/s3-request-presigner would bring). */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: Uint8Array | string) { this.hash = this.fresh(); }
  private fresh() { return this.secret ? createHmac('sha256', this.secret) : createHash('sha256'); }
  update(data: Uint8Array | string) { this.hash.update(data); }
  async digest() { return new Uint8Array(this.hash.digest()); }
  reset() { this.hash = this.fresh(); }
}

/** A presigned GET URL for an S3 object, path style, as S3's presigner makes it. */
async function presignedGet(bucket: string, key: string, secretAccessKey: string): Promise<string> {
  const url = new URL(sandbox.endpoint);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: keys.accessKeyId, secretAccessKey }, sha256: Sha256 as never, uriEscapePath: false });
  const path = `/${bucket}/${encodeURIComponent(key)}`;
  const signed = await signer.presign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: {}, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { expiresIn: 60, unsignableHeaders: new Set(['x-amz-content-sha256']) });
  return `${sandbox.endpoint}${path}?${new URLSearchParams(signed.query as Record<string, string>).toString()}`;
}
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

  it('refuses a DynamoDB request signed with another secret: InvalidSignatureException, HTTP 400 as DynamoDB answers', async () => {
    const client = new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: { ...keys, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    const err = await client.send(new ListTablesCommand({})).then(() => ({ name: 'no error', message: '', $metadata: { httpStatusCode: 200 } }), (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => e);
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['InvalidSignatureException', 400, expect.stringMatching(/signature we calculated does not match/)]);
  });

  it('refuses another access key id: UnrecognizedClientException, HTTP 400 for DynamoDB', async () => {
    const client = new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const err = await client.send(new ListTablesCommand({})).then(() => ({ name: 'no error', message: '', $metadata: { httpStatusCode: 200 } }), (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => e);
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['UnrecognizedClientException', 400, expect.stringMatching(/security token included in the request is invalid/)]);
  });

  it('refuses an IAM request with a wrong secret the query way: SignatureDoesNotMatch, HTTP 403', async () => {
    const client = new IAMClient({ endpoint: sandbox.endpoint, credentials: { ...keys, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    const err = await client.send(new ListRolesCommand({})).then(() => ({ name: 'no error', $metadata: { httpStatusCode: 200 } }), (e: { name: string; $metadata: { httpStatusCode?: number } }) => e);
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
  });

  it('refuses an unsigned request with MissingAuthenticationTokenException (HTTP 400 for DynamoDB)', async () => {
    const res = await fetch(`${sandbox.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
    expect([res.status, ((await res.json()) as { __type: string }).__type]).toEqual([400, 'MissingAuthenticationTokenException']);
  });

  it('serves a presigned S3 URL signed with the configured pair, and refuses one signed with another secret', async () => {
    const s3 = new S3Client({ endpoint: sandbox.endpoint, credentials: keys, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned' }));
    await s3.send(new PutObjectCommand({ Bucket: 'presigned', Key: 'a b.txt', Body: 'hello' }));
    const good = await presignedGet('presigned', 'a b.txt', keys.secretAccessKey);
    const bad = await presignedGet('presigned', 'a b.txt', 'wrong');
    const [ok, refused] = await Promise.all([fetch(good), fetch(bad)]);
    expect([ok.status, await ok.text(), refused.status, await refused.text()]).toEqual([200, 'hello', 403, expect.stringMatching(/<Code>SignatureDoesNotMatch<\/Code>/)]);
  });

  it('lets the AWS CLI (which signs) through', async () => {
    const { stdout } = await promisify(execFile)('aws', ['--endpoint-url', sandbox.endpoint, '--output', 'json', 'dynamodb', 'list-tables'], {
      env: { ...process.env, ...sandbox.env, AWS_PAGER: '' },
    });
    expect(JSON.parse(stdout)).toEqual({ TableNames: [] });
  });

  it('accepts the temporary credentials STS handed out, each signed with its own secret, and refuses them with another', async () => {
    await new IAMClient({ endpoint: sandbox.endpoint, credentials: keys }).send(new CreateRoleCommand({
      RoleName: 'strict-session',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }),
    }));
    const c = (await new STSClient({ endpoint: sandbox.endpoint, credentials: keys }).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/strict-session', RoleSessionName: 's' }))).Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    const ok = await new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: session }).send(new ListTablesCommand({}));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    const err = await new DynamoDBClient({ endpoint: sandbox.endpoint, credentials: { ...session, secretAccessKey: keys.secretAccessKey }, maxAttempts: 1 }).send(new ListTablesCommand({})).then(() => ({ name: 'no error' }), (e: { name: string }) => e);
    expect(err.name).toBe('InvalidSignatureException');
  });

  it('puts the configured key pair in the environment it hands out', () => {
    expect([sandbox.env.AWS_ACCESS_KEY_ID, sandbox.env.AWS_SECRET_ACCESS_KEY]).toEqual([keys.accessKeyId, keys.secretAccessKey]);
  });
});
