import type { VaultFact } from '../../facts/types';
import { compliant, nonCompliant, Rule, unknownInput } from '../rule';
import { shown } from '../match';

export const vaultCustomerManagedKey: Rule<VaultFact> = {
  id: 'TS-BAK-001',
  title: 'Backup vault encrypts recovery points with a customer-managed key',
  severity: 'error',
  controls: ['SecurityHub Backup.1', 'BACKUP_RECOVERY_POINT_ENCRYPTED'],
  explanation: 'With a customer-managed key the account decides who may decrypt (and so restore) a recovery point, and every use is in CloudTrail.',
  appliesTo: 'vault',
  evaluate: (v) => {
    const unknown = unknownInput(v, 'kmsKeyType');
    if (unknown) return unknown;
    const actual = v.kmsKeyRef ? `${v.kmsKeyType} (${shown(v.kmsKeyRef)})` : `${v.kmsKeyType} (AWS Backup default key)`;
    return v.kmsKeyType === 'CUSTOMER_MANAGED'
      ? compliant(v, 'encrypted with a customer-managed key', 'CUSTOMER_MANAGED', actual)
      : nonCompliant(v, 'vault uses an AWS key', { expected: 'CUSTOMER_MANAGED', actual }, 'set kms_key_arn of the vault to a customer-managed key (BackupVault prop encryptionKey)');
  },
};
