import { EncryptionKey } from '../../../modules/kms/encryption-key';
import { synthWith, Synthesized } from '../../helpers/synth';

const key = (props: Partial<ConstructorParameters<typeof EncryptionKey>[2]> = {}) =>
  synthWith((s) => new EncryptionKey(s, 'key', { alias: 'tablesafe-test', region: 'us-east-1', trailName: 'trail', ...props }));

const statements = (out: Synthesized): any[] => Synthesized.policy(out.only('aws_kms_key').policy).Statement;

describe('EncryptionKey', () => {
  it('turns rotation on with a yearly period and a 30-day deletion window by default', () => {
    const k = key().only('aws_kms_key');
    expect(k.enable_key_rotation).toBe(true);
    expect(k.rotation_period_in_days).toBe(365);
    expect(k.deletion_window_in_days).toBe(30);
  });

  it('creates the alias with the alias/ prefix', () => {
    expect(key().only('aws_kms_alias').name).toBe('alias/tablesafe-test');
  });

  it('grants DynamoDB and Backup only through kms:ViaService in the key region and account', () => {
    const s = statements(key());
    for (const sid of ['DynamoDBUse', 'BackupUse']) {
      const st = s.find((x) => x.Sid === sid);
      expect(st.Condition.StringEquals['kms:ViaService']).toMatch(new RegExp(`^${sid === 'DynamoDBUse' ? 'dynamodb' : 'backup'}\\.us-east-1\\.amazonaws\\.com$`));
      expect(st.Condition.StringEquals['kms:CallerAccount']).toBeDefined();
    }
  });

  it('lets CloudTrail encrypt only for the named trail (aws:SourceArn)', () => {
    const st = statements(key()).find((x) => x.Sid === 'CloudTrailEncryptLogs');
    expect(st.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(st.Condition.StringEquals['aws:SourceArn']).toMatch(/:cloudtrail:us-east-1:.*:trail\/trail$/);
  });

  it('has no statement with Principal "*" and never grants kms:*', () => {
    for (const st of statements(key())) {
      expect(st.Principal).not.toBe('*');
      expect([st.Action].flat()).not.toContain('kms:*');
    }
  });

  it('omits services not asked for', () => {
    const sids = statements(key({ services: ['dynamodb'], trailName: undefined })).map((s) => s.Sid);
    expect(sids).toEqual(['AccountAdministration', 'AccountGrantsForAwsResourcesOnly', 'DynamoDBUse']);
  });

  it('allows grants only for AWS resources: administration carries none, the grant statement the condition', () => {
    const s = statements(key());
    expect(s.find((x) => x.Sid === 'AccountAdministration').Action).not.toEqual(expect.arrayContaining(['kms:CreateGrant']));
    expect(s.find((x) => x.Sid === 'AccountAdministration').Action).not.toEqual(expect.arrayContaining(['kms:RevokeGrant']));
    const grants = s.filter((x) => [x.Action].flat().some((a: string) => /Grant/.test(a)));
    expect(grants.map((x) => [x.Sid, x.Condition?.Bool?.['kms:GrantIsForAWSResource']])).toEqual([['AccountGrantsForAwsResourcesOnly', 'true']]);
  });

  it('lets CloudWatch Logs use the key for the named log group only, and not at all without one', () => {
    const withGroup = statements(key({ services: ['cloudtrail', 'logs'], logGroupName: '/tablesafe/cloudtrail/trail' })).find((x) => x.Sid === 'CloudWatchLogsUse');
    expect(withGroup.Condition).toEqual({ ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': expect.stringMatching(/:logs:us-east-1:.*:log-group:\/tablesafe\/cloudtrail\/trail$/) } });
    expect(statements(key()).map((x) => x.Sid)).not.toContain('CloudWatchLogsUse');
  });

  it.each([
    [{ deletionWindowDays: 6 }, /EncryptionKey\.deletionWindowDays: 6 is invalid: must be an integer from 7 to 30/],
    [{ rotationPeriodDays: 30 }, /EncryptionKey\.rotationPeriodDays: 30 is invalid: must be an integer from 90 to 2560/],
    [{ alias: 'alias/aws/mine' }, /EncryptionKey\.alias: "alias\/aws\/mine" is invalid: the alias\/aws\/ prefix is reserved/],
    [{ alias: 'bad alias' }, /EncryptionKey\.alias: "bad alias" is invalid: must be 1-250 characters/],
    [{ services: ['cloudtrail'], trailName: undefined }, /EncryptionKey\.trailName: \(unset\) is invalid: is required when services include cloudtrail/],
    [{ services: ['logs'] }, /EncryptionKey\.logGroupName: \(unset\) is invalid: is required when services include logs/],
  ])('rejects %j', (props, message) => {
    expect(() => key(props as any)).toThrow(message);
  });
});

describe('partitionOf', () => {
  const { partitionOf } = require('../../../modules/common/environment');
  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s is in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});
