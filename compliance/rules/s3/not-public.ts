import type { BucketFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { mayBeLogBucket, NOT_A_LOG_BUCKET } from './log-bucket';

export const logBucketNotPublic: Rule<BucketFact> = {
  id: 'TS-S3-001',
  title: 'CloudTrail log bucket blocks all public access',
  severity: 'error',
  controls: ['SecurityHub CloudTrail.6', 'SecurityHub S3.8', 'CKV2_AWS_6'],
  explanation: 'Audit logs name tables, roles and callers; all four public access block settings keep a stray ACL or policy from publishing them.',
  appliesTo: 'bucket',
  evaluate: (b, facts) => {
    const off = Object.entries(b.publicAccessBlocked).filter(([, on]) => !on).map(([k]) => k);
    const unknown = unknownInput(b, 'publicAccessBlocked');
    const scope = mayBeLogBucket(b, facts, off.length > 0);
    if (scope === 'not-a-log-bucket') return notApplicable(b, NOT_A_LOG_BUCKET);
    if (scope) return scope;
    if (unknown) return unknown;
    const expected = 'blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true';
    return off.length === 0
      ? compliant(b, 'all public access is blocked', expected, expected)
      : nonCompliant(b, `public access block is off: ${off.join(', ')}`, { expected, actual: `false: ${off.join(', ')}` }, 'add an aws_s3_bucket_public_access_block with all four settings true');
  },
};
