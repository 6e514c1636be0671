import type { BucketFact } from '../../facts/types';
import { notApplicable, Rule, unknownInput } from '../rule';
import { publicAccessFinding, publicAccessOff } from './bucket-settings';
import { mayBeLogBucket, NOT_A_LOG_BUCKET } from './log-bucket';

export const logBucketNotPublic: Rule<BucketFact> = {
  id: 'TS-S3-001',
  title: 'CloudTrail log bucket blocks all public access',
  severity: 'error',
  controls: ['SecurityHub CloudTrail.6', 'SecurityHub S3.8', 'CKV2_AWS_6'],
  explanation: 'Audit logs name tables, roles and callers; all four public access block settings keep a stray ACL or policy from publishing them.',
  appliesTo: 'bucket',
  evaluate: (b, facts) => {
    const unknown = unknownInput(b, 'publicAccessBlocked');
    const scope = mayBeLogBucket(b, facts, publicAccessOff(b).length > 0);
    if (scope === 'not-a-log-bucket') return notApplicable(b, NOT_A_LOG_BUCKET);
    if (scope) return scope;
    if (unknown) return unknown;
    return publicAccessFinding(b);
  },
};
