/**
 * The tag that marks a bucket as the evidence store: EvidenceStore sets it, the evidence rules
 * (TS-S3-004 to TS-S3-008) hold the buckets that carry it, and live facts give it to the bucket the stack
 * names its evidence store.
 */
export const EVIDENCE_PURPOSE_TAG = 'tablesafe:purpose';
export const EVIDENCE_PURPOSE = 'evidence';
