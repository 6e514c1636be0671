import type { BucketFact } from '../../facts/types';
import { notApplicable, Rule, unknownInput } from '../rule';
import { tlsOnlyFinding } from './bucket-settings';
import { isEvidenceBucket, NOT_AN_EVIDENCE_BUCKET } from './evidence-bucket';

export const evidenceBucketTlsOnly: Rule<BucketFact> = {
  id: 'TS-S3-007',
  title: 'Evidence bucket policy denies requests without TLS',
  severity: 'error',
  controls: ['SecurityHub S3.5'],
  explanation: 'A Deny on aws:SecureTransport = false keeps packs and signatures from travelling in clear text.',
  appliesTo: 'bucket',
  evaluate: (b) => {
    if (!isEvidenceBucket(b)) return notApplicable(b, NOT_AN_EVIDENCE_BUCKET);
    const unknown = unknownInput(b, 'tlsOnly');
    if (unknown) return unknown;
    return tlsOnlyFinding(b);
  },
};
