import { ENVIRONMENTS } from '../../../stacks/config';
import { synthPlatform } from '../../helpers/stacks';

/**
 * Every policy document in every synthesized stack: no statement grants `*` (or `service:*`)
 * actions, and no Allow puts `*` on DynamoDB, KMS or Backup data actions unless the action has no
 * resource-level permission at all (listed, with the reason, in modules/iam/perms.ts).
 */
const POLICY_ATTRIBUTES: Record<string, string> = {
  aws_iam_role_policy: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_backup_vault_policy: 'policy',
  aws_s3_bucket_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_kms_key: 'policy',
};
const DATA_ACTION = /^(dynamodb|kms|backup):/;
/** Actions AWS authorizes only on `*` (service authorization reference). */
const UNSCOPABLE = new Set([
  'dynamodb:ListTables',
  'kms:ListAliases',
  'backup:DescribeBackupJob',
  'backup:DescribeRestoreJob',
  'backup:DescribeCopyJob',
  'backup:ListCopyJobs',
  'backup:ListBackupJobs',
  'backup:ListRestoreJobs',
  'backup:ListRecoveryPointsByResource',
  'backup:DescribeRegionSettings',
  'backup:ListBackupPlans',
  'backup:ListBackupVaults',
  'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling:DescribeScalingPolicies',
  'sts:GetCallerIdentity',
]);

const statements = ENVIRONMENTS.flatMap((config) => {
  const { out } = synthPlatform(config);
  return Object.entries(POLICY_ATTRIBUTES).flatMap(([type, attr]) =>
    Object.entries(out.resources(type)).flatMap(([name, r]) =>
      (JSON.parse(r[attr]).Statement as any[]).map((s) => ({ where: `${config.environment}/${type}.${name}`, type, s })),
    ),
  );
});

describe('IAM scan of every synthesized stack', () => {
  it('finds policy statements to scan', () => {
    expect(statements.length).toBeGreaterThan(50);
  });

  it('no Allow statement grants a wildcard action', () => {
    const offenders = statements
      .filter(({ s }) => s.Effect === 'Allow')
      .flatMap(({ where, s }) => [s.Action].flat().filter((a: string) => a === '*' || a.endsWith(':*')).map((a: string) => `${where}: ${a}`));
    expect(offenders).toEqual([]);
  });

  it('no identity policy puts * on DynamoDB, KMS or Backup data actions', () => {
    // Key policies are excluded: there `Resource: "*"` means "this key".
    const offenders = statements
      .filter(({ type, s }) => type !== 'aws_kms_key' && s.Effect === 'Allow' && [s.Resource].flat().includes('*'))
      .flatMap(({ where, s }) => [s.Action].flat().filter((a: string) => DATA_ACTION.test(a) && !UNSCOPABLE.has(a)).map((a: string) => `${where}: ${a}`));
    expect(offenders).toEqual([]);
  });

  it('no key policy statement has an unconditioned Principal "*"', () => {
    const offenders = statements.filter(({ type, s }) => type === 'aws_kms_key' && (s.Principal === '*' || s.Principal?.AWS === '*') && !s.Condition);
    expect(offenders).toEqual([]);
  });
});
