import type { BucketFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { isEvidenceBucket, NOT_AN_EVIDENCE_BUCKET } from './evidence-bucket';

export const evidenceBucketObjectLock: Rule<BucketFact> = {
  id: 'TS-S3-004',
  title: 'Evidence bucket has Object Lock with the declared mode and retention',
  severity: 'error',
  controls: ['SecurityHub S3.15', 'SOC 2 CC7.5', 'ISO/IEC 27001:2022 A.8.13'],
  explanation: 'Evidence an auditor relies on must be write-once: a default Object Lock retention keeps every uploaded pack from being deleted or overwritten until it ends.',
  appliesTo: 'bucket',
  evaluate: (b, facts) => {
    if (!isEvidenceBucket(b)) return notApplicable(b, NOT_AN_EVIDENCE_BUCKET);
    const unknown = unknownInput(b, 'objectLock');
    if (unknown) return unknown;
    const lock = b.objectLock;
    if (!lock) return notApplicable(b, 'Object Lock is not read from this source');
    const declared = facts.requirements.evidence;
    const expected = declared ? `Object Lock enabled, default retention ${declared.lockMode} for ${declared.retentionDays} days` : 'Object Lock enabled with a default retention';
    const actual = lock.enabled ? (lock.mode ? `${lock.mode} for ${lock.days ?? 0} days` : 'enabled, no default retention') : 'Object Lock disabled';
    if (!lock.enabled) return nonCompliant(b, 'Object Lock is not enabled', { expected, actual }, 'set object_lock_enabled = true on the bucket (EvidenceStore does)');
    if (!lock.mode || !lock.days) return nonCompliant(b, 'Object Lock has no default retention', { expected, actual }, 'add an aws_s3_bucket_object_lock_configuration with rule.default_retention');
    if (declared && lock.mode !== declared.lockMode) return nonCompliant(b, `default retention mode is ${lock.mode}, not ${declared.lockMode}`, { expected, actual }, `set rule.default_retention.mode = "${declared.lockMode}"`);
    if (declared && lock.days < declared.retentionDays) return nonCompliant(b, `default retention is ${lock.days} days, less than ${declared.retentionDays}`, { expected, actual }, `set rule.default_retention.days = ${declared.retentionDays}`);
    return compliant(b, `Object Lock ${lock.mode} for ${lock.days} days`, expected, actual);
  },
};
