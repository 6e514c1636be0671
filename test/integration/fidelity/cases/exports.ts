/** DynamoDB export to S3 (ExportTableToPointInTime, DescribeExport, ListExports), as the API reference and developer guide document them. */
import { until, type Case, type Env } from '../harness';
import { api, error, send } from '../kit';

const ARN = /^arn:aws:dynamodb:us-east-1:123456789012:table\/fid-source\/export\/\d{13}-[0-9a-f]{8}$/;

/** An export of the PITR fixture table under a prefix of its own. */
async function exported(e: Env, prefix: string): Promise<string> {
  const out = await send(e, 'dynamodb', 'ExportTableToPointInTime', { TableArn: e.fx.sourceArn, S3Bucket: e.fx.bucket, S3Prefix: prefix });
  return out.ExportDescription.ExportArn as string;
}
const describe = async (e: Env, arn: string) => (await send(e, 'dynamodb', 'DescribeExport', { ExportArn: arn })).ExportDescription;

export const EXPORT_CASES: Case[] = [
  {
    id: 'ddb.export.starts',
    reference: 'DynamoDB API Reference, ExportTableToPointInTime: answers an ExportDescription with ExportArn (table ARN/export/id), ExportStatus IN_PROGRESS and ExportFormat DYNAMODB_JSON by default (and ExportType FULL_EXPORT, except with AWS CLI 2.9, whose model predates the member)',
    ...api('dynamodb', 'ExportTableToPointInTime', (e, v) => ({ TableArn: e.fx.sourceArn, S3Bucket: e.fx.bucket, S3Prefix: `exp-start-${v.tag}` })),
    expect: (out, _d, v) => expect(out.ExportDescription).toMatchObject({
      ExportArn: expect.stringMatching(ARN), ExportStatus: 'IN_PROGRESS', ExportFormat: 'DYNAMODB_JSON', ...(v.client !== 'cli-v2' ? { ExportType: 'FULL_EXPORT' } : {}),
    }),
  },
  {
    id: 'ddb.export.files',
    reference: 'DynamoDB Developer Guide, DynamoDB table export output: <prefix>/AWSDynamoDB/<ExportId>/ holds _started, manifest-summary.json, manifest-files.json, their .md5 files and data/*.json.gz',
    ...api('dynamodb', 'ExportTableToPointInTime', (e, v) => ({ TableArn: e.fx.sourceArn, S3Bucket: e.fx.bucket, S3Prefix: `exp-files-${v.tag}` })),
    observe: async (e, out, _d, v) => {
      const id = String(out.ExportDescription.ExportArn).split('/export/')[1];
      const listed = await send(e, 's3', 'ListObjectsV2', { Bucket: e.fx.bucket, Prefix: `exp-files-${v.tag}/` });
      return { id, keys: ((listed.Contents ?? []) as Array<{ Key: string }>).map((o) => o.Key.replace(`exp-files-${v.tag}/AWSDynamoDB/${id}/`, '')).map((k) => k.replace(/^data\/.+\.json\.gz$/, 'data/*.json.gz')).sort() };
    },
    expect: (out) => expect(out.keys).toEqual(['_started', 'data/*.json.gz', 'manifest-files.json', 'manifest-files.md5', 'manifest-summary.json', 'manifest-summary.md5']),
  },
  {
    id: 'ddb.export.manifest-summary',
    reference: 'DynamoDB Developer Guide, export output manifest-summary.json: version 2020-06-30, exportArn, tableArn, itemCount, outputFormat and manifestFilesS3Key',
    setup: (e, v) => exported(e, `exp-sum-${v.tag}`),
    ...api('dynamodb', 'DescribeExport', (_e, _v, arn) => ({ ExportArn: arn })),
    observe: async (e, _out, arn) => {
      const d = await until(() => describe(e, arn), (x) => x.ExportStatus === 'COMPLETED');
      const obj = await send(e, 's3', 'GetObject', { Bucket: e.fx.bucket, Key: d.ExportManifest });
      const summary = JSON.parse(await obj.Body.transformToString());
      return { version: summary.version, exportArn: summary.exportArn, tableArn: summary.tableArn, format: summary.outputFormat, files: summary.manifestFilesS3Key, count: typeof summary.itemCount };
    },
    expect: (out, arn, _v) => expect(out).toEqual({ version: '2020-06-30', exportArn: arn, tableArn: expect.stringMatching(/table\/fid-source$/), format: 'DYNAMODB_JSON', files: expect.stringMatching(/\/manifest-files\.json$/), count: 'number' }),
  },
  {
    id: 'ddb.export.completes',
    reference: 'DynamoDB API Reference, DescribeExport: ExportStatus becomes COMPLETED, with ExportManifest (S3 key of manifest-summary.json), ItemCount, BilledSizeBytes and EndTime',
    setup: (e, v) => exported(e, `exp-done-${v.tag}`),
    ...api('dynamodb', 'DescribeExport', (_e, _v, arn) => ({ ExportArn: arn })),
    observe: (e, _out, arn) => until(() => describe(e, arn), (x) => x.ExportStatus === 'COMPLETED'),
    expect: (out, _arn, v) => expect(out).toMatchObject({
      ExportStatus: 'COMPLETED', ExportManifest: expect.stringMatching(new RegExp(`^exp-done-${v.tag}/AWSDynamoDB/.+/manifest-summary\\.json$`)), ItemCount: expect.any(Number), BilledSizeBytes: expect.any(Number),
    }),
  },
  {
    id: 'ddb.export.no-pitr',
    reference: 'DynamoDB API Reference, ExportTableToPointInTime: a table without point-in-time recovery → PointInTimeRecoveryUnavailableException',
    ...api('dynamodb', 'ExportTableToPointInTime', (e) => ({ TableArn: e.fx.dataTableArn, S3Bucket: e.fx.bucket })),
    expect: error('PointInTimeRecoveryUnavailableException', undefined, 400),
  },
  {
    id: 'ddb.export.invalid-time',
    reference: 'DynamoDB API Reference, ExportTableToPointInTime: an ExportTime outside the point-in-time recovery window → InvalidExportTimeException',
    ...api('dynamodb', 'ExportTableToPointInTime', (e) => ({ TableArn: e.fx.sourceArn, S3Bucket: e.fx.bucket, ExportTime: Math.floor(Date.now() / 1000) - 30 * 86_400 })),
    expect: error('InvalidExportTimeException', undefined, 400),
  },
  {
    id: 'ddb.export.table-not-found',
    reference: 'DynamoDB API Reference, ExportTableToPointInTime: a table that does not exist → TableNotFoundException',
    ...api('dynamodb', 'ExportTableToPointInTime', (e) => ({ TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/fid-no-such-table', S3Bucket: e.fx.bucket })),
    expect: error('TableNotFoundException', undefined, 400),
  },
  {
    id: 'ddb.export.describe-not-found',
    reference: 'DynamoDB API Reference, DescribeExport: an unknown ExportArn → ExportNotFoundException',
    ...api('dynamodb', 'DescribeExport', (e) => ({ ExportArn: `${e.fx.sourceArn}/export/0000000000000-00000000` })),
    expect: error('ExportNotFoundException', undefined, 400),
  },
  {
    id: 'ddb.export.list',
    reference: 'DynamoDB API Reference, ListExports: ExportSummaries of the table\'s exports (ExportArn, ExportStatus; and ExportType, except with AWS CLI 2.9, whose model predates it)',
    setup: (e, v) => exported(e, `exp-list-${v.tag}`),
    ...api('dynamodb', 'ListExports', (e) => ({ TableArn: e.fx.sourceArn })),
    expect: (out, arn, v) => expect(out.ExportSummaries).toEqual(expect.arrayContaining([{
      ExportArn: arn, ExportStatus: expect.stringMatching(/^(IN_PROGRESS|COMPLETED)$/), ...(v.client !== 'cli-v2' ? { ExportType: 'FULL_EXPORT' } : {}),
    }])),
  },
];
