/**
 * The live facts of the audit trail, its bucket and the stack's roles, as factsFromAws builds them
 * from the CloudTrail, S3 and IAM responses verify read.
 */
import { factsFromAws } from '../../../compliance/facts/from-aws';
import type { LiveState, Read } from '../../../compliance/facts/live-state';
import { requirementsFromContract } from '../../../compliance/facts/requirements';
import { ACCOUNT, contract, outputs, TABLE_ARN } from '../verify/fixtures';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = { ok: false as const, error: 'AccessDenied' };
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit`;

function base(over: Partial<LiveState> = {}): LiveState {
  return {
    readAt: new Date(0),
    table: fail,
    pitr: fail,
    ttl: fail,
    tags: fail,
    scalableTargets: fail,
    key: fail,
    vault: fail,
    vaultPolicy: fail,
    plan: fail,
    selection: fail,
    recoveryPoints: ok([]),
    recentBackupJobs: ok([]),
    roles: [],
    ...over,
  };
}

type Selectors = NonNullable<LiveState['trail']> extends Read<infer T> ? (T extends { selectors: infer S } ? S : never) : never;
const trailOf = (selectors: Selectors, trail: object = { TrailARN: TRAIL_ARN, Name: 'audit', S3BucketName: 'audit-bucket', IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: 'arn:key' }, logging = true) =>
  factsFromAws(contract(), outputs(), base({ trail: ok({ trail, logging, selectors } as never) })).trails[0];

describe('factsFromAws: the trail', () => {
  it('reports the trail settings and the tables its basic event selectors log', () => {
    const t = trailOf({
      EventSelectors: [
        { IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/'] }, { Type: 'AWS::DynamoDB::Table', Values: [TABLE_ARN, 'arn:other'] }, { Type: 'AWS::DynamoDB::Table' }] },
        { IncludeManagementEvents: false },
      ],
    } as never);
    expect(t).toEqual({
      kind: 'trail',
      id: TRAIL_ARN,
      name: 'audit',
      refs: [TRAIL_ARN, 'audit'],
      tags: {},
      multiRegion: true,
      logFileValidation: true,
      kmsKeyRef: 'arn:key',
      logging: true,
      bucketRef: 'audit-bucket',
      managementEvents: false,
      dynamoDbDataEventTables: [TABLE_ARN, 'arn:other'],
    });
  });

  it('counts management events from a basic selector that does not exclude them', () => {
    expect(trailOf({ EventSelectors: [{ IncludeManagementEvents: false }, {}] } as never).managementEvents).toBe(true);
    expect(trailOf({ EventSelectors: [{ IncludeManagementEvents: true }] } as never).managementEvents).toBe(true);
    expect(trailOf({} as never).managementEvents).toBe(false);
  });

  it('reads advanced selectors: management events, DynamoDB tables by ARN (Equals and StartsWith), all tables without an ARN field', () => {
    const t = trailOf({
      AdvancedEventSelectors: [
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', Equals: ['arn:s3'] }] },
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }, { Field: 'resources.ARN', Equals: [TABLE_ARN], StartsWith: ['arn:aws:dynamodb:us-east-1:123456789012:table/ord'] }] },
        { FieldSelectors: [{ Field: 'resources.type' }, { Field: 'resources.ARN', Equals: ['arn:untyped'] }] },
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }] },
        { FieldSelectors: [{ Field: 'readOnly', Equals: ['AWS::DynamoDB::Table'] }, { Field: 'resources.ARN', Equals: ['arn:not-a-type-field'] }] },
        { FieldSelectors: [{ Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }, { Field: 'resources.ARN' }] },
        {},
      ],
    } as never);
    expect(t.dynamoDbDataEventTables).toEqual([TABLE_ARN, 'arn:aws:dynamodb:us-east-1:123456789012:table/ord', '*']);
    expect(t.managementEvents).toBe(false);
    const mgmt = trailOf({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['Management'] }] }, { FieldSelectors: [{ Field: 'eventCategory' }] }, {}, { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] } as never);
    expect(mgmt.managementEvents).toBe(true);
    expect(trailOf({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] } as never).managementEvents).toBe(false);
  });

  it('reports a trail with nothing set as single-region, unvalidated, unnamed, and no trail when it was not read', () => {
    expect(trailOf({} as never, {}, false)).toEqual({ kind: 'trail', id: '', name: '', refs: [], tags: {}, multiRegion: false, logFileValidation: false, kmsKeyRef: undefined, logging: false, bucketRef: '', managementEvents: false, dynamoDbDataEventTables: [] });
    expect(trailOf({} as never, { IsMultiRegionTrail: false, LogFileValidationEnabled: false }).multiRegion).toBe(false);
    expect(factsFromAws(contract(), outputs(), base({ trail: fail })).trails).toEqual([]);
    expect(factsFromAws(contract(), outputs(), base()).trails).toEqual([]);
  });
});

describe('factsFromAws: the trail bucket', () => {
  const tls = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::audit-bucket', 'arn:aws:s3:::audit-bucket/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });

  it('reports the public access block, versioning and a TLS-only policy', () => {
    const live = base({ bucket: ok({ publicAccessBlock: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, isPublic: false, versioning: true, policy: tls }) });
    const [b] = factsFromAws(contract(), outputs({ trailBucket: 'audit-bucket' }), live).buckets;
    expect(b).toEqual({
      kind: 'bucket',
      id: 'arn:aws:s3:::audit-bucket',
      name: 'audit-bucket',
      refs: ['audit-bucket', 'arn:aws:s3:::audit-bucket'],
      tags: {},
      publicAccessBlocked: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      versioning: true,
      tlsOnly: true,
      policy: [expect.objectContaining({ effect: 'Deny', actions: ['s3:*'], conditionKeys: ['aws:SecureTransport'] })],
    });
  });

  it('reports each public access setting on its own, and no TLS without a policy', () => {
    const one = (pab: object) => factsFromAws(contract(), outputs({ trailBucket: 'audit-bucket' }), base({ bucket: ok({ publicAccessBlock: pab, isPublic: true, versioning: false }) })).buckets[0];
    expect(one({ BlockPublicAcls: true, BlockPublicPolicy: false }).publicAccessBlocked).toEqual({ blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false });
    expect(one({ BlockPublicPolicy: true }).publicAccessBlocked).toEqual({ blockPublicAcls: false, blockPublicPolicy: true, ignorePublicAcls: false, restrictPublicBuckets: false });
    expect(one({ IgnorePublicAcls: true }).publicAccessBlocked).toEqual({ blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false });
    expect(one({ RestrictPublicBuckets: true }).publicAccessBlocked).toEqual({ blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: true });
    const bare = factsFromAws(contract(), outputs({ trailBucket: 'audit-bucket' }), base({ bucket: ok({ isPublic: true, versioning: false }) })).buckets[0];
    expect(bare).toMatchObject({ publicAccessBlocked: { blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false }, versioning: false, tlsOnly: false, policy: undefined });
    const allow = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' }] });
    expect(factsFromAws(contract(), outputs({ trailBucket: 'audit-bucket' }), base({ bucket: ok({ isPublic: false, versioning: true, policy: allow }) })).buckets[0].tlsOnly).toBe(false);
  });

  it('reports no bucket when it was not read or the stack names no trail bucket', () => {
    expect(factsFromAws(contract(), outputs(), base({ bucket: ok({ isPublic: false, versioning: true }) })).buckets).toEqual([]);
    expect(factsFromAws(contract(), outputs({ trailBucket: 'audit-bucket' }), base({ bucket: fail })).buckets).toEqual([]);
  });
});

describe('factsFromAws: roles', () => {
  const c = contract();
  const trust = encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: ['backup.amazonaws.com'], AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }));
  const inline = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }] });

  it('reports each role read with its tags, inline statements, managed policies, trusted services and kind', () => {
    const live = base({
      roles: [
        ok({ contractName: 'backup', declared: c.roles.backup, arn: 'arn:declared', role: { Arn: 'arn:role/backup', RoleName: 'backup-role', Path: '/', RoleId: 'r', CreateDate: new Date(0), AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'data' }, {}] }, inlinePolicies: { read: inline, broken: 'not json' }, managedPolicyArns: ['arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForBackup'] } as never),
        ok({ contractName: 'restoreDrill', declared: c.roles.restoreDrill, arn: 'arn:declared-drill', role: {}, inlinePolicies: {}, managedPolicyArns: [] } as never),
        ok({ contractName: 'appReader', declared: c.roles.appReader, role: {}, inlinePolicies: {}, managedPolicyArns: [] } as never),
        ok({ contractName: 'appWriter', declared: c.roles.appWriter, inlinePolicies: {}, managedPolicyArns: [] } as never),
        fail,
      ],
    });
    const roles = factsFromAws(c, outputs(), live).roles;
    expect(roles).toHaveLength(3);
    expect(roles[0]).toEqual({
      kind: 'role',
      id: 'arn:role/backup',
      name: 'backup-role',
      refs: ['arn:role/backup', 'backup-role'],
      tags: { team: 'data', '': '' },
      statements: [expect.objectContaining({ effect: 'Allow', actions: ['dynamodb:GetItem'], resources: [TABLE_ARN], policyName: 'read' })],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForBackup'],
      trustedServices: ['backup.amazonaws.com'],
      roleKind: 'backup',
    });
    expect(roles.slice(1).map((r) => [r.id, r.name, r.refs, r.tags, r.statements, r.trustedServices, r.roleKind])).toEqual([
      ['arn:declared-drill', c.roles.restoreDrill.name, [], {}, [], [], 'restore-drill'],
      ['', c.roles.appReader.name, [], {}, [], [], 'app-reader'],
    ]);
  });

  it('names the writer and auditor kinds', () => {
    const role = (contractName: 'appWriter' | 'auditor') => ok({ contractName, declared: c.roles[contractName], role: { RoleName: contractName }, inlinePolicies: {}, managedPolicyArns: [] } as never);
    expect(factsFromAws(c, outputs(), base({ roles: [role('appWriter'), role('auditor')] })).roles.map((r) => r.roleKind)).toEqual(['app-writer', 'auditor']);
  });
});

describe('factsFromAws: the fact set', () => {
  it('names its source and scope and carries the contract requirements', () => {
    const facts = factsFromAws(contract(), outputs(), base());
    expect(facts).toMatchObject({ source: 'aws', scope: 'demo (us-east-1)', tables: [], keys: [], vaults: [], plans: [], selections: [], trails: [], buckets: [], roles: [] });
    expect(facts.requirements).toEqual(requirementsFromContract(contract()));
    expect(facts.requirements).not.toEqual({});
  });
});
