import type { BucketFact, FactSet } from '../../facts/types';
import { refersTo } from '../match';

/** The S3 rules hold CloudTrail log buckets; other buckets are out of this platform's scope. */
export function isTrailBucket(b: BucketFact, facts: FactSet): boolean {
  return facts.trails.some((t) => refersTo(t.bucketRef, b));
}

export const NOT_A_LOG_BUCKET = 'not a CloudTrail log bucket of this scope';
