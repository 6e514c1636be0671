import type { BucketFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { mayBeLogBucket, NOT_A_LOG_BUCKET } from './log-bucket';

export const logBucketTlsOnly: Rule<BucketFact> = {
  id: 'TS-S3-002',
  title: 'CloudTrail log bucket policy denies requests without TLS',
  severity: 'error',
  controls: ['SecurityHub S3.5'],
  explanation: 'A Deny on aws:SecureTransport = false keeps log files from travelling in clear text.',
  appliesTo: 'bucket',
  evaluate: (b, facts) => {
    const scope = mayBeLogBucket(b, facts, !b.tlsOnly);
    if (scope === 'not-a-log-bucket') return notApplicable(b, NOT_A_LOG_BUCKET);
    if (scope) return scope;
    const unknown = unknownInput(b, 'tlsOnly');
    if (unknown) return unknown;
    const expected = 'Deny s3:* when aws:SecureTransport = false';
    return b.tlsOnly
      ? compliant(b, 'bucket policy requires TLS', expected, expected)
      : nonCompliant(b, 'bucket policy does not require TLS', { expected, actual: b.policy ? 'no such Deny statement' : 'no bucket policy' }, 'add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport false');
  },
};
