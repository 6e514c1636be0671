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

export const S3_FIXES: ReadonlyArray<Fix> = [getObjectRetention, objectLockRetentionNotWeakened];
