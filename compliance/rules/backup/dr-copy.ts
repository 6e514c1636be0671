import type { FactSet, PlanFact } from '../../facts/types';
import { leafKind } from '../../facts/policy';
import { compliant, nonCompliant, notApplicable, Rule, unknownFinding } from '../rule';
import { shown, vaultFor } from '../match';

function regionOfArn(arn: string): string | undefined {
  return arn.startsWith('arn:') && !arn.includes('${') ? arn.split(':')[3] || undefined : undefined;
}

/** Whether a copy goes to another region: a DR vault of this stack, or an ARN in another region than the source vault. */
function isDrDestination(destination: string, sourceVaultRef: string, plan: PlanFact, facts: FactSet): boolean | 'unknown' {
  const context = { region: plan.region };
  const vault = vaultFor(destination, facts, {});
  if (vault) return vault.isDrVault || (vault.region !== undefined && plan.region !== undefined && vault.region !== plan.region);
  const destRegion = regionOfArn(destination);
  const sourceRegion = vaultFor(sourceVaultRef, facts, context)?.region ?? regionOfArn(sourceVaultRef) ?? plan.region;
  if (destRegion !== undefined && sourceRegion !== undefined) return destRegion !== sourceRegion;
  return leafKind(destination) === 'literal' ? false : 'unknown';
}

export const planCopiesToDrRegion: Rule<PlanFact> = {
  id: 'TS-BAK-006',
  title: 'Backup plan copies recovery points to a DR region where required',
  severity: 'error',
  controls: ['BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION'],
  explanation: 'A regional outage or a compromised primary vault takes its recovery points with it; a copy in another region survives both.',
  appliesTo: 'plan',
  evaluate: (p, facts) => {
    if (!facts.requirements.drCopy) return notApplicable(p, 'the environment does not require a DR copy');
    const copies = p.rules.flatMap((r) => r.copyActions.map((c) => ({ rule: r.name, to: c.destinationVaultRef, dr: isDrDestination(c.destinationVaultRef, r.targetVaultRef, p, facts) })));
    const dr = copies.filter((c) => c.dr === true);
    const expected = 'a rule copies to a vault in another region';
    const actual = copies.length === 0 ? 'no copy actions' : copies.map((c) => `${c.rule} → ${shown(c.to)}${c.dr === true ? ' (DR)' : c.dr === 'unknown' ? ' (region not known)' : ' (same or unknown region)'}`).join('; ');
    if (dr.length > 0) return compliant(p, `copies to ${dr.map((c) => shown(c.to)).join(', ')}`, expected, actual);
    const unknown = [
      ...(['rules', 'copyActions'] as const).filter((f) => p.unknown?.includes(f)).map((f) => p.unknownExpressions?.[f] ?? `${f} not known`),
      ...copies.filter((c) => c.dr === 'unknown').map((c) => `${c.rule} copies to ${shown(c.to)}`),
    ];
    if (unknown.length > 0) return unknownFinding(p, unknown);
    return nonCompliant(p, 'no rule copies recovery points to another region', { expected, actual }, 'add a copy_action to a vault in the DR region (BackupPlanRule copyTo with a DR vault)');
  },
};
