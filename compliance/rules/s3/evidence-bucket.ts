import type { BucketFact } from '../../facts/types';

/** The tag that marks a bucket as the evidence store (EvidenceStore sets it). */
export const EVIDENCE_PURPOSE_TAG = 'tablesafe:purpose';
export const EVIDENCE_PURPOSE = 'evidence';

/** The evidence rules hold buckets tagged `tablesafe:purpose = evidence`; other buckets are out of their scope. */
export function isEvidenceBucket(b: BucketFact): boolean {
  return b.tags[EVIDENCE_PURPOSE_TAG] === EVIDENCE_PURPOSE;
}

export const NOT_AN_EVIDENCE_BUCKET = `not an evidence bucket (no tag ${EVIDENCE_PURPOSE_TAG} = ${EVIDENCE_PURPOSE})`;
