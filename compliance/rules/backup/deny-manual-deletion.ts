import type { PolicyStatement, VaultFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { actionMatches, isAnyPrincipal } from '../match';

const DELETE = 'backup:DeleteRecoveryPoint';

function deniesDeletion(s: PolicyStatement): boolean {
  return s.effect === 'Deny' && s.principals.some(isAnyPrincipal) && s.actions.some((a) => actionMatches(a, DELETE)) && s.resources.length > 0;
}

export const vaultDeniesManualDeletion: Rule<VaultFact> = {
  id: 'TS-BAK-002',
  title: 'Vault access policy denies manual deletion of recovery points',
  severity: 'error',
  controls: ['BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED'],
  explanation: 'Recovery points should expire through their lifecycle only; a Deny of backup:DeleteRecoveryPoint to every principal stops a person or a compromised role from removing them.',
  appliesTo: 'vault',
  evaluate: (v, facts) => {
    if (facts.requirements.denyManualDeletion === false) return notApplicable(v, 'the environment does not require denying manual deletion');
    const unknown = unknownInput(v, 'accessPolicy');
    if (unknown) return unknown;
    const expected = `Deny ${DELETE} to Principal *`;
    if (!v.accessPolicy) {
      return nonCompliant(v, 'vault has no access policy', { expected, actual: 'no access policy' }, 'attach an aws_backup_vault_policy with a Deny of backup:DeleteRecoveryPoint to Principal * (BackupVault denies it by default)');
    }
    const denying = v.accessPolicy.find(deniesDeletion);
    return denying
      ? compliant(v, `access policy denies ${DELETE}`, expected, `Deny ${denying.actions.join(', ')} (${denying.sid ?? 'statement'})`)
      : nonCompliant(v, `access policy does not deny ${DELETE}`, { expected, actual: `${v.accessPolicy.length} statement(s), none denying ${DELETE}` }, 'add a statement Effect Deny, Principal *, Action backup:DeleteRecoveryPoint to the vault access policy');
  },
};
