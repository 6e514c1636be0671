import type { BucketFact } from '../../facts/types';
import { notApplicable, Rule, unknownInput } from '../rule';
import { tlsOnlyFinding } from './bucket-settings';
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
    return tlsOnlyFinding(b);
  },
};
