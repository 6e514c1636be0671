import { evidenceBucketObjectLock } from '../../../compliance/rules/s3/evidence-object-lock';
import { evidenceBucketVersioned } from '../../../compliance/rules/s3/evidence-versioning';
import { evidenceBucketSseKms } from '../../../compliance/rules/s3/evidence-sse-kms';
import { evidenceBucketTlsOnly } from '../../../compliance/rules/s3/evidence-tls-only';
import { evidenceBucketNotPublic } from '../../../compliance/rules/s3/evidence-not-public';
import { bucket, factSet } from './fact-builder';

const evidence = (o: Parameters<typeof bucket>[0] = {}) =>
  bucket({
    id: 'aws_s3_bucket.evidence',
    name: 'evidence',
    tags: { 'tablesafe:purpose': 'evidence' },
    versioning: true,
    tlsOnly: true,
    sseKmsKeyRef: '${aws_kms_key.storage.arn}',
    objectLock: { enabled: true, mode: 'COMPLIANCE', days: 400 },
    ...o,
  });
const declared = factSet({ requirements: { evidence: { lockMode: 'COMPLIANCE', retentionDays: 400 } } });

describe('TS-S3-004 evidence Object Lock', () => {
  it('is compliant with the declared mode and retention', () => {
    expect(evidenceBucketObjectLock.evaluate(evidence(), declared).status).toBe('compliant');
  });
  it('reports Object Lock off', () => {
    const f = evidenceBucketObjectLock.evaluate(evidence({ objectLock: { enabled: false } }), declared);
    expect(f.status).toBe('non-compliant');
    expect(f.evidence).toMatchObject({ expected: 'Object Lock enabled, default retention COMPLIANCE for 400 days', actual: 'Object Lock disabled' });
  });
  it('reports a governance lock where compliance is declared', () => {
    const f = evidenceBucketObjectLock.evaluate(evidence({ objectLock: { enabled: true, mode: 'GOVERNANCE', days: 400 } }), declared);
    expect(f.message).toMatch(/mode is GOVERNANCE, not COMPLIANCE/);
  });
  it('reports a retention shorter than declared', () => {
    expect(evidenceBucketObjectLock.evaluate(evidence({ objectLock: { enabled: true, mode: 'COMPLIANCE', days: 30 } }), declared).message).toMatch(/30 days, less than 400/);
  });
  it('reports a lock without default retention', () => {
    expect(evidenceBucketObjectLock.evaluate(evidence({ objectLock: { enabled: true } }), declared).message).toMatch(/no default retention/);
  });
  it('does not apply to a bucket without the evidence tag', () => {
    expect(evidenceBucketObjectLock.evaluate(bucket(), declared).status).toBe('not-applicable');
  });
  it('is unknown when the lock is not known before apply', () => {
    expect(evidenceBucketObjectLock.evaluate(evidence({ unknown: ['objectLock'] }), declared).status).toBe('unknown');
  });
});

describe('TS-S3-005..008 evidence bucket hygiene', () => {
  it.each([
    [evidenceBucketVersioned, { versioning: false }, /versioning is not enabled/],
    [evidenceBucketSseKms, { sseKmsKeyRef: undefined }, /does not name a KMS key/],
    [evidenceBucketTlsOnly, { tlsOnly: false }, /does not require TLS/],
    [evidenceBucketNotPublic, { publicAccessBlocked: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true } }, /blockPublicPolicy/],
  ] as const)('%s: compliant as built, non-compliant when broken', (rule, broken, message) => {
    expect(rule.evaluate(evidence(), declared).status).toBe('compliant');
    const f = rule.evaluate(evidence(broken as never), declared);
    expect(f.status).toBe('non-compliant');
    expect(f.message).toMatch(message);
    expect(rule.evaluate(bucket(broken as never), declared).status).toBe('not-applicable');
  });
});
