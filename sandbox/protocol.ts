/**
 * What the front door needs to know about an AWS request without a service model: who it is for
 * (the SigV4 credential scope), which wire protocol that service speaks, the operation's name,
 * whether it changes state, and how that protocol spells an error.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { restJsonOperationOf } from './rest-operations';

export type Protocol = 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'restXml' | 'restJson1';

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** Used when a request carries no SigV4 credentials at all (moto answers it as it likes). */
/** The access key of unsigned and journaled requests; moto maps it to its default account. */
export const SANDBOX_ACCESS_KEY_ID = 'test';
export const DEFAULT_SCOPE: CredentialScope = { accessKeyId: SANDBOX_ACCESS_KEY_ID, date: '', region: 'us-east-1', service: 'unsigned' };

const SCOPE_RE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * Reads the credential scope from the `Authorization` header, or from the presigned query's
 * `X-Amz-Credential`. Returns undefined when the request is unsigned.
 */
export function parseCredentialScope(headers: IncomingHttpHeaders, query: URLSearchParams): CredentialScope | undefined {
  const auth = headers.authorization;
  const fromHeader = typeof auth === 'string' ? SCOPE_RE.exec(auth) : null;
  if (fromHeader) return { accessKeyId: fromHeader[1], date: fromHeader[2], region: fromHeader[3], service: fromHeader[4] };
  const credential = query.get('X-Amz-Credential');
  if (credential) {
    const parts = credential.split('/');
    if (parts.length === 5 && parts[4] === 'aws4_request') {
      return { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] };
    }
  }
  return undefined;
}

const PROTOCOLS: Record<string, Protocol> = {
  dynamodb: 'awsJson1_0',
  kms: 'awsJson1_1',
  cloudtrail: 'awsJson1_1',
  'application-autoscaling': 'awsJson1_1',
  iam: 'awsQuery',
  sts: 'awsQuery',
  sns: 'awsQuery',
  sqs: 'awsQuery',
  s3: 'restXml',
  backup: 'restJson1',
};

/** The wire protocol of a service; the content type decides for services we have not listed. */
export function protocolOf(service: string, headers: IncomingHttpHeaders): Protocol {
  const known = PROTOCOLS[service];
  if (known) return known;
  const type = String(headers['content-type'] ?? '');
  if (type.includes('x-amz-json-1.0')) return 'awsJson1_0';
  if (type.includes('x-amz-json')) return 'awsJson1_1';
  if (type.includes('x-www-form-urlencoded')) return 'awsQuery';
  return 'restXml';
}

/**
 * The operation name, as the AWS API reference spells it. JSON protocols name it in
 * `X-Amz-Target`, the query protocol in `Action`, S3 through method + path + sub-resource.
 * restJson1 (Backup) through the HTTP bindings in the SDK's operation schemas.
 */
export function operationOf(protocol: Protocol, service: string, method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders, body: Buffer): string | undefined {
  switch (protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1': {
      const target = String(headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      return dot >= 0 ? target.slice(dot + 1) : target || undefined;
    }
    case 'awsQuery':
      return query.get('Action') ?? (new URLSearchParams(body.toString('utf8')).get('Action') || undefined);
    case 'restXml':
      return s3OperationOf(method, path, query, headers);
    case 'restJson1':
      return restJsonOperationOf(service, method, path);
    default:
      return undefined;
  }
}

/** Sub-resources in the order S3 checks them; the name is the operation's noun. */
const S3_SUBRESOURCES: ReadonlyArray<[string, string]> = [
  ['publicAccessBlock', 'PublicAccessBlock'],
  ['ownershipControls', 'BucketOwnershipControls'],
  ['object-lock', 'ObjectLockConfiguration'],
  ['retention', 'ObjectRetention'],
  ['legal-hold', 'ObjectLegalHold'],
  ['lifecycle', 'BucketLifecycleConfiguration'],
  ['replication', 'BucketReplication'],
  ['encryption', 'BucketEncryption'],
  ['versioning', 'BucketVersioning'],
  ['policyStatus', 'BucketPolicyStatus'],
  ['policy', 'BucketPolicy'],
  ['tagging', 'Tagging'],
  ['website', 'BucketWebsite'],
  ['logging', 'BucketLogging'],
  ['cors', 'BucketCors'],
  ['accelerate', 'BucketAccelerateConfiguration'],
  ['requestPayment', 'BucketRequestPayment'],
  ['notification', 'BucketNotificationConfiguration'],
  ['acl', 'Acl'],
  ['location', 'BucketLocation'],
  ['versions', 'ObjectVersions'],
  ['uploads', 'MultipartUploads'],
];

/** S3 operation names (path-style addressing: `/bucket/key`). */
export function s3OperationOf(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): string {
  const parts = path.split('/').filter(Boolean);
  const hasKey = parts.length > 1;
  const verb = ({ GET: 'Get', PUT: 'Put', DELETE: 'Delete', HEAD: 'Head', POST: 'Post' } as Record<string, string>)[method] ?? method;
  if (parts.length === 0) return method === 'GET' ? 'ListBuckets' : `${verb}Service`;
  if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
  for (const [key, noun] of S3_SUBRESOURCES) {
    if (!query.has(key)) continue;
    if (noun === 'Tagging' || noun === 'Acl') return `${verb}${hasKey ? 'Object' : 'Bucket'}${noun}`;
    if (noun === 'ObjectVersions') return 'ListObjectVersions';
    if (noun === 'MultipartUploads') return method === 'POST' ? 'CreateMultipartUpload' : 'ListMultipartUploads';
    if (noun === 'BucketLifecycleConfiguration' && method === 'DELETE') return 'DeleteBucketLifecycle';
    return `${verb}${noun}`;
  }
  if (hasKey) {
    if (method === 'PUT') return headers['x-amz-copy-source'] ? 'CopyObject' : query.has('uploadId') ? 'UploadPart' : 'PutObject';
    if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
    if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
    return `${verb}Object`;
  }
  if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  if (method === 'PUT') return 'CreateBucket';
  return `${verb}Bucket`;
}

const READ_PREFIXES = /^(Describe|List|Get|Scan|Query|BatchGet|TransactGet|Head|Select|Lookup|Check|Search|Validate|Simulate|Encrypt|Decrypt|ReEncrypt|Generate|Sign|Verify|Estimate|Preview|Export)/;
const READ_EXACT = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'DecodeAuthorizationMessage']);

/** Decides whether a successful call changed state and so must be journaled. */
export function isMutating(protocol: Protocol, method: string, operation: string | undefined): boolean {
  if (protocol === 'restXml') return method !== 'GET' && method !== 'HEAD' && operation !== 'ListBuckets';
  if (!operation) return method !== 'GET' && method !== 'HEAD';
  return !READ_PREFIXES.test(operation) && !READ_EXACT.has(operation);
}

/**
 * moto creates an AWS managed key (`alias/aws/dynamodb`, …) the first time a KMS call names its
 * alias — reads included, because in AWS those keys exist implicitly. Such a read changes moto's
 * state, so it is journaled and seeded like a write; otherwise the key would come back with another
 * id after a restart.
 */
export function namesAwsManagedKey(service: string, body: Buffer): boolean {
  if (service !== 'kms' || !body.includes('alias/aws/')) return false;
  try {
    const keyId = (JSON.parse(body.toString('utf8')) as { KeyId?: unknown }).KeyId;
    return typeof keyId === 'string' && /(^|:)alias\/aws\//.test(keyId);
  } catch {
    return false;
  }
}

/**
 * Writes that never create server-generated ids. Everything else that mutates is replayed with
 * moto's random generator seeded, so the ids it generates (key ids, role ids, policy ARNs) come
 * out the same on replay.
 */
const DATA_PLANE = new Set([
  'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ExecuteStatement',
  'BatchExecuteStatement', 'ExecuteTransaction', 'PutObject', 'DeleteObject', 'DeleteObjects', 'UploadPart',
]);
export function needsDeterministicIds(operation: string | undefined): boolean {
  return !operation || !DATA_PLANE.has(operation);
}

const QUERY_NAMESPACES: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
};

export interface AwsError {
  readonly code: string;
  readonly message: string;
  /** @default 400 */
  readonly status?: number;
}

export interface RenderedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** An AWS error in the shape the service's SDK parses. */
export function renderError(protocol: Protocol, service: string, error: AwsError, requestId: string): RenderedResponse {
  const status = error.status ?? 400;
  switch (protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1':
      return {
        status,
        headers: {
          'content-type': `application/x-amz-json-${protocol === 'awsJson1_0' ? '1.0' : '1.1'}`,
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': error.code,
        },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case 'restJson1':
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
        body: JSON.stringify({ __type: error.code, Code: error.code, message: error.message, Message: error.message }),
      };
    case 'awsQuery': {
      const ns = QUERY_NAMESPACES[service] ?? `https://${service}.amazonaws.com/doc/`;
      const kind = status >= 500 ? 'Receiver' : 'Sender';
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse xmlns="${ns}"><Error><Type>${kind}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
    case 'restXml':
      return {
        status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

/** The error code AWS uses for an operation the service does not have. */
export function unknownOperationCode(protocol: Protocol): string {
  return protocol === 'awsQuery' ? 'InvalidAction' : protocol === 'restXml' ? 'NotImplemented' : 'UnknownOperationException';
}

/** The error code AWS uses for a request whose body cannot be parsed. */
export function malformedBodyCode(protocol: Protocol): string {
  return protocol === 'awsQuery' ? 'MalformedQueryString' : protocol === 'restXml' ? 'MalformedXML' : 'SerializationException';
}
