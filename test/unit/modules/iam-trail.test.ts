import { EncryptionKey } from '../../../modules/kms/encryption-key';
import { AuditTrail, AuditTrailProps } from '../../../modules/audit-trail/audit-trail';
import { auditorRole, backupServiceRole, restoreDrillRole } from '../../../modules/iam/roles';
import { Role } from '../../../modules/iam/role';
import { accountTrust } from '../../../modules/iam/policy';
import { synthWith, Synthesized } from '../../helpers/synth';

const env = { accountId: '123456789012', partition: 'aws', region: 'us-east-1' };
const statementsOf = (out: Synthesized) => Object.values(out.resources('aws_iam_role_policy')).flatMap((p: any) => Synthesized.policy(p.policy).Statement);

describe('IAM roles', () => {
  it('the backup service role trusts backup.amazonaws.com from this account and carries the managed backup/restore policies', () => {
    const out = synthWith((s) => backupServiceRole(s, 'backup', { roleName: 'backup', env, keyArns: ['arn:aws:kms:us-east-1:123456789012:key/k'] }));
    const trust = JSON.parse(out.only('aws_iam_role').assume_role_policy).Statement[0];
    expect(trust).toEqual({ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } });
    expect(Object.values(out.resources('aws_iam_role_policy_attachment')).map((a: any) => a.policy_arn).sort()).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });

  describe('restore drill role', () => {
    const out = synthWith((s) =>
      restoreDrillRole(s, 'drill', {
        roleName: 'drill',
        env,
        sourceTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', sourceTableName: 'orders',
        vaultArn: 'arn:aws:backup:us-east-1:123456789012:backup-vault:v',
        keyArns: ['arn:aws:kms:us-east-1:123456789012:key/k'],
        backupRoleArn: 'arn:aws:iam::123456789012:role/backup',
      }),
    );
    const statements = statementsOf(out);
    it('may delete only tablesafe-drill-* tables', () => {
      const deleting = statements.filter((s) => [s.Action].flat().includes('dynamodb:DeleteTable'));
      expect(deleting).toHaveLength(1);
      expect(deleting[0].Resource).toEqual(['arn:aws:dynamodb:us-east-1:123456789012:table/tablesafe-drill-*', 'arn:aws:dynamodb:us-east-1:123456789012:table/tablesafe-drill-*/index/*']);
    });
    it('never writes to the source table', () => {
      const onSource = statements.filter((s) => [s.Resource].flat().includes('arn:aws:dynamodb:us-east-1:123456789012:table/orders'));
      const writes = onSource.flatMap((s) => [s.Action].flat()).filter((a: string) => /Put|Update|Delete|BatchWrite|CreateTable/.test(a));
      expect(writes).toEqual([]);
    });
    it('may pass only the backup role, and only to AWS Backup', () => {
      const pass = statements.find((s) => s.Action === 'iam:PassRole');
      expect(pass).toMatchObject({ Resource: 'arn:aws:iam::123456789012:role/backup', Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } } });
    });
    it('may restore the source to a point in time, and write only scratch tables doing so', () => {
      const pitr = statements.find((s) => [s.Action].flat().includes('dynamodb:RestoreTableToPointInTime'));
      expect(pitr.Resource).toEqual(['arn:aws:dynamodb:us-east-1:123456789012:table/orders']);
      const putting = statements.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
      expect(putting.flatMap((s) => [s.Resource].flat())).toEqual(['arn:aws:dynamodb:us-east-1:123456789012:table/tablesafe-drill-*']);
    });
    it('has no * action and no * resource on KMS', () => {
      for (const s of statements) {
        expect([s.Action].flat()).not.toContain('*');
        if ([s.Action].flat().some((a: string) => a.startsWith('kms:'))) expect([s.Resource].flat()).not.toContain('*');
      }
    });
  });

  it('the restore drill role with a DR vault restores its copies and deletes scratch tables in the DR region too', () => {
    const statements = statementsOf(synthWith((s) =>
      restoreDrillRole(s, 'drill', {
        roleName: 'drill',
        env,
        sourceTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', sourceTableName: 'orders',
        vaultArn: 'arn:aws:backup:us-east-1:123456789012:backup-vault:v',
        keyArns: ['arn:aws:kms:us-east-1:123456789012:key/k'],
        backupRoleArn: 'arn:aws:iam::123456789012:role/backup',
        dr: { region: 'us-west-2', vaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr' },
      }),
    ));
    const deleting = statements.filter((s) => [s.Action].flat().includes('dynamodb:DeleteTable'));
    expect(deleting.flatMap((s) => [s.Resource].flat())).toEqual(expect.arrayContaining(['arn:aws:dynamodb:us-west-2:123456789012:table/tablesafe-drill-*']));
    const restoring = statements.filter((s) => [s.Action].flat().includes('backup:StartRestoreJob'));
    expect(restoring.map((s) => [s.Sid, s.Resource, s.Condition])).toEqual([
      ['SourceTableBackups', ['arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/*', 'arn:aws:dynamodb:us-west-2:123456789012:table/orders/backup/*'], undefined],
      ['SourceTableRecoveryPoints', ['arn:aws:backup:us-east-1:123456789012:recovery-point:*', 'arn:aws:backup:us-west-2:123456789012:recovery-point:*'], { StringEquals: { 'aws:ResourceTag/tablesafe:source-table': 'orders' } }],
    ]);
    const vaults = statements.find((s) => s.Sid === 'Vaults');
    expect(vaults.Resource).toEqual(['arn:aws:backup:us-east-1:123456789012:backup-vault:v', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr']);
  });

  it('the auditor role is read-only', () => {
    const out = synthWith((s) =>
      auditorRole(s, 'auditor', { roleName: 'auditor', env, tableArns: ['t'], keyArns: ['k'], vaultArns: ['v'], planArn: 'p', trailArn: 'tr', bucketArn: 'b', roleArns: ['r'] }),
    );
    const actions = statementsOf(out).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => !/:(Describe|Get|List)/.test(a))).toEqual([]);
  });

  it('rejects a duplicate inline policy name on a role', () => {
    expect(() =>
      synthWith((s) => {
        const r = new Role(s, 'r', { roleName: 'r', kind: 'app-reader', assumeRolePolicy: accountTrust(['x']) });
        r.addPolicy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
        r.addPolicy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
      }),
    ).toThrow(/Role\(r\)\.policyName: "p" is invalid: must be unique per role/);
  });
});

describe('AuditTrail', () => {
  const trail = (props: Partial<AuditTrailProps> = {}) =>
    synthWith((s) => {
      const key = new EncryptionKey(s, 'key', { alias: 'k', region: 'us-east-1', trailName: 'platform-trail' });
      new AuditTrail(s, 'trail', {
        trailName: 'platform-trail',
        region: 'us-east-1',
        bucketName: 'platform-trail-logs',
        encryptionKey: key,
        dataEventTableArns: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
        ...props,
      });
    });
  const out = trail();

  it('is multi-region, validated, KMS-encrypted and logging', () => {
    expect(out.only('aws_cloudtrail')).toMatchObject({ is_multi_region_trail: true, enable_log_file_validation: true, enable_logging: true, include_global_service_events: true, kms_key_id: expect.stringMatching(/aws_kms_key/) });
  });

  it('selects management events and DynamoDB data events for the platform tables', () => {
    const selectors = out.only('aws_cloudtrail').advanced_event_selector;
    expect(selectors[0].field_selector).toEqual([{ field: 'eventCategory', equals: ['Management'] }]);
    expect(selectors[1].field_selector).toEqual([
      { field: 'eventCategory', equals: ['Data'] },
      { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] },
      { field: 'resources.ARN', equals: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'] },
    ]);
  });

  it('hardens the bucket: public access blocked, ownership enforced, versioning, SSE-KMS, lifecycle', () => {
    expect(out.only('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(out.only('aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(out.only('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(out.only('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(out.only('aws_s3_bucket_lifecycle_configuration').rule[0]).toMatchObject({ transition: [{ days: 90, storage_class: 'GLACIER' }], expiration: [{ days: 2555 }] });
  });

  it('the bucket policy denies non-TLS access and lets only this trail write', () => {
    const st = Synthesized.policy(out.only('aws_s3_bucket_policy').policy).Statement;
    expect(st[0]).toMatchObject({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(st[2].Condition.StringEquals['aws:SourceArn']).toMatch(/:trail\/platform-trail$/);
  });

  it('delivers to encrypted CloudWatch Logs when asked', () => {
    const cw = trail({ cloudWatchLogsRetentionDays: 90 });
    expect(cw.only('aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 90, kms_key_id: expect.stringMatching(/aws_kms_key/) });
    expect(cw.only('aws_cloudtrail').cloud_watch_logs_group_arn).toMatch(/:\*$/);
  });

  it.each<[string, Partial<AuditTrailProps>, RegExp]>([
    ['an upper-case bucket', { bucketName: 'Logs' }, /AuditTrail\.bucketName: "Logs" is invalid/],
    ['expiry before archive', { retention: { glacierAfterDays: 90, expireAfterDays: 30 } }, /AuditTrail\.retention\.expireAfterDays: 30 is invalid: must exceed glacierAfterDays \(90\)/],
    ['an unsupported log retention', { cloudWatchLogsRetentionDays: 10 }, /AuditTrail\.cloudWatchLogsRetentionDays: 10 is invalid: must be one of/],
  ])('rejects %s', (_, props, message) => {
    expect(() => trail(props)).toThrow(message);
  });
});
