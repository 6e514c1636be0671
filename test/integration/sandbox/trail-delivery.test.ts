/**
 * CloudTrail log file delivery (sandbox/trail-delivery.ts): a logging trail receives gzipped
 * `{"Records":[…]}` log files under AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/, with DynamoDB
 * data events only where its selectors ask, and signed digest files (chained by hash and
 * signature) when log file validation is on; a trail that is not logging receives nothing.
 */
import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox, tempStateDir } from './helpers';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stateDir = tempStateDir();
let sandbox: Sandbox;
let s3: S3Client;

const keysUnder = async (bucket: string, prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
const object = async (bucket: string, key: string) => gunzipSync(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray()));
async function records(bucket: string, prefix: string): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  for (const key of await keysUnder(bucket, prefix)) out.push(...(JSON.parse((await object(bucket, key)).toString()) as { Records: Array<Record<string, any>> }).Records);
  return out;
}

beforeAll(async () => {
  // Time scale 3600: log files every second, a digest every second.
  sandbox = await startTestSandbox({ stateDir, timeScale: 3600 });
  s3 = new S3Client({ endpoint: sandbox.endpoint, forcePathStyle: true });
  const trail = new CloudTrailClient({ endpoint: sandbox.endpoint });
  for (const b of ['audit-logs', 'idle-logs']) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await trail.send(new CreateTrailCommand({ Name: 'audit', S3BucketName: 'audit-logs', S3KeyPrefix: 'org', EnableLogFileValidation: true }));
  await trail.send(new CreateTrailCommand({ Name: 'idle', S3BucketName: 'idle-logs' }));
  await trail.send(new PutEventSelectorsCommand({
    TrailName: 'audit',
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb:us-east-1:123456789012:table/watched'] }] }],
  }));
  await trail.send(new StartLoggingCommand({ Name: 'audit' }));
  await sleep(100);
  const ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
  for (const t of ['watched', 'ignored']) {
    await ddb.send(new CreateTableCommand({ TableName: t, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }] }));
    await ddb.send(new PutItemCommand({ TableName: t, Item: { ID: { S: 'a' } } }));
    await ddb.send(new GetItemCommand({ TableName: t, Key: { ID: { S: 'a' } } }));
  }
  // Two delivery cycles and a digest.
  await sleep(3500);
});
afterAll(() => sandbox?.stop());

describe('CloudTrail log file delivery', () => {
  it('delivers gzipped log files under AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ with the management events', async () => {
    const keys = await keysUnder('audit-logs', 'org/AWSLogs/123456789012/CloudTrail/');
    const got = await records('audit-logs', 'org/AWSLogs/123456789012/CloudTrail/');
    const management = got.filter((r) => r.eventCategory === 'Management').map((r) => `${r.eventName}:${r.requestParameters?.TableName ?? ''}`);
    expect({ keys: keys.length > 0 && keys.every((k) => /^org\/AWSLogs\/123456789012\/CloudTrail\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/123456789012_CloudTrail_us-east-1_\d{8}T\d{4}Z_[A-Za-z0-9_-]{16}\.json\.gz$/.test(k)), management })
      .toEqual({ keys: true, management: expect.arrayContaining(['CreateTable:watched', 'CreateTable:ignored']) });
  });

  it('records DynamoDB data events only for the tables the selectors name, reads and writes', async () => {
    const data = (await records('audit-logs', 'org/AWSLogs/123456789012/CloudTrail/')).filter((r) => r.eventCategory === 'Data');
    expect(data.map((r) => `${r.eventName}:${r.resources[0].ARN.split('/').pop()}:${r.readOnly}`).sort()).toEqual(['GetItem:watched:true', 'PutItem:watched:false']);
  });

  it('delivers every management event to a logging trail that was never given selectors (the default selector)', async () => {
    const trail = new CloudTrailClient({ endpoint: sandbox.endpoint });
    await s3.send(new CreateBucketCommand({ Bucket: 'default-logs' }));
    await trail.send(new CreateTrailCommand({ Name: 'default', S3BucketName: 'default-logs' }));
    await trail.send(new StartLoggingCommand({ Name: 'default' }));
    await sleep(100);
    await new DynamoDBClient({ endpoint: sandbox.endpoint }).send(new CreateTableCommand({
      TableName: 'after-default', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    }));
    let names: string[] = [];
    for (let i = 0; i < 60 && !names.includes('CreateTable:after-default'); i++) {
      await sleep(100);
      names = (await records('default-logs', 'AWSLogs/123456789012/CloudTrail/')).map((r) => `${r.eventName}:${r.requestParameters?.TableName ?? ''}`);
    }
    expect({ created: names.includes('CreateTable:after-default'), data: names.some((n) => n.startsWith('PutItem')) }).toEqual({ created: true, data: false });
  });

  it('delivers nothing for a trail that is not logging', async () => {
    expect(await keysUnder('idle-logs', '')).toEqual([]);
  });

  it('writes digest files that list the log files with their SHA-256 and verify with the sandbox\'s key, chained', async () => {
    const digests = await keysUnder('audit-logs', 'org/AWSLogs/123456789012/CloudTrail-Digest/');
    const logs = await keysUnder('audit-logs', 'org/AWSLogs/123456789012/CloudTrail/');
    const publicKey = createPublicKey(createPrivateKey(readFileSync(path.join(stateDir, 'cloudtrail-digest-key.pem'), 'utf8')));
    const listed: string[] = [];
    let previousSignature: string | null = null;
    const checks: boolean[] = [];
    for (const key of digests) {
      const content = await object('audit-logs', key);
      const digest = JSON.parse(content.toString()) as Record<string, any>;
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'audit-logs', Key: key }));
      const signature = head.Metadata?.signature ?? '';
      const signing = `${digest.digestEndTime}\naudit-logs/${key}\n${createHash('sha256').update(content).digest('hex')}\n${previousSignature ?? 'null'}`;
      checks.push(verify('sha256', Buffer.from(signing), publicKey, Buffer.from(signature, 'hex')) && digest.previousDigestSignature === previousSignature);
      for (const f of digest.logFiles as Array<{ s3Object: string; hashValue: string }>) {
        listed.push(f.s3Object);
        checks.push(f.hashValue === createHash('sha256').update(await object('audit-logs', f.s3Object)).digest('hex'));
      }
      previousSignature = signature;
    }
    expect({
      names: digests.every((k) => /\/CloudTrail-Digest\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/123456789012_CloudTrail-Digest_us-east-1_audit_us-east-1_\d{8}T\d{6}Z\.json\.gz$/.test(k)),
      some: digests.length > 0,
      verified: checks.every(Boolean),
      // Every log file delivered before the last digest is listed in one.
      listed: listed.length > 0 && listed.every((k) => logs.includes(k)),
    }).toEqual({ names: true, some: true, verified: true, listed: true });
  });
});
