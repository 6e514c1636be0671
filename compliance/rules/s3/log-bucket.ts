import type { BucketFact, FactSet } from '../../facts/types';
import type { Finding } from '../rule';
import { unknownFinding } from '../rule';
import { trailBucketOf, unknownTrailBuckets } from '../match';

/** The S3 rules hold CloudTrail log buckets; other buckets are out of this platform's scope. */
export const NOT_A_LOG_BUCKET = 'not a CloudTrail log bucket of this scope';

/**
 * The verdict for a bucket that may be a log bucket (a trail's bucket is not known) and fails the
 * rule: unknown, naming the trail. undefined when the bucket is a log bucket or surely is not.
 */
export function mayBeLogBucket(b: BucketFact, facts: FactSet, failing: boolean): Finding | 'not-a-log-bucket' | undefined {
  const t = trailBucketOf(b, facts);
  if (t === 'yes') return undefined;
  if (t === 'no' || !failing) return 'not-a-log-bucket';
  return unknownFinding(b, [`whether this is the log bucket of a trail (${unknownTrailBuckets(facts).slice(0, 2).join('; ')})`]);
}
