/**
 * The evidence bucket: packs live under `packs/<stack>/<run id>/<file>`. Every object version is
 * locked by the bucket's default retention; uploads also state the mode and retain-until date
 * explicitly (the same as the default), so each object says how long it is kept.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TablesafeError } from '../../core/errors';
import { describeError } from '../../core/aws/errors';
import { MANIFEST_FILE, ManifestPrevious, parseManifest, sha256Hex } from './manifest';

export const DEFAULT_PREFIX = 'packs/';

export interface BucketLock {
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly retentionDays: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.pem': 'application/x-pem-file',
  '.sig': 'application/octet-stream',
};

export const packKey = (prefix: string, stack: string, runId: string, file = ''): string => `${prefix}${stack}/${runId}/${file}`;

export interface UploadResult {
  readonly bucket: string;
  readonly keys: readonly string[];
  readonly retainUntil: string;
}

/** Uploads every file of `dir` (the pack with its seal) with Object Lock retention headers. */
export async function uploadPack(s3: S3Client, input: { bucket: string; prefix?: string; stack: string; runId: string; dir: string; lock?: BucketLock; now?: Date }): Promise<UploadResult> {
  const prefix = input.prefix ?? DEFAULT_PREFIX;
  const files = readdirSync(input.dir).filter((n) => statSync(path.join(input.dir, n)).isFile()).sort();
  // The manifest and signature go last: a pack whose manifest exists in the bucket is complete.
  const ordered = [...files.filter((f) => f !== MANIFEST_FILE && f !== 'manifest.sig'), ...files.filter((f) => f === 'manifest.sig' || f === MANIFEST_FILE)];
  const retainUntil = new Date((input.now ?? new Date()).getTime() + (input.lock?.retentionDays ?? 0) * 86_400_000);
  const keys: string[] = [];
  for (const name of ordered) {
    const key = packKey(prefix, input.stack, input.runId, name);
    const body = readFileSync(path.join(input.dir, name));
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: key,
          Body: body,
          ContentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
          ChecksumAlgorithm: 'SHA256',
          ...(input.lock ? { ObjectLockMode: input.lock.mode, ObjectLockRetainUntilDate: retainUntil } : {}),
          Metadata: { 'tablesafe-run-id': input.runId, 'tablesafe-sha256': sha256Hex(body) },
        }),
      );
    } catch (e) {
      throw new TablesafeError('TS_E_EVIDENCE_UPLOAD', `cannot upload ${name} to s3://${input.bucket}/${key}: ${describeError(e)}`, 'run verify as the restore-drill role (it may write under packs/), or pass --no-upload; the pack stays on disk', { cause: e });
    }
    keys.push(key);
  }
  return { bucket: input.bucket, keys, retainUntil: retainUntil.toISOString() };
}

/** Run ids of `stack`'s packs in the bucket that have a manifest, oldest first. */
export async function listBucketRuns(s3: S3Client, bucket: string, stack: string | undefined, prefix = DEFAULT_PREFIX): Promise<{ stack: string; runId: string }[]> {
  const runs: { stack: string; runId: string }[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: stack ? `${prefix}${stack}/` : prefix, ContinuationToken: token }));
    for (const o of out.Contents ?? []) {
      const rest = (o.Key ?? '').slice(prefix.length).split('/');
      if (rest.length === 3 && rest[2] === MANIFEST_FILE) runs.push({ stack: rest[0], runId: rest[1] });
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return runs.sort((a, b) => a.runId.localeCompare(b.runId));
}

async function getObject(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** The newest pack of `stack` in the bucket before `runId`, with its manifest's SHA-256. */
export async function previousBucketPack(s3: S3Client, bucket: string, stack: string, runId: string, prefix = DEFAULT_PREFIX): Promise<ManifestPrevious | null> {
  const earlier = (await listBucketRuns(s3, bucket, stack, prefix)).filter((r) => r.runId < runId);
  const last = earlier[earlier.length - 1];
  if (!last) return null;
  const key = packKey(prefix, stack, last.runId, MANIFEST_FILE);
  const data = await getObject(s3, bucket, key);
  parseManifest(data, `s3://${bucket}/${key}`);
  return { runId: last.runId, manifestSha256: sha256Hex(data), source: `s3://${bucket}/${key}` };
}

/**
 * Copies the packs of the bucket (one stack or all) into `into/<run id>/`, so the history and
 * verification read them as local packs.
 */
export async function downloadPacks(s3: S3Client, bucket: string, into: string, options: { stack?: string; prefix?: string } = {}): Promise<string[]> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const dirs: string[] = [];
  for (const run of await listBucketRuns(s3, bucket, options.stack, prefix)) {
    const dir = path.join(into, run.stack, run.runId);
    mkdirSync(dir, { recursive: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: packKey(prefix, run.stack, run.runId) }));
    for (const o of listed.Contents ?? []) {
      const name = (o.Key ?? '').split('/').pop()!;
      if (!name) continue;
      writeFileSync(path.join(dir, name), await getObject(s3, bucket, o.Key!));
    }
    dirs.push(dir);
  }
  return dirs;
}
