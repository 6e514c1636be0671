import { trailDynamoDbDataEvents } from '../../../compliance/rules/cloudtrail/dynamodb-data-events';
import { trailKmsEncrypted } from '../../../compliance/rules/cloudtrail/kms-encrypted';
import { trailLogFileValidation } from '../../../compliance/rules/cloudtrail/log-validation';
import { trailMultiRegion } from '../../../compliance/rules/cloudtrail/multi-region';
import { logBucketNotPublic } from '../../../compliance/rules/s3/not-public';
import { logBucketTlsOnly } from '../../../compliance/rules/s3/tls-only';
import { logBucketVersioned } from '../../../compliance/rules/s3/versioning';
import { bucket, factSet, table, trail } from './fact-builder';

describe('TS-CT-001 multi-region', () => {
  it('is compliant for a multi-region trail', () => {
    expect(trailMultiRegion.evaluate(trail(), factSet()).status).toBe('compliant');
  });
  it('reports a single-region trail', () => {
    expect(trailMultiRegion.evaluate(trail({ multiRegion: false }), factSet()).evidence).toEqual({ resource: 'aws_cloudtrail.audit', expected: 'multi-region', actual: 'single-region' });
  });
  it('does not apply to a data-events-only trail', () => {
    expect(trailMultiRegion.evaluate(trail({ multiRegion: false, managementEvents: false }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-CT-002 KMS', () => {
  it('is compliant with a KMS key', () => {
    expect(trailKmsEncrypted.evaluate(trail(), factSet()).status).toBe('compliant');
  });
  it('reports a trail without KMS key', () => {
    expect(trailKmsEncrypted.evaluate(trail({ kmsKeyRef: undefined }), factSet()).evidence).toEqual({ resource: 'aws_cloudtrail.audit', expected: 'SSE-KMS', actual: 'no KMS key' });
  });
  it('is unknown when the key is not known', () => {
    expect(trailKmsEncrypted.evaluate(trail({ kmsKeyRef: undefined, unknown: ['kmsKeyRef'] }), factSet()).status).toBe('unknown');
  });
});

describe('TS-CT-003 log file validation', () => {
  it('is compliant when enabled', () => {
    expect(trailLogFileValidation.evaluate(trail(), factSet()).status).toBe('compliant');
  });
  it('reports it disabled', () => {
    expect(trailLogFileValidation.evaluate(trail({ logFileValidation: false }), factSet()).evidence).toEqual({ resource: 'aws_cloudtrail.audit', expected: 'enabled', actual: 'disabled' });
  });
  it('is unknown when not known', () => {
    expect(trailLogFileValidation.evaluate(trail({ unknown: ['logFileValidation'] }), factSet()).status).toBe('unknown');
  });
});

describe('TS-CT-004 DynamoDB data events', () => {
  const withTables = (t = trail()) => factSet({ tables: [table()], trails: [t], requirements: { platformTables: ['orders'] } });
  it('is compliant when the trail selects the table by reference', () => {
    expect(trailDynamoDbDataEvents.evaluate(trail(), withTables()).status).toBe('compliant');
  });
  it('is compliant when the trail selects every table', () => {
    const t = trail({ dynamoDbDataEventTables: ['*'] });
    expect(trailDynamoDbDataEvents.evaluate(t, withTables(t)).status).toBe('compliant');
  });
  it('reports platform tables without data events', () => {
    const t = trail({ dynamoDbDataEventTables: [] });
    expect(trailDynamoDbDataEvents.evaluate(t, withTables(t)).evidence).toEqual({ resource: 'aws_cloudtrail.audit', expected: 'data events for orders', actual: 'not covered: orders' });
  });
  it('does not apply when no platform tables are named', () => {
    expect(trailDynamoDbDataEvents.evaluate(trail(), factSet()).status).toBe('not-applicable');
  });
});

const withTrail = factSet({ trails: [trail()] });

describe('TS-S3-001 log bucket not public', () => {
  it('is compliant with all four blocks on', () => {
    expect(logBucketNotPublic.evaluate(bucket(), withTrail).status).toBe('compliant');
  });
  it('reports the blocks that are off', () => {
    const b = bucket({ publicAccessBlocked: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false } });
    expect(logBucketNotPublic.evaluate(b, withTrail).evidence).toEqual({
      resource: 'aws_s3_bucket.audit',
      expected: 'blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true',
      actual: 'false: blockPublicPolicy, restrictPublicBuckets',
    });
  });
  it('does not apply to a bucket no trail writes to', () => {
    expect(logBucketNotPublic.evaluate(bucket({ name: 'other', refs: ['other'] }), withTrail).status).toBe('not-applicable');
  });
});

describe('TS-S3-002 TLS only', () => {
  it('is compliant with a SecureTransport deny', () => {
    expect(logBucketTlsOnly.evaluate(bucket(), withTrail).status).toBe('compliant');
  });
  it('reports a bucket without policy', () => {
    expect(logBucketTlsOnly.evaluate(bucket({ tlsOnly: false, policy: undefined }), withTrail).evidence).toEqual({ resource: 'aws_s3_bucket.audit', expected: 'Deny s3:* when aws:SecureTransport = false', actual: 'no bucket policy' });
  });
  it('does not apply to a bucket no trail writes to', () => {
    expect(logBucketTlsOnly.evaluate(bucket({ name: 'other', refs: ['other'] }), withTrail).status).toBe('not-applicable');
  });
});

describe('TS-S3-003 versioning', () => {
  it('is compliant when versioned', () => {
    expect(logBucketVersioned.evaluate(bucket(), withTrail).status).toBe('compliant');
  });
  it('reports versioning off', () => {
    expect(logBucketVersioned.evaluate(bucket({ versioning: false }), withTrail).evidence).toEqual({ resource: 'aws_s3_bucket.audit', expected: 'Enabled', actual: 'not enabled' });
  });
  it('does not apply to a bucket no trail writes to', () => {
    expect(logBucketVersioned.evaluate(bucket({ name: 'other', refs: ['other'] }), withTrail).status).toBe('not-applicable');
  });
});
