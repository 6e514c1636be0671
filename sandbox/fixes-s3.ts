/**
 * S3 Object Lock differences between moto 5.2.1 and AWS. moto refuses a DeleteObject of a locked
 * version, as AWS does; but it lets PutObjectRetention weaken a lock: shorten a COMPLIANCE
 * retention or turn it into GOVERNANCE, and shorten a GOVERNANCE one without
 * x-amz-bypass-governance-retention (AWS answers both with 403 AccessDenied), and it answers
 * GetObjectRetention with the object itself. Each fix has a test
 * under test/integration/sandbox/object-lock.test.ts.
 */
import type { BufferedResponse } from './forward';
import { scopeOnlyAuthorization, xmlText, type Fix, type FixContext } from './fix-kit';
import { parseCredentialScope, SANDBOX_ACCESS_KEY_ID } from './protocol';

function s3Error(code: string, message: string, status: number): BufferedResponse {
  const esc = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><RequestId>sandbox</RequestId></Error>`),
  };
}

/** The object URL without sub-resources, keeping versionId: `/bucket/key?versionId=…`. */
function objectUrl(url: string): string {
  const [p, q = ''] = url.split('?');
  const versionId = new URLSearchParams(q).get('versionId');
  return versionId ? `${p}?versionId=${encodeURIComponent(versionId)}` : p;
}

/**
 * The retention a version has now (mode and retain-until), from a HEAD of the object (moto does
 * not serve GetObjectRetention: it answers the object itself); undefined when it has none.
 */
async function currentRetention(ctx: FixContext): Promise<{ status: number; retention?: { mode: string; until: string } }> {
  const scope = parseCredentialScope(ctx.request.headers, new URLSearchParams(ctx.request.url.split('?')[1] ?? ''));
  const res = await (ctx.moto ?? ctx.forward)({
    method: 'HEAD',
    url: objectUrl(ctx.request.url),
    headers: { host: ctx.request.headers.host ?? '127.0.0.1', authorization: scopeOnlyAuthorization(ctx.region, 's3', scope?.accessKeyId ?? SANDBOX_ACCESS_KEY_ID) },
    body: Buffer.alloc(0),
  });
  const mode = res.headers['x-amz-object-lock-mode'];
  const until = res.headers['x-amz-object-lock-retain-until-date'];
  return { status: res.status, retention: res.status === 200 && mode && until ? { mode, until } : undefined };
}

const getObjectRetention: Fix = {
  service: 's3',
  operations: ['GetObjectRetention'],
  difference: 'GetObjectRetention answers the version\'s Retention (Mode, RetainUntilDate), or NoSuchObjectLockConfiguration when it has none (moto answers the object itself)',
  apply: async (ctx) => {
    const current = await currentRetention(ctx);
    if (current.status === 404) return s3Error('NoSuchKey', 'The specified key does not exist.', 404);
    if (current.status !== 200) return ctx.forward();
    if (!current.retention) return s3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
    const until = new Date(current.retention.until).toISOString();
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>${current.retention.mode}</Mode><RetainUntilDate>${until}</RetainUntilDate></Retention>`),
    };
  },
};

const objectLockRetentionNotWeakened: Fix = {
  service: 's3',
  operations: ['PutObjectRetention'],
  difference:
    'PutObjectRetention cannot weaken a lock in force: a COMPLIANCE retention cannot be shortened or changed to GOVERNANCE by anyone; a GOVERNANCE one can be shortened or removed only with x-amz-bypass-governance-retention (moto allows all of it)',
  apply: async (ctx) => {
    const found = (await currentRetention(ctx)).retention;
    const current = found && { mode: found.mode, until: new Date(found.until) };
    if (!current || current.until.getTime() <= Date.now()) return ctx.forward();
    const xml = ctx.request.body.toString('utf8');
    const mode = xmlText(xml, 'Mode');
    const untilText = xmlText(xml, 'RetainUntilDate');
    const until = untilText ? new Date(untilText) : undefined;
    const weakens = !mode || !until || Number.isNaN(until.getTime()) || until.getTime() < current.until.getTime() || (current.mode === 'COMPLIANCE' && mode !== 'COMPLIANCE');
    if (!weakens) return ctx.forward();
    if (current.mode === 'COMPLIANCE') return s3Error('AccessDenied', 'Access Denied because object protected by object lock.', 403);
    const bypass = String(ctx.request.headers['x-amz-bypass-governance-retention'] ?? '').toLowerCase() === 'true';
    return bypass ? ctx.forward() : s3Error('AccessDenied', 'Access Denied because object protected by object lock.', 403);
  },
};

const bucketOf = (url: string): string => url.split('?')[0].split('/').filter(Boolean)[0] ?? '';

/** A statement that applies only to requests without TLS (`Bool aws:SecureTransport false`). */
function onlyWithoutTls(statement: unknown): boolean {
  const condition = (statement as { Condition?: Record<string, Record<string, unknown>> } | null)?.Condition;
  if (!condition || typeof condition !== 'object') return false;
  const keys = Object.values(condition).flatMap((c) => (c && typeof c === 'object' ? Object.keys(c) : []));
  return keys.length > 0 && keys.every((k) => k.toLowerCase() === 'aws:securetransport');
}

/**
 * AWS clients reach S3 over TLS, and the sandbox's plain-HTTP loopback endpoint stands in for
 * that endpoint. moto evaluates bucket policies without any request context, so a
 * `Deny … aws:SecureTransport = false` (the TLS-only policy every hardened bucket has) denies
 * every request. moto is handed the policy without such statements; GetBucketPolicy answers the
 * policy as given.
 */
const bucketPolicyTlsCondition: Fix = {
  service: 's3',
  operations: ['PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'CreateBucket'],
  difference:
    'deliberate: statements conditioned only on aws:SecureTransport are not evaluated (every sandbox request is plain HTTP standing in for TLS; moto would deny every request to a TLS-only bucket); GetBucketPolicy answers the policy as given',
  apply: async (ctx) => {
    const bucket = bucketOf(ctx.request.url);
    if (ctx.operation === 'CreateBucket' || ctx.operation === 'DeleteBucketPolicy') {
      const res = await ctx.forward();
      if (res.status < 300) ctx.state.bucketPolicies.delete(bucket);
      return res;
    }
    if (ctx.operation === 'GetBucketPolicy') {
      const res = await ctx.forward();
      const given = ctx.state.bucketPolicies.get(bucket);
      // moto holds the evaluable part, or nothing when every statement was TLS-only (NoSuchBucketPolicy).
      if (given === undefined || (res.status !== 200 && !res.body.toString('utf8').includes('NoSuchBucketPolicy'))) return res;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(given) };
    }
    let policy: { Statement?: unknown } | undefined;
    try {
      policy = JSON.parse(ctx.request.body.toString('utf8')) as { Statement?: unknown };
    } catch {
      return ctx.forward();
    }
    const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
    const kept = statements.filter((st) => !onlyWithoutTls(st));
    if (kept.length === statements.length) {
      const res = await ctx.forward();
      if (res.status < 300) ctx.state.bucketPolicies.delete(bucket);
      return res;
    }
    let res: BufferedResponse;
    if (kept.length === 0) {
      // Nothing moto could evaluate is left: it keeps no policy; the bucket must exist, as for AWS.
      const head = await (ctx.moto ?? ctx.forward)({ method: 'HEAD', url: `/${bucket}`, headers: { host: ctx.request.headers.host ?? '127.0.0.1', authorization: ctx.request.headers.authorization ?? '' }, body: Buffer.alloc(0) });
      if (head.status === 404) return s3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
      await ctx.forward({ ...ctx.request, method: 'DELETE', body: Buffer.alloc(0), headers: withoutBodyHeaders(ctx.request.headers, 0) });
      res = { status: 204, headers: {}, body: Buffer.alloc(0) };
    } else {
      const body = Buffer.from(JSON.stringify({ ...policy, Statement: kept }));
      res = await ctx.forward({ ...ctx.request, headers: withoutBodyHeaders(ctx.request.headers, body.length), body });
    }
    if (res.status < 300) ctx.state.bucketPolicies.set(bucket, ctx.request.body.toString('utf8'));
    return res;
  },
};

/** Headers of a request whose body was changed: its checksums no longer hold. */
function withoutBodyHeaders(headers: Readonly<Record<string, string>>, length: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k !== 'content-md5' && !k.startsWith('x-amz-checksum-') && k !== 'x-amz-sdk-checksum-algorithm') out[k] = v;
  out['content-length'] = String(length);
  return out;
}

/**
 * AWS lets a bucket's Object Lock configuration (its default retention) change at any time; moto
 * refuses any change once the bucket holds an object ("Bucket needs to be empty"), which also
 * fails the provider's destroy of an aws_s3_bucket_object_lock_configuration. The sandbox keeps
 * such a configuration itself, answers it from GetObjectLockConfiguration, and applies its
 * default retention to later uploads that state none.
 */
const objectLockConfigurationChanges: Fix = {
  service: 's3',
  operations: ['PutObjectLockConfiguration', 'GetObjectLockConfiguration', 'PutObject', 'CreateBucket'],
  difference: 'PutObjectLockConfiguration succeeds on a bucket that holds objects, and its default retention applies to later uploads (moto refuses it: "Bucket needs to be empty")',
  apply: async (ctx) => {
    const bucket = bucketOf(ctx.request.url);
    const kept = ctx.state.lockConfigurations.get(bucket);
    if (ctx.operation === 'CreateBucket') {
      const res = await ctx.forward();
      if (res.status < 300) ctx.state.lockConfigurations.delete(bucket);
      return res;
    }
    if (ctx.operation === 'GetObjectLockConfiguration') {
      if (!kept) return ctx.forward();
      const res = await ctx.forward();
      return res.status === 200 ? { status: 200, headers: { 'content-type': 'application/xml' }, body: Buffer.from(kept.xml) } : res;
    }
    if (ctx.operation === 'PutObject') {
      if (!kept?.mode || ctx.request.headers['x-amz-object-lock-mode']) return ctx.forward();
      const days = (kept.days ?? 0) + (kept.years ?? 0) * 365;
      const until = new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return ctx.forward({ ...ctx.request, headers: { ...ctx.request.headers, 'x-amz-object-lock-mode': kept.mode, 'x-amz-object-lock-retain-until-date': until } });
    }
    const res = await ctx.forward();
    if (res.status < 300) {
      ctx.state.lockConfigurations.delete(bucket);
      return res;
    }
    if (!res.body.toString('utf8').includes('BucketNeedsToBeNew') && !/needs to be empty/i.test(res.body.toString('utf8'))) return res;
    const xml = ctx.request.body.toString('utf8');
    const n = (name: string) => (xmlText(xml, name) !== undefined ? Number(xmlText(xml, name)) : undefined);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml.replace(/^<\?xml[^>]*>\s*/, '')}`;
    ctx.state.lockConfigurations.set(bucket, { xml: body, mode: xmlText(xml, 'Mode'), days: n('Days'), years: n('Years') });
    return { status: 200, headers: {}, body: Buffer.alloc(0) };
  },
};

export const S3_FIXES: ReadonlyArray<Fix> = [getObjectRetention, objectLockRetentionNotWeakened, bucketPolicyTlsCondition, objectLockConfigurationChanges];
