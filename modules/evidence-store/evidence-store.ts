import { Construct } from 'constructs';
import { Lazy, TerraformProvider } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { awsEnvironment, AwsEnvironment } from '../common/environment';
import { addHardenedBucket } from '../common/hardened-bucket';
import { check, checkPositiveInteger, isToken } from '../common/validation';
import { KMS_ADMIN_ACTIONS } from '../iam/perms';
import type { PolicyDocument, PolicyStatement } from '../iam/policy';
import type { Role } from '../iam/role';
import { EVIDENCE_PURPOSE, EVIDENCE_PURPOSE_TAG } from '../../compliance/rules/s3/evidence-bucket';

/** S3 Object Lock retention mode: `COMPLIANCE` binds everyone (root too) until the date; `GOVERNANCE` yields to s3:BypassGovernanceRetention. */
export type EvidenceLockMode = 'GOVERNANCE' | 'COMPLIANCE';
export const EVIDENCE_LOCK_MODES: readonly EvidenceLockMode[] = ['GOVERNANCE', 'COMPLIANCE'];

/** Where packs go in the bucket: `packs/<stack>/<run id>/<file>`. The drill role may write only here. */
export const EVIDENCE_PREFIX = 'packs/';
/** The only signing algorithm the key is used with (ECC_NIST_P256 supports exactly this one). */
export const EVIDENCE_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

export const DEFAULT_EVIDENCE_RETENTION_DAYS = 400;

export { EVIDENCE_PURPOSE, EVIDENCE_PURPOSE_TAG } from '../../compliance/rules/s3/evidence-bucket';

/** What the signer needs on the signing key (GetPublicKey: it exports the key beside each pack). */
export const EVIDENCE_SIGN_ACTIONS = ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'] as const;
/** What a verifier needs on the signing key. */
export const EVIDENCE_VERIFY_ACTIONS = ['kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey'] as const;
/** Uploading a pack (with explicit retention headers: s3:PutObjectRetention) and finding the previous one for the chain. */
export const EVIDENCE_UPLOAD_OBJECT_ACTIONS = ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'] as const;
/** Reading packs, their versions and their retention. */
export const EVIDENCE_READ_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold'] as const;
/** Listing packs and their versions, and reading the bucket's settings (verify holds them to the evidence rules, TS-S3-004 to 008). */
export const EVIDENCE_READ_BUCKET_ACTIONS = [
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketVersioning',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketPolicyStatus',
  's3:GetBucketPolicy',
  's3:GetEncryptionConfiguration',
] as const;

/**
 * Key administration without use: KMS_ADMIN_ACTIONS (which holds no grant action: a grant to
 * oneself is a way to sign) without rotation, which asymmetric keys do not support.
 */
const SIGNING_KEY_ADMIN_ACTIONS = KMS_ADMIN_ACTIONS.filter((a) => !a.includes('Rotation') && a !== 'kms:RotateKeyOnDemand');

export interface EvidenceStoreProps {
  /**
   * Globally unique bucket name for evidence packs.
   * @limits 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit
   */
  readonly bucketName: string;
  /** Literal region of the bucket and keys (used in `kms:ViaService` conditions). */
  readonly region: string;
  /**
   * Alias of the signing key; the bucket's encryption key gets `<alias>-storage`.
   * @limits 1-240 characters of [a-zA-Z0-9/_-], not under alias/aws/
   */
  readonly keyAlias: string;
  /**
   * Object Lock default retention mode of every object version.
   * @default 'COMPLIANCE'
   */
  readonly lockMode?: EvidenceLockMode;
  /**
   * Object Lock default retention, days.
   * @default 400 (a yearly audit period plus a quarter)
   * @limits an integer from 1 to 36500
   */
  readonly retentionDays?: number;
  /**
   * Waiting period of the keys' scheduled deletion, days.
   * @default 30
   * @limits 7-30
   */
  readonly deletionWindowDays?: number;
  /**
   * Let `terraform destroy` empty the bucket (it bypasses governance retention; compliance
   * retention cannot be bypassed, so it is refused with COMPLIANCE).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ALIAS_PATTERN = /^[a-zA-Z0-9/_-]{1,240}$/;

/**
 * Write-once storage for evidence packs and the key that signs them:
 * - an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) whose policy lets only the roles given to
 *   `grantSign` sign and those given to `grantVerify` verify; the account root administers it
 *   but cannot use it;
 * - an S3 bucket with Object Lock (default retention in `lockMode` for `retentionDays`),
 *   versioning, SSE-KMS with a dedicated key, TLS-only policy, all public access blocked and
 *   object ownership enforced.
 *
 * The bucket's encryption key is its own, not the platform key: evidence outlives the data it
 * describes (the platform key is scheduled for deletion with its environment), and the auditor
 * who reads evidence must not be able to decrypt table data or backups.
 */
export class EvidenceStore extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly signingKey: KmsKey;
  readonly signingKeyArn: string;
  readonly signingKeyAlias: string;
  readonly storageKey: KmsKey;
  readonly lockMode: EvidenceLockMode;
  readonly retentionDays: number;
  private readonly env: AwsEnvironment;
  private readonly signers: Role[] = [];
  private readonly verifiers: Role[] = [];
  private readonly writers: Role[] = [];
  private readonly readers: Role[] = [];

  constructor(scope: Construct, id: string, props: EvidenceStoreProps) {
    super(scope, id);
    check(isToken(props.bucketName) || (BUCKET_NAME.test(props.bucketName) && !props.bucketName.includes('..')), 'EvidenceStore.bucketName', props.bucketName, 'must be 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit');
    const aliasName = props.keyAlias.startsWith('alias/') ? props.keyAlias : `alias/${props.keyAlias}`;
    const bare = aliasName.slice('alias/'.length);
    check(ALIAS_PATTERN.test(bare), 'EvidenceStore.keyAlias', props.keyAlias, 'must be 1-240 characters of [a-zA-Z0-9/_-]');
    check(!bare.startsWith('aws/'), 'EvidenceStore.keyAlias', props.keyAlias, 'the alias/aws/ prefix is reserved for AWS managed keys');
    this.lockMode = props.lockMode ?? 'COMPLIANCE';
    check(EVIDENCE_LOCK_MODES.includes(this.lockMode), 'EvidenceStore.lockMode', this.lockMode, `must be one of ${EVIDENCE_LOCK_MODES.join(', ')}`);
    this.retentionDays = props.retentionDays ?? DEFAULT_EVIDENCE_RETENTION_DAYS;
    checkPositiveInteger('EvidenceStore.retentionDays', this.retentionDays, { min: 1, max: 36500 });
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    checkPositiveInteger('EvidenceStore.deletionWindowDays', deletionWindowDays, { min: 7, max: 30 });
    check(!(props.forceDestroy && this.lockMode === 'COMPLIANCE'), 'EvidenceStore.forceDestroy', props.forceDestroy, 'a COMPLIANCE-mode bucket cannot be emptied before its retention ends; use GOVERNANCE for throw-away environments');

    const provider = props.provider;
    const tags = props.tags ? { ...props.tags } : undefined;
    this.env = awsEnvironment(this, props.region, provider);
    this.bucketName = props.bucketName;
    this.signingKeyAlias = aliasName;

    this.signingKey = new KmsKey(this, 'signing-key', {
      provider,
      description: `tablesafe ${bare}: signs evidence manifests`,
      customerMasterKeySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      // AWS KMS rotates symmetric keys only; a new signing key is a new alias target, and old
      // manifests stay verifiable with the public key exported beside them.
      enableKeyRotation: false,
      deletionWindowInDays: deletionWindowDays,
      policy: Lazy.stringValue({ produce: () => JSON.stringify(this.signingKeyPolicy()) }),
      tags,
    });
    new KmsAlias(this, 'signing-key-alias', { provider, name: aliasName, targetKeyId: this.signingKey.keyId });
    this.signingKeyArn = this.signingKey.arn;

    this.storageKey = new KmsKey(this, 'storage-key', {
      provider,
      description: `tablesafe ${bare}-storage: encrypts evidence packs at rest`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: Lazy.stringValue({ produce: () => JSON.stringify(this.storageKeyPolicy(props.region)) }),
      tags,
    });
    new KmsAlias(this, 'storage-key-alias', { provider, name: `${aliasName}-storage`, targetKeyId: this.storageKey.keyId });

    // The purpose tag tells the compliance rules (TS-S3-004..008) which bucket holds evidence.
    const store = addHardenedBucket(this, {
      provider,
      bucketName: props.bucketName,
      kmsKeyArn: this.storageKey.arn,
      objectLockEnabled: true,
      forceDestroy: props.forceDestroy,
      tags: { ...tags, [EVIDENCE_PURPOSE_TAG]: EVIDENCE_PURPOSE },
    });
    this.bucket = store.bucket;
    this.bucketArn = this.bucket.arn;
    new S3BucketObjectLockConfigurationA(this, 'object-lock', {
      provider,
      bucket: this.bucket.id,
      rule: { defaultRetention: { mode: this.lockMode, days: this.retentionDays } },
      dependsOn: [store.versioning],
    });
  }

  /** Lets `role` sign manifests with the signing key (key policy and an inline policy `evidence-sign`). */
  grantSign(role: Role): void {
    this.signers.push(role);
    role.addPolicy('evidence-sign', { Sid: 'SignEvidenceManifests', Effect: 'Allow', Action: [...EVIDENCE_SIGN_ACTIONS], Resource: this.signingKeyArn });
  }

  /** Lets `role` verify signatures and read the public key (key policy and an inline policy `evidence-verify`). */
  grantVerify(role: Role): void {
    this.verifiers.push(role);
    role.addPolicy('evidence-verify', { Sid: 'VerifyEvidenceManifests', Effect: 'Allow', Action: [...EVIDENCE_VERIFY_ACTIONS], Resource: this.signingKeyArn });
  }

  /**
   * Lets `role` upload packs under `packs/` (object versions are then locked by the bucket's
   * default retention: the role can add, never remove) and read them back for the chain.
   */
  grantUpload(role: Role): void {
    this.writers.push(role);
    role.addPolicy(
      'evidence-upload',
      { Sid: 'WritePacks', Effect: 'Allow', Action: [...EVIDENCE_UPLOAD_OBJECT_ACTIONS], Resource: `${this.bucketArn}/${EVIDENCE_PREFIX}*` },
      { Sid: 'FindPreviousPack', Effect: 'Allow', Action: 's3:ListBucket', Resource: this.bucketArn, Condition: { StringLike: { 's3:prefix': `${EVIDENCE_PREFIX}*` } } },
      { Sid: 'EncryptPacks', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: this.storageKey.arn },
    );
  }

  /** Lets `role` list and read every pack, its versions and retention. */
  grantRead(role: Role): void {
    this.readers.push(role);
    role.addPolicy(
      'evidence-read',
      { Sid: 'ReadPacks', Effect: 'Allow', Action: [...EVIDENCE_READ_OBJECT_ACTIONS], Resource: `${this.bucketArn}/*` },
      { Sid: 'ListPacks', Effect: 'Allow', Action: [...EVIDENCE_READ_BUCKET_ACTIONS], Resource: this.bucketArn },
      { Sid: 'DecryptPacks', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: this.storageKey.arn },
    );
  }

  private root(): string {
    return `arn:${this.env.partition}:iam::${this.env.accountId}:root`;
  }

  /** In a key policy `Resource: "*"` means "this key". */
  private signingKeyPolicy(): PolicyDocument {
    const statements: PolicyStatement[] = [
      // Administration keeps the key manageable; no Sign, Verify or CreateGrant, so administering is not signing.
      { Sid: 'AccountAdministrationWithoutUse', Effect: 'Allow', Principal: { AWS: this.root() }, Action: [...SIGNING_KEY_ADMIN_ACTIONS], Resource: '*' },
    ];
    if (this.signers.length) statements.push({ Sid: 'SignManifests', Effect: 'Allow', Principal: { AWS: this.signers.map((r) => r.roleArn) }, Action: [...EVIDENCE_SIGN_ACTIONS], Resource: '*' });
    if (this.verifiers.length) statements.push({ Sid: 'VerifyManifests', Effect: 'Allow', Principal: { AWS: this.verifiers.map((r) => r.roleArn) }, Action: [...EVIDENCE_VERIFY_ACTIONS], Resource: '*' });
    return { Version: '2012-10-17', Statement: statements };
  }

  private storageKeyPolicy(region: string): PolicyDocument {
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': this.env.accountId } };
    const statements: PolicyStatement[] = [
      { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: this.root() }, Action: [...KMS_ADMIN_ACTIONS], Resource: '*' },
    ];
    if (this.writers.length) statements.push({ Sid: 'WritePacksThroughS3', Effect: 'Allow', Principal: { AWS: this.writers.map((r) => r.roleArn) }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: viaS3 });
    if (this.readers.length) statements.push({ Sid: 'ReadPacksThroughS3', Effect: 'Allow', Principal: { AWS: this.readers.map((r) => r.roleArn) }, Action: ['kms:Decrypt'], Resource: '*', Condition: viaS3 });
    return { Version: '2012-10-17', Statement: statements };
  }
}
