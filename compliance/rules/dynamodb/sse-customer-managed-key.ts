import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { isScratchTable, shown } from '../match';

export const tableSseCustomerManagedKey: Rule<TableFact> = {
  id: 'TS-DDB-002',
  title: 'Table is encrypted with a customer-managed KMS key',
  severity: 'error',
  controls: ['CKV_AWS_119'],
  explanation: 'A customer-managed key keeps the key policy, rotation and audit trail of every decrypt in the account owner\'s hands; AWS-owned keys show none of that.',
  appliesTo: 'table',
  evaluate: (t) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: deleted by the drill that created it');
    const unknown = unknownInput(t, 'sse');
    if (unknown) return unknown;
    const actual = t.sse.kmsKeyRef ? `${t.sse.keyType} (${shown(t.sse.kmsKeyRef)})` : t.sse.keyType;
    return t.sse.keyType === 'CUSTOMER_MANAGED'
      ? compliant(t, 'encrypted with a customer-managed key', 'CUSTOMER_MANAGED', actual)
      : nonCompliant(t, `encrypted with an ${t.sse.keyType === 'AWS_OWNED' ? 'AWS-owned' : 'AWS-managed'} key`, { expected: 'CUSTOMER_MANAGED', actual }, 'set server_side_encryption { enabled = true, kms_key_arn = <customer-managed key ARN> } (Table prop encryptionKey)');
  },
};
