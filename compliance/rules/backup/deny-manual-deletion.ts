import type { PolicyStatement, VaultFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownFinding, unknownInput } from '../rule';
import { actionMatches, appliesToEveryone, statementUnknown } from '../match';

const DELETE = 'backup:DeleteRecoveryPoint';

function deniesDeletion(s: PolicyStatement): boolean {
  return s.effect === 'Deny' && appliesToEveryone(s) && s.actions.some((a) => actionMatches(a, DELETE)) && s.resources.length > 0 && !statementUnknown(s, 'effect', 'principals', 'notPrincipals', 'resources');
}

/** A statement that would be that Deny if its unknown parts turn out right. */
function mayDenyDeletion(s: PolicyStatement): boolean {
  const effect = s.effect === 'Deny' || statementUnknown(s, 'effect');
  const everyone = appliesToEveryone(s) || statementUnknown(s, 'principals', 'notPrincipals');
  const action = s.actions.some((a) => actionMatches(a, DELETE)) || statementUnknown(s, 'actions');
  return effect && everyone && action && (s.resources.length > 0 || statementUnknown(s, 'resources'));
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
    if (denying) return compliant(v, `access policy denies ${DELETE}`, expected, `Deny ${denying.actions.join(', ')} (${denying.sid ?? 'statement'})`);
    const maybe = v.accessPolicy.filter(mayDenyDeletion);
    if (maybe.length > 0) return unknownFinding(v, maybe.map((s) => `${s.sid ?? 'statement'}: ${(s.unknown ?? []).join(', ')} not known`));
    return nonCompliant(v, `access policy does not deny ${DELETE}`, { expected, actual: `${v.accessPolicy.length} statement(s), none denying ${DELETE}` }, 'add a statement Effect Deny, Principal *, Action backup:DeleteRecoveryPoint to the vault access policy');
  },
};
