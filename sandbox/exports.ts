/**
 * DynamoDB export to S3 (`ExportTableToPointInTime`, `DescribeExport`, `ListExports`) as AWS does
 * it, which moto does not: moto writes one data object under random names, no manifests, and an
 * export ARN that embeds the table ARN.
 *
 * An export reads the table as it was at ExportTime from the point-in-time history (sandbox/pitr.ts)
 * and writes, under `<S3Prefix>/AWSDynamoDB/<ExportId>/`, the files AWS writes:
 * `_started`, `data/<name>.json.gz` (DYNAMODB_JSON: one `{"Item":{…}}` per line, gzipped),
 * `manifest-files.json` (one line per data file: itemCount, md5Checksum, etag, dataFileS3Key),
 * `manifest-summary.json` (version 2020-06-30: ARNs, times, bucket, counts, format) and an `.md5`
 * next to each manifest. The objects are written through the front door, so they are journaled
 * like any PutObject. The export answers IN_PROGRESS and is COMPLETED after a duration divided by
 * the time scale; a bucket that does not exist makes it FAILED with S3NoSuchBucket, as on AWS.
 * Exports are kept in `<stateDir>/exports.json`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { AwsError } from './protocol';
import { itemSize } from './fixes-dynamodb';

type Json = Record<string, unknown>;

/** Simulated export time at time scale 1. */
export const EXPORT_DURATIONS = { base: 60_000, perItem: 5 };
const MAX_LIST_RESULTS = 25;

export interface ExportRecord {
  readonly ExportArn: string;
  readonly TableArn: string;
  readonly TableId: string;
  readonly ExportTime: number;
  readonly StartTime: number;
  /** When the export reports COMPLETED (epoch ms). */
  readonly completesAt: number;
  readonly S3Bucket: string;
  readonly S3BucketOwner: string;
  readonly S3Prefix?: string;
  readonly S3SseAlgorithm: string;
  readonly S3SseKmsKeyId?: string;
  readonly ExportFormat: string;
  readonly ExportType: string;
  readonly ClientToken: string;
  readonly ExportManifest: string;
  readonly ItemCount: number;
  readonly BilledSizeBytes: number;
  readonly FailureCode?: string;
  readonly FailureMessage?: string;
}

export interface ExportDependencies {
  readonly now: () => number;
  readonly timeScale: number;
  readonly account: string;
  /** The table's description (DescribeTable's Table), or undefined when there is no such table. */
  describeTable(region: string, table: string): Promise<Json | undefined>;
  /** The restorable window of a table with point-in-time recovery on, else undefined. */
  window(region: string, table: string): { earliest: number; latest: number } | undefined;
  /** The table's items at `at`. */
  itemsAt(region: string, table: string, at: number): Json[] | undefined;
  /** Writes an S3 object (journaled); answers the HTTP status (404 when the bucket does not exist). */
  putObject(region: string, bucket: string, key: string, body: Buffer, contentType: string): Promise<number>;
}

export type ExportAnswer = { readonly error: AwsError } | { readonly json: Json };

const tableNameOf = (arn: string): string | undefined => /^arn:aws[\w-]*:dynamodb:[^:]+:\d+:table\/([^/]+)$/.exec(arn)?.[1];
const iso = (ms: number) => new Date(ms).toISOString();
const md5 = (b: Buffer) => createHash('md5').update(b);
const bad = (message: string): ExportAnswer => ({ error: { code: 'ValidationException', message } });

export class TableExports {
  private readonly exports: ExportRecord[] = [];

  constructor(private readonly deps: ExportDependencies, private readonly file?: string) {
    if (file && existsSync(file)) {
      try {
        this.exports.push(...(JSON.parse(readFileSync(file, 'utf8')) as ExportRecord[]));
      } catch {
        // unreadable: start with none rather than refuse to start
      }
    }
  }

  static readonly OPERATIONS: ReadonlySet<string> = new Set(['ExportTableToPointInTime', 'DescribeExport', 'ListExports']);

  async handle(operation: string, input: Json): Promise<ExportAnswer> {
    if (operation === 'DescribeExport') return this.describe(input);
    if (operation === 'ListExports') return this.list(input);
    return this.start(input);
  }

  private describe(input: Json): ExportAnswer {
    const found = this.exports.find((e) => e.ExportArn === input.ExportArn);
    if (!found) return { error: { code: 'ExportNotFoundException', message: `Export not found: ${String(input.ExportArn)}` } };
    return { json: { ExportDescription: this.description(found) } };
  }

  private list(input: Json): ExportAnswer {
    const max = input.MaxResults === undefined ? MAX_LIST_RESULTS : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > MAX_LIST_RESULTS) {
      return bad(`1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIST_RESULTS}`);
    }
    const all = this.exports.filter((e) => input.TableArn === undefined || e.TableArn === input.TableArn);
    const from = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(from) || from < 0) return bad('Invalid NextToken');
    const page = all.slice(from, from + max);
    return {
      json: {
        ExportSummaries: page.map((e) => ({ ExportArn: e.ExportArn, ExportStatus: this.status(e), ExportType: e.ExportType })),
        ...(from + max < all.length ? { NextToken: Buffer.from(String(from + max)).toString('base64') } : {}),
      },
    };
  }

  private status(e: ExportRecord): string {
    if (e.FailureCode) return 'FAILED';
    return this.deps.now() >= e.completesAt ? 'COMPLETED' : 'IN_PROGRESS';
  }

  private description(e: ExportRecord): Json {
    const status = this.status(e);
    const out: Json = {
      ExportArn: e.ExportArn,
      ExportStatus: status,
      StartTime: e.StartTime / 1000,
      TableArn: e.TableArn,
      TableId: e.TableId,
      ExportTime: e.ExportTime / 1000,
      ClientToken: e.ClientToken,
      S3Bucket: e.S3Bucket,
      S3BucketOwner: e.S3BucketOwner,
      ...(e.S3Prefix !== undefined ? { S3Prefix: e.S3Prefix } : {}),
      S3SseAlgorithm: e.S3SseAlgorithm,
      ...(e.S3SseKmsKeyId ? { S3SseKmsKeyId: e.S3SseKmsKeyId } : {}),
      ExportFormat: e.ExportFormat,
      ExportType: e.ExportType,
    };
    if (status === 'FAILED') return { ...out, EndTime: e.StartTime / 1000, FailureCode: e.FailureCode, FailureMessage: e.FailureMessage };
    if (status === 'COMPLETED') return { ...out, EndTime: e.completesAt / 1000, ExportManifest: e.ExportManifest, ItemCount: e.ItemCount, BilledSizeBytes: e.BilledSizeBytes };
    return out;
  }

  private async start(input: Json): Promise<ExportAnswer> {
    const tableArn = input.TableArn;
    if (typeof tableArn !== 'string') return bad("1 validation error detected: Value null at 'tableArn' failed to satisfy constraint: Member must not be null");
    if (typeof input.S3Bucket !== 'string' || input.S3Bucket === '') return bad("1 validation error detected: Value null at 's3Bucket' failed to satisfy constraint: Member must not be null");
    const table = tableNameOf(tableArn);
    if (!table) return bad(`Invalid TableArn: ${tableArn}`);
    const format = input.ExportFormat ?? 'DYNAMODB_JSON';
    if (format !== 'DYNAMODB_JSON' && format !== 'ION') return bad(`1 validation error detected: Value '${String(format)}' at 'exportFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION]`);
    if (format === 'ION') return bad('ExportFormat ION is not supported by the tablesafe sandbox; use DYNAMODB_JSON');
    const type = input.ExportType ?? 'FULL_EXPORT';
    if (type !== 'FULL_EXPORT') return bad(`ExportType ${String(type)} is not supported by the tablesafe sandbox; use FULL_EXPORT`);
    const sse = input.S3SseAlgorithm ?? 'AES256';
    if (sse !== 'AES256' && sse !== 'KMS') return bad(`1 validation error detected: Value '${String(sse)}' at 's3SseAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]`);

    const clientToken = typeof input.ClientToken === 'string' && input.ClientToken !== '' ? input.ClientToken : randomBytes(16).toString('hex');
    const same = this.exports.find((e) => e.ClientToken === clientToken);
    if (same) {
      const matches = same.TableArn === tableArn && same.S3Bucket === input.S3Bucket && (same.S3Prefix ?? '') === String(input.S3Prefix ?? '');
      if (!matches) return { error: { code: 'ExportConflictException', message: `There was a conflict when writing to the specified S3 bucket: ClientToken ${clientToken} was used by another export` } };
      return { json: { ExportDescription: this.description(same) } };
    }

    const tableRegion = /^arn:aws[\w-]*:dynamodb:([^:]+):/.exec(tableArn)![1];
    const described = await this.deps.describeTable(tableRegion, table);
    if (!described) return { error: { code: 'TableNotFoundException', message: `Table not found: ${tableArn}` } };
    const w = this.deps.window(tableRegion, table);
    if (!w) return { error: { code: 'PointInTimeRecoveryUnavailableException', message: `Point in time recovery is not enabled for table '${table}'` } };
    const now = this.deps.now();
    const exportTime = typeof input.ExportTime === 'number' ? Math.round(input.ExportTime * 1000) : now;
    if (input.ExportTime !== undefined && typeof input.ExportTime !== 'number') return bad('ExportTime must be a timestamp');
    if (exportTime < w.earliest || exportTime > now) {
      return { error: { code: 'InvalidExportTimeException', message: `Invalid ExportTime ${iso(exportTime)}: it must be between the EarliestRestorableDateTime ${iso(w.earliest)} and now` } };
    }

    const items = this.deps.itemsAt(tableRegion, table, exportTime) ?? [];
    const exportId = `${String(now).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
    const exportArn = `${tableArn}/export/${exportId}`;
    const prefix = typeof input.S3Prefix === 'string' && input.S3Prefix !== '' ? input.S3Prefix.replace(/\/+$/, '') : undefined;
    const base = `${prefix ? `${prefix}/` : ''}AWSDynamoDB/${exportId}`;
    const bucket = input.S3Bucket;
    const owner = typeof input.S3BucketOwner === 'string' ? input.S3BucketOwner : this.deps.account;
    const record = (extra: Partial<ExportRecord>): ExportRecord => ({
      ExportArn: exportArn, TableArn: tableArn, TableId: String(described.TableId ?? ''), ExportTime: exportTime, StartTime: now,
      completesAt: now + (EXPORT_DURATIONS.base + EXPORT_DURATIONS.perItem * items.length) / this.deps.timeScale,
      S3Bucket: bucket, S3BucketOwner: owner, ...(prefix !== undefined ? { S3Prefix: input.S3Prefix as string } : {}),
      S3SseAlgorithm: String(sse), ...(typeof input.S3SseKmsKeyId === 'string' ? { S3SseKmsKeyId: input.S3SseKmsKeyId } : {}),
      ExportFormat: 'DYNAMODB_JSON', ExportType: 'FULL_EXPORT', ClientToken: clientToken, ExportManifest: `${base}/manifest-summary.json`,
      ItemCount: items.length, BilledSizeBytes: items.reduce((n, i) => n + itemSize(i), 0), ...extra,
    });

    const put = (key: string, body: Buffer, type: string) => this.deps.putObject(tableRegion, bucket, key, body, type);
    const started = await put(`${base}/_started`, Buffer.alloc(0), 'application/octet-stream');
    if (started === 404) {
      return this.save(record({ FailureCode: 'S3NoSuchBucket', FailureMessage: 'The specified bucket does not exist' }));
    }
    if (started >= 300) return this.save(record({ FailureCode: 'UNKNOWN', FailureMessage: `writing to s3://${bucket}/${base} failed with HTTP ${started}` }));

    const data = gzipSync(Buffer.from(items.map((Item) => `${JSON.stringify({ Item })}\n`).join('')));
    const dataKey = `${base}/data/${randomBytes(13).toString('hex').slice(0, 26)}.json.gz`;
    await put(dataKey, data, 'application/x-gzip');
    const filesManifest = Buffer.from(`${JSON.stringify({ itemCount: items.length, md5Checksum: md5(data).digest('base64'), etag: md5(data).digest('hex'), dataFileS3Key: dataKey })}\n`);
    await put(`${base}/manifest-files.json`, filesManifest, 'application/json');
    await put(`${base}/manifest-files.md5`, Buffer.from(md5(filesManifest).digest('hex')), 'text/plain');
    const rec = record({});
    const summary = Buffer.from(JSON.stringify({
      version: '2020-06-30',
      exportArn,
      startTime: iso(rec.StartTime),
      endTime: iso(rec.completesAt),
      tableArn,
      tableId: rec.TableId,
      exportTime: iso(exportTime),
      s3Bucket: bucket,
      s3Prefix: prefix ?? null,
      s3SseAlgorithm: rec.S3SseAlgorithm,
      s3SseKmsKeyId: rec.S3SseKmsKeyId ?? null,
      manifestFilesS3Key: `${base}/manifest-files.json`,
      billedSizeBytes: rec.BilledSizeBytes,
      itemCount: items.length,
      outputFormat: 'DYNAMODB_JSON',
      exportType: 'FULL_EXPORT',
    }));
    await put(`${base}/manifest-summary.json`, summary, 'application/json');
    await put(`${base}/manifest-summary.md5`, Buffer.from(md5(summary).digest('hex')), 'text/plain');
    const answer = this.save(rec);
    // The export has just begun, as far as its caller can tell: AWS answers IN_PROGRESS.
    if ('json' in answer) {
      const d = answer.json.ExportDescription as Json;
      for (const k of ['EndTime', 'ExportManifest', 'ItemCount', 'BilledSizeBytes']) delete d[k];
      d.ExportStatus = 'IN_PROGRESS';
    }
    return answer;
  }

  private save(record: ExportRecord): ExportAnswer {
    this.exports.push(record);
    if (this.file) {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(this.exports));
      renameSync(`${this.file}.tmp`, this.file);
    }
    return { json: { ExportDescription: this.description(record) } };
  }
}
