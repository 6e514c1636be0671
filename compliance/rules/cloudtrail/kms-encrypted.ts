import type { TrailFact } from '../../facts/types';
import { compliant, nonCompliant, Rule, unknownInput } from '../rule';
import { shown } from '../match';

export const trailKmsEncrypted: Rule<TrailFact> = {
  id: 'TS-CT-002',
  title: 'Trail log files are encrypted with a KMS key',
  severity: 'error',
  controls: ['SecurityHub CloudTrail.2', 'CKV_AWS_35'],
  explanation: 'SSE-KMS adds a second permission (kms:Decrypt) between a reader of the log bucket and the audit log.',
  appliesTo: 'trail',
  evaluate: (t) => {
    const unknown = unknownInput(t, 'kmsKeyRef');
    if (unknown) return unknown;
    return t.kmsKeyRef
      ? compliant(t, 'log files are KMS-encrypted', 'SSE-KMS', `SSE-KMS (${shown(t.kmsKeyRef)})`)
      : nonCompliant(t, 'log files are not KMS-encrypted', { expected: 'SSE-KMS', actual: 'no KMS key' }, 'set kms_key_id of the trail to a customer-managed key');
  },
};
