import type { BucketFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
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
    const expected = 'Deny s3:* when aws:SecureTransport = false';
    return b.tlsOnly
      ? compliant(b, 'bucket policy requires TLS', expected, expected)
      : nonCompliant(b, 'bucket policy does not require TLS', { expected, actual: b.policy ? 'no such Deny statement' : 'no bucket policy' }, 'add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport false');
  },
};
