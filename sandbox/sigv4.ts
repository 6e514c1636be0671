/**
 * SigV4 signature check for `--strict-auth`: the sandbox recomputes the signature with the one
 * configured key pair and rejects anything else, as AWS would. Header and presigned-query forms.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface KeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Raw path as sent (percent-encoding untouched), without the query string. */
  readonly rawPath: string;
  /** Raw query string without `?`. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Clock for the 15-minute signing window. @default Date.now */
  readonly now?: () => number;
}

/** AWS refuses a request signed more than 15 minutes from its own clock. */
const SKEW_MS = 15 * 60_000;

export type AuthResult = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

function canonicalQuery(rawQuery: string, skipSignature: boolean): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      return i < 0 ? [decode(p), ''] : [decode(p.slice(0, i)), decode(p.slice(i + 1))];
    })
    .filter(([k]) => !(skipSignature && k === 'X-Amz-Signature'))
    .map(([k, v]) => [uriEncode(k), uriEncode(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalPath(rawPath: string, service: string): string {
  // S3 signs the path as sent; every other service signs it encoded once more.
  if (service === 's3') return rawPath || '/';
  return (rawPath || '/').split('/').map((seg) => uriEncode(decode(seg))).join('/').replace(/%2F/g, '/') || '/';
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
}

const fail = (code: string, message: string): AuthResult => ({ ok: false, code, message });

export function verifySigV4(req: SignedRequest, keys: KeyPair): AuthResult {
  const query = new URLSearchParams(req.rawQuery);
  const auth = headerValue(req.headers, 'authorization');
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  const presigned = !auth && query.has('X-Amz-Signature');
  if (presigned) {
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature') ?? '';
    amzDate = query.get('X-Amz-Date') ?? '';
  } else {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/.exec(auth);
    if (!m) return fail('MissingAuthenticationToken', 'Request is missing a valid SigV4 Authorization header');
    [, credential, signedHeaders, signature] = m;
    amzDate = headerValue(req.headers, 'x-amz-date');
  }
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (terminator !== 'aws4_request' || !date || !region || !service) return fail('IncompleteSignature', `Credential scope is malformed: ${credential}`);
  if (accessKeyId !== keys.accessKeyId) return fail('UnrecognizedClientException', `The security token included in the request is invalid (access key ${accessKeyId} is not the sandbox's)`);
  if (!amzDate) return fail('IncompleteSignature', 'X-Amz-Date is missing');
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!Number.isFinite(signedAt)) return fail('IncompleteSignature', `X-Amz-Date ${amzDate} is not a date in the form 20150830T123600Z`);
  const now = (req.now ?? Date.now)();
  if (presigned) {
    const expires = Number(query.get('X-Amz-Expires') ?? 604800);
    if (now > signedAt + expires * 1000) return fail('PresignExpired', 'Request has expired');
  } else if (Math.abs(now - signedAt) > SKEW_MS) {
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    return fail('SignatureExpired', `Signature expired: ${amzDate} is now earlier than ${stamp(now - SKEW_MS)} (${stamp(now)} - 15 min.)`);
  }
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(req.headers, n)}\n`).join('');
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  const payloadHash = presigned ? 'UNSIGNED-PAYLOAD' : declared || sha256(req.body);
  // A declared hash is signed, so the body must match it or it could be swapped after signing.
  if (!presigned && /^[0-9a-f]{64}$/.test(declared) && declared !== sha256(req.body)) {
    return fail(service === 's3' ? 'XAmzContentSHA256Mismatch' : 'InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed; the request signature does not match the body');
  }
  const canonical = [req.method, canonicalPath(req.rawPath, service), canonicalQuery(req.rawQuery, presigned), canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const kDate = hmac(`AWS4${keys.secretAccessKey}`, date);
  const kSigning = hmac(hmac(hmac(kDate, region), service), 'aws4_request');
  const expected = createHmac('sha256', kSigning).update(toSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(service === 's3' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided');
  }
  return { ok: true };
}
