/** What the S3 bucket rules tell a user: scope, verdict, message naming the setting, evidence and remedy. */
import type { BucketFact } from '../../../compliance/facts/types';
import { UNKNOWN_REMEDY } from '../../../compliance/rules/rule';
import { evidenceBucketNotPublic } from '../../../compliance/rules/s3/evidence-not-public';
import { evidenceBucketObjectLock } from '../../../compliance/rules/s3/evidence-object-lock';
import { evidenceBucketSseKms } from '../../../compliance/rules/s3/evidence-sse-kms';
import { evidenceBucketTlsOnly } from '../../../compliance/rules/s3/evidence-tls-only';
import { evidenceBucketVersioned } from '../../../compliance/rules/s3/evidence-versioning';
import { logBucketNotPublic } from '../../../compliance/rules/s3/not-public';
import { logBucketTlsOnly } from '../../../compliance/rules/s3/tls-only';
import { logBucketVersioned } from '../../../compliance/rules/s3/versioning';
import { bucket, factSet, trail } from './fact-builder';

const BLOCK_ALL = 'blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true';
const TLS = 'Deny s3:* when aws:SecureTransport = false';
const openAcls = { blockPublicAcls: false, blockPublicPolicy: true, ignorePublicAcls: false, restrictPublicBuckets: true };

describe('evidence bucket rules', () => {
  const evidence = (o: Partial<BucketFact> = {}) => bucket({
    id: 'aws_s3_bucket.evidence', name: 'evidence', tags: { 'tablesafe:purpose': 'evidence' },
    sseKmsKeyRef: '${aws_kms_key.data.arn}', objectLock: { enabled: true, mode: 'COMPLIANCE', days: 365 }, ...o,
  });

  it.each([evidenceBucketNotPublic, evidenceBucketObjectLock, evidenceBucketSseKms, evidenceBucketTlsOnly, evidenceBucketVersioned])(
    '%#: say why an untagged bucket is out of scope, naming the tag', (rule) => {
      expect(rule.evaluate(bucket(), factSet())).toMatchObject({ status: 'not-applicable', message: 'not an evidence bucket (no tag tablesafe:purpose = evidence)' });
    });

  describe('TS-S3-008 not public', () => {
    it('says all public access is blocked, with evidence', () => {
      expect(evidenceBucketNotPublic.evaluate(evidence(), factSet())).toMatchObject({
        status: 'compliant', message: 'all public access is blocked', evidence: { expected: BLOCK_ALL, actual: BLOCK_ALL },
      });
    });
    it('names the settings that are off and how to block them', () => {
      expect(evidenceBucketNotPublic.evaluate(evidence({ publicAccessBlocked: openAcls }), factSet())).toMatchObject({
        status: 'non-compliant', message: 'public access block is off: blockPublicAcls, ignorePublicAcls',
        evidence: { resource: 'aws_s3_bucket.evidence', expected: BLOCK_ALL, actual: 'false: blockPublicAcls, ignorePublicAcls' },
        remedy: 'add an aws_s3_bucket_public_access_block with all four settings true',
      });
    });
    it('is unknown when the public access block is not known', () => {
      const b = evidence({ publicAccessBlocked: openAcls, unknown: ['publicAccessBlocked'], unknownExpressions: { publicAccessBlocked: 'var.block' } });
      expect(evidenceBucketNotPublic.evaluate(b, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.block') });
    });
  });

  describe('TS-S3-007 TLS only', () => {
    it('says the policy requires TLS, with evidence', () => {
      expect(evidenceBucketTlsOnly.evaluate(evidence(), factSet())).toMatchObject({
        status: 'compliant', message: 'bucket policy requires TLS', evidence: { expected: TLS, actual: TLS },
      });
    });
    it('says a policy lacks the TLS Deny, and the statement to add', () => {
      const f = evidenceBucketTlsOnly.evaluate(evidence({ tlsOnly: false, policy: [] }), factSet());
      expect(f).toMatchObject({ status: 'non-compliant', message: 'bucket policy does not require TLS', evidence: { expected: TLS, actual: 'no such Deny statement' } });
      expect(f.remedy).toBe('add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport false');
    });
    it('says when there is no bucket policy at all', () => {
      expect(evidenceBucketTlsOnly.evaluate(evidence({ tlsOnly: false, policy: undefined }), factSet()).evidence).toMatchObject({ actual: 'no bucket policy' });
    });
    it('is unknown when the policy is not known', () => {
      const b = evidence({ tlsOnly: false, unknown: ['tlsOnly'], unknownExpressions: { tlsOnly: 'data.aws_iam_policy_document.p.json' } });
      expect(evidenceBucketTlsOnly.evaluate(b, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('data.aws_iam_policy_document.p.json') });
    });
  });

  describe('TS-S3-005 versioning', () => {
    it('says versioning is enabled, with evidence', () => {
      expect(evidenceBucketVersioned.evaluate(evidence(), factSet())).toMatchObject({
        status: 'compliant', message: 'versioning is enabled', evidence: { expected: 'Enabled', actual: 'Enabled' },
      });
    });
    it('says versioning is off and how to enable it', () => {
      expect(evidenceBucketVersioned.evaluate(evidence({ versioning: false }), factSet())).toMatchObject({
        status: 'non-compliant', message: 'versioning is not enabled', evidence: { expected: 'Enabled', actual: 'not enabled' },
        remedy: 'add an aws_s3_bucket_versioning with status Enabled',
      });
    });
    it('is unknown when versioning is not known', () => {
      const b = evidence({ versioning: false, unknown: ['versioning'], unknownExpressions: { versioning: 'var.versioning' } });
      expect(evidenceBucketVersioned.evaluate(b, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.versioning') });
    });
  });

  describe('TS-S3-006 SSE-KMS', () => {
    it('names the key, with evidence', () => {
      expect(evidenceBucketSseKms.evaluate(evidence(), factSet())).toMatchObject({
        status: 'compliant', message: 'default encryption is SSE-KMS with a customer-managed key',
        evidence: { expected: 'SSE-KMS with a customer-managed key', actual: '${aws_kms_key.data.arn}' },
      });
    });
    it('says no key is named and how to name one', () => {
      expect(evidenceBucketSseKms.evaluate(evidence({ sseKmsKeyRef: undefined }), factSet())).toMatchObject({
        status: 'non-compliant', message: 'default encryption does not name a KMS key',
        evidence: { expected: 'SSE-KMS with a customer-managed key', actual: 'no kms_master_key_id' },
        remedy: expect.stringContaining('sse_algorithm aws:kms and kms_master_key_id'),
      });
    });
  });

  describe('TS-S3-004 Object Lock', () => {
    const declared = factSet({ requirements: { evidence: { lockMode: 'COMPLIANCE', retentionDays: 365 } } });
    const declaredExpected = 'Object Lock enabled, default retention COMPLIANCE for 365 days';
    const lock = (objectLock: BucketFact['objectLock'], facts = declared) => evidenceBucketObjectLock.evaluate(evidence({ objectLock }), facts);

    it('says the retention, with the declared retention as evidence', () => {
      expect(lock({ enabled: true, mode: 'COMPLIANCE', days: 400 })).toMatchObject({
        status: 'compliant', message: 'Object Lock COMPLIANCE for 400 days', evidence: { expected: declaredExpected, actual: 'COMPLIANCE for 400 days' },
      });
    });
    it('explains that a source without Object Lock cannot judge it', () => {
      expect(lock(undefined)).toMatchObject({ status: 'not-applicable', message: 'Object Lock is not read from this source' });
    });
    it('says Object Lock is disabled, even when a retention is configured', () => {
      expect(lock({ enabled: false, mode: 'COMPLIANCE', days: 365 })).toMatchObject({
        status: 'non-compliant', message: 'Object Lock is not enabled', evidence: { expected: declaredExpected, actual: 'Object Lock disabled' },
        remedy: 'set object_lock_enabled = true on the bucket (EvidenceStore does)',
      });
    });
    it('says there is no default retention when no mode is set', () => {
      expect(lock({ enabled: true })).toMatchObject({
        status: 'non-compliant', message: 'Object Lock has no default retention', evidence: { expected: declaredExpected, actual: 'enabled, no default retention' },
        remedy: 'add an aws_s3_bucket_object_lock_configuration with rule.default_retention',
      });
    });
    it('says there is no default retention when a mode has no days, without a declared retention', () => {
      expect(lock({ enabled: true, mode: 'GOVERNANCE' }, factSet())).toMatchObject({
        status: 'non-compliant', message: 'Object Lock has no default retention',
        evidence: { expected: 'Object Lock enabled with a default retention', actual: 'GOVERNANCE for 0 days' },
      });
    });
    it('names the wrong mode and the declared one', () => {
      expect(lock({ enabled: true, mode: 'GOVERNANCE', days: 365 })).toMatchObject({
        status: 'non-compliant', message: 'default retention mode is GOVERNANCE, not COMPLIANCE',
        evidence: { expected: declaredExpected, actual: 'GOVERNANCE for 365 days' }, remedy: 'set rule.default_retention.mode = "COMPLIANCE"',
      });
    });
    it('names a retention shorter than declared', () => {
      expect(lock({ enabled: true, mode: 'COMPLIANCE', days: 30 })).toMatchObject({
        status: 'non-compliant', message: 'default retention is 30 days, less than 365',
        evidence: { expected: declaredExpected, actual: 'COMPLIANCE for 30 days' }, remedy: 'set rule.default_retention.days = 365',
      });
    });
  });
});

describe('CloudTrail log bucket rules', () => {
  const inScope = factSet({ trails: [trail()] });
  const maybeScope = factSet({
    trails: ['a', 'b', 'c'].map((n) => trail({ id: `aws_cloudtrail.${n}`, bucketRef: undefined, unknown: ['bucketRef'], unknownExpressions: { bucketRef: `var.bucket_${n}` } })),
  });
  const outOfScope = factSet({ trails: [trail({ bucketRef: 'other-logs' })] });

  it.each([
    ['TS-S3-001', logBucketNotPublic, { publicAccessBlocked: openAcls }],
    ['TS-S3-002', logBucketTlsOnly, { tlsOnly: false }],
    ['TS-S3-003', logBucketVersioned, { versioning: false }],
  ] as const)('%s: a failing bucket that may be a trail\'s log bucket is unknown, naming two of the trails\' bucket expressions', (_id, rule, failing) => {
    const f = rule.evaluate(bucket(failing), maybeScope);
    expect(f).toMatchObject({ status: 'unknown', remedy: UNKNOWN_REMEDY });
    expect(f.message).toContain('whether this is the log bucket of a trail (var.bucket_a; var.bucket_b)');
    expect(f.message).not.toContain('var.bucket_c');
  });

  it.each([
    ['TS-S3-001', logBucketNotPublic],
    ['TS-S3-002', logBucketTlsOnly],
    ['TS-S3-003', logBucketVersioned],
  ] as const)('%s: a passing bucket that may be a log bucket, or a bucket no trail uses, is out of scope', (_id, rule) => {
    expect(rule.evaluate(bucket(), maybeScope)).toMatchObject({ status: 'not-applicable', message: 'not a CloudTrail log bucket of this scope' });
    expect(rule.evaluate(bucket({ versioning: false, tlsOnly: false, publicAccessBlocked: openAcls }), outOfScope)).toMatchObject({
      status: 'not-applicable', message: 'not a CloudTrail log bucket of this scope',
    });
  });

  describe('TS-S3-001 not public', () => {
    it('says all public access is blocked, with evidence', () => {
      expect(logBucketNotPublic.evaluate(bucket(), inScope)).toMatchObject({
        status: 'compliant', message: 'all public access is blocked', evidence: { expected: BLOCK_ALL, actual: BLOCK_ALL },
      });
    });
    it('names the settings that are off and how to block them', () => {
      expect(logBucketNotPublic.evaluate(bucket({ publicAccessBlocked: openAcls }), inScope)).toMatchObject({
        status: 'non-compliant', message: 'public access block is off: blockPublicAcls, ignorePublicAcls',
        evidence: { expected: BLOCK_ALL, actual: 'false: blockPublicAcls, ignorePublicAcls' },
        remedy: 'add an aws_s3_bucket_public_access_block with all four settings true',
      });
    });
  });

  describe('TS-S3-002 TLS only', () => {
    it('says the policy requires TLS, with evidence', () => {
      expect(logBucketTlsOnly.evaluate(bucket(), inScope)).toMatchObject({
        status: 'compliant', message: 'bucket policy requires TLS', evidence: { expected: TLS, actual: TLS },
      });
    });
    it('says the policy lacks the TLS Deny, or that there is no policy, and the statement to add', () => {
      const f = logBucketTlsOnly.evaluate(bucket({ tlsOnly: false, policy: [] }), inScope);
      expect(f).toMatchObject({ status: 'non-compliant', message: 'bucket policy does not require TLS', evidence: { expected: TLS, actual: 'no such Deny statement' } });
      expect(f.remedy).toContain('Condition Bool aws:SecureTransport false');
      expect(logBucketTlsOnly.evaluate(bucket({ tlsOnly: false, policy: undefined }), inScope).evidence).toMatchObject({ actual: 'no bucket policy' });
    });
    it('is unknown when the policy is not known', () => {
      const b = bucket({ tlsOnly: false, unknown: ['tlsOnly'], unknownExpressions: { tlsOnly: 'var.policy' } });
      expect(logBucketTlsOnly.evaluate(b, inScope)).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.policy') });
    });
  });

  describe('TS-S3-003 versioning', () => {
    it('says versioning is enabled, with evidence', () => {
      expect(logBucketVersioned.evaluate(bucket(), inScope)).toMatchObject({
        status: 'compliant', message: 'versioning is enabled', evidence: { expected: 'Enabled', actual: 'Enabled' },
      });
    });
    it('says versioning is off and how to enable it', () => {
      expect(logBucketVersioned.evaluate(bucket({ versioning: false }), inScope)).toMatchObject({
        status: 'non-compliant', message: 'versioning is not enabled', evidence: { expected: 'Enabled', actual: 'not enabled' },
        remedy: 'add an aws_s3_bucket_versioning with status Enabled',
      });
    });
  });
});
