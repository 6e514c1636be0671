/**
 * What every fix is made of: its context (the request, a line to moto, the fix state), the JSON
 * helpers, and direct calls a fix makes to moto on the caller's behalf (a KMS DescribeKey before a
 * CreateTable, an IAM GetRole before an AssumeRole). Fixes live in `fixes*.ts`; this file imports
 * none of them, so any of them can import it.
 */
import type { BufferedResponse, ForwardRequest } from './forward';
import { parseCredentialScope, SANDBOX_ACCESS_KEY_ID, type Protocol } from './protocol';

export interface FixState {
  /** Application Auto Scaling tags by resource ARN (moto has no tag operations for it). */
  readonly scalingTags: Map<string, Record<string, string>>;
  /** DynamoDB table class by `region/table` (moto does not keep TableClass). */
  readonly tableClasses: Map<string, string>;
  /** DynamoDB key attribute types by `region/table`, e.g. { ID: 'S' } (moto does not check key types). */
  readonly keyTypes: Map<string, Record<string, string>>;
  /** KMS rotation period by `region/keyId` (moto ignores RotationPeriodInDays). */
  readonly rotationPeriods: Map<string, number>;
  /** KMS key ids (`region/keyId`) known to be AWS managed (moto reports them as customer managed). */
  readonly awsManagedKeys: Set<string>;
  /** DynamoDB global tables (version 2019.11.21) by table name; moto has none (fixes-global-tables.ts). */
  readonly globalTables: Map<string, GlobalTable>;
  /** True while the journal is replayed: transitions that took time when first made are complete. */
  replaying?: boolean;
  /** S3 bucket policies as given, by bucket (moto is handed them without the statements it cannot evaluate). */
  readonly bucketPolicies: Map<string, string>;
  /**
   * Object Lock configurations put on a bucket that already held objects, by bucket (moto refuses
   * them; AWS does not): the configuration as given and its default retention.
   */
  readonly lockConfigurations: Map<string, { readonly xml: string; readonly mode?: string; readonly days?: number; readonly years?: number }>;
}

/** One replica of a global table, in its region. */
export interface Replica {
  readonly region: string;
  /** The customer managed key of the replica's table, by ARN; undefined for an AWS owned or managed key. */
  kmsKeyArn?: string;
  status: 'CREATING' | 'ACTIVE' | 'DELETING';
  /** When CREATING becomes ACTIVE, or a DELETING replica disappears (epoch ms). */
  until: number;
}

/** A table name and its replicas in every region (the first region's table included). */
export interface GlobalTable {
  readonly name: string;
  readonly replicas: Map<string, Replica>;
  /** Last-writer-wins: the write stamp each replica's copy of an item (`region|key`) carries. */
  readonly stamps: Map<string, number>;
  /** Replication to the other regions, applied in write order after the writer is answered. */
  queue: Promise<void>;
  /**
   * Held by a write while it changes its region's copy and takes its stamp, and by each replicated
   * apply: a replicated image can never land between a local write and its stamp.
   */
  lock: Promise<void>;
}

export function newFixState(): FixState {
  return { scalingTags: new Map(), tableClasses: new Map(), keyTypes: new Map(), rotationPeriods: new Map(), awsManagedKeys: new Set(), globalTables: new Map(), bucketPolicies: new Map(), lockConfigurations: new Map() };
}

export interface FixContext {
  readonly service: string;
  readonly region: string;
  readonly operation: string;
  readonly protocol: Protocol;
  readonly request: ForwardRequest;
  readonly state: FixState;
  /** Sends the (possibly changed) request on: to the next fix for the operation, then to moto. */
  forward(request?: ForwardRequest): Promise<BufferedResponse>;
  /**
   * Sends another request straight to moto (not through fixes). @default `forward`, which is what
   * a unit test's fake answers; the front door passes moto itself.
   */
  moto?(request: ForwardRequest): Promise<BufferedResponse>;
}

export interface Fix {
  readonly service: string;
  readonly operations: ReadonlyArray<string>;
  /** The AWS behaviour moto lacks, for readers and test names. */
  readonly difference: string;
  apply(ctx: FixContext): Promise<BufferedResponse>;
}

export type Json = Record<string, unknown>;

export function parseJson(buf: Buffer): Json {
  if (buf.length === 0) return {};
  const parsed = JSON.parse(buf.toString('utf8')) as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
}

export function withJsonBody(req: ForwardRequest, body: Json): ForwardRequest {
  return { ...req, body: Buffer.from(JSON.stringify(body)) };
}

export function jsonResponse(protocol: Protocol, body: unknown, status = 200): BufferedResponse {
  const type = protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  return { status, headers: { 'content-type': type }, body: Buffer.from(JSON.stringify(body)) };
}

/** An AWS error in a JSON protocol's shape (the code also in `x-amzn-ErrorType`). */
export function jsonError(protocol: Protocol, code: string, message: string, status = 400): BufferedResponse {
  const res = jsonResponse(protocol, { __type: code, message }, status);
  return { ...res, headers: { ...res.headers, 'x-amzn-errortype': code } };
}

/** Replaces a JSON body; drops X-Amz-Crc32, which the DynamoDB SDK would check against the old body. */
export function rewriteJson(res: BufferedResponse, body: unknown): BufferedResponse {
  const headers = { ...res.headers };
  delete headers['x-amz-crc32'];
  delete headers['content-length'];
  return { ...res, headers, body: Buffer.from(JSON.stringify(body)) };
}

/** The AWS error code of a failed JSON answer (`ResourceNotFoundException`), undefined on success. */
export function errorType(res: BufferedResponse): string | undefined {
  if (res.status < 400) return undefined;
  try {
    const t = String(parseJson(res.body).__type ?? res.headers['x-amzn-errortype'] ?? '');
    return t.slice(t.lastIndexOf('#') + 1).split(':')[0];
  } catch {
    return undefined;
  }
}

export const validationError = (ctx: FixContext, message: string): BufferedResponse =>
  jsonResponse(ctx.protocol, { __type: 'com.amazon.coral.validate#ValidationException', message }, 400);

/** The access key the client signed with, so calls made for it land in the same moto account. */
function accessKeyOf(ctx: FixContext): string {
  const scope = parseCredentialScope(ctx.request.headers, new URLSearchParams(ctx.request.url.split('?')[1] ?? ''));
  return scope?.accessKeyId ?? SANDBOX_ACCESS_KEY_ID;
}

/** A signature-free Authorization header that carries only the scope moto reads (region, service). */
export function scopeOnlyAuthorization(region: string, service: string, accessKeyId = SANDBOX_ACCESS_KEY_ID): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20200101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

const JSON_TARGETS: Record<string, { prefix: string; type: string }> = {
  dynamodb: { prefix: 'DynamoDB_20120810', type: 'application/x-amz-json-1.0' },
  kms: { prefix: 'TrentService', type: 'application/x-amz-json-1.1' },
};

/** Calls a JSON-protocol operation on moto for the fix's caller; never throws on an AWS error. */
export async function motoJson(ctx: FixContext, service: 'dynamodb' | 'kms', operation: string, input: Json, region = ctx.region): Promise<{ status: number; body: Json; code?: string }> {
  const target = JSON_TARGETS[service];
  const res = await (ctx.moto ?? ctx.forward)({
    method: 'POST',
    url: '/',
    headers: {
      'content-type': target.type,
      'x-amz-target': `${target.prefix}.${operation}`,
      authorization: scopeOnlyAuthorization(region, service, accessKeyOf(ctx)),
    },
    body: Buffer.from(JSON.stringify(input)),
  });
  let body: Json = {};
  try {
    body = parseJson(res.body);
  } catch {
    // a non-JSON answer (moto crashed): the status says enough
  }
  return { status: res.status, body, code: errorType(res) };
}

const xmlUnescape = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (m, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCharCode(Number(dec)) : hex ? String.fromCharCode(parseInt(hex, 16)) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()] ?? m);

/** The text of the first `<name>` element of an XML answer, unescaped. */
export function xmlText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? xmlUnescape(m[1]) : undefined;
}

/** Calls a query-protocol operation (IAM, STS) on moto; answers the status and the XML text. */
export async function motoQuery(ctx: FixContext, service: 'iam' | 'sts', params: Record<string, string>): Promise<{ status: number; xml: string }> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const res = await (ctx.moto ?? ctx.forward)({
    method: 'POST',
    url: '/',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: scopeOnlyAuthorization('us-east-1', service, accessKeyOf(ctx)),
    },
    body: Buffer.from(new URLSearchParams({ ...params, Version: version }).toString()),
  });
  return { status: res.status, xml: res.body.toString('utf8') };
}

/** An error in the query protocol's XML shape (IAM, STS). */
export function queryError(service: 'iam' | 'sts', code: string, message: string, status: number): BufferedResponse {
  const ns = service === 'iam' ? 'https://iam.amazonaws.com/doc/2010-05-08/' : 'https://sts.amazonaws.com/doc/2011-06-15/';
  const esc = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(`<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>sandbox</RequestId></ErrorResponse>`),
  };
}
