/**
 * SDK v3 clients for every service tablesafe uses work against the sandbox with only `endpoint`
 * set, including the places where the front door fixes a difference between moto and AWS.
 */
import {
  ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, ListTagsForResourceCommand as ListScalingTags,
  RegisterScalableTargetCommand, TagResourceCommand as TagScaling, UntagResourceCommand as UntagScaling,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, GetBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

let sandbox: Sandbox;
let endpoint: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = sandbox.endpoint;
});
afterAll(() => sandbox?.stop());

describe('SDK v3 clients with only endpoint set', () => {
  it('STS GetCallerIdentity answers moto\'s account', async () => {
    const id = await new STSClient({ endpoint }).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('123456789012');
  });

  it('DynamoDB creates a table and round-trips an item', async () => {
    const ddb = new DynamoDBClient({ endpoint });
    await ddb.send(new CreateTableCommand({
      TableName: 'sdk-items', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    }));
    await ddb.send(new PutItemCommand({ TableName: 'sdk-items', Item: { ID: { S: '1' }, Name: { S: 'Arkan' } } }));
    const got = await ddb.send(new GetItemCommand({ TableName: 'sdk-items', Key: { ID: { S: '1' } } }));
    expect(got.Item).toEqual({ ID: { S: '1' }, Name: { S: 'Arkan' } });
  });

  it('DynamoDB reports 0 provisioned capacity for an on-demand table (moto reports 5)', async () => {
    const ddb = new DynamoDBClient({ endpoint });
    await ddb.send(new CreateTableCommand({
      TableName: 'sdk-ondemand', BillingMode: 'PAY_PER_REQUEST', TableClass: 'STANDARD_INFREQUENT_ACCESS',
      KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
    }));
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'sdk-ondemand' }));
    expect([Table?.ProvisionedThroughput?.ReadCapacityUnits, Table?.ProvisionedThroughput?.WriteCapacityUnits]).toEqual([0, 0]);
  });

  it('DynamoDB keeps TableClassSummary (moto drops it)', async () => {
    const { Table } = await new DynamoDBClient({ endpoint }).send(new DescribeTableCommand({ TableName: 'sdk-ondemand' }));
    expect(Table?.TableClassSummary?.TableClass).toBe('STANDARD_INFREQUENT_ACCESS');
  });

  it('KMS creates and describes a key', async () => {
    const kms = new KMSClient({ endpoint });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'sdk' }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.Arn }));
    expect(described.KeyMetadata?.KeyState).toBe('Enabled');
  });

  it('IAM creates and reads a role', async () => {
    const iam = new IAMClient({ endpoint });
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'sdk-role', AssumeRolePolicyDocument: doc }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'sdk-role' }))).Role?.Arn).toBe('arn:aws:iam::123456789012:role/sdk-role');
  });

  it('S3 stores and reads an object (path-style)', async () => {
    const s3 = new S3Client({ endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'a/b.txt', Body: 'hello' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'a/b.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
  });

  it('S3 versioning reads back Enabled after PutBucketVersioning', async () => {
    const s3 = new S3Client({ endpoint, forcePathStyle: true });
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'sdk-bucket', VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-bucket' }))).Status).toBe('Enabled');
  });

  it('SNS creates a topic and reads its attributes', async () => {
    const sns = new SNSClient({ endpoint });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sdk-topic' }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.TopicArn).toBe(TopicArn);
  });

  it('CloudTrail DescribeTrails for an unknown trail returns an empty list (moto raises TrailNotFoundException)', async () => {
    const ct = new CloudTrailClient({ endpoint });
    const res = await ct.send(new DescribeTrailsCommand({ trailNameList: ['arn:aws:cloudtrail:us-east-1:123456789012:trail/nope'] }));
    expect(res.trailList).toEqual([]);
  });

  it('CloudTrail accepts the trail ARN for StartLogging and GetTrailStatus (moto wants the name)', async () => {
    await new S3Client({ endpoint, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'sdk-trail' }));
    const ct = new CloudTrailClient({ endpoint });
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: 'sdk-trail', S3BucketName: 'sdk-trail' }));
    await ct.send(new StartLoggingCommand({ Name: TrailARN }));
    expect((await ct.send(new GetTrailStatusCommand({ Name: TrailARN }))).IsLogging).toBe(true);
  });

  it('CloudTrail reports HasCustomEventSelectors after PutEventSelectors (moto always says false)', async () => {
    const ct = new CloudTrailClient({ endpoint });
    await ct.send(new PutEventSelectorsCommand({
      TrailName: 'sdk-trail',
      AdvancedEventSelectors: [{ Name: 'ddb', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }] }],
    }));
    const { trailList } = await ct.send(new DescribeTrailsCommand({ trailNameList: ['sdk-trail'] }));
    expect(trailList?.[0]?.HasCustomEventSelectors).toBe(true);
  });

  it('Application Auto Scaling Describe* returns empty lists for unknown resources', async () => {
    const aas = new ApplicationAutoScalingClient({ endpoint });
    const targets = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds: ['table/none'], ScalableDimension: 'dynamodb:table:ReadCapacityUnits' }));
    const policies = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', PolicyNames: ['none'], ResourceId: 'table/none', ScalableDimension: 'dynamodb:table:ReadCapacityUnits' }));
    expect([targets.ScalableTargets, policies.ScalingPolicies]).toEqual([[], []]);
  });

  it('Application Auto Scaling tag operations exist (moto answers 500)', async () => {
    const aas = new ApplicationAutoScalingClient({ endpoint });
    const { ScalableTargetARN } = await aas.send(new RegisterScalableTargetCommand({
      ServiceNamespace: 'dynamodb', ResourceId: 'table/sdk-items', ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 1, MaxCapacity: 5,
    }));
    const arn = ScalableTargetARN ?? 'arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/sdk';
    await aas.send(new TagScaling({ ResourceARN: arn, Tags: { team: 'data', tmp: 'x' } }));
    await aas.send(new UntagScaling({ ResourceARN: arn, TagKeys: ['tmp'] }));
    expect((await aas.send(new ListScalingTags({ ResourceARN: arn }))).Tags).toEqual({ team: 'data' });
  });
});

describe('KMS through the sandbox', () => {
  it('GetKeyRotationStatus reports RotationPeriodInDays after EnableKeyRotation (moto omits it)', async () => {
    const { EnableKeyRotationCommand, GetKeyRotationStatusCommand } = await import('@aws-sdk/client-kms');
    const kms = new KMSClient({ endpoint });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new EnableKeyRotationCommand({ KeyId: KeyMetadata!.KeyId, RotationPeriodInDays: 90 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: KeyMetadata!.Arn }));
    expect([status.KeyRotationEnabled, status.RotationPeriodInDays]).toEqual([true, 90]);
  });
});

describe('IAM through the sandbox', () => {
  it('AWS managed policies exist, so AttachRolePolicy of AWSBackupServiceRolePolicyForBackup works (moto loads them only on request)', async () => {
    const { GetPolicyCommand } = await import('@aws-sdk/client-iam');
    const policy = await new IAMClient({ endpoint }).send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' }));
    expect(policy.Policy?.PolicyName).toBe('AWSBackupServiceRolePolicyForBackup');
  });
});
