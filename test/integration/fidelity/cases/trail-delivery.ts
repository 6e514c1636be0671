/** CloudTrail log file delivery to S3, as the CloudTrail User Guide documents it. */
import { gunzipSync } from 'node:zlib';
import { until, type Case, type Env, type Variant } from '../harness';
import { api, createTable, send } from '../kit';

/** A bucket and a trail into it (not yet logging), both named for the case and client. */
async function trailInto(e: Env, v: Variant, base: string, selectors?: unknown): Promise<{ bucket: string; trail: string }> {
  const bucket = `fid-${base}-${v.tag}`;
  const trail = `fid-${base}-${v.tag}`;
  await send(e, 's3', 'CreateBucket', { Bucket: bucket });
  await send(e, 'cloudtrail', 'CreateTrail', { Name: trail, S3BucketName: bucket, EnableLogFileValidation: true });
  if (selectors) await send(e, 'cloudtrail', 'PutEventSelectors', { TrailName: trail, EventSelectors: selectors });
  return { bucket, trail };
}

/** Every record delivered to the bucket's CloudTrail log files. */
async function delivered(e: Env, bucket: string): Promise<Array<Record<string, any>>> {
  const listed = await send(e, 's3', 'ListObjectsV2', { Bucket: bucket, Prefix: 'AWSLogs/123456789012/CloudTrail/' });
  const out: Array<Record<string, any>> = [];
  for (const o of (listed.Contents ?? []) as Array<{ Key: string }>) {
    const body = await send(e, 's3', 'GetObject', { Bucket: bucket, Key: o.Key });
    out.push(...JSON.parse(gunzipSync(Buffer.from(await body.Body.transformToByteArray())).toString()).Records);
  }
  return out;
}

export const TRAIL_DELIVERY_CASES: Case[] = [
  {
    id: 'cloudtrail.delivery.log-file',
    reference: 'CloudTrail User Guide, finding your log files: a logging trail delivers gzipped {"Records":[…]} files to AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ in its bucket, with the management events',
    setup: (e, v) => trailInto(e, v, 'dlv-log'),
    ...api('cloudtrail', 'StartLogging', (_e, _v, d) => ({ Name: d.trail })),
    observe: async (e, _out, d, v) => {
      await new Promise((r) => setTimeout(r, 200));
      await createTable(e, `fid-dlv-log-t-${v.tag}`);
      const records = await until(() => delivered(e, d.bucket), (rs) => rs.some((r) => r.eventName === 'CreateTable' && r.requestParameters?.TableName === `fid-dlv-log-t-${v.tag}`));
      return records.filter((r) => r.requestParameters?.TableName === `fid-dlv-log-t-${v.tag}`).map((r) => ({ eventName: r.eventName, eventSource: r.eventSource, awsRegion: r.awsRegion, category: r.eventCategory }));
    },
    expect: (out) => expect(out).toEqual([{ eventName: 'CreateTable', eventSource: 'dynamodb.amazonaws.com', awsRegion: 'us-east-1', category: 'Management' }]),
  },
  {
    id: 'cloudtrail.delivery.dynamodb-data-events',
    reference: 'CloudTrail User Guide, logging data events: DynamoDB item calls on a table a trail\'s event selector names are delivered as data events (eventCategory Data, resources, readOnly); other tables\' are not',
    setup: async (e, v) => {
      await createTable(e, `fid-dlv-w-${v.tag}`);
      await createTable(e, `fid-dlv-o-${v.tag}`);
      return trailInto(e, v, 'dlv-data', [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [`arn:aws:dynamodb:us-east-1:123456789012:table/fid-dlv-w-${v.tag}`] }] }]);
    },
    ...api('cloudtrail', 'StartLogging', (_e, _v, d) => ({ Name: d.trail })),
    observe: async (e, _out, d, v) => {
      await new Promise((r) => setTimeout(r, 200));
      for (const t of [`fid-dlv-w-${v.tag}`, `fid-dlv-o-${v.tag}`]) await send(e, 'dynamodb', 'PutItem', { TableName: t, Item: { ID: { S: 'x' } } });
      const records = await until(() => delivered(e, d.bucket), (rs) => rs.some((r) => r.eventCategory === 'Data'));
      return records.filter((r) => r.eventCategory === 'Data').map((r) => `${r.eventName}:${String(r.resources?.[0]?.ARN).split('/').pop()}:${r.readOnly}`);
    },
    expect: (out, _d, v) => expect(out).toEqual([`PutItem:fid-dlv-w-${v.tag}:false`]),
  },
];
