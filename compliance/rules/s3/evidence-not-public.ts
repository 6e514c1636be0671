import type { BucketFact } from '../../facts/types';
import { notApplicable, Rule, unknownInput } from '../rule';
import { publicAccessFinding } from './bucket-settings';
import { isEvidenceBucket, NOT_AN_EVIDENCE_BUCKET } from './evidence-bucket';

export const evidenceBucketNotPublic: Rule<BucketFact> = {
  id: 'TS-S3-008',
  title: 'Evidence bucket blocks all public access',
  severity: 'error',
  controls: ['SecurityHub S3.8', 'CKV2_AWS_6'],
  explanation: 'Evidence packs describe the platform in detail; all four public access block settings keep a stray ACL or policy from publishing them.',
  appliesTo: 'bucket',
  evaluate: (b) => {
    if (!isEvidenceBucket(b)) return notApplicable(b, NOT_AN_EVIDENCE_BUCKET);
    const unknown = unknownInput(b, 'publicAccessBlocked');
    if (unknown) return unknown;
    return publicAccessFinding(b);
  },
};
