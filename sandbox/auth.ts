/**
 * Authentication errors as each AWS service answers them. Every request must carry SigV4
 * credentials (an `Authorization: AWS4-HMAC-SHA256 Credential=…` header, or a presigned query);
 * one without them is refused, never routed (moto would serve it as S3). `--strict-auth` goes
 * further and checks the signature (sigv4.ts); its failures use the codes and HTTP statuses each
 * protocol documents: the JSON services (DynamoDB, KMS, CloudTrail, Application Auto Scaling)
 * answer 400, the query services (IAM, STS, SNS) and S3 403 with their own codes, AWS Backup 403.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError, Protocol } from './protocol';
import { restJsonOperationOf } from './rest-operations';

/** What a request without usable credentials is probably for, from its headers, form and path. */
export function guessService(headers: IncomingHttpHeaders, query: URLSearchParams, body: Buffer, method = 'GET', path = '/'): { service: string; protocol: Protocol } {
  const target = String(headers['x-amz-target'] ?? '');
  if (target.startsWith('DynamoDB_')) return { service: 'dynamodb', protocol: 'awsJson1_0' };
  if (target.startsWith('TrentService.')) return { service: 'kms', protocol: 'awsJson1_1' };
  if (target.includes('CloudTrail')) return { service: 'cloudtrail', protocol: 'awsJson1_1' };
  if (target.startsWith('AnyScaleFrontendService.')) return { service: 'application-autoscaling', protocol: 'awsJson1_1' };
  if (target) return { service: 'unknown', protocol: String(headers['content-type'] ?? '').includes('1.0') ? 'awsJson1_0' : 'awsJson1_1' };
  const form = String(headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : query;
  const version = form.get('Version') ?? query.get('Version');
  if (form.get('Action') ?? query.get('Action')) {
    return { service: version === '2010-05-08' ? 'iam' : version === '2010-03-31' ? 'sns' : 'sts', protocol: 'awsQuery' };
  }
  if (restJsonOperationOf('backup', method, path)) return { service: 'backup', protocol: 'restJson1' };
  return { service: 's3', protocol: 'restXml' };
}

type Failure = 'missing' | 'incomplete' | 'unknown-key' | 'bad-signature' | 'expired' | 'presign-expired';

type Codes = Record<Failure, { code: string; status: number }>;

/** The JSON protocols (DynamoDB on 1.0; KMS, CloudTrail, Application Auto Scaling on 1.1) answer alike. */
const AWS_JSON: Codes = {
  missing: { code: 'MissingAuthenticationTokenException', status: 400 },
  incomplete: { code: 'IncompleteSignatureException', status: 400 },
  'unknown-key': { code: 'UnrecognizedClientException', status: 400 },
  'bad-signature': { code: 'InvalidSignatureException', status: 400 },
  expired: { code: 'InvalidSignatureException', status: 400 },
  'presign-expired': { code: 'InvalidSignatureException', status: 400 },
};

const CODES: Record<Protocol, Codes> = {
  awsJson1_0: AWS_JSON,
  awsJson1_1: AWS_JSON,
  awsQuery: {
    missing: { code: 'MissingAuthenticationToken', status: 403 },
    incomplete: { code: 'IncompleteSignature', status: 400 },
    'unknown-key': { code: 'InvalidClientTokenId', status: 403 },
    'bad-signature': { code: 'SignatureDoesNotMatch', status: 403 },
    expired: { code: 'SignatureDoesNotMatch', status: 403 },
    'presign-expired': { code: 'SignatureDoesNotMatch', status: 403 },
  },
  restJson1: {
    missing: { code: 'MissingAuthenticationTokenException', status: 403 },
    incomplete: { code: 'IncompleteSignatureException', status: 403 },
    'unknown-key': { code: 'UnrecognizedClientException', status: 403 },
    'bad-signature': { code: 'InvalidSignatureException', status: 403 },
    expired: { code: 'InvalidSignatureException', status: 403 },
    'presign-expired': { code: 'InvalidSignatureException', status: 403 },
  },
  restXml: {
    missing: { code: 'AccessDenied', status: 403 },
    incomplete: { code: 'AuthorizationHeaderMalformed', status: 400 },
    'unknown-key': { code: 'InvalidAccessKeyId', status: 403 },
    'bad-signature': { code: 'SignatureDoesNotMatch', status: 403 },
    expired: { code: 'RequestTimeTooSkewed', status: 403 },
    'presign-expired': { code: 'AccessDenied', status: 403 },
  },
};

const MESSAGES: Record<Failure, string> = {
  missing: 'Request is missing Authentication Token',
  incomplete: 'Authorization header requires \'Credential\', \'Signature\' and \'SignedHeaders\' parameters of a SigV4 (AWS4-HMAC-SHA256) signature',
  'unknown-key': 'The security token included in the request is invalid.',
  'bad-signature': 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  expired: 'Signature expired: the request time is more than 15 minutes from the server time.',
  'presign-expired': 'Request has expired',
};

/** The error a protocol answers for one kind of authentication failure; `message` overrides the default. */
export function authError(protocol: Protocol, failure: Failure, message?: string): AwsError {
  const { code, status } = CODES[protocol][failure];
  const text = protocol === 'restXml' && failure === 'missing' ? 'Access Denied' : message ?? MESSAGES[failure];
  return { code, status, message: text };
}

const SIGV4_HEADER = /^AWS4-HMAC-SHA256 Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/[^/,\s]+\/aws4_request,\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-fA-F]+$/;

/**
 * Why a request cannot be authenticated at all (no credentials, or an Authorization header that is
 * not SigV4); undefined when it carries a SigV4 header or a presigned query. Signatures themselves
 * are checked only under `--strict-auth`.
 */
export function credentialProblem(headers: IncomingHttpHeaders, query: URLSearchParams): 'missing' | 'incomplete' | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') return SIGV4_HEADER.test(auth.trim()) ? undefined : 'incomplete';
  if (query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) {
    return query.has('X-Amz-Credential') && query.has('X-Amz-Signature') && query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' ? undefined : 'incomplete';
  }
  return 'missing';
}

/** The failure kind of a strict-auth verdict code from sigv4.ts. */
export function failureOf(code: string): Failure {
  if (code === 'MissingAuthenticationToken') return 'missing';
  if (code === 'IncompleteSignature') return 'incomplete';
  if (code === 'UnrecognizedClientException') return 'unknown-key';
  if (code === 'SignatureExpired') return 'expired';
  if (code === 'PresignExpired') return 'presign-expired';
  return 'bad-signature';
}
