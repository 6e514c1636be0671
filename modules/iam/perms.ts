/**
 * Every IAM and KMS action list tablesafe grants, in one place (as aws-cdk-lib's
 * aws-dynamodb/lib/perms.ts). No `*` actions: each list names exactly what its purpose needs.
 */

// --- DynamoDB data plane -------------------------------------------------------------------
export const DDB_READ_DATA_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;

/** Reading the table's stream: authorized on the stream ARN (`table/<name>/stream/<label>`), never the table's. */
export const DDB_STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] as const;

export const DDB_WRITE_DATA_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

// --- KMS -------------------------------------------------------------------------------------
/** Decrypting data encrypted under the key (reads of an SSE-KMS table). */
export const KMS_DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
/** Encrypting new data under the key (writes of an SSE-KMS table). */
export const KMS_ENCRYPT_ACTIONS = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;
/**
 * Services (DynamoDB, Backup) create grants to use the key on the caller's behalf. Always granted
 * with GRANT_FOR_AWS_RESOURCE_ONLY: a grant to any other grantee would hand key use around the
 * `kms:ViaService` limits.
 */
export const KMS_GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'] as const;
/** The condition every KMS grant permission carries: the grant is for an AWS service's resource. */
export const GRANT_FOR_AWS_RESOURCE_ONLY = { Bool: { 'kms:GrantIsForAWSResource': 'true' } } as const;
/**
 * Key administration for the account's IAM administrators (no Encrypt/Decrypt, no grants: those
 * are granted separately, for AWS resources only).
 */
export const KMS_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:ListKeyRotations',
  'kms:PutKeyPolicy',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
  'kms:UpdatePrimaryRegion',
] as const;

// --- AWS Backup ------------------------------------------------------------------------------
/**
 * Denied to everyone but the break-glass role by the vault access policy: deleting recovery
 * points, and the two ways around that deny (removing or replacing the policy, removing the lock).
 */
export const BACKUP_VAULT_PROTECTED_ACTIONS = [
  'backup:DeleteRecoveryPoint',
  'backup:UpdateRecoveryPointLifecycle',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultLockConfiguration',
] as const;

/** AWS managed policies for the role AWS Backup assumes to back up and restore. */
export const BACKUP_SERVICE_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
] as const;

/** Restore drill: actions on the platform's vaults (the DR vault's copies are restored in the DR region). */
export const DRILL_VAULT_ACTIONS = [
  'backup:DescribeRecoveryPoint',
  'backup:GetRecoveryPointRestoreMetadata',
  'backup:ListRecoveryPointsByBackupVault',
  'backup:StartBackupJob',
  'backup:StartCopyJob',
  'backup:StartRestoreJob',
] as const;
/**
 * Restore drill: job describe/list calls. AWS Backup supports no resource-level permissions for
 * these (service authorization reference), so they are granted on `*`; they read job metadata only.
 */
export const DRILL_JOB_READ_ACTIONS = [
  'backup:DescribeBackupJob',
  'backup:DescribeCopyJob',
  'backup:DescribeRestoreJob',
  'backup:ListBackupJobs',
  'backup:ListCopyJobs',
  'backup:ListRestoreJobs',
  'backup:ListRecoveryPointsByResource',
] as const;
/** Restore drill: reading the source table to validate the restored copy (never writing it). */
export const DRILL_SOURCE_READ_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
] as const;
/** Restore drill: what it does to its own scratch tables (`tablesafe-drill-*`) only. */
export const DRILL_SCRATCH_ACTIONS = [
  'dynamodb:DeleteTable',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:ListTagsOfResource',
  'dynamodb:Scan',
  'dynamodb:TagResource',
] as const;
/**
 * Restore drill, point-in-time path: RestoreTableToPointInTime is authorized on the source table
 * (which it only reads) and, per AWS, needs the data-plane actions below on the table it creates
 * (a scratch table only).
 */
export const DRILL_PITR_SOURCE_ACTIONS = ['dynamodb:RestoreTableToPointInTime'] as const;
export const DRILL_PITR_TARGET_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
] as const;
/** ListTables has no resource-level permission (service authorization reference): granted on `*`. */
export const DRILL_LIST_ACTIONS = ['dynamodb:ListTables'] as const;

// --- Auditor (read-only describe/list of what verify checks) ----------------------------------
export const AUDIT_DYNAMODB_ACTIONS = [
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
] as const;
export const AUDIT_KMS_ACTIONS = ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'] as const;
export const AUDIT_BACKUP_ACTIONS = [
  'backup:DescribeBackupVault',
  'backup:GetBackupPlan',
  'backup:GetBackupSelection',
  'backup:GetBackupVaultAccessPolicy',
  'backup:GetBackupVaultNotifications',
  'backup:ListBackupSelections',
  'backup:ListRecoveryPointsByBackupVault',
  'backup:ListTags',
] as const;
export const AUDIT_TRAIL_ACTIONS = [
  'cloudtrail:GetEventSelectors',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:ListTags',
] as const;
export const AUDIT_BUCKET_ACTIONS = [
  's3:GetBucketPolicy',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketVersioning',
  's3:GetEncryptionConfiguration',
  's3:GetBucketOwnershipControls',
  's3:GetBucketPolicyStatus',
] as const;
export const AUDIT_IAM_ACTIONS = [
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
] as const;
/**
 * Describe/list calls without resource-level permissions (service authorization reference):
 * granted on `*`, read-only metadata.
 */
export const AUDIT_UNSCOPED_ACTIONS = [
  'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling:DescribeScalingPolicies',
  'backup:DescribeBackupJob',
  'backup:DescribeRegionSettings',
  'backup:DescribeRestoreJob',
  'backup:ListBackupJobs',
  'backup:ListBackupPlans',
  'backup:ListBackupVaults',
  'backup:ListRestoreJobs',
  // DescribeTrails supports no resource-level permissions (service authorization reference).
  'cloudtrail:DescribeTrails',
  'dynamodb:ListTables',
  // Names each key in the live findings (alias/…); ListAliases has no resource-level permissions.
  'kms:ListAliases',
  'sts:GetCallerIdentity',
] as const;
