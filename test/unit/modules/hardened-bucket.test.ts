/** The bucket every tablesafe bucket starts from, and the Terraform addresses it keeps. */
import { Construct } from 'constructs';
import { addHardenedBucket } from '../../../modules/common/hardened-bucket';
import { synthWith, Synthesized } from '../../helpers/synth';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111';

describe('addHardenedBucket', () => {
  const build = (props: Partial<Parameters<typeof addHardenedBucket>[1]> = {}) =>
    synthWith((s) => {
      addHardenedBucket(new Construct(s, 'logs'), { bucketName: 'tablesafe-test-logs', kmsKeyArn: KEY, ...props });
    });

  it('blocks public access, enforces object ownership, versions and encrypts with the key and a bucket key', () => {
    const out = build();
    expect(out.only('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(out.only('aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(out.only('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(out.only('aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true }]);
  });

  it('keeps the bucket on destroy and without Object Lock unless asked', () => {
    const plain = build().only('aws_s3_bucket');
    expect(plain.force_destroy).toBe(false);
    expect(plain).not.toHaveProperty('object_lock_enabled');
    expect(build({ objectLockEnabled: true, forceDestroy: true }).only('aws_s3_bucket')).toMatchObject({ object_lock_enabled: true, force_destroy: true });
  });

  it('denies non-TLS requests first, then the caller\'s statements, once public access is blocked', () => {
    const out = build({ policyStatements: (arn) => [{ Sid: 'Extra', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: arn }] });
    const policy = out.only('aws_s3_bucket_policy');
    const doc = Synthesized.policy(policy.policy);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['DenyInsecureTransport', 'Extra']);
    expect(doc.Statement[0]).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(doc.Statement[1].Resource).toBe(doc.Statement[0].Resource[0]);
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
  });

  it('puts each resource in the caller\'s scope under the ids deployed stacks already have', () => {
    const out = build();
    const names = ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_versioning', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_policy']
      .map((type) => Object.keys(out.resources(type)));
    // Terraform names are the construct path under the stack plus a hash of it: logs/bucket → logs_bucket_<hash>.
    expect(names.map((n) => n.map((x) => x.replace(/_[0-9A-F]{8}$/, '')))).toEqual([['logs_bucket'], ['logs_public-access'], ['logs_ownership'], ['logs_versioning'], ['logs_encryption'], ['logs_policy']]);
  });
});
