import type { BucketFact } from '../../facts/types';
import { notApplicable, Rule, unknownInput } from '../rule';
import { versioningFinding } from './bucket-settings';
import { mayBeLogBucket, NOT_A_LOG_BUCKET } from './log-bucket';

export const logBucketVersioned: Rule<BucketFact> = {
  id: 'TS-S3-003',
  title: 'CloudTrail log bucket has versioning enabled',
  severity: 'error',
  controls: ['CKV_AWS_21', 'SecurityHub S3.14'],
  explanation: 'Versioning keeps an overwritten or deleted log file recoverable.',
  appliesTo: 'bucket',
  evaluate: (b, facts) => {
    const scope = mayBeLogBucket(b, facts, !b.versioning);
    if (scope === 'not-a-log-bucket') return notApplicable(b, NOT_A_LOG_BUCKET);
    if (scope) return scope;
    const unknown = unknownInput(b, 'versioning');
    if (unknown) return unknown;
    return versioningFinding(b);
  },
};
