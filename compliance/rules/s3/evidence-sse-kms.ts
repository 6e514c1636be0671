import type { BucketFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule } from '../rule';
import { isEvidenceBucket, NOT_AN_EVIDENCE_BUCKET } from './evidence-bucket';

export const evidenceBucketSseKms: Rule<BucketFact> = {
  id: 'TS-S3-006',
  title: 'Evidence bucket encrypts with a customer-managed KMS key',
  severity: 'error',
  controls: ['SecurityHub S3.17', 'CKV_AWS_145'],
  explanation: 'Packs name tables, keys, roles and accounts; SSE-KMS with a key of the stack puts reading them under a key policy.',
  appliesTo: 'bucket',
  evaluate: (b) => {
    if (!isEvidenceBucket(b)) return notApplicable(b, NOT_AN_EVIDENCE_BUCKET);
    const expected = 'SSE-KMS with a customer-managed key';
    return b.sseKmsKeyRef
      ? compliant(b, 'default encryption is SSE-KMS with a customer-managed key', expected, b.sseKmsKeyRef)
      : nonCompliant(b, 'default encryption does not name a KMS key', { expected, actual: 'no kms_master_key_id' }, 'add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and kms_master_key_id');
  },
};
