/** What users read in the findings of TS-BAK-002 (deny manual deletion) and TS-BAK-006 (DR copy). */
import type { VaultFact } from '../../../compliance/facts/types';
import { vaultDeniesManualDeletion } from '../../../compliance/rules/backup/deny-manual-deletion';
import { planCopiesToDrRegion } from '../../../compliance/rules/backup/dr-copy';
import { denyDeletion, factSet, plan, planRule, statement, vault } from './fact-builder';

const DELETE = 'backup:DeleteRecoveryPoint';
const evalDeny = (accessPolicy: VaultFact['accessPolicy']) => vaultDeniesManualDeletion.evaluate(vault({ accessPolicy }), factSet());

describe('TS-BAK-002 findings', () => {
  it('names the statement and the denied actions when compliant', () => {
    const f = evalDeny([denyDeletion]);
    expect(f.status).toBe('compliant');
    expect(f.message).toBe(`access policy denies ${DELETE}`);
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: `Deny ${DELETE} to Principal *`, actual: `Deny ${DELETE} (DenyDelete)` });
  });
  it('says "statement" for a denying statement without Sid, and lists every action', () => {
    const f = evalDeny([statement({ effect: 'Deny', principals: ['*'], actions: ['backup:StartBackupJob', 'backup:Delete*'], resources: ['*'] })]);
    expect(f.status).toBe('compliant');
    expect(f.evidence?.actual).toBe('Deny backup:StartBackupJob, backup:Delete* (statement)');
  });
  it('is compliant with a NotPrincipal Deny (everyone but a few)', () => {
    expect(evalDeny([{ ...denyDeletion, principals: [], notPrincipals: ['AWS:arn:aws:iam::111122223333:root'] }]).status).toBe('compliant');
  });
  it('tells a vault without policy what to attach', () => {
    const f = evalDeny(undefined);
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('vault has no access policy');
    expect(f.remedy).toContain('aws_backup_vault_policy');
    expect(f.remedy).toContain(DELETE);
  });
  it('explains why it does not apply', () => {
    const f = vaultDeniesManualDeletion.evaluate(vault(), factSet({ requirements: { denyManualDeletion: false } }));
    expect(f.status).toBe('not-applicable');
    expect(f.message).toContain('does not require denying manual deletion');
  });
  it('is unknown, naming the expression, when the access policy is not known', () => {
    const f = vaultDeniesManualDeletion.evaluate(vault({ unknown: ['accessPolicy'], unknownExpressions: { accessPolicy: 'policy = var.vault_policy' } }), factSet());
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('policy = var.vault_policy');
  });

  const notDenying: Array<[string, ReturnType<typeof statement>]> = [
    ['an Allow of the deletion to everyone', { ...denyDeletion, effect: 'Allow' }],
    ['a Deny to one role only', { ...denyDeletion, principals: ['AWS:arn:aws:iam::111122223333:role/ops'] }],
    ['a Deny of another action', { ...denyDeletion, actions: ['backup:DeleteBackupVault'] }],
    ['a Deny without resources', { ...denyDeletion, resources: [] }],
  ];
  it.each(notDenying)('reports %s, counting the statements', (_name, s) => {
    const f = evalDeny([s, statement({ sid: 'Read', actions: ['backup:Describe*'] })]);
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe(`access policy does not deny ${DELETE}`);
    expect(f.evidence).toEqual({ resource: 'aws_backup_vault.main', expected: `Deny ${DELETE} to Principal *`, actual: `2 statement(s), none denying ${DELETE}` });
    expect(f.remedy).toMatch(/Effect Deny, Principal \*, Action backup:DeleteRecoveryPoint/);
  });

  const maybeDenying: Array<[string, ReturnType<typeof statement>, string]> = [
    ['its effect', { ...denyDeletion, effect: 'Allow', unknown: ['effect'] }, 'DenyDelete: effect not known'],
    ['its principals', { ...denyDeletion, principals: [], unknown: ['principals'] }, 'DenyDelete: principals not known'],
    ['its NotPrincipal', { ...denyDeletion, principals: [], unknown: ['notPrincipals'] }, 'DenyDelete: notPrincipals not known'],
    ['its actions', { ...denyDeletion, actions: [], unknown: ['actions'] }, 'DenyDelete: actions not known'],
    ['its resources', { ...denyDeletion, resources: [], unknown: ['resources'] }, 'DenyDelete: resources not known'],
    ['its resources (some known)', { ...denyDeletion, unknown: ['resources'] }, 'DenyDelete: resources not known'],
    ['its principals (some known)', { ...denyDeletion, unknown: ['principals'] }, 'DenyDelete: principals not known'],
    ['its NotPrincipal (some known)', { ...denyDeletion, unknown: ['notPrincipals'] }, 'DenyDelete: notPrincipals not known'],
    ['its effect (Deny so far, the rest known)', { ...denyDeletion, unknown: ['effect'] }, 'DenyDelete: effect not known'],
    ['its effect and resources (Deny so far)', { ...denyDeletion, unknown: ['effect', 'resources'] }, 'DenyDelete: effect, resources not known'],
    ['its resources, among other actions', { ...denyDeletion, actions: ['backup:StartBackupJob', DELETE], unknown: ['resources'] }, 'DenyDelete: resources not known'],
    ['a statement without Sid', { ...denyDeletion, sid: undefined, effect: 'Allow', unknown: ['effect'] }, 'statement: effect not known'],
  ];
  it.each(maybeDenying)('is unknown when a Deny of the deletion depends on %s', (_name, s, what) => {
    const f = evalDeny([statement({ sid: 'Read', actions: ['backup:Describe*'] }), s]);
    expect(f.status).toBe('unknown');
    expect(f.message).toBe(`cannot evaluate: ${what} (not known from this input)`);
  });

  const stillNotDenying: Array<[string, ReturnType<typeof statement>]> = [
    ['an Allow whose principals are not known', { ...denyDeletion, effect: 'Allow', unknown: ['principals'] }],
    ['a Deny to one role whose actions are not known', { ...denyDeletion, principals: ['AWS:arn:aws:iam::111122223333:role/ops'], actions: [], unknown: ['actions'] }],
    ['a Deny of another action whose resources are not known', { ...denyDeletion, actions: ['backup:DeleteBackupVault'], resources: [], unknown: ['resources'] }],
    ['a Deny without resources whose effect is not known', { ...denyDeletion, resources: [], unknown: ['effect'] }],
  ];
  it.each(stillNotDenying)('reports %s: no unknown could make it deny', (_name, s) => {
    expect(evalDeny([s]).status).toBe('non-compliant');
  });
});

describe('TS-BAK-006 findings', () => {
  const dr = vault({ id: 'aws_backup_vault.dr', name: 'dr', refs: ['dr'], region: 'us-west-2', isDrVault: true });
  const required = (vaults = [vault(), dr]) => factSet({ vaults, requirements: { drCopy: true } });
  const copying = (...to: string[]) => plan({ rules: [planRule({ copyActions: to.map((destinationVaultRef) => ({ destinationVaultRef })) })] });
  const usArn = 'arn:aws:backup:us-east-1:222233334444:backup-vault:copy';
  const euArn = 'arn:aws:backup:eu-west-1:222233334444:backup-vault:dr';

  it('names the DR destinations and marks each copy', () => {
    const f = planCopiesToDrRegion.evaluate(copying('${aws_backup_vault.dr.arn}', usArn, '${var.other_vault}'), required());
    expect(f.status).toBe('compliant');
    expect(f.message).toBe('copies to aws_backup_vault.dr.arn');
    expect(f.evidence).toEqual({
      resource: 'aws_backup_plan.daily',
      expected: 'a rule copies to a vault in another region',
      actual: `daily → aws_backup_vault.dr.arn (DR); daily → ${usArn} (same or unknown region); daily → var.other_vault (region not known)`,
    });
  });
  it('reports copies that stay in the source region, with the remedy', () => {
    const f = planCopiesToDrRegion.evaluate(copying(usArn, 'main'), required());
    expect(f.status).toBe('non-compliant');
    expect(f.message).toBe('no rule copies recovery points to another region');
    expect(f.evidence?.actual).toBe(`daily → ${usArn} (same or unknown region); daily → main (same or unknown region)`);
    expect(f.remedy).toContain('copy_action');
    expect(f.remedy).toContain('DR');
  });
  it('explains why it does not apply', () => {
    const f = planCopiesToDrRegion.evaluate(plan(), factSet());
    expect(f.status).toBe('not-applicable');
    expect(f.message).toContain('does not require a DR copy');
  });
  it('is unknown, naming the copy, when the destination is an expression', () => {
    const f = planCopiesToDrRegion.evaluate(copying('${var.other_vault}'), required());
    expect(f.status).toBe('unknown');
    expect(f.message).toBe('cannot evaluate: daily copies to var.other_vault (not known from this input)');
  });
  it('is unknown when the rules or copy actions are not known, naming the expression', () => {
    const rules = planCopiesToDrRegion.evaluate(plan({ unknown: ['rules'], unknownExpressions: { rules: 'dynamic "rule" { for_each = var.rules }' } }), required());
    expect(rules.status).toBe('unknown');
    expect(rules.message).toContain('dynamic "rule" { for_each = var.rules }');
    const copies = planCopiesToDrRegion.evaluate(plan({ unknown: ['copyActions'] }), required());
    expect(copies.status).toBe('unknown');
    expect(copies.message).toContain('copyActions not known');
  });
  it('reads an ARN destination against a source vault given by ARN', () => {
    const p = plan({ rules: [planRule({ targetVaultRef: usArn.replace('copy', 'src'), copyActions: [{ destinationVaultRef: euArn }] })] });
    expect(planCopiesToDrRegion.evaluate(p, required([])).status).toBe('compliant');
    const same = plan({ rules: [planRule({ targetVaultRef: euArn.replace(':dr', ':src'), copyActions: [{ destinationVaultRef: euArn }] })] });
    expect(planCopiesToDrRegion.evaluate(same, required([])).status).toBe('non-compliant');
  });
  it('falls back to the plan region when the source vault is not in the input', () => {
    const p = (region?: string) => plan({ region, rules: [planRule({ targetVaultRef: 'elsewhere', copyActions: [{ destinationVaultRef: euArn }] })] });
    expect(planCopiesToDrRegion.evaluate(p('us-east-1'), required([])).status).toBe('compliant');
    expect(planCopiesToDrRegion.evaluate(p('eu-west-1'), required([])).status).toBe('non-compliant');
    // No source region at all: a literal ARN is not taken as a DR copy.
    const none = planCopiesToDrRegion.evaluate(p(undefined), required([]));
    expect(none.status).toBe('non-compliant');
    expect(none.evidence?.actual).toBe(`daily → ${euArn} (same or unknown region)`);
  });
  it('takes the source vault of the plan region when vaults share a name', () => {
    const mainUs = vault({ refs: [] });
    const mainEu = vault({ id: 'aws_backup_vault.main_eu', refs: [], region: 'eu-west-1' });
    const p = plan({ region: 'eu-west-1', rules: [planRule({ targetVaultRef: 'main', copyActions: [{ destinationVaultRef: usArn }] })] });
    expect(planCopiesToDrRegion.evaluate(p, required([mainUs, mainEu])).status).toBe('compliant');
  });
  it('does not read a region out of an ARN with an interpolation or an empty region', () => {
    const interpolated = planCopiesToDrRegion.evaluate(copying('arn:aws:backup:${var.region}:222233334444:backup-vault:dr'), required([vault()]));
    expect(interpolated.status).toBe('unknown');
    const empty = planCopiesToDrRegion.evaluate(copying('arn:aws:backup::222233334444:backup-vault:dr'), required([vault()]));
    expect(empty.status).toBe('non-compliant');
  });
  it('judges a vault of this input that is not marked DR by its region against the plan region', () => {
    const other = vault({ id: 'aws_backup_vault.copy', name: 'copy', refs: ['copy'], region: 'us-west-2' });
    const p = (region?: string) => plan({ region, rules: [planRule({ copyActions: [{ destinationVaultRef: 'copy' }] })] });
    expect(planCopiesToDrRegion.evaluate(p('us-east-1'), required([vault(), other])).status).toBe('compliant');
    expect(planCopiesToDrRegion.evaluate(p('us-west-2'), required([vault(), other])).status).toBe('non-compliant');
    expect(planCopiesToDrRegion.evaluate(p(undefined), required([vault(), other])).status).toBe('non-compliant');
    const noRegion = vault({ id: 'aws_backup_vault.copy', name: 'copy', refs: ['copy'], region: undefined });
    expect(planCopiesToDrRegion.evaluate(p('us-east-1'), required([vault(), noRegion])).status).toBe('non-compliant');
  });
});
