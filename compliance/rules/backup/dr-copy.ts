import type { FactSet, PlanFact, VaultFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule } from '../rule';
import { refersTo } from '../match';

function regionOfArn(arn: string): string | undefined {
  return arn.startsWith('arn:') && !arn.includes('${') ? arn.split(':')[3] || undefined : undefined;
}

function vaultFor(ref: string, facts: FactSet): VaultFact | undefined {
  return facts.vaults.find((v) => refersTo(ref, v));
}

/** Whether a copy goes to another region: a DR vault of this stack, or an ARN in another region than the source vault. */
function isDrDestination(destination: string, sourceVaultRef: string, facts: FactSet): boolean {
  const vault = vaultFor(destination, facts);
  if (vault) return vault.isDrVault;
  const destRegion = regionOfArn(destination);
  const sourceRegion = vaultFor(sourceVaultRef, facts)?.region ?? regionOfArn(sourceVaultRef);
  return destRegion !== undefined && sourceRegion !== undefined && destRegion !== sourceRegion;
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
    const copies = p.rules.flatMap((r) => r.copyActions.map((c) => ({ rule: r.name, to: c.destinationVaultRef, dr: isDrDestination(c.destinationVaultRef, r.targetVaultRef, facts) })));
    const dr = copies.filter((c) => c.dr);
    const expected = 'a rule copies to a vault in another region';
    const actual = copies.length === 0 ? 'no copy actions' : copies.map((c) => `${c.rule} → ${c.to}${c.dr ? ' (DR)' : ' (same or unknown region)'}`).join('; ');
    return dr.length > 0
      ? compliant(p, `copies to ${dr.map((c) => c.to).join(', ')}`, expected, actual)
      : nonCompliant(p, 'no rule copies recovery points to another region', { expected, actual }, 'add a copy_action to a vault in the DR region (BackupPlanRule copyTo with a DR vault)');
  },
};
