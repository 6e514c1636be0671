/** What users read in the findings of TS-BAK-001, -003, -004 and -005 (vault key, vault lock, frequency and retention, lifecycle). */
import { planLifecycleValid } from '../../../compliance/rules/backup/lifecycle-valid';
import { planMeetsRpoAndRetention } from '../../../compliance/rules/backup/plan-frequency-retention';
import { vaultCustomerManagedKey } from '../../../compliance/rules/backup/vault-cmk';
import { vaultLockWhereRequired } from '../../../compliance/rules/backup/vault-lock';
import { factSet, plan, planRule, vault } from './fact-builder';

const WEEKLY = 'cron(0 5 ? * SAT *)';
const ONCE = 'cron(0 5 1 1 ? 2030)';

describe('TS-BAK-001 findings', () => {
  it('names the customer-managed key when compliant', () => {
    const f = vaultCustomerManagedKey.evaluate(vault(), factSet());
    expect(f.message).toBe('encrypted with a customer-managed key');
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: 'CUSTOMER_MANAGED', actual: 'CUSTOMER_MANAGED (aws_kms_key.data.arn)' });
  });
  it('reports an AWS-managed key with the remedy', () => {
    const f = vaultCustomerManagedKey.evaluate(vault({ kmsKeyRef: 'alias/aws/backup', kmsKeyType: 'AWS_MANAGED' }), factSet());
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('vault uses an AWS key');
    expect(f.evidence?.actual).toBe('AWS_MANAGED (alias/aws/backup)');
    expect(f.remedy).toContain('kms_key_arn');
    expect(f.remedy).toContain('customer-managed key');
  });
});

describe('TS-BAK-003 findings', () => {
  const required = factSet({ requirements: { vaultLock: true, minRetentionDays: 7 } });
  const EXPECTED = 'vault lock with min retention ≥ 7 days';
  it('explains why it does not apply', () => {
    const f = vaultLockWhereRequired.evaluate(vault(), factSet());
    expect(f.status).toBe('not-applicable');
    expect(f.message).toContain('does not require a vault lock');
  });
  it('is unknown, naming the expression, when the lock is not known', () => {
    const f = vaultLockWhereRequired.evaluate(vault({ unknown: ['lock'], unknownExpressions: { lock: 'count = var.locked ? 1 : 0' } }), required);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('count = var.locked ? 1 : 0');
  });
  it('tells a vault without lock what to add', () => {
    const f = vaultLockWhereRequired.evaluate(vault(), required);
    expect(f.message).toBe('vault has no lock');
    expect(f.remedy).toContain('aws_backup_vault_lock_configuration');
  });
  it('names a governance lock without minimum', () => {
    const f = vaultLockWhereRequired.evaluate(vault({ lock: { maxRetentionDays: 30 } }), required);
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('governance vault lock configured');
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: EXPECTED, actual: 'governance lock, min retention unset days' });
  });
  it('names a compliance lock at the minimum', () => {
    const f = vaultLockWhereRequired.evaluate(vault({ lock: { minRetentionDays: 7, changeableForDays: 3 } }), required);
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('compliance vault lock configured');
  });
  it('reports a lock under the minimum with its days and the remedy', () => {
    const f = vaultLockWhereRequired.evaluate(vault({ lock: { minRetentionDays: 1 } }), required);
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('vault lock min retention 1 days is below 7');
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: EXPECTED, actual: 'governance lock, min retention 1 days' });
    expect(f.remedy).toBe('raise min_retention_days of the vault lock to at least 7');
  });
});

describe('TS-BAK-004 findings', () => {
  const EXPECTED = 'a rule every ≤ 1440 min; every rule keeps ≥ 7 days';
  const evaluate = (o: Parameters<typeof plan>[0]) => planMeetsRpoAndRetention.evaluate(plan(o), factSet());
  it('is compliant at exactly the RPO and the minimum retention, showing each rule', () => {
    const f = evaluate({ rules: [planRule({ deleteAfterDays: 7 }), planRule({ name: 'archive', schedule: WEEKLY, deleteAfterDays: undefined })] });
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('frequency meets the RPO and retention meets the minimum');
    expect(f.evidence).toEqual({ resource: 'aws_backup_plan.daily', expected: EXPECTED, actual: 'most frequent every 1440 min; retention daily 7 days, archive forever' });
  });
  it('ignores rules without or with an invalid schedule when taking the most frequent', () => {
    const f = evaluate({ rules: [planRule(), planRule({ name: 'manual', schedule: undefined }), planRule({ name: 'bad', schedule: 'rate(1 hour)' })] });
    expect(f.status).toBe('compliant');
    expect(f.evidence?.actual).toBe('most frequent every 1440 min; retention daily 35 days, manual 35 days, bad 35 days');
  });
  it('does not apply, and says so, when no schedule is valid', () => {
    const f = evaluate({ rules: [planRule({ schedule: 'rate(1 hour)' })] });
    expect(f.status).toBe('not-applicable');
    expect(f.message).toBe('plan has no valid scheduled rule');
  });
  it('reports a schedule that never repeats', () => {
    const f = evaluate({ rules: [planRule({ schedule: ONCE })] });
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('no rule runs every 1440 min or more often');
    expect(f.evidence?.actual).toBe('most frequent never repeats; retention daily 35 days');
    expect(f.remedy).toBe('schedule a rule at least every 1440 minutes and set delete_after ≥ 7 days on every rule');
  });
  it('reports both problems together', () => {
    const f = evaluate({ rules: [planRule({ schedule: WEEKLY, deleteAfterDays: 6 })] });
    expect(f.message).toBe('no rule runs every 1440 min or more often; rules keep recovery points under 7 days: daily');
  });
  it('is unknown when a slow plan may have other schedules', () => {
    const f = evaluate({ rules: [planRule({ schedule: WEEKLY })], unknown: ['schedule'] });
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('schedule not known');
    expect(evaluate({ rules: [planRule({ schedule: WEEKLY })], unknown: ['rules'] }).status).toBe('unknown');
  });
  it('is unknown when no known schedule is valid and the schedules are not known', () => {
    expect(evaluate({ rules: [], unknown: ['schedule'] }).status).toBe('unknown');
  });
  it('stays compliant on frequency when a plan meeting the RPO has unknown schedules', () => {
    expect(evaluate({ rules: [planRule()], unknown: ['schedule'] }).status).toBe('compliant');
  });
  it('reports short retention even when the schedules are not known', () => {
    const f = evaluate({ rules: [planRule({ schedule: WEEKLY, deleteAfterDays: 3 })], unknown: ['schedule'] });
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rules keep recovery points under 7 days: daily');
  });
  it('is unknown when the rules are not known, even with a rule meeting the RPO', () => {
    const f = evaluate({ rules: [planRule()], unknown: ['rules'] });
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('rules not known');
  });
  it('is unknown when the retention is not known', () => {
    const f = evaluate({ rules: [planRule()], unknown: ['retention'], unknownExpressions: { retention: 'delete_after = var.days' } });
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('delete_after = var.days');
  });
});

describe('TS-BAK-005 findings', () => {
  const EXPECTED = 'delete_after ≥ cold_storage_after + 90; continuous ≤ 35 days';
  const evaluate = (o: Parameters<typeof plan>[0]) => planLifecycleValid.evaluate(plan(o), factSet());
  it('is compliant with valid lifecycles, showing rule and copies', () => {
    const f = evaluate({ rules: [planRule({ deleteAfterDays: 100, copyActions: [{ destinationVaultRef: 'dr', coldStorageAfterDays: 10 }, { destinationVaultRef: 'dr', deleteAfterDays: 1 }] })] });
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('every lifecycle is valid');
    expect(f.evidence).toEqual({
      resource: 'aws_backup_plan.daily', expected: EXPECTED,
      actual: 'rule daily: cold never, delete 100; rule daily copy 1: cold 10, delete never; rule daily copy 2: cold never, delete 1',
    });
  });
  it('reports delete_after under 1 day', () => {
    const f = evaluate({ rules: [planRule({ deleteAfterDays: 0 })] });
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily: delete_after 0 must be ≥ 1');
    expect(f.remedy).toBe('keep recovery points ≥ 90 days after they move to cold storage; keep continuous backups ≤ 35 days');
  });
  it('reports continuous backups moved to cold storage', () => {
    const f = evaluate({ rules: [planRule({ continuousBackup: true, coldStorageAfterDays: 1, deleteAfterDays: undefined })] });
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily: continuous backups cannot move to cold storage');
  });
  it('reports a copy deleted before cold storage + 90 days, numbering the copy', () => {
    const f = evaluate({ rules: [planRule({ copyActions: [{ destinationVaultRef: 'dr', coldStorageAfterDays: 30, deleteAfterDays: 119 }] })] });
    expect(f.message).toBe('rule daily copy 1: delete_after 119 < cold_storage_after 30 + 90');
  });
  it('reports continuous backups kept over 35 days, and accepts 35', () => {
    expect(evaluate({ rules: [planRule({ continuousBackup: true, deleteAfterDays: 36 })] }).message).toBe('rule daily: continuous backups are kept at most 35 days, not 36');
    expect(evaluate({ rules: [planRule({ continuousBackup: true, deleteAfterDays: 35 })] }).status).toBe('compliant');
  });
  it('keeps the 35-day limit to continuous rules, not their copies or snapshot rules', () => {
    expect(evaluate({ rules: [planRule({ deleteAfterDays: 400 })] }).status).toBe('compliant');
    expect(evaluate({ rules: [planRule({ continuousBackup: true, deleteAfterDays: 35, copyActions: [{ destinationVaultRef: 'dr', deleteAfterDays: 400 }] })] }).status).toBe('compliant');
  });
  it('does not apply, and says so, when nothing sets a lifecycle', () => {
    const f = evaluate({ rules: [planRule({ deleteAfterDays: undefined, copyActions: [{ destinationVaultRef: 'dr' }] })] });
    expect(f.status).toBe('not-applicable');
    expect(f.message).toContain('no rule or copy sets a lifecycle');
  });
  it.each(['rules', 'retention', 'copyActions'])('is unknown when %s is not known and no problem is seen', (field) => {
    const f = evaluate({ unknown: [field] });
    expect(f.status).toBe('unknown');
    expect(f.message).toContain(`${field} not known`);
  });
  it('reports a known problem even when other lifecycles are not known', () => {
    expect(evaluate({ rules: [planRule({ deleteAfterDays: 0 })], unknown: ['copyActions'] }).status).toBe('non-compliant');
  });
});
