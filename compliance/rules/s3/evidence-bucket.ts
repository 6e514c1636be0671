import type { BucketFact } from '../../facts/types';
import { EVIDENCE_PURPOSE, EVIDENCE_PURPOSE_TAG } from '../../facts/evidence-purpose';

export { EVIDENCE_PURPOSE, EVIDENCE_PURPOSE_TAG };

/** The evidence rules hold buckets tagged `tablesafe:purpose = evidence`; other buckets are out of their scope. */
export function isEvidenceBucket(b: BucketFact): boolean {
  return b.tags[EVIDENCE_PURPOSE_TAG] === EVIDENCE_PURPOSE;
}

export const NOT_AN_EVIDENCE_BUCKET = `not an evidence bucket (no tag ${EVIDENCE_PURPOSE_TAG} = ${EVIDENCE_PURPOSE})`;
