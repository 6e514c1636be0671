/**
 * The S3 bucket every tablesafe bucket starts from (the audit trail's logs, the evidence store):
 * public access blocked, owner-enforced object ownership (no ACLs), versioned, SSE-KMS with the
 * caller's key and a bucket key, and a policy that denies any request not made over TLS, followed
 * by the caller's own statements.
 *
 * A function, not a construct: the resources go into the caller's scope under the ids they have
 * always had (`bucket`, `public-access`, `ownership`, `versioning`, `encryption`, `policy`), so
 * deployed stacks keep their Terraform addresses.
 */
import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { policyDocument, PolicyStatement } from '../iam/policy';

export interface HardenedBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** ARN of the KMS key of the default encryption. */
  readonly kmsKeyArn: string;
  /** Bucket policy statements after DenyInsecureTransport, given the bucket's ARN. @default none */
  readonly policyStatements?: (bucketArn: string) => PolicyStatement[];
  /** Create the bucket with S3 Object Lock (possible at creation only). @default false */
  readonly objectLockEnabled?: boolean;
  /** Let `terraform destroy` empty the bucket. Only for throw-away environments. @default false */
  readonly forceDestroy?: boolean;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface HardenedBucket {
  readonly bucket: S3Bucket;
  /** What Object Lock configuration must wait for (S3 requires versioning first). */
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;
}

export function addHardenedBucket(scope: Construct, props: HardenedBucketProps): HardenedBucket {
  const provider = props.provider;
  const bucket = new S3Bucket(scope, 'bucket', {
    provider,
    bucket: props.bucketName,
    ...(props.objectLockEnabled ? { objectLockEnabled: true } : {}),
    forceDestroy: props.forceDestroy ?? false,
    tags: props.tags ? { ...props.tags } : undefined,
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, 'public-access', {
    provider,
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { provider, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  const versioning = new S3BucketVersioningA(scope, 'versioning', { provider, bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    provider,
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
  });
  const bucketArn = bucket.arn;
  const policy = new S3BucketPolicy(scope, 'policy', {
    provider,
    bucket: bucket.id,
    policy: JSON.stringify(
      policyDocument(
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        ...(props.policyStatements?.(bucketArn) ?? []),
      ),
    ),
    // S3 rejects a bucket policy while public access settings are being applied.
    dependsOn: [publicAccess],
  });
  return { bucket, versioning, policy };
}
