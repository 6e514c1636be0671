/**
 * Export to S3 (sandbox/exports.ts): ExportTableToPointInTime writes what AWS writes — _started,
 * DYNAMODB_JSON data gzipped, manifest-files.json, manifest-summary.json and their .md5 — for the
 * table as it was at ExportTime; refuses tables without PITR; DescribeExport and ListExports answer
 * IN_PROGRESS then COMPLETED; a missing bucket fails the export; exports survive a restart.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  CreateTableCommand, DescribeExportCommand, DynamoDBClient, ExportTableToPointInTimeCommand, ListExportsCommand, PutItemCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox, tempStateDir } from './helpers';

jest.setTimeout(90_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stateDir = tempStateDir();
let sandbox: Sandbox;
let ddb: DynamoDBClient;
let s3: S3Client;
let tableArn: string;
let T: Date;

async function start(): Promise<void> {
  sandbox = await startTestSandbox({ stateDir, timeScale: 10_000 });
  ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
  s3 = new S3Client({ endpoint: sandbox.endpoint, forcePathStyle: true });
}
beforeAll(async () => {
  await start();
  const made = await ddb.send(new CreateTableCommand({
    TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
  }));
  tableArn = made.TableDescription!.TableArn!;
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
  for (const id of ['a', 'b']) await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: id }, v: { N: '1' } } }));
  await sleep(20);
  T = new Date();
  await sleep(20);
  await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: 'a' }, v: { N: '2' } } }));
  await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: 'later' }, v: { N: '1' } } }));
});
afterAll(() => sandbox?.stop());

const text = async (key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'exports', Key: key }))).Body!.transformToByteArray());

describe('export to S3', () => {
  let exportArn: string;

  it('writes the manifests and the data AWS writes, for the table as it was at ExportTime', async () => {
    const started = await ddb.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', S3Prefix: 'nightly', ExportTime: T }));
    exportArn = started.ExportDescription!.ExportArn!;
    const exportId = exportArn.split('/export/')[1];
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'exports', Prefix: 'nightly/' }))).Contents ?? []).map((o) => o.Key!).sort();
    const base = `nightly/AWSDynamoDB/${exportId}`;
    const summary = JSON.parse((await text(`${base}/manifest-summary.json`)).toString()) as Record<string, unknown>;
    const files = (await text(`${base}/manifest-files.json`)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const data = await text(String(files[0].dataFileS3Key));
    const items = gunzipSync(data).toString().trim().split('\n').map((l) => JSON.parse(l) as { Item: Record<string, { S?: string; N?: string }> });
    expect({
      status: started.ExportDescription?.ExportStatus,
      arn: exportArn,
      keys: keys.map((k) => k.replace(/data\/[a-z0-9]+\.json\.gz$/, 'data/<file>.json.gz')),
      summary: { version: summary.version, exportArn: summary.exportArn, tableArn: summary.tableArn, itemCount: summary.itemCount, outputFormat: summary.outputFormat, manifestFilesS3Key: summary.manifestFilesS3Key, exportTime: summary.exportTime },
      file: { itemCount: files[0].itemCount, md5Checksum: files[0].md5Checksum },
      items: items.map((i) => `${i.Item.ID.S}=${i.Item.v.N}`).sort(),
      summaryMd5: (await text(`${base}/manifest-summary.md5`)).toString(),
    }).toEqual({
      status: 'IN_PROGRESS',
      arn: expect.stringMatching(new RegExp(`^${tableArn}/export/\\d{13}-[0-9a-f]{8}$`)),
      keys: [`${base}/_started`, `${base}/data/<file>.json.gz`, `${base}/manifest-files.json`, `${base}/manifest-files.md5`, `${base}/manifest-summary.json`, `${base}/manifest-summary.md5`],
      summary: { version: '2020-06-30', exportArn, tableArn, itemCount: 2, outputFormat: 'DYNAMODB_JSON', manifestFilesS3Key: `${base}/manifest-files.json`, exportTime: T.toISOString() },
      file: { itemCount: 2, md5Checksum: createHash('md5').update(data).digest('base64') },
      items: ['a=1', 'b=1'],
      summaryMd5: createHash('md5').update(await text(`${base}/manifest-summary.json`)).digest('hex'),
    });
  });

  it('describes the export as COMPLETED with its manifest and counts, and lists it', async () => {
    let d;
    for (let i = 0; i < 100; i++) {
      d = (await ddb.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription;
      if (d?.ExportStatus === 'COMPLETED') break;
      await sleep(20);
    }
    const listed = await ddb.send(new ListExportsCommand({ TableArn: tableArn }));
    expect({ status: d?.ExportStatus, manifest: d?.ExportManifest, count: d?.ItemCount, listed: listed.ExportSummaries })
      .toEqual({ status: 'COMPLETED', manifest: expect.stringMatching(/^nightly\/AWSDynamoDB\/.+\/manifest-summary\.json$/), count: 2, listed: [{ ExportArn: exportArn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' }] });
  });

  it('refuses a table without point-in-time recovery, a time before it was enabled, and fails the export into a missing bucket', async () => {
    const plain = await ddb.send(new CreateTableCommand({
      TableName: 'plain', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    }));
    await expect(ddb.send(new ExportTableToPointInTimeCommand({ TableArn: plain.TableDescription!.TableArn!, S3Bucket: 'exports' })))
      .rejects.toMatchObject({ name: 'PointInTimeRecoveryUnavailableException' });
    await expect(ddb.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports', ExportTime: new Date(Date.now() - 86_400_000) })))
      .rejects.toMatchObject({ name: 'InvalidExportTimeException' });
    const missing = await ddb.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'no-such-bucket' }));
    expect({ status: missing.ExportDescription?.ExportStatus, code: missing.ExportDescription?.FailureCode }).toEqual({ status: 'FAILED', code: 'S3NoSuchBucket' });
  });

  it('keeps exports and their files across a restart', async () => {
    await sandbox.stop();
    await start();
    const d = (await ddb.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription!;
    expect({ status: d.ExportStatus, manifest: (await text(d.ExportManifest!)).length > 0 }).toEqual({ status: 'COMPLETED', manifest: true });
  });
});
