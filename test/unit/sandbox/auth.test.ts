import { authError, credentialProblem, failureOf, guessService } from '../../../sandbox/auth';
import { verifySigV4 } from '../../../sandbox/sigv4';

const sdkHeader = 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0a1b2c';

describe('credentialProblem', () => {
  it('accepts a SigV4 Authorization header and a presigned query', () => {
    expect([
      credentialProblem({ authorization: sdkHeader }, new URLSearchParams()),
      credentialProblem({}, new URLSearchParams('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=ab')),
    ]).toEqual([undefined, undefined]);
  });

  it('calls a request without credentials missing, and a non-SigV4 header incomplete', () => {
    expect([
      credentialProblem({}, new URLSearchParams()),
      credentialProblem({ authorization: 'AWS AKID:c2lnbmF0dXJl' }, new URLSearchParams()),
      credentialProblem({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request' }, new URLSearchParams()),
    ]).toEqual(['missing', 'incomplete', 'incomplete']);
  });
});

describe('authError: each protocol answers with its documented code and status', () => {
  it.each([
    ['awsJson1_0', 'missing', 'MissingAuthenticationTokenException', 400],
    ['awsJson1_0', 'bad-signature', 'InvalidSignatureException', 400],
    ['awsJson1_0', 'unknown-key', 'UnrecognizedClientException', 400],
    ['awsJson1_1', 'bad-signature', 'InvalidSignatureException', 400],
    ['awsQuery', 'missing', 'MissingAuthenticationToken', 403],
    ['awsQuery', 'unknown-key', 'InvalidClientTokenId', 403],
    ['awsQuery', 'bad-signature', 'SignatureDoesNotMatch', 403],
    ['restXml', 'missing', 'AccessDenied', 403],
    ['restXml', 'unknown-key', 'InvalidAccessKeyId', 403],
    ['restXml', 'bad-signature', 'SignatureDoesNotMatch', 403],
    ['restJson1', 'bad-signature', 'InvalidSignatureException', 403],
  ] as const)('%s %s → %s %d', (protocol, failure, code, status) => {
    expect(authError(protocol, failure)).toMatchObject({ code, status });
  });
});

describe('guessService', () => {
  it('recognizes JSON targets, query versions and Backup routes; anything else is S3-shaped', () => {
    const form = (body: string) => guessService({ 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(), Buffer.from(body)).service;
    expect([
      guessService({ 'x-amz-target': 'DynamoDB_20120810.ListTables' }, new URLSearchParams(), Buffer.alloc(0)).service,
      guessService({ 'x-amz-target': 'TrentService.Encrypt' }, new URLSearchParams(), Buffer.alloc(0)).service,
      form('Action=GetCallerIdentity&Version=2011-06-15'),
      form('Action=ListRoles&Version=2010-05-08'),
      guessService({}, new URLSearchParams(), Buffer.alloc(0), 'GET', '/backup-vaults').service,
      guessService({}, new URLSearchParams(), Buffer.alloc(0)).service,
    ]).toEqual(['dynamodb', 'kms', 'sts', 'iam', 'backup', 's3']);
  });
});

describe('signing window', () => {
  it('refuses a signature dated more than 15 minutes from the clock, in AWS words', () => {
    const verdict = verifySigV4({
      method: 'POST', rawPath: '/', rawQuery: '', body: Buffer.from('{}'),
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', 'x-amz-date': '20240101T000000Z', host: 'h' },
      now: () => Date.parse('2024-01-01T00:30:00Z'),
    }, { accessKeyId: 'AKID', secretAccessKey: 's' });
    expect(verdict).toEqual({ ok: false, code: 'SignatureExpired', message: 'Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)' });
    expect(failureOf('SignatureExpired')).toBe('expired');
  });
});
