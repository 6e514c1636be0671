/** What users read in the findings of TS-BAK-007 (rule retention within the vault lock). */
import { planRetentionWithinVaultLock as rule } from '../../../compliance/rules/backup/retention-within-lock';
import { factSet, plan, planRule, vault } from './fact-builder';

const lockedMain = (lock: { minRetentionDays?: number; maxRetentionDays?: number }) => vault({ lock });
const dr = (o: Parameters<typeof vault>[0] = {}) => vault({ id: 'aws_backup_vault.dr', name: 'dr', refs: ['dr'], region: 'us-west-2', ...o });
const EXPECTED = 'every rule and copy keeps recovery points within the vault lock\'s min and max retention';

describe('TS-BAK-007 findings', () => {
  it('is compliant within min and max, showing each placement', () => {
    const f = rule.evaluate(plan(), factSet({ vaults: [lockedMain({ minRetentionDays: 7, maxRetentionDays: 35 })] }));
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('retention of every rule lies within its vault lock');
    expect(f.evidence).toEqual({ resource: 'aws_backup_plan.daily', expected: EXPECTED, actual: 'rule daily: 35 days, lock 7..35' });
  });
  it('reports retention under the lock minimum, naming rule, days, vault and minimum', () => {
    const f = rule.evaluate(plan({ rules: [planRule({ deleteAfterDays: 6 })] }), factSet({ vaults: [lockedMain({ minRetentionDays: 7 })] }));
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily keeps recovery points 6 days in main, whose lock requires at least 7');
    expect(f.evidence).toEqual({ resource: 'aws_backup_plan.daily', expected: EXPECTED, actual: 'rule daily: 6 days, lock 7..-' });
    expect(f.remedy).toContain('min_retention_days');
    expect(f.remedy).toContain('max_retention_days');
  });
  it('accepts retention equal to the minimum and to the maximum', () => {
    expect(rule.evaluate(plan({ rules: [planRule({ deleteAfterDays: 7 })] }), factSet({ vaults: [lockedMain({ minRetentionDays: 7, maxRetentionDays: 7 })] })).status).toBe('compliant');
  });
  it('reports retention over the lock maximum', () => {
    const f = rule.evaluate(plan({ rules: [planRule({ deleteAfterDays: 36 })] }), factSet({ vaults: [lockedMain({ maxRetentionDays: 35 })] }));
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily keeps recovery points 36 days in main, whose lock allows at most 35');
    expect(f.evidence?.actual).toBe('rule daily: 36 days, lock -..35');
  });
  it('reports recovery points kept forever under a lock maximum', () => {
    const f = rule.evaluate(plan({ rules: [planRule({ deleteAfterDays: undefined })] }), factSet({ vaults: [lockedMain({ minRetentionDays: 7, maxRetentionDays: 35 })] }));
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily keeps recovery points forever in main, whose lock allows at most 35');
    expect(f.evidence?.actual).toBe('rule daily: kept forever, lock 7..35');
  });
  it('accepts recovery points kept forever under a lock with a minimum only', () => {
    const f = rule.evaluate(plan({ rules: [planRule({ deleteAfterDays: undefined })] }), factSet({ vaults: [lockedMain({ minRetentionDays: 7 })] }));
    expect(f.status).toBe('compliant');
  });
  it('checks copies with their own lifecycle, or the rule\'s, and joins the problems', () => {
    const p = plan({ rules: [planRule({ deleteAfterDays: 3, copyActions: [{ destinationVaultRef: 'dr' }, { destinationVaultRef: 'dr', deleteAfterDays: 400 }, { destinationVaultRef: 'dr', deleteAfterDays: 30 }] })] });
    const f = rule.evaluate(p, factSet({ vaults: [vault(), dr({ lock: { minRetentionDays: 7, maxRetentionDays: 365 } })] }));
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily copy 1 keeps recovery points 3 days in dr, whose lock requires at least 7; rule daily copy 2 keeps recovery points 400 days in dr, whose lock allows at most 365');
    expect(f.evidence?.actual).toBe('rule daily copy 1: 3 days, lock 7..365; rule daily copy 2: 400 days, lock 7..365; rule daily copy 3: 30 days, lock 7..365');
  });
  it('does not apply when no rule writes to a locked vault, and says so', () => {
    const f = rule.evaluate(plan({ rules: [planRule({ deleteAfterDays: 1, copyActions: [{ destinationVaultRef: 'dr' }] })] }), factSet({ vaults: [vault(), dr()] }));
    expect(f.status).toBe('not-applicable');
    expect(f.message).toBe('no rule writes to or copies into a vault with a lock in this input');
  });
  it('does not apply to a rule whose target vault is not in the input', () => {
    expect(rule.evaluate(plan({ rules: [planRule({ targetVaultRef: 'elsewhere', deleteAfterDays: 1 })] }), factSet({ vaults: [lockedMain({ minRetentionDays: 7 })] })).status).toBe('not-applicable');
  });
  it('takes the target vault of the plan region when vaults share a name', () => {
    const us = vault({ refs: [], lock: { minRetentionDays: 30 } });
    const eu = vault({ id: 'aws_backup_vault.main_eu', refs: [], region: 'eu-west-1' });
    const p = plan({ region: 'eu-west-1', rules: [planRule({ deleteAfterDays: 7 })] });
    expect(rule.evaluate(p, factSet({ vaults: [us, eu] })).status).toBe('not-applicable');
  });
  it('is unknown when the lock of a target vault is not known, naming the expression or the vault', () => {
    const withExpr = rule.evaluate(plan(), factSet({ vaults: [vault({ unknown: ['lock'], unknownExpressions: { lock: 'min_retention_days = var.min' } })] }));
    expect(withExpr.status).toBe('unknown');
    expect(withExpr.message).toBe('cannot evaluate: min_retention_days = var.min (not known from this input)');
    const bare = rule.evaluate(plan(), factSet({ vaults: [vault({ unknown: ['lock'] })] }));
    expect(bare.message).toBe('cannot evaluate: lock of aws_backup_vault.main not known (not known from this input)');
  });
  it('reports a known problem before an unknown lock', () => {
    const p = plan({ rules: [planRule({ deleteAfterDays: 3, copyActions: [{ destinationVaultRef: 'dr' }] })] });
    const f = rule.evaluate(p, factSet({ vaults: [lockedMain({ minRetentionDays: 7 }), dr({ unknown: ['lock'] })] }));
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('rule daily keeps recovery points 3 days in main, whose lock requires at least 7');
  });
  it('is unknown when the plan\'s rules or retention are not known and a locked vault is written', () => {
    const vaults = [lockedMain({ minRetentionDays: 7 })];
    const rules = rule.evaluate(plan({ unknown: ['rules'], unknownExpressions: { rules: 'dynamic "rule" { for_each = var.rules }' } }), factSet({ vaults }));
    expect(rules.status).toBe('unknown');
    expect(rules.message).toBe('cannot evaluate: dynamic "rule" { for_each = var.rules } (not known from this input)');
    const retention = rule.evaluate(plan({ unknown: ['retention'] }), factSet({ vaults }));
    expect(retention.status).toBe('unknown');
    expect(retention.message).toBe('cannot evaluate: retention not known (not known from this input)');
  });
  it('is unknown when the rules are not known and no locked vault is seen', () => {
    const named = rule.evaluate(plan({ rules: [], unknown: ['rules'], unknownExpressions: { rules: 'dynamic "rule" { for_each = var.rules }' } }), factSet({ vaults: [vault()] }));
    expect(named.status).toBe('unknown');
    expect(named.message).toBe('cannot evaluate: dynamic "rule" { for_each = var.rules } (not known from this input)');
    const bare = rule.evaluate(plan({ rules: [], unknown: ['rules'] }), factSet({ vaults: [vault()] }));
    expect(bare.message).toBe('cannot evaluate: rules not known (not known from this input)');
    // Retention alone does not matter when no rule writes to a locked vault.
    expect(rule.evaluate(plan({ unknown: ['retention'] }), factSet({ vaults: [vault()] })).status).toBe('not-applicable');
  });
});
