/** STS, IAM and CloudTrail, as their API references document them. */
import { api, createTable, error, send } from '../kit';
import type { Case } from '../harness';

const trust = (principal: Record<string, string>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });

export const STS_CASES: Case[] = [
  {
    id: 'sts.get-caller-identity',
    reference: 'AWS STS API Reference, GetCallerIdentity: answers Account, Arn and UserId of the caller',
    ...api('sts', 'GetCallerIdentity', () => ({})),
    expect: (out) => expect(out).toMatchObject({ Account: '123456789012', Arn: expect.stringMatching(/^arn:aws:(iam|sts)::123456789012:/), UserId: expect.any(String) }),
  },
  {
    id: 'sts.assume-role.missing-role',
    reference: 'AWS STS API Reference, AssumeRole: a role that does not exist cannot be assumed → AccessDenied (HTTP 403)',
    ...api('sts', 'AssumeRole', (_e, v) => ({ RoleArn: 'arn:aws:iam::123456789012:role/fid-no-such-role', RoleSessionName: `fid-${v.tag}` })),
    expect: error('AccessDenied', /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/fid-no-such-role/, 403),
  },
  {
    id: 'sts.assume-role.untrusted',
    reference: 'IAM User Guide, role trust policies: a caller the trust policy does not name cannot assume the role → AccessDenied',
    ...api('sts', 'AssumeRole', (e, v) => ({ RoleArn: e.fx.backupRole, RoleSessionName: `fid-${v.tag}` })),
    expect: error('AccessDenied', undefined, 403),
  },
  {
    id: 'sts.assume-role.trusted',
    reference: 'AWS STS API Reference, AssumeRole: answers Credentials and AssumedRoleUser.Arn arn:aws:sts::account:assumed-role/role/session',
    ...api('sts', 'AssumeRole', (e, v) => ({ RoleArn: e.fx.accountRole, RoleSessionName: `fid-${v.tag}` })),
    expect: (out, _d, v) => {
      expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/fid-account-role/fid-${v.tag}`);
      expect(out.Credentials).toMatchObject({ AccessKeyId: expect.stringMatching(/^ASIA/), SecretAccessKey: expect.any(String), SessionToken: expect.any(String) });
    },
  },
];

export const IAM_CASES: Case[] = [
  {
    id: 'iam.create-role.arn',
    reference: 'IAM API Reference, CreateRole: Role.Arn arn:aws:iam::account:role/name and RoleId starting AROA',
    ...api('iam', 'CreateRole', (_e, v) => ({ RoleName: `fid-role-${v.tag}`, AssumeRolePolicyDocument: trust({ Service: 'backup.amazonaws.com' }) })),
    expect: (out, _d, v) => expect(out.Role).toMatchObject({ Arn: `arn:aws:iam::123456789012:role/fid-role-${v.tag}`, RoleId: expect.stringMatching(/^AROA/) }),
  },
  {
    id: 'iam.create-role.exists',
    reference: 'IAM API Reference, CreateRole: a role of that name exists → EntityAlreadyExists (HTTP 409)',
    setup: (e, v) => send(e, 'iam', 'CreateRole', { RoleName: `fid-dup-${v.tag}`, AssumeRolePolicyDocument: trust({ Service: 'backup.amazonaws.com' }) }),
    ...api('iam', 'CreateRole', (_e, v) => ({ RoleName: `fid-dup-${v.tag}`, AssumeRolePolicyDocument: trust({ Service: 'backup.amazonaws.com' }) })),
    expect: error('EntityAlreadyExists', undefined, 409),
  },
  {
    id: 'iam.create-role.malformed-trust',
    reference: 'IAM API Reference, CreateRole: a trust policy that is not a policy document → MalformedPolicyDocument',
    ...api('iam', 'CreateRole', (_e, v) => ({ RoleName: `fid-bad-${v.tag}`, AssumeRolePolicyDocument: '{"not": "a policy"' })),
    expect: error('MalformedPolicyDocument'),
  },
  {
    id: 'iam.get-role.missing',
    reference: 'IAM API Reference, GetRole: unknown role → NoSuchEntity (HTTP 404)',
    ...api('iam', 'GetRole', () => ({ RoleName: 'fid-no-such-role' })),
    expect: error('NoSuchEntity', /fid-no-such-role/, 404),
  },
  {
    id: 'iam.managed-policy.backup',
    reference: 'AWS Backup Developer Guide, managed policies: AWSBackupServiceRolePolicyForBackup exists in every account',
    ...api('iam', 'GetPolicy', () => ({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' })),
    expect: (out) => expect(out.Policy).toMatchObject({ PolicyName: 'AWSBackupServiceRolePolicyForBackup' }),
  },
  {
    id: 'iam.attach-role-policy.listed',
    reference: 'IAM API Reference, AttachRolePolicy / ListAttachedRolePolicies: the attached policy is listed',
    setup: async (e, v) => {
      await send(e, 'iam', 'CreateRole', { RoleName: `fid-att-${v.tag}`, AssumeRolePolicyDocument: trust({ Service: 'backup.amazonaws.com' }) });
      await send(e, 'iam', 'AttachRolePolicy', { RoleName: `fid-att-${v.tag}`, PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores' });
    },
    ...api('iam', 'ListAttachedRolePolicies', (_e, v) => ({ RoleName: `fid-att-${v.tag}` })),
    expect: (out) => expect(out.AttachedPolicies).toEqual([{ PolicyName: 'AWSBackupServiceRolePolicyForRestores', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores' }]),
  },
  {
    id: 'iam.delete-role.attached-policies',
    reference: 'IAM API Reference, DeleteRole: a role with attached policies → DeleteConflict (HTTP 409)',
    setup: async (e, v) => {
      await send(e, 'iam', 'CreateRole', { RoleName: `fid-del-${v.tag}`, AssumeRolePolicyDocument: trust({ Service: 'backup.amazonaws.com' }) });
      await send(e, 'iam', 'AttachRolePolicy', { RoleName: `fid-del-${v.tag}`, PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores' });
    },
    ...api('iam', 'DeleteRole', (_e, v) => ({ RoleName: `fid-del-${v.tag}` })),
    expect: error('DeleteConflict', undefined, 409),
  },
];

export const CLOUDTRAIL_CASES: Case[] = [
  {
    id: 'cloudtrail.create-trail.arn',
    reference: 'CloudTrail API Reference, CreateTrail: answers TrailARN arn:aws:cloudtrail:region:account:trail/name',
    ...api('cloudtrail', 'CreateTrail', (e, v) => ({ Name: `fid-trail-${v.tag}`, S3BucketName: e.fx.bucket })),
    expect: (out, _d, v) => expect(out.TrailARN).toBe(`arn:aws:cloudtrail:us-east-1:123456789012:trail/fid-trail-${v.tag}`),
  },
  {
    id: 'cloudtrail.describe-trails.unknown',
    reference: 'CloudTrail API Reference, DescribeTrails: names that match no trail answer an empty trailList',
    ...api('cloudtrail', 'DescribeTrails', () => ({ trailNameList: ['arn:aws:cloudtrail:us-east-1:123456789012:trail/fid-none'] })),
    expect: (out) => expect(out.trailList).toEqual([]),
  },
  {
    id: 'cloudtrail.status.by-arn',
    reference: 'CloudTrail API Reference, GetTrailStatus: Name may be the trail ARN; a new trail is not logging',
    setup: async (e, v) => (await send(e, 'cloudtrail', 'CreateTrail', { Name: `fid-st-${v.tag}`, S3BucketName: e.fx.bucket })).TrailARN,
    ...api('cloudtrail', 'GetTrailStatus', (_e, _v, arn) => ({ Name: arn })),
    expect: (out) => expect(out.IsLogging).toBe(false),
  },
  {
    id: 'cloudtrail.start-logging.by-arn',
    reference: 'CloudTrail API Reference, StartLogging: Name may be the trail ARN; the trail is then logging',
    setup: async (e, v) => (await send(e, 'cloudtrail', 'CreateTrail', { Name: `fid-sl-${v.tag}`, S3BucketName: e.fx.bucket })).TrailARN,
    ...api('cloudtrail', 'StartLogging', (_e, _v, arn) => ({ Name: arn })),
    observe: (e, _out, arn) => send(e, 'cloudtrail', 'GetTrailStatus', { Name: arn }),
    expect: (out) => expect(out.IsLogging).toBe(true),
  },
  {
    id: 'cloudtrail.event-selectors.flag',
    reference: 'CloudTrail API Reference, Trail.HasCustomEventSelectors: true once PutEventSelectors has run',
    setup: async (e, v) => {
      await send(e, 'cloudtrail', 'CreateTrail', { Name: `fid-es-${v.tag}`, S3BucketName: e.fx.bucket });
      await send(e, 'cloudtrail', 'PutEventSelectors', { TrailName: `fid-es-${v.tag}`, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
    },
    ...api('cloudtrail', 'DescribeTrails', (_e, v) => ({ trailNameList: [`fid-es-${v.tag}`] })),
    expect: (out) => expect(out.trailList[0]).toMatchObject({ HasCustomEventSelectors: true }),
  },
  {
    id: 'cloudtrail.lookup-events.management-write',
    reference: 'CloudTrail API Reference, LookupEvents: management events of the last 90 days, filtered by one attribute (ResourceName), with EventSource and the CloudTrail record',
    setup: (e, v) => createTable(e, `fid-audited-${v.tag}`),
    ...api('cloudtrail', 'LookupEvents', (_e, v) => ({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: `fid-audited-${v.tag}` }] }), ['--no-paginate']),
    expect: (out, _d, v) => {
      expect(out.Events).toEqual([expect.objectContaining({ EventName: 'CreateTable', EventSource: 'dynamodb.amazonaws.com', ReadOnly: 'false', Resources: [{ ResourceType: 'AWS::DynamoDB::Table', ResourceName: `fid-audited-${v.tag}` }] })]);
      expect(JSON.parse(out.Events[0].CloudTrailEvent)).toMatchObject({ eventName: 'CreateTable', eventType: 'AwsApiCall', managementEvent: true, requestParameters: { TableName: `fid-audited-${v.tag}` } });
    },
  },
  {
    id: 'cloudtrail.lookup-events.no-data-events',
    reference: 'CloudTrail User Guide, event history: data events (item writes such as PutItem) are not in the management event history',
    setup: (e, v) => send(e, 'dynamodb', 'PutItem', { TableName: e.fx.table, Item: { ID: { S: `audited-item-${v.tag}` } } }),
    ...api('cloudtrail', 'LookupEvents', () => ({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutItem' }] }), ['--no-paginate']),
    expect: (out) => expect(out.Events).toEqual([]),
  },
  {
    id: 'cloudtrail.lookup-events.one-attribute',
    reference: 'CloudTrail API Reference, LookupEvents: more than one lookup attribute → InvalidLookupAttributesException',
    ...api('cloudtrail', 'LookupEvents', () => ({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTable' }, { AttributeKey: 'Username', AttributeValue: 'root' }] }), ['--no-paginate']),
    expect: error('InvalidLookupAttributesException'),
  },
  {
    id: 'cloudtrail.lookup-events.max-results',
    reference: 'CloudTrail API Reference, LookupEvents: MaxResults is 1-50 → InvalidMaxResultsException',
    ...api('cloudtrail', 'LookupEvents', () => ({ MaxResults: 51 }), ['--no-paginate']),
    expect: error('InvalidMaxResultsException'),
  },
  {
    id: 'cloudtrail.status.unknown',
    reference: 'CloudTrail API Reference, GetTrailStatus: unknown trail → TrailNotFoundException',
    ...api('cloudtrail', 'GetTrailStatus', () => ({ Name: 'fid-no-such-trail' })),
    expect: error('TrailNotFoundException'),
  },
];

export const IDENTITY_CASES: Case[] = [...STS_CASES, ...IAM_CASES, ...CLOUDTRAIL_CASES];
export { trust };
