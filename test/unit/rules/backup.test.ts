import { vaultDeniesManualDeletion } from '../../../compliance/rules/backup/deny-manual-deletion';
import { planCopiesToDrRegion } from '../../../compliance/rules/backup/dr-copy';
import { planLifecycleValid } from '../../../compliance/rules/backup/lifecycle-valid';
import { planMeetsRpoAndRetention } from '../../../compliance/rules/backup/plan-frequency-retention';
import { vaultCustomerManagedKey } from '../../../compliance/rules/backup/vault-cmk';
import { vaultLockWhereRequired } from '../../../compliance/rules/backup/vault-lock';
import { factSet, plan, planRule, vault } from './fact-builder';

describe('TS-BAK-001 vault key', () => {
  it('is compliant with a customer-managed key', () => {
    expect(vaultCustomerManagedKey.evaluate(vault(), factSet()).status).toBe('compliant');
  });
  it('reports the AWS Backup default key', () => {
    const f = vaultCustomerManagedKey.evaluate(vault({ kmsKeyRef: undefined, kmsKeyType: 'AWS_MANAGED' }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: 'CUSTOMER_MANAGED', actual: 'AWS_MANAGED (AWS Backup default key)' });
  });
  it('is unknown when the key type is not known', () => {
    expect(vaultCustomerManagedKey.evaluate(vault({ unknown: ['kmsKeyType'] }), factSet()).status).toBe('unknown');
  });
});

describe('TS-BAK-002 deny manual deletion', () => {
  it('is compliant with a Deny of backup:DeleteRecoveryPoint to everyone', () => {
    expect(vaultDeniesManualDeletion.evaluate(vault(), factSet()).status).toBe('compliant');
  });
  it('reports a vault without access policy', () => {
    const f = vaultDeniesManualDeletion.evaluate(vault({ accessPolicy: undefined }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: 'Deny backup:DeleteRecoveryPoint to Principal *', actual: 'no access policy' });
  });
  it('does not apply when the environment does not require it', () => {
    expect(vaultDeniesManualDeletion.evaluate(vault({ accessPolicy: undefined }), factSet({ requirements: { denyManualDeletion: false } })).status).toBe('not-applicable');
  });
});

describe('TS-BAK-003 vault lock', () => {
  const locked = factSet({ requirements: { vaultLock: true, minRetentionDays: 7 } });
  it('is compliant with a compliance-mode lock', () => {
    const f = vaultLockWhereRequired.evaluate(vault({ lock: { minRetentionDays: 7, maxRetentionDays: 365, changeableForDays: 3 } }), locked);
    expect(f.evidence?.actual).toBe('compliance lock, min retention 7 days');
  });
  it('reports a missing lock', () => {
    const f = vaultLockWhereRequired.evaluate(vault(), locked);
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: 'vault lock with min retention ≥ 7 days', actual: 'no vault lock' });
  });
  it('reports a lock below the minimum retention', () => {
    expect(vaultLockWhereRequired.evaluate(vault({ lock: { minRetentionDays: 1 } }), locked).status).toBe('non-compliant');
  });
  it('does not apply when the environment needs no lock', () => {
    expect(vaultLockWhereRequired.evaluate(vault(), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-BAK-004 frequency and retention', () => {
  it('is compliant with a daily rule kept 35 days under a 24 h RPO', () => {
    expect(planMeetsRpoAndRetention.evaluate(plan(), factSet()).status).toBe('compliant');
  });
  it('reports a weekly rule under a 24 h RPO', () => {
    const f = planMeetsRpoAndRetention.evaluate(plan({ rules: [planRule({ name: 'weekly', schedule: 'cron(0 5 ? * SAT *)' })] }), factSet());
    expect(f.evidence).toEqual({
      resource: 'aws_backup_plan.daily',
      expected: 'a rule every ≤ 1440 min; every rule keeps ≥ 7 days',
      actual: 'most frequent every 10080 min; retention weekly 35 days',
    });
  });
  it('reports retention under the minimum', () => {
    const f = planMeetsRpoAndRetention.evaluate(plan({ rules: [planRule({ deleteAfterDays: 3 })] }), factSet());
    expect(f.message).toMatch(/under 7 days: daily/);
  });
  it('does not apply to a plan without a scheduled rule', () => {
    expect(planMeetsRpoAndRetention.evaluate(plan({ rules: [planRule({ schedule: undefined })] }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-BAK-005 lifecycle', () => {
  it('is compliant when cold storage is followed by 90 days', () => {
    expect(planLifecycleValid.evaluate(plan({ rules: [planRule({ coldStorageAfterDays: 30, deleteAfterDays: 120 })] }), factSet()).status).toBe('compliant');
  });
  it('reports delete before cold storage + 90 days', () => {
    const f = planLifecycleValid.evaluate(plan({ rules: [planRule({ coldStorageAfterDays: 30, deleteAfterDays: 60 })] }), factSet());
    expect(f.evidence).toEqual({
      resource: 'aws_backup_plan.daily',
      expected: 'delete_after ≥ cold_storage_after + 90; continuous ≤ 35 days',
      actual: 'rule daily: cold 30, delete 60',
    });
  });
  it('holds the 90-day cold storage minimum exactly: 30 + 90 = 120 passes, 119 does not', () => {
    const at = (deleteAfterDays: number) => planLifecycleValid.evaluate(plan({ rules: [planRule({ coldStorageAfterDays: 30, deleteAfterDays })] }), factSet()).status;
    expect([at(120), at(119)]).toEqual(['compliant', 'non-compliant']);
  });
  it('reports continuous backups kept beyond 35 days', () => {
    const f = planLifecycleValid.evaluate(plan({ rules: [planRule({ continuousBackup: true, deleteAfterDays: 60 })] }), factSet());
    expect(f.message).toMatch(/at most 35 days, not 60/);
  });
  it('does not apply when nothing sets a lifecycle', () => {
    expect(planLifecycleValid.evaluate(plan({ rules: [planRule({ deleteAfterDays: undefined })] }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-BAK-006 DR copy', () => {
  const dr = vault({ id: 'aws_backup_vault.dr', name: 'dr', refs: ['dr'], region: 'us-west-2', isDrVault: true });
  const required = (vaults = [vault(), dr]) => factSet({ vaults, requirements: { drCopy: true } });
  it('is compliant when a rule copies to the DR vault', () => {
    const p = plan({ rules: [planRule({ copyActions: [{ destinationVaultRef: '${aws_backup_vault.dr.arn}' }] })] });
    expect(planCopiesToDrRegion.evaluate(p, required()).status).toBe('compliant');
  });
  it('is compliant when a rule copies to an ARN in another region', () => {
    const p = plan({ rules: [planRule({ copyActions: [{ destinationVaultRef: 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr' }] })] });
    expect(planCopiesToDrRegion.evaluate(p, required([vault()])).status).toBe('compliant');
  });
  it('reports a plan without copies', () => {
    const f = planCopiesToDrRegion.evaluate(plan(), required());
    expect(f.evidence).toEqual({ resource: 'aws_backup_plan.daily', expected: 'a rule copies to a vault in another region', actual: 'no copy actions' });
  });
  it('does not apply when no DR copy is required', () => {
    expect(planCopiesToDrRegion.evaluate(plan(), factSet()).status).toBe('not-applicable');
  });
});
