import {
  isMutating, needsDeterministicIds, operationOf, parseCredentialScope, protocolOf, renderError, s3OperationOf,
} from '../../../sandbox/protocol';

const auth = (service: string, region = 'eu-west-1') =>
  `AWS4-HMAC-SHA256 Credential=AKID/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

describe('parseCredentialScope', () => {
  it('reads service and region from the Authorization header', () => {
    expect(parseCredentialScope({ authorization: auth('dynamodb') }, new URLSearchParams())).toEqual({
      accessKeyId: 'AKID', date: '20240101', region: 'eu-west-1', service: 'dynamodb',
    });
  });

  it('reads the presigned X-Amz-Credential query parameter', () => {
    const q = new URLSearchParams({ 'X-Amz-Credential': 'AKID/20240101/us-east-1/s3/aws4_request' });
    expect(parseCredentialScope({}, q)?.service).toBe('s3');
  });

  it('returns undefined for an unsigned request', () => {
    expect(parseCredentialScope({}, new URLSearchParams())).toBeUndefined();
  });

  it('reads a hyphenated service name', () => {
    expect(parseCredentialScope({ authorization: auth('application-autoscaling') }, new URLSearchParams())?.service).toBe('application-autoscaling');
  });
});

describe('protocolOf', () => {
  it.each([
    ['dynamodb', 'awsJson1_0'], ['kms', 'awsJson1_1'], ['iam', 'awsQuery'], ['sts', 'awsQuery'], ['sns', 'awsQuery'],
    ['s3', 'restXml'], ['backup', 'restJson1'], ['cloudtrail', 'awsJson1_1'], ['application-autoscaling', 'awsJson1_1'],
  ])('maps %s to %s', (service, protocol) => {
    expect(protocolOf(service, {})).toBe(protocol);
  });

  it('falls back to the content type for an unlisted service', () => {
    expect(protocolOf('unsigned', { 'content-type': 'application/x-amz-json-1.0' })).toBe('awsJson1_0');
  });
});

describe('operationOf', () => {
  const none = new URLSearchParams();
  it('takes a JSON protocol operation from X-Amz-Target', () => {
    expect(operationOf('awsJson1_0', 'dynamodb', 'POST', '/', none, { 'x-amz-target': 'DynamoDB_20120810.PutItem' }, Buffer.alloc(0))).toBe('PutItem');
  });

  it('takes a query protocol operation from the form body', () => {
    expect(operationOf('awsQuery', 'iam', 'POST', '/', none, {}, Buffer.from('Action=CreateRole&Version=2010-05-08'))).toBe('CreateRole');
  });

  it('takes a query protocol operation from the query string', () => {
    expect(operationOf('awsQuery', 'sts', 'GET', '/', new URLSearchParams('Action=GetCallerIdentity'), {}, Buffer.alloc(0))).toBe('GetCallerIdentity');
  });
});

describe('restJson1 operation names (AWS Backup)', () => {
  it.each([
    ['PUT', '/backup-vaults/my-vault', 'CreateBackupVault'],
    ['GET', '/backup-vaults/my-vault', 'DescribeBackupVault'],
    ['PUT', '/restore-jobs', 'StartRestoreJob'],
    ['GET', '/restore-jobs/job-1', 'DescribeRestoreJob'],
    ['GET', '/backup-vaults/v/recovery-points/arn%3Aaws%3Abackup%3Ax', 'DescribeRecoveryPoint'],
    ['GET', '/backup/plans/plan-1', 'GetBackupPlan'],
  ])('names %s %s as %s', (method, path, name) => {
    expect(operationOf('restJson1', 'backup', method, path, new URLSearchParams(), {}, Buffer.alloc(0))).toBe(name);
  });
});

describe('s3OperationOf', () => {
  const q = (s: string) => new URLSearchParams(s);
  it.each([
    ['PUT', '/b', '', 'CreateBucket'],
    ['HEAD', '/b', '', 'HeadBucket'],
    ['DELETE', '/b', '', 'DeleteBucket'],
    ['GET', '/b', 'list-type=2', 'ListObjectsV2'],
    ['PUT', '/b', 'policy', 'PutBucketPolicy'],
    ['GET', '/b', 'publicAccessBlock', 'GetPublicAccessBlock'],
    ['PUT', '/b', 'versioning', 'PutBucketVersioning'],
    ['GET', '/b', 'tagging', 'GetBucketTagging'],
    ['DELETE', '/b', 'lifecycle', 'DeleteBucketLifecycle'],
    ['PUT', '/b/k', '', 'PutObject'],
    ['GET', '/b/k', '', 'GetObject'],
    ['PUT', '/b/k', 'tagging', 'PutObjectTagging'],
    ['POST', '/b', 'delete', 'DeleteObjects'],
    ['GET', '/', '', 'ListBuckets'],
  ])('names %s %s?%s as %s', (method, path, query, name) => {
    expect(s3OperationOf(method, path, q(query), {})).toBe(name);
  });
});

describe('isMutating', () => {
  it.each(['DescribeTable', 'ListTables', 'GetItem', 'Scan', 'Query', 'BatchGetItem', 'Decrypt', 'GetCallerIdentity'])('treats %s as a read', (op) => {
    expect(isMutating('awsJson1_0', 'POST', op)).toBe(false);
  });

  it.each(['CreateTable', 'PutItem', 'BatchWriteItem', 'CreateKey', 'TagResource'])('treats %s as a write', (op) => {
    expect(isMutating('awsJson1_1', 'POST', op)).toBe(true);
  });

  it('treats S3 GET and HEAD as reads and PUT as a write', () => {
    expect([isMutating('restXml', 'GET', 'GetObject'), isMutating('restXml', 'HEAD', 'HeadBucket'), isMutating('restXml', 'PUT', 'PutObject')]).toEqual([false, false, true]);
  });
});

describe('needsDeterministicIds', () => {
  it('seeds control-plane creates', () => {
    expect(needsDeterministicIds('CreateKey')).toBe(true);
  });

  it('does not seed item writes', () => {
    expect(needsDeterministicIds('PutItem')).toBe(false);
  });
});

describe('renderError', () => {
  it('puts the code in __type for JSON protocols', () => {
    const r = renderError('awsJson1_0', 'dynamodb', { code: 'ResourceNotFoundException', message: 'gone' }, 'rid');
    expect(JSON.parse(r.body)).toEqual({ __type: 'ResourceNotFoundException', message: 'gone' });
  });

  it('uses an ErrorResponse document for the query protocol', () => {
    const r = renderError('awsQuery', 'iam', { code: 'NoSuchEntity', message: 'no <role>', status: 404 }, 'rid');
    expect(r.body).toMatch(/<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>no &#60;role&#62;<\/Message>/);
  });

  it('uses an Error document for S3', () => {
    const r = renderError('restXml', 's3', { code: 'NoSuchBucket', message: 'x', status: 404 }, 'rid');
    expect(r.body).toMatch(/<Error><Code>NoSuchBucket<\/Code><Message>x<\/Message><RequestId>rid<\/RequestId><\/Error>/);
  });

  it('defaults the status to 400', () => {
    expect(renderError('awsJson1_1', 'kms', { code: 'X', message: 'y' }, 'r').status).toBe(400);
  });
});
