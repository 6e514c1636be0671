import type { LiveKey, LiveRole, LiveState, Read } from '../../../compliance/facts/live-state';
import { keyChecks, publicAllowStatements, roleChecks, selectsTableDataEvents, trailChecks, withoutPartition } from '../../../verify/checks/security';
import { ACCOUNT, contract, KEY_ARN, outputs, REGION, TABLE_ARN } from './fixtures';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const failed = <T>(error: string): Read<T> => ({ ok: false, error });
const live = (parts: Partial<LiveState>): LiveState => ({ roles: [], ...parts }) as unknown as LiveState;

const GOOD_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'RootAccess', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'ViaDynamo', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } } },
    { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
  ],
});

function key(overrides: Partial<LiveKey['metadata']> = {}, rest: Partial<LiveKey> = {}): LiveKey {
  return { metadata: { KeyId: '1111-2222', Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER', ...overrides }, rotation: true, policy: GOOD_POLICY, ...rest } as LiveKey;
}

describe('publicAllowStatements: who anyone may be allowed to use the key as', () => {
  it('names unconditioned Allow statements with a * principal, by Sid or by their actions', () => {
    const policy = JSON.stringify({
      Statement: [
        { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: '*' },
        { Sid: 'Conditioned', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } },
        { Sid: 'Denied', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' },
        { Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'AccountAndAnyone', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, '*'] }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    expect(publicAllowStatements(policy)).toEqual(['Open', '(statement allowing kms:Encrypt,kms:GenerateDataKey)', 'AccountAndAnyone']);
  });

  it('no policy or an unreadable one opens nothing', () => {
    expect(publicAllowStatements(undefined)).toEqual([]);
    expect(publicAllowStatements('not json')).toEqual([]);
    expect(publicAllowStatements(GOOD_POLICY)).toEqual([]);
  });
});

describe('keyChecks: the table key, the DR key and replica keys', () => {
  it('a healthy key passes, naming the key, with its ARN as evidence', () => {
    expect(keyChecks(contract(), outputs(), live({ key: ok(key()) }))).toEqual([
      {
        id: 'KEY',
        title: 'KMS key enabled, rotating, policy without public principal',
        category: 'contract',
        status: 'pass',
        message: 'key 1111-2222 enabled, rotation on, policy has no public principal',
        evidence: [`key ${KEY_ARN}`],
      },
    ]);
  });

  it('a disabled, AWS-managed, non-rotating key with a public statement fails listing every difference', () => {
    const open = JSON.stringify({ Statement: [{ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
    const [r] = keyChecks(contract(), outputs(), live({ key: ok(key({ Enabled: false, KeyState: 'Disabled', KeyManager: 'AWS', Arn: undefined }, { rotation: false, policy: open })) }));
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      [
        'key.enabled: expected true, actual false',
        'key.keyState: expected Enabled, actual Disabled',
        'key.keyManager: expected CUSTOMER, actual AWS',
        'key.rotation: expected true, actual false',
        'key.policy: expected no unconditioned Principal "*", actual Principal "*" in Anyone',
      ].join('; '),
    );
    // Without an ARN in the metadata the evidence names the key as the outputs do.
    expect(r.evidence).toEqual([`key key ${KEY_ARN}`]);
  });

  it('a key whose policy could not be read fails for the missing policy', () => {
    const [r] = keyChecks(contract(), outputs(), live({ key: ok(key({}, { policy: undefined })) }));
    expect(r).toMatchObject({ id: 'KEY', status: 'fail', message: 'key.policy: expected a key policy, actual (none)' });
  });

  it('a key that could not be read is an error of verify naming the key output', () => {
    const [r] = keyChecks(contract(), outputs(), live({ key: failed('AccessDeniedException: kms:DescribeKey') }));
    expect(r).toEqual({
      id: 'KEY',
      title: 'KMS key enabled, rotating, policy without public principal',
      category: 'contract',
      status: 'fail',
      message: `could not read key ${KEY_ARN}: AccessDeniedException: kms:DescribeKey`,
      evidence: ['AccessDeniedException: kms:DescribeKey'],
      error: true,
    });
  });

  it('the DR key and each replica key get their own check, titled with their region', () => {
    const c = contract({ backup: { ...contract().backup, drCopy: { region: 'eu-west-1', vaultName: 'dr-vault' } } });
    const replicaKey = key({ KeyId: 'rep-1', Arn: 'arn:aws:kms:us-west-2:123456789012:key/rep-1' });
    const results = keyChecks(c, outputs({ drKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/dr-1' }), live({
      key: ok(key()),
      drKey: failed('NotFoundException'),
      replicas: [{ region: 'us-west-2', table: ok({}), key: ok(replicaKey) }] as LiveState['replicas'],
    }));
    expect(results.map((r) => [r.id, r.title])).toEqual([
      ['KEY', 'KMS key enabled, rotating, policy without public principal'],
      ['KEY-DR', 'DR KMS key (eu-west-1) enabled, rotating, policy without public principal'],
      ['KEY-REPLICA-us-west-2', 'Replica KMS key (us-west-2) enabled, rotating, policy without public principal'],
    ]);
    expect(results[1].message).toBe('could not read DR key arn:aws:kms:eu-west-1:123456789012:key/dr-1 in eu-west-1: NotFoundException');
    expect(results[2]).toMatchObject({ status: 'pass', message: 'key rep-1 enabled, rotation on, policy has no public principal', evidence: ['key arn:aws:kms:us-west-2:123456789012:key/rep-1'] });
  });

  it('a DR key without an output says so; a replica key that could not be read names its region', () => {
    const c = contract({ backup: { ...contract().backup, drCopy: { region: 'eu-west-1', vaultName: 'dr-vault' } } });
    const results = keyChecks(c, outputs(), live({ key: ok(key()), drKey: failed('boom'), replicas: [{ region: 'ap-south-1', table: ok({}), key: failed('denied') }] as LiveState['replicas'] }));
    expect(results[1].message).toBe('could not read DR key (no output) in eu-west-1: boom');
    expect(results[2].message).toBe('could not read replica key in ap-south-1: denied');
  });

  it('no DR check when the contract declares no DR copy, even if a DR key was read', () => {
    expect(keyChecks(contract(), outputs(), live({ key: ok(key()), drKey: ok(key()) })).map((r) => r.id)).toEqual(['KEY']);
  });
});

const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/audit`;
const declaredTrail = { name: 'audit', multiRegion: true, logFileValidation: true, kmsEncrypted: true, dynamoDbDataEvents: true };
const goodTrail = () => ({
  trail: { Name: 'audit', TrailARN: TRAIL_ARN, IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: KEY_ARN },
  logging: true,
  selectors: { EventSelectors: [{ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [TABLE_ARN] }] }] },
});
const goodBucket = () => ({ publicAccessBlock: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, isPublic: false, versioning: true });
const TRAIL_TITLE = 'Trail logging, multi-region, validated, KMS-encrypted, with DynamoDB data events';

describe('trailChecks: the audit trail and its bucket', () => {
  const withTrail = contract({ trail: declaredTrail });
  const outs = outputs({ trailName: 'audit', trailBucket: 'audit-logs' });

  it('no trail declared (or none read): one skipped check saying so', () => {
    const skipped = { id: 'TRAIL', title: 'CloudTrail audit trail', category: 'contract', status: 'skip', message: 'no trail declared in the contract', evidence: [] };
    expect(trailChecks(contract(), outs, live({ trail: ok(goodTrail()) as LiveState['trail'] }))).toEqual([skipped]);
    expect(trailChecks(withTrail, outs, live({}))).toEqual([skipped]);
  });

  it('a trail as declared with a private bucket passes both checks', () => {
    expect(trailChecks(withTrail, outs, live({ trail: ok(goodTrail()) as LiveState['trail'], bucket: ok(goodBucket()) }))).toEqual([
      { id: 'TRAIL', title: TRAIL_TITLE, category: 'contract', status: 'pass', message: 'trail audit logging, multi-region true, validation on', evidence: [`trail ${TRAIL_ARN}`] },
      { id: 'TRAIL-BUCKET', title: 'Trail bucket is not public', category: 'contract', status: 'pass', message: 'bucket audit-logs blocks public access', evidence: ['bucket audit-logs'] },
    ]);
  });

  it('a trail that stopped logging, single-region, unvalidated, unencrypted and not selecting the table fails with every difference', () => {
    const t = { trail: { Name: 'audit', TrailARN: TRAIL_ARN }, logging: false, selectors: { EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } };
    const [r] = trailChecks(withTrail, outs, live({ trail: ok(t) as LiveState['trail'] }));
    expect(r).toMatchObject({ id: 'TRAIL', status: 'fail', evidence: [`trail ${TRAIL_ARN}`] });
    expect(r.message).toBe(
      [
        'trail.logging: expected true, actual false',
        'trail.multiRegion: expected true, actual false',
        'trail.logFileValidation: expected true, actual false',
        'trail.kmsKeyId: expected a KMS key, actual (none)',
        `trail.dataEvents: expected AWS::DynamoDB::Table ${TABLE_ARN}, actual not selected`,
      ].join('; '),
    );
  });

  it('a contract that asks for a single-region, unvalidated, unencrypted trail without data events accepts one', () => {
    const lax = contract({ trail: { name: 'audit', multiRegion: false, logFileValidation: false, kmsEncrypted: false, dynamoDbDataEvents: false } });
    const t = { trail: { Name: 'audit', TrailARN: TRAIL_ARN, IsMultiRegionTrail: false, LogFileValidationEnabled: false }, logging: true, selectors: {} };
    expect(trailChecks(lax, outs, live({ trail: ok(t) as LiveState['trail'] }))[0]).toMatchObject({ status: 'pass', message: 'trail audit logging, multi-region false, validation on' });
    // ...and reports a trail that does more than asked as a difference, so the contract stays exact.
    const more = { ...t, trail: { ...t.trail, IsMultiRegionTrail: true, LogFileValidationEnabled: true } };
    expect(trailChecks(lax, outs, live({ trail: ok(more) as LiveState['trail'] }))[0].message).toBe('trail.multiRegion: expected false, actual true; trail.logFileValidation: expected false, actual true');
  });

  it('without a table ARN output the data-event difference names no table', () => {
    const t = { ...goodTrail(), selectors: {} };
    const [r] = trailChecks(withTrail, outputs({ tableArn: undefined, trailName: 'audit' }), live({ trail: ok(t) as LiveState['trail'] }));
    expect(r.message).toBe('trail.dataEvents: expected AWS::DynamoDB::Table , actual not selected');
  });

  it('a trail and a bucket that could not be read are errors of verify naming what was read', () => {
    const results = trailChecks(withTrail, outs, live({ trail: failed('AccessDenied: cloudtrail:DescribeTrails'), bucket: failed('AccessDenied: s3:GetBucketPolicyStatus') }));
    expect(results).toEqual([
      { id: 'TRAIL', title: TRAIL_TITLE, category: 'contract', status: 'fail', message: 'could not read trail audit: AccessDenied: cloudtrail:DescribeTrails', evidence: ['AccessDenied: cloudtrail:DescribeTrails'], error: true },
      { id: 'TRAIL-BUCKET', title: 'Trail bucket is not public', category: 'contract', status: 'fail', message: 'could not read bucket audit-logs: AccessDenied: s3:GetBucketPolicyStatus', evidence: ['AccessDenied: s3:GetBucketPolicyStatus'], error: true },
    ]);
    expect(trailChecks(withTrail, outputs(), live({ trail: failed('x') }))[0].message).toBe('could not read trail audit: x');
    expect(trailChecks(withTrail, outputs({ trailName: 'from-output' }), live({ trail: failed('x') }))[0].message).toBe('could not read trail from-output: x');
  });

  it('a bucket without a public access block and with a public policy fails on each setting', () => {
    const results = trailChecks(withTrail, outs, live({ trail: ok(goodTrail()) as LiveState['trail'], bucket: ok({ isPublic: true, versioning: true }) }));
    expect(results[1]).toMatchObject({ id: 'TRAIL-BUCKET', status: 'fail', evidence: ['bucket audit-logs'] });
    expect(results[1].message).toBe(
      [
        'bucket.blockPublicAcls: expected true, actual false',
        'bucket.blockPublicPolicy: expected true, actual false',
        'bucket.ignorePublicAcls: expected true, actual false',
        'bucket.restrictPublicBuckets: expected true, actual false',
        'bucket.policyIsPublic: expected false, actual true',
      ].join('; '),
    );
  });

  it('each public access setting is judged on its own', () => {
    const fields = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;
    const names = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'];
    fields.forEach((f, i) => {
      const b = goodBucket();
      const pab = { ...b.publicAccessBlock, [f]: false };
      const [, r] = trailChecks(withTrail, outs, live({ trail: ok(goodTrail()) as LiveState['trail'], bucket: ok({ ...b, publicAccessBlock: pab }) }));
      expect(r.message).toBe(`bucket.${names[i]}: expected true, actual false`);
    });
  });
});

describe('selectsTableDataEvents: basic and advanced selectors', () => {
  const basic = (...values: string[]) => ({ EventSelectors: [{ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: values }] }] });

  it('basic selectors: the table ARN, every table, or a prefix of the ARN select it', () => {
    expect(selectsTableDataEvents(basic(TABLE_ARN), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(basic('arn:aws:dynamodb'), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(basic('arn:aws:dynamodb:::table'), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(basic('arn:aws:dynamodb:::table/'), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(basic(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/`), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(basic('arn:aws-cn:dynamodb:cn-north-1:999:table'), TABLE_ARN)).toBe(true);
  });

  it('basic selectors: another table, another type, or nothing do not', () => {
    expect(selectsTableDataEvents(basic(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/other`), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(basic('xarn:aws:dynamodb:::table'), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(basic('arn:aws:dynamodb:::tablex'), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(basic('arn:aws:dynamodb:::table/x/'), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(basic('arn::dynamodb:::table'), 'arn:aws:dynamodb:us-east-1:1:table/t')).toBe(false);
    expect(selectsTableDataEvents(basic('arn:aws:dynamodb:us-east-1:table'), 'arn:aws:dynamodb:us-east-1:1:table/t')).toBe(false);
    expect(selectsTableDataEvents(basic(), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents({ EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: [TABLE_ARN] }] }] }, TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents({ EventSelectors: [{ DataResources: [{ Type: 'AWS::DynamoDB::Table' }] }] }, TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents({ EventSelectors: [{}] }, TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents({}, TABLE_ARN)).toBe(false);
  });

  it('basic selectors: one matching resource among others is enough', () => {
    const s = { EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }, { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb:us-east-1:1:table/x', TABLE_ARN] }] }] };
    expect(selectsTableDataEvents(s, TABLE_ARN)).toBe(true);
  });

  const advanced = (...fields: { Field?: string; Equals?: string[]; StartsWith?: string[] }[]) => ({ AdvancedEventSelectors: [{ FieldSelectors: fields }] });
  const dynamo = { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] };

  it('advanced selectors: DynamoDB tables without an ARN field, the ARN, or an ARN prefix select it', () => {
    expect(selectsTableDataEvents(advanced({ Field: 'eventCategory', Equals: ['Data'] }, dynamo), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(advanced(dynamo, { Field: 'resources.ARN', Equals: ['arn:x', TABLE_ARN] }), TABLE_ARN)).toBe(true);
    expect(selectsTableDataEvents(advanced(dynamo, { Field: 'resources.ARN', StartsWith: ['arn:x', `arn:aws:dynamodb:${REGION}:`] }), TABLE_ARN)).toBe(true);
    // One of several selectors is enough, alongside basic selectors that select nothing.
    expect(selectsTableDataEvents({ EventSelectors: [], AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }, { FieldSelectors: [dynamo] }] }, TABLE_ARN)).toBe(true);
  });

  it('advanced selectors: another type, no type, or an ARN field naming other tables do not', () => {
    expect(selectsTableDataEvents(advanced({ Field: 'resources.type', Equals: ['AWS::S3::Object'] }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(advanced({ Field: 'resources.type' }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(advanced({ Field: 'resources.ARN', Equals: [TABLE_ARN] }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(advanced({ Field: 'eventCategory', Equals: ['AWS::DynamoDB::Table'] }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(advanced(dynamo, { Field: 'resources.ARN', Equals: ['arn:other'] }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(advanced(dynamo, { Field: 'resources.ARN', StartsWith: ['arn:other'] }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents(advanced(dynamo, { Field: 'resources.ARN' }), TABLE_ARN)).toBe(false);
    expect(selectsTableDataEvents({ AdvancedEventSelectors: [{}] }, TABLE_ARN)).toBe(false);
  });

  it('a trail check passes on an advanced selector alone', () => {
    const t = { ...goodTrail(), selectors: advanced(dynamo) };
    expect(trailChecks(contract({ trail: declaredTrail }), outputs(), live({ trail: ok(t) as LiveState['trail'] }))[0].status).toBe('pass');
  });
});

describe('withoutPartition: managed policy ARNs compared across partitions', () => {
  it('replaces the partition, whatever it is, and only at the start', () => {
    expect(withoutPartition('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe('arn:*:iam::aws:policy/ReadOnlyAccess');
    expect(withoutPartition('arn:aws-cn:iam::aws:policy/ReadOnlyAccess')).toBe('arn:*:iam::aws:policy/ReadOnlyAccess');
    expect(withoutPartition('arn:${TfToken[TOKEN.1]}:iam::aws:policy/X')).toBe('arn:*:iam::aws:policy/X');
    expect(withoutPartition('arn::iam::aws:policy/X')).toBe('arn:*:iam::aws:policy/X');
    expect(withoutPartition('policy/arn:aws:x')).toBe('policy/arn:aws:x');
  });
});

describe('roleChecks: each role carries exactly its declared policies, none with * actions', () => {
  const declared = { name: 'tablesafe-demo-app-reader', output: 'app_reader_role_arn', inlinePolicies: ['read', 'decrypt'], managedPolicyArns: ['arn:${TfToken[TOKEN.2]}:iam::aws:policy/B', 'arn:aws:iam::aws:policy/A'] };
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/tablesafe-demo-app-reader`;
  const doc = (...actions: string[]) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: actions, Resource: TABLE_ARN }] });
  const liveRole = (over: Partial<LiveRole> = {}): LiveRole =>
    ({ contractName: 'appReader', declared, arn: 'arn-from-output', role: { Arn: roleArn }, inlinePolicies: { read: doc('dynamodb:GetItem'), decrypt: doc('kms:Decrypt') }, managedPolicyArns: ['arn:aws-cn:iam::aws:policy/B', 'arn:aws:iam::aws:policy/A'], ...over }) as LiveRole;

  it('a role as declared passes whatever the order and partition of its policies', () => {
    expect(roleChecks(live({ roles: [ok(liveRole())] }))).toEqual([
      {
        id: 'IAM-ROLE-appReader',
        title: 'Role tablesafe-demo-app-reader has exactly the declared policies, no * actions',
        category: 'contract',
        status: 'pass',
        message: 'tablesafe-demo-app-reader: 2 inline + 2 managed policies as declared',
        evidence: [`role ${roleArn}`],
      },
    ]);
  });

  it('extra or missing policies and * actions fail, naming the role, the policy and the actions', () => {
    const r = liveRole({ role: undefined, inlinePolicies: { read: doc('dynamodb:*', 'dynamodb:GetItem', '*'), extra: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }) }, managedPolicyArns: ['arn:aws:iam::aws:policy/A'] });
    const [result] = roleChecks(live({ roles: [ok(r)] }));
    expect(result.status).toBe('fail');
    expect(result.message).toBe(
      [
        'roles.appReader.inlinePolicies: expected ["decrypt","read"], actual ["extra","read"]',
        'roles.appReader.managedPolicyArns: expected ["arn:*:iam::aws:policy/A","arn:*:iam::aws:policy/B"], actual ["arn:*:iam::aws:policy/A"]',
        'roles.appReader.read.actions: expected no * actions, actual dynamodb:*, *',
      ].join('; '),
    );
    // Without the role read, the evidence falls back to the ARN from the outputs.
    expect(result.evidence).toEqual(['role arn-from-output']);
  });

  it('a role that could not be read is an error of verify, numbered by its position', () => {
    expect(roleChecks(live({ roles: [ok(liveRole()), failed('NoSuchEntity: role tablesafe-demo-auditor')] }))[1]).toEqual({
      id: 'IAM-ROLE-1',
      title: 'Role exists with exactly the declared policies, no * actions',
      category: 'contract',
      status: 'fail',
      message: 'could not read role: NoSuchEntity: role tablesafe-demo-auditor',
      evidence: ['NoSuchEntity: role tablesafe-demo-auditor'],
      error: true,
    });
  });
});
