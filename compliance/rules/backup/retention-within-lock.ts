import type { PlanFact, VaultFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownFinding } from '../rule';
import { shown, vaultFor } from '../match';

interface Placement {
  readonly where: string;
  readonly vault: VaultFact;
  readonly deleteAfterDays?: number;
}

/** What is wrong with keeping recovery points `deleteAfterDays` in a vault with this lock, if anything. */
function problemOf(p: Placement): string | undefined {
  const lock = p.vault.lock;
  if (!lock) return undefined;
  const days = p.deleteAfterDays;
  if (lock.minRetentionDays !== undefined && days !== undefined && days < lock.minRetentionDays) {
    return `${p.where} keeps recovery points ${days} days in ${shown(p.vault.name)}, whose lock requires at least ${lock.minRetentionDays}`;
  }
  if (lock.maxRetentionDays !== undefined && (days === undefined || days > lock.maxRetentionDays)) {
    return `${p.where} keeps recovery points ${days === undefined ? 'forever' : `${days} days`} in ${shown(p.vault.name)}, whose lock allows at most ${lock.maxRetentionDays}`;
  }
  return undefined;
}

export const planRetentionWithinVaultLock: Rule<PlanFact> = {
  id: 'TS-BAK-007',
  title: 'Backup rule retention lies within the target vault lock\'s minimum and maximum',
  severity: 'error',
  controls: ['AWS Backup Vault Lock: MinRetentionDays / MaxRetentionDays'],
  explanation: 'AWS Backup fails every backup or copy job whose retention lies outside the destination vault lock\'s minimum and maximum retention, so a plan that looks right never produces a recovery point.',
  appliesTo: 'plan',
  evaluate: (p, facts) => {
    const context = { region: p.region };
    const placements: Placement[] = [];
    const unknown: string[] = [];
    for (const r of p.rules) {
      const target = vaultFor(r.targetVaultRef, facts, context);
      if (target) placements.push({ where: `rule ${r.name}`, vault: target, deleteAfterDays: r.deleteAfterDays });
      r.copyActions.forEach((c, i) => {
        const dest = vaultFor(c.destinationVaultRef, facts, {});
        // A copy without its own lifecycle keeps the rule's.
        if (dest) placements.push({ where: `rule ${r.name} copy ${i + 1}`, vault: dest, deleteAfterDays: c.deleteAfterDays ?? r.deleteAfterDays });
      });
    }
    const locked = placements.filter((x) => x.vault.lock || x.vault.unknown?.includes('lock'));
    for (const x of locked) if (x.vault.unknown?.includes('lock')) unknown.push(x.vault.unknownExpressions?.lock ?? `lock of ${x.vault.id} not known`);
    for (const f of ['rules', 'retention'] as const) if (p.unknown?.includes(f)) unknown.push(p.unknownExpressions?.[f] ?? `${f} not known`);
    if (locked.length === 0) {
      if (p.unknown?.includes('rules')) return unknownFinding(p, [p.unknownExpressions?.rules ?? 'rules not known']);
      return notApplicable(p, 'no rule writes to or copies into a vault with a lock in this input');
    }
    const problems = locked.map(problemOf).filter((x): x is string => x !== undefined);
    const expected = 'every rule and copy keeps recovery points within the vault lock\'s min and max retention';
    const actual = locked.map((x) => `${x.where}: ${x.deleteAfterDays === undefined ? 'kept forever' : `${x.deleteAfterDays} days`}, lock ${x.vault.lock?.minRetentionDays ?? '-'}..${x.vault.lock?.maxRetentionDays ?? '-'}`).join('; ');
    if (problems.length > 0) {
      return nonCompliant(p, problems.join('; '), { expected, actual }, 'set delete_after of the rule (and its copy actions) between the vault lock\'s min_retention_days and max_retention_days, or change the lock');
    }
    if (unknown.length > 0) return unknownFinding(p, unknown);
    return compliant(p, 'retention of every rule lies within its vault lock', expected, actual);
  },
};
