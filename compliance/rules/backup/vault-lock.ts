import type { VaultFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';

export const vaultLockWhereRequired: Rule<VaultFact> = {
  id: 'TS-BAK-003',
  title: 'Vault lock is configured where the environment requires it',
  severity: 'error',
  controls: ['BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK'],
  explanation: 'A vault lock (WORM) keeps recovery points for their minimum retention even against the root user; production data needs it.',
  appliesTo: 'vault',
  evaluate: (v, facts) => {
    if (!facts.requirements.vaultLock) return notApplicable(v, 'the environment does not require a vault lock');
    const unknown = unknownInput(v, 'lock');
    if (unknown) return unknown;
    const min = facts.requirements.minRetentionDays;
    const expected = `vault lock with min retention ≥ ${min} days`;
    if (!v.lock) return nonCompliant(v, 'vault has no lock', { expected, actual: 'no vault lock' }, 'add an aws_backup_vault_lock_configuration (BackupVault prop lock)');
    const mode = v.lock.changeableForDays !== undefined ? 'compliance' : 'governance';
    const actual = `${mode} lock, min retention ${v.lock.minRetentionDays ?? 'unset'} days`;
    if (v.lock.minRetentionDays !== undefined && v.lock.minRetentionDays < min) {
      return nonCompliant(v, `vault lock min retention ${v.lock.minRetentionDays} days is below ${min}`, { expected, actual }, `raise min_retention_days of the vault lock to at least ${min}`);
    }
    return compliant(v, `${mode} vault lock configured`, expected, actual);
  },
};
