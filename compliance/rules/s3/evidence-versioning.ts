import type { BucketFact } from '../../facts/types';
import { notApplicable, Rule, unknownInput } from '../rule';
import { versioningFinding } from './bucket-settings';
import { isEvidenceBucket, NOT_AN_EVIDENCE_BUCKET } from './evidence-bucket';

export const evidenceBucketVersioned: Rule<BucketFact> = {
  id: 'TS-S3-005',
  title: 'Evidence bucket has versioning enabled',
  severity: 'error',
  controls: ['CKV_AWS_21', 'SecurityHub S3.14'],
  explanation: 'Object Lock protects object versions: without versioning an upload under the same key would replace a pack instead of adding a version.',
  appliesTo: 'bucket',
  evaluate: (b) => {
    if (!isEvidenceBucket(b)) return notApplicable(b, NOT_AN_EVIDENCE_BUCKET);
    const unknown = unknownInput(b, 'versioning');
    if (unknown) return unknown;
    return versioningFinding(b);
  },
};
