/**
 * `enforceIam`: calls made with assumed-role credentials are authorized against the role's policies
 * as the sandbox holds them (identity, key, vault and bucket policies); the operator is unrestricted.
 */
import { CreateBackupVaultCommand, BackupClient, ListRecoveryPointsByBackupVaultCommand, DescribeBackupVaultCommand, PutBackupVaultAccessPolicyCommand } from '@aws-sdk/client-backup';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ROLE = 'enforced-drill';
const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

let sandbox: Sandbox;
let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
let keyArn: string;
let lockedKeyArn: string;
let vaultArn: string;

type Failure = { name: string; message: string; $metadata: { httpStatusCode?: number } };
const failureOf = (p: Promise<unknown>): Promise<Failure> =>
  p.then(() => ({ name: 'no error', message: '', $metadata: { httpStatusCode: 200 } }), (e: Failure) => e);

function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The role's one inline policy, replaced out of band (as an administrator would). */
async function setRolePolicy(...statements: Record<string, unknown>[]): Promise<void> {
  await new IAMClient({ endpoint: sandbox.endpoint }).send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'drill', PolicyDocument: policy(...statements) }));
}

const BASE_STATEMENTS: Record<string, unknown>[] = [
  { Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:Scan'], Resource: tableArn('source') },
  { Effect: 'Allow', Action: ['dynamodb:CreateTable'], Resource: tableArn('tablesafe-drill-*') },
  { Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: '*' },
  { Effect: 'Allow', Action: ['kms:CreateGrant'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` }, Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
  { Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:ListRecoveryPointsByBackupVault'], Resource: '*' },
  { Effect: 'Allow', Action: ['s3:GetBucketVersioning', 's3:GetBucketPolicy'], Resource: 'arn:aws:s3:::audit-logs' },
];

const as = <T>(make: (config: { endpoint: string; credentials: typeof session; maxAttempts: number; region: string }) => T): T =>
  make({ endpoint: sandbox.endpoint, credentials: session, maxAttempts: 1, region: REGION });

beforeAll(async () => {
  sandbox = await startTestSandbox({ enforceIam: true });
  const endpoint = sandbox.endpoint;
  const ddb = new DynamoDBClient({ endpoint });
  for (const name of ['source', 'other']) {
    await ddb.send(new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
  }
  const iam = new IAMClient({ endpoint });
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) }));
  await setRolePolicy(...BASE_STATEMENTS);
  const kms = new KMSClient({ endpoint });
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'account-administered key' }))).KeyMetadata!.Arn!;
  // A key whose policy names only another principal: identity policies alone cannot use it.
  lockedKeyArn = (await kms.send(new CreateKeyCommand({
    Description: 'key administered by one named role',
    Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/someone-else` }, Action: 'kms:*', Resource: '*' }),
  }))).KeyMetadata!.Arn!;
  const backup = new BackupClient({ endpoint });
  vaultArn = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'vault' }))).BackupVaultArn!;
  await backup.send(new PutBackupVaultAccessPolicyCommand({
    BackupVaultName: 'vault',
    Policy: policy({ Effect: 'Deny', Principal: '*', Action: 'backup:ListRecoveryPointsByBackupVault', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${ROLE}` } } }),
  }));
  const s3 = new S3Client({ endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'audit-logs' }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: 'audit-logs', Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetBucketPolicy', Resource: 'arn:aws:s3:::audit-logs', Condition: { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${ROLE}` } } }) }));
  const assumed = await new STSClient({ endpoint }).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, RoleSessionName: 'tablesafe-run-1' }));
  const c = assumed.Credentials!;
  session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}, 60_000);
afterAll(() => sandbox?.stop());

describe('IAM enforcement for assumed-role sessions', () => {
  it('lets a session make a call its role allows, and reports the session as the caller', async () => {
    const table = await as((c) => new DynamoDBClient(c)).send(new DescribeTableCommand({ TableName: 'source' }));
    expect(table.Table?.TableName).toBe('source');
    const me = await as((c) => new STSClient(c)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/tablesafe-run-1`);
  });

  it('refuses a call the role does not allow, in the JSON shape: AccessDeniedException, HTTP 400, naming the action and the resource', async () => {
    const err = await failureOf(as((c) => new DynamoDBClient(c)).send(new DeleteTableCommand({ TableName: 'source' })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(err.message).toBe(`User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/tablesafe-run-1 is not authorized to perform: dynamodb:DeleteTable on resource: ${tableArn('source')} because no identity-based policy allows the dynamodb:DeleteTable action`);
    // Nothing happened: the table is still there.
    const still = await new DynamoDBClient({ endpoint: sandbox.endpoint }).send(new DescribeTableCommand({ TableName: 'source' }));
    expect(still.Table?.TableStatus).toBe('ACTIVE');
  });

  it('scopes by resource: the same action on another table is refused', async () => {
    const err = await failureOf(as((c) => new DynamoDBClient(c)).send(new ScanCommand({ TableName: 'other' })));
    expect([err.name, err.message]).toEqual(['AccessDeniedException', expect.stringContaining(`dynamodb:Scan on resource: ${tableArn('other')}`)]);
  });

  it('refuses in the query shape (IAM): AccessDenied, HTTP 403', async () => {
    const err = await failureOf(as((c) => new IAMClient(c)).send(new GetRoleCommand({ RoleName: ROLE })));
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['AccessDenied', 403, expect.stringContaining(`iam:GetRole on resource: arn:aws:iam::${ACCOUNT}:role/${ROLE}`)]);
  });

  it('refuses in the REST-XML shape (S3) and applies the bucket policy: its explicit deny wins over the identity allow', async () => {
    const s3 = as((c) => new S3Client({ ...c, forcePathStyle: true }));
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: 'audit-logs' }));
    expect(versioning.$metadata.httpStatusCode).toBe(200);
    const err = await failureOf(s3.send(new GetBucketPolicyCommand({ Bucket: 'audit-logs' })));
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['AccessDenied', 403, expect.stringContaining('s3:GetBucketPolicy on resource: arn:aws:s3:::audit-logs with an explicit deny')]);
  });

  it('applies the key policy: a key whose policy does not trust the account cannot be used on identity permissions alone', async () => {
    const kms = as((c) => new KMSClient(c));
    const open = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(open.KeyMetadata?.Arn).toBe(keyArn);
    const err = await failureOf(kms.send(new DescribeKeyCommand({ KeyId: lockedKeyArn })));
    expect([err.name, err.message]).toEqual(['AccessDeniedException', expect.stringContaining(`kms:DescribeKey on resource: ${lockedKeyArn}`)]);
  });

  it('applies the vault access policy: its explicit deny refuses what the identity policy allows', async () => {
    const backup = as((c) => new BackupClient(c));
    const vault = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'vault' }));
    expect(vault.BackupVaultArn).toBe(vaultArn);
    const err = await failureOf(backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'vault' })));
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['AccessDeniedException', 403, expect.stringContaining(`backup:ListRecoveryPointsByBackupVault on resource: ${vaultArn} with an explicit deny`)]);
  });

  it('evaluates the key use DynamoDB makes for the caller with kms:ViaService and kms:GrantIsForAWSResource', async () => {
    const ddb = as((c) => new DynamoDBClient(c));
    const create = (name: string, key: string) => ddb.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key },
    }));
    const made = await create('tablesafe-drill-via-dynamodb', keyArn);
    expect(made.TableDescription?.TableName).toBe('tablesafe-drill-via-dynamodb');
    // The same grant asked for through another service does not meet the condition.
    await setRolePolicy(...BASE_STATEMENTS.slice(0, 3), { Effect: 'Allow', Action: ['kms:CreateGrant'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `backup.${REGION}.amazonaws.com` } } }, ...BASE_STATEMENTS.slice(4));
    try {
      const err = await failureOf(create('tablesafe-drill-via-backup', keyArn));
      expect([err.name, err.message]).toEqual(['AccessDeniedException', expect.stringContaining(`kms:CreateGrant on resource: ${keyArn}`)]);
    } finally {
      await setRolePolicy(...BASE_STATEMENTS);
    }
  });

  it('reads the role policy as applied: removing an action out of band refuses the next call', async () => {
    const ddb = as((c) => new DynamoDBClient(c));
    await ddb.send(new ScanCommand({ TableName: 'source' }));
    await setRolePolicy({ Effect: 'Allow', Action: ['dynamodb:DescribeTable'], Resource: tableArn('source') }, ...BASE_STATEMENTS.slice(1));
    try {
      const err = await failureOf(ddb.send(new ScanCommand({ TableName: 'source' })));
      expect([err.name, err.message]).toEqual(['AccessDeniedException', expect.stringContaining(`dynamodb:Scan on resource: ${tableArn('source')}`)]);
    } finally {
      await setRolePolicy(...BASE_STATEMENTS);
    }
  });

  it('refuses a call it cannot map to an IAM action rather than allow it', async () => {
    const err = await failureOf(as((c) => new SNSClient(c)).send(new ListTopicsCommand({})));
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['AccessDenied', 403, expect.stringContaining('cannot map it to an IAM action')]);
  });

  it('leaves the operator (the test credentials) unrestricted', async () => {
    const ddb = new DynamoDBClient({ endpoint: sandbox.endpoint });
    await ddb.send(new DeleteTableCommand({ TableName: 'other' }));
    const err = await failureOf(ddb.send(new DescribeTableCommand({ TableName: 'other' })));
    expect(err.name).toBe('ResourceNotFoundException');
  });
});
