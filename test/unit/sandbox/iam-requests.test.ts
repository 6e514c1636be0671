/** What AWS authorizes for each call verify and the demo make as the stack's roles (sandbox/iam/requests.ts). */
import { authorizationsOf, type MappedRequest, type ResourceLookups } from '../../../sandbox/iam/requests';

const ACCOUNT = '123456789012';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111-2222`;
const lookups: ResourceLookups = {
  accountId: ACCOUNT,
  keyArn: async (region, keyId) => (keyId === 'missing' ? undefined : keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${region}:${ACCOUNT}:key/1111-2222`),
  roleArn: async (name) => `arn:aws:iam::${ACCOUNT}:role/platform/${name}`,
};

const json = (service: string, operation: string, input: unknown, region = 'us-east-1'): MappedRequest => ({
  service, region, operation, method: 'POST', url: '/', headers: {}, body: Buffer.from(JSON.stringify(input)),
});
const rest = (method: string, url: string, body?: unknown, region = 'us-east-1'): MappedRequest => ({
  service: 'backup', region, method, url, headers: {}, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
});
const query = (service: string, operation: string, params: Record<string, string>): MappedRequest => ({
  service, region: 'us-east-1', operation, method: 'POST', url: '/', headers: {}, body: Buffer.from(new URLSearchParams({ Action: operation, ...params }).toString()),
});
const checks = async (req: MappedRequest) => {
  const m = await authorizationsOf(req, lookups);
  if ('unmapped' in m) throw new Error(`unmapped: ${m.unmapped}`);
  return m.checks.map((c) => [c.action, c.resource, ...(c.context ? [c.context] : []), ...(c.policy ? [c.policy.kind] : [])]);
};
const table = (name: string, region = 'us-east-1') => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;

describe('DynamoDB', () => {
  it('names the table, or its index for a Query of an index', async () => {
    expect(await checks(json('dynamodb', 'Scan', { TableName: 'src' }))).toEqual([['dynamodb:Scan', table('src')]]);
    expect(await checks(json('dynamodb', 'Query', { TableName: 'src', IndexName: 'by-status' }))).toEqual([['dynamodb:Query', `${table('src')}/index/by-status`]]);
    expect(await checks(json('dynamodb', 'ListTagsOfResource', { ResourceArn: table('src') }))).toEqual([['dynamodb:ListTagsOfResource', table('src')]]);
    expect(await checks(json('dynamodb', 'ListTables', {}))).toEqual([['dynamodb:ListTables', '*']]);
  });

  it('checks every table a batch or transaction touches, with the per-item action', async () => {
    expect(await checks(json('dynamodb', 'BatchWriteItem', { RequestItems: { a: [], b: [] } }))).toEqual([['dynamodb:BatchWriteItem', table('a')], ['dynamodb:BatchWriteItem', table('b')]]);
    expect(await checks(json('dynamodb', 'TransactWriteItems', { TransactItems: [{ Put: { TableName: 'a' } }, { ConditionCheck: { TableName: 'b' } }] })))
      .toEqual([['dynamodb:PutItem', table('a')], ['dynamodb:ConditionCheckItem', table('b')]]);
  });

  it('a point-in-time restore: the source, the data-plane actions on the new table, and the key through DynamoDB', async () => {
    const got = await checks(json('dynamodb', 'RestoreTableToPointInTime', { SourceTableName: 'src', TargetTableName: 'tablesafe-drill-1', SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY } }));
    const via = { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT };
    expect(got).toEqual([
      ['dynamodb:RestoreTableToPointInTime', table('src')],
      ...['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'].map((a) => [`dynamodb:${a}`, table('tablesafe-drill-1')]),
      ['kms:DescribeKey', KEY, via, 'key'],
      ['kms:CreateGrant', KEY, { ...via, 'kms:GrantIsForAWSResource': 'true' }, 'key'],
    ]);
  });

  it('an operation it does not know is unmapped (the enforcer refuses it)', async () => {
    expect(await authorizationsOf(json('dynamodb', 'ExecuteStatement', { Statement: 'SELECT * FROM src' }), lookups)).toEqual({ unmapped: expect.stringContaining('ExecuteStatement') });
  });
});

describe('KMS', () => {
  it('resolves an alias to the key ARN and evaluates the key policy', async () => {
    expect(await checks(json('kms', 'DescribeKey', { KeyId: 'alias/tablesafe-prod' }))).toEqual([['kms:DescribeKey', KEY, { 'kms:CallerAccount': ACCOUNT }, 'key']]);
    expect(await checks(json('kms', 'ListAliases', {}))).toEqual([['kms:ListAliases', '*']]);
  });

  it('a key that does not exist needs no authorization (KMS answers NotFound)', async () => {
    expect(await checks(json('kms', 'DescribeKey', { KeyId: 'missing' }))).toEqual([]);
  });
});

describe('AWS Backup', () => {
  const vault = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:dr`;
  const point = `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:0b1c`;
  const dynamoPoint = `${table('src')}/backup/01700000000000-1a2b3c4d`;

  it('vault operations name the vault in the request region, with its access policy', async () => {
    expect(await checks(rest('GET', '/backup-vaults/dr/recovery-points', undefined, 'us-west-2'))).toEqual([['backup:ListRecoveryPointsByBackupVault', vault, 'vault']]);
  });

  it('recovery point operations take either ARN format', async () => {
    expect(await checks(rest('GET', `/backup-vaults/dr/recovery-points/${encodeURIComponent(point)}/restore-metadata`, undefined, 'us-west-2'))).toEqual([['backup:GetRecoveryPointRestoreMetadata', point, 'vault']]);
    expect(await checks(rest('GET', `/backup-vaults/v/recovery-points/${encodeURIComponent(dynamoPoint)}`))).toEqual([['backup:DescribeRecoveryPoint', dynamoPoint, 'vault']]);
  });

  it('starting a restore or a copy: the recovery point, and passing the role to AWS Backup', async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/backup`;
    const pass = ['iam:PassRole', role, { 'iam:PassedToService': 'backup.amazonaws.com' }];
    expect(await checks(rest('PUT', '/restore-jobs', { RecoveryPointArn: dynamoPoint, IamRoleArn: role, Metadata: {} }))).toEqual([['backup:StartRestoreJob', dynamoPoint, 'vault'], pass]);
    expect(await checks(rest('PUT', '/copy-jobs', { RecoveryPointArn: point, IamRoleArn: role }))).toEqual([['backup:StartCopyJob', point, 'vault'], pass]);
    expect(await checks(rest('PUT', '/backup-jobs', { BackupVaultName: 'v', ResourceArn: table('src'), IamRoleArn: role })))
      .toEqual([['backup:StartBackupJob', `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:v`, 'vault'], pass]);
  });

  it('job reads and plans', async () => {
    expect(await checks(rest('GET', '/restore-jobs/ABC'))).toEqual([['backup:DescribeRestoreJob', '*']]);
    expect(await checks(rest('GET', '/backup/plans/p-1/selections/s-1'))).toEqual([['backup:GetBackupSelection', `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:p-1`]]);
  });
});

describe('IAM, STS, CloudTrail, S3, Application Auto Scaling', () => {
  it('IAM role reads name the role with its path; managed policy reads the policy', async () => {
    expect(await checks(query('iam', 'GetRolePolicy', { RoleName: 'drill', PolicyName: 'p' }))).toEqual([['iam:GetRolePolicy', `arn:aws:iam::${ACCOUNT}:role/platform/drill`]]);
    expect(await checks(query('iam', 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/X' }))).toEqual([['iam:GetPolicy', 'arn:aws:iam::aws:policy/X']]);
  });

  it('GetCallerIdentity needs no permission; AssumeRole is checked against the trust policy', async () => {
    expect(await checks(query('sts', 'GetCallerIdentity', {}))).toEqual([]);
    expect(await checks(query('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r' }))).toEqual([['sts:AssumeRole', 'arn:aws:iam::123456789012:role/r', 'trust']]);
  });

  it('CloudTrail: DescribeTrails on *, trail reads on the trail ARN', async () => {
    expect(await checks(json('cloudtrail', 'DescribeTrails', { trailNameList: ['t'] }))).toEqual([['cloudtrail:DescribeTrails', '*']]);
    expect(await checks(json('cloudtrail', 'GetTrailStatus', { Name: 't' }))).toEqual([['cloudtrail:GetTrailStatus', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`]]);
  });

  it('S3 operations map to their IAM action names, with the bucket policy', async () => {
    const s3 = (operation: string, url: string, method = 'GET'): MappedRequest => ({ service: 's3', region: 'us-east-1', operation, method, url, headers: {}, body: Buffer.alloc(0) });
    expect(await checks(s3('GetPublicAccessBlock', '/logs?publicAccessBlock'))).toEqual([['s3:GetBucketPublicAccessBlock', 'arn:aws:s3:::logs', 'bucket']]);
    expect(await checks(s3('GetBucketEncryption', '/logs?encryption'))).toEqual([['s3:GetEncryptionConfiguration', 'arn:aws:s3:::logs', 'bucket']]);
    expect(await checks(s3('GetObject', '/logs/AWSLogs/x.json.gz'))).toEqual([['s3:GetObject', 'arn:aws:s3:::logs/AWSLogs/x.json.gz', 'bucket']]);
  });

  it('an S3 listing carries its prefix as s3:prefix (empty when none), so a policy can limit listing to one prefix', async () => {
    const s3 = (operation: string, url: string): MappedRequest => ({ service: 's3', region: 'us-east-1', operation, method: 'GET', url, headers: {}, body: Buffer.alloc(0) });
    expect(await checks(s3('ListObjectsV2', '/evidence?list-type=2&prefix=packs%2Fprod%2F'))).toEqual([['s3:ListBucket', 'arn:aws:s3:::evidence', { 's3:prefix': 'packs/prod/' }, 'bucket']]);
    expect(await checks(s3('ListObjectsV2', '/evidence?list-type=2'))).toEqual([['s3:ListBucket', 'arn:aws:s3:::evidence', { 's3:prefix': '' }, 'bucket']]);
  });

  it('Application Auto Scaling describes on *; writes and unknown services are unmapped', async () => {
    expect(await checks(json('application-autoscaling', 'DescribeScalableTargets', {}))).toEqual([['application-autoscaling:DescribeScalableTargets', '*']]);
    expect(await authorizationsOf(json('application-autoscaling', 'DeregisterScalableTarget', {}), lookups)).toEqual({ unmapped: expect.any(String) });
    expect(await authorizationsOf(query('sns', 'ListTopics', {}), lookups)).toEqual({ unmapped: expect.stringContaining('sns') });
  });
});
