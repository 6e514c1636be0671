import { Construct } from 'constructs';
import { EncryptionKey } from '../../../modules/kms/encryption-key';
import { BackupVault, BackupVaultProps } from '../../../modules/backup/vault';
import { BackupPlan, BackupPlanRule, BackupRuleSpec } from '../../../modules/backup/plan';
import { BackupSelection } from '../../../modules/backup/selection';
import { DynamoDbAdvancedBackup } from '../../../modules/backup/region-settings';
import { synthWith, Synthesized } from '../../helpers/synth';

function vaultIn(s: Construct, props: Partial<BackupVaultProps> = {}, id = 'vault', region = 'us-east-1'): BackupVault {
  const key = new EncryptionKey(s, `${id}-key`, { alias: `${id}-key`, region, services: ['backup', 'sns'] });
  return new BackupVault(s, id, { vaultName: `${id}-name`, region, encryptionKey: key, ...props });
}
const vault = (props: Partial<BackupVaultProps> = {}) => synthWith((s) => vaultIn(s, props));

describe('BackupVault', () => {
  it('encrypts with the customer-managed key and keeps recovery points on destroy by default', () => {
    const v = vault().only('aws_backup_vault');
    expect(v.kms_key_arn).toMatch(/aws_kms_key\.vault-key.*\.arn/);
    expect(v.force_destroy).toBe(false);
  });

  it('denies manual deletion, lifecycle and policy changes to everyone by default', () => {
    const [st] = Synthesized.policy(vault().only('aws_backup_vault_policy').policy).Statement;
    expect(st).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*' });
    expect(st.Action).toEqual(['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:PutBackupVaultAccessPolicy', 'backup:DeleteBackupVaultAccessPolicy', 'backup:DeleteBackupVaultLockConfiguration']);
    expect(st.Condition).toBeUndefined();
  });

  it('exempts only the break-glass role', () => {
    const [st] = Synthesized.policy(vault({ breakGlassRoleArn: 'arn:aws:iam::123456789012:role/break-glass' }).only('aws_backup_vault_policy').policy).Statement;
    expect(st.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/break-glass' } });
  });

  it('has no access policy when deletion protection is turned off', () => {
    expect(vault({ denyManualDeletion: false }).count('aws_backup_vault_policy')).toBe(0);
  });

  it('sends job-failure events to an SNS topic encrypted with the key', () => {
    const out = vault();
    expect(out.only('aws_sns_topic').kms_master_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(out.only('aws_backup_vault_notifications').backup_vault_events).toEqual(['BACKUP_JOB_COMPLETED', 'RESTORE_JOB_COMPLETED', 'COPY_JOB_FAILED']);
    const [st] = Synthesized.policy(out.only('aws_sns_topic_policy').policy).Statement;
    expect(st).toMatchObject({ Principal: { Service: 'backup.amazonaws.com' }, Action: 'SNS:Publish' });
  });

  it('a governance lock has no changeable-for period', () => {
    const lock = vault({ lock: { minRetentionDays: 7, maxRetentionDays: 365 } }).only('aws_backup_vault_lock_configuration');
    expect(lock).toMatchObject({ min_retention_days: 7, max_retention_days: 365 });
    expect(lock.changeable_for_days).toBeUndefined();
  });

  it('a compliance lock defaults to 3 changeable days', () => {
    const lock = vault({ lock: { mode: 'compliance', minRetentionDays: 7, maxRetentionDays: 365 } }).only('aws_backup_vault_lock_configuration');
    expect(lock.changeable_for_days).toBe(3);
  });

  it.each<[string, Partial<BackupVaultProps>, RegExp]>([
    ['lock min > max', { lock: { minRetentionDays: 30, maxRetentionDays: 7 } }, /BackupVault\.lock\.minRetentionDays: 30 is invalid: must not exceed maxRetentionDays \(7\)/],
    ['compliance with 2 changeable days', { lock: { mode: 'compliance', minRetentionDays: 1, maxRetentionDays: 7, changeableForDays: 2 } }, /BackupVault\.lock\.changeableForDays: 2 is invalid: must be an integer from 3/],
    ['governance with changeable days', { lock: { minRetentionDays: 1, maxRetentionDays: 7, changeableForDays: 5 } }, /BackupVault\.lock\.changeableForDays: 5 is invalid: applies to compliance mode only/],
    ['a bad vault name', { vaultName: 'my vault' }, /BackupVault\.vaultName: "my vault" is invalid: must be 2-50 characters/],
  ])('rejects %s', (_, props, message) => {
    expect(() => vault(props)).toThrow(message);
  });
});

describe('BackupPlan', () => {
  const plan = (rules: BackupRuleSpec[], drCopy = false) => {
    let built!: BackupPlan;
    const out = synthWith((s) => {
      const v = vaultIn(s);
      const dr = drCopy ? vaultIn(s, {}, 'dr', 'us-west-2') : undefined;
      built = new BackupPlan(s, 'plan', { planName: 'p', vault: v, rules: dr ? rules.map((r) => ({ ...r, copyTo: [{ vault: dr, region: 'us-west-2' }] })) : rules });
    });
    return { out, built, rule: (i = 0) => out.only('aws_backup_plan').rule[i] };
  };

  it.each([
    ['hourly', 'cron(0 * ? * * *)', 60],
    ['daily', 'cron(0 5 ? * * *)', 1440],
    ['weekly', 'cron(0 5 ? * SAT *)', 10080],
  ] as const)('the %s preset schedules %s and states an RPO of %i minutes', (preset, schedule, rpo) => {
    const { built, rule } = plan([BackupPlanRule[preset]({ deleteAfterDays: 35 })]);
    expect(rule()).toMatchObject({ rule_name: preset, schedule, start_window: 60, completion_window: 180, lifecycle: { delete_after: 35 } });
    expect(built.rpoMinutes).toBe(rpo);
  });

  it('states the RPO of its most frequent rule and the shortest retention', () => {
    const { built } = plan([BackupPlanRule.daily({ deleteAfterDays: 30 }), BackupPlanRule.hourly({ deleteAfterDays: 2 })]);
    expect(built.rpoMinutes).toBe(60);
    expect(built.minRetentionDays).toBe(2);
  });

  it('writes custom schedules, windows, cold storage and continuous backup', () => {
    const { rule } = plan([
      BackupPlanRule.custom({ ruleName: 'every-4h', schedule: 'cron(0 0/4 ? * * *)', deleteAfterDays: 120, moveToColdStorageAfterDays: 30, startWindowMinutes: 120, completionWindowMinutes: 600 }),
    ]);
    expect(rule()).toMatchObject({ rule_name: 'every-4h', schedule: 'cron(0 0/4 ? * * *)', start_window: 120, completion_window: 600, lifecycle: { cold_storage_after: 30, delete_after: 120 } });
  });

  it('copies to the DR vault with the rule lifecycle', () => {
    const { rule } = plan([BackupPlanRule.daily({ deleteAfterDays: 14 })], true);
    expect(rule().copy_action).toEqual([{ destination_vault_arn: expect.stringMatching(/aws_backup_vault\.dr_vault.*\.arn/), lifecycle: { delete_after: 14 } }]);
  });

  it.each<[string, BackupRuleSpec, RegExp]>([
    ['delete < cold + 90', BackupPlanRule.daily({ deleteAfterDays: 100, moveToColdStorageAfterDays: 30 }), /BackupPlan\.rules\[0\]\.deleteAfterDays: 100 is invalid: must be at least moveToColdStorageAfterDays \+ 90 \(120\)/],
    ['an invalid cron', BackupPlanRule.custom({ ruleName: 'x', schedule: 'cron(0 5 * * *)', deleteAfterDays: 7 }), /BackupPlan\.rules\[0\]\.schedule: "cron\(0 5 \* \* \*\)" is invalid: .*needs 6/],
    ['not a cron at all', BackupPlanRule.custom({ ruleName: 'x', schedule: 'daily', deleteAfterDays: 7 }), /BackupPlan\.rules\[0\]\.schedule: "daily" is invalid/],
    ['a start window under an hour', BackupPlanRule.daily({ deleteAfterDays: 7, startWindowMinutes: 30 }), /BackupPlan\.rules\[0\]\.startWindowMinutes: 30 is invalid: must be an integer from 60/],
    ['continuous backup kept 60 days', BackupPlanRule.daily({ deleteAfterDays: 60, enableContinuousBackup: true }), /BackupPlan\.rules\[0\]\.deleteAfterDays: 60 is invalid: continuous backups are kept at most 35 days/],
  ])('rejects %s', (_, rule, message) => {
    expect(() => plan([rule])).toThrow(message);
  });

  it('rejects a retention under the vault lock\'s minimum: AWS fails every such job', () => {
    expect(() =>
      synthWith((s) => {
        const v = vaultIn(s, { lock: { minRetentionDays: 30, maxRetentionDays: 365 } });
        new BackupPlan(s, 'plan', { planName: 'p', vault: v, rules: [BackupPlanRule.hourly({ deleteAfterDays: 7 })] });
      }),
    ).toThrow(/BackupPlan\.rules\[0\]\.deleteAfterDays: 7 is invalid: must lie within the lock of vault .* \(30\.\.365 days\)/);
  });

  it('rejects a copy kept longer than the DR vault lock\'s maximum', () => {
    expect(() =>
      synthWith((s) => {
        const v = vaultIn(s);
        const dr = vaultIn(s, { lock: { minRetentionDays: 7, maxRetentionDays: 90 } }, 'dr', 'us-west-2');
        new BackupPlan(s, 'plan', { planName: 'p', vault: v, rules: [BackupPlanRule.daily({ deleteAfterDays: 120, copyTo: [{ vault: dr, region: 'us-west-2' }] })] });
      }),
    ).toThrow(/BackupPlan\.rules\[0\]\.copyTo\[0\]\.deleteAfterDays: 120 is invalid: must lie within the lock of vault/);
  });

  it('rejects a DR copy into the source region', () => {
    expect(() =>
      synthWith((s) => {
        const v = vaultIn(s);
        const same = vaultIn(s, {}, 'same');
        new BackupPlan(s, 'plan', { planName: 'p', vault: v, rules: [BackupPlanRule.daily({ deleteAfterDays: 7, copyTo: [{ vault: same, region: 'us-east-1' }] })] });
      }),
    ).toThrow(/BackupPlan\.rules\[0\]\.copyTo\[0\]\.region: "us-east-1" is invalid: a DR copy must go to another region than the source vault \(us-east-1\)/);
  });
});

describe('BackupSelection and region settings', () => {
  it('selects resources by ARN and by tag with the backup role', () => {
    const out = synthWith((s) => {
      const plan = new BackupPlan(s, 'plan', { planName: 'p', vault: vaultIn(s), rules: [BackupPlanRule.daily({ deleteAfterDays: 7 })] });
      new BackupSelection(s, 'sel', { selectionName: 'tables', plan, roleArn: 'arn:aws:iam::1:role/backup', resources: ['arn:aws:dynamodb:us-east-1:1:table/t'], tags: [{ key: 'backup', value: 'daily' }] });
    });
    expect(out.only('aws_backup_selection')).toMatchObject({
      name: 'tables',
      iam_role_arn: 'arn:aws:iam::1:role/backup',
      resources: ['arn:aws:dynamodb:us-east-1:1:table/t'],
      selection_tag: [{ type: 'STRINGEQUALS', key: 'backup', value: 'daily' }],
    });
  });

  it('rejects a selection that selects nothing', () => {
    expect(() =>
      synthWith((s) => {
        const plan = new BackupPlan(s, 'plan', { planName: 'p', vault: vaultIn(s), rules: [BackupPlanRule.daily({ deleteAfterDays: 7 })] });
        new BackupSelection(s, 'sel', { selectionName: 'none', plan, roleArn: 'r' });
      }),
    ).toThrow(/BackupSelection\.resources: \[\] is invalid: a selection needs resources or tags to select/);
  });

  it('opts DynamoDB into advanced backup', () => {
    const settings = synthWith((s) => new DynamoDbAdvancedBackup(s, 'adv')).only('aws_backup_region_settings');
    expect(settings).toMatchObject({ resource_type_opt_in_preference: { DynamoDB: true }, resource_type_management_preference: { DynamoDB: true } });
  });

  it('leaves the region\'s other resource types alone after creation', () => {
    const settings = synthWith((s) => new DynamoDbAdvancedBackup(s, 'adv')).only('aws_backup_region_settings');
    expect(settings.lifecycle.ignore_changes).toEqual(['resource_type_opt_in_preference', 'resource_type_management_preference']);
  });
});
