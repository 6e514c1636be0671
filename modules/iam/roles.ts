import { Construct } from 'constructs';
import { AwsEnvironment } from '../common/environment';
import { DRILL_TABLE_PREFIX, RECOVERY_POINT_TABLE_TAG } from '../../core/contract';
import {
  AUDIT_BACKUP_ACTIONS,
  AUDIT_BUCKET_ACTIONS,
  AUDIT_DYNAMODB_ACTIONS,
  AUDIT_IAM_ACTIONS,
  AUDIT_KMS_ACTIONS,
  AUDIT_TRAIL_ACTIONS,
  AUDIT_UNSCOPED_ACTIONS,
  BACKUP_SERVICE_MANAGED_POLICIES,
  DRILL_JOB_READ_ACTIONS,
  DRILL_LIST_ACTIONS,
  DRILL_PITR_SOURCE_ACTIONS,
  DRILL_PITR_TARGET_ACTIONS,
  DRILL_SCRATCH_ACTIONS,
  DRILL_SOURCE_READ_ACTIONS,
  DRILL_VAULT_ACTIONS,
  GRANT_FOR_AWS_RESOURCE_ONLY,
  KMS_DECRYPT_ACTIONS,
  KMS_ENCRYPT_ACTIONS,
  KMS_GRANT_ACTIONS,
} from './perms';
import { PolicyStatement, policyDocument, serviceTrust } from './policy';
import { Role } from './role';

interface CommonRoleProps {
  readonly roleName: string;
  readonly env: AwsEnvironment;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Who may assume a human/pipeline-facing role. */
interface AssumableRoleProps extends CommonRoleProps {
  /**
   * The trust policy JSON (`RoleTrust.policyFor(role)` names principals and workload identities).
   * @default nobody may assume the role (a trust policy that denies every principal)
   */
  readonly trustPolicy?: string;
}

/** A trust policy no principal passes: IAM requires a statement, and an account root would trust every identity. */
export const TRUST_NOBODY = JSON.stringify(policyDocument({ Sid: 'NobodyNamed', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }));

function trustedBy(props: AssumableRoleProps): string {
  return props.trustPolicy ?? TRUST_NOBODY;
}

/** Grant use of the keys to AWS services on the role's behalf (a grant for an AWS resource only). */
function grantsForAwsResources(keyArns: readonly string[]): PolicyStatement {
  return { Sid: 'KeyGrantsForAwsResourcesOnly', Effect: 'Allow', Action: [...KMS_GRANT_ACTIONS], Resource: [...keyArns], Condition: { ...GRANT_FOR_AWS_RESOURCE_ONLY } };
}

export interface BackupServiceRoleProps extends CommonRoleProps {
  /** Keys of the vaults and tables the service reads and writes. */
  readonly keyArns: readonly string[];
}

/** The role AWS Backup assumes to back up and restore (AWS's managed policies + our keys). */
export function backupServiceRole(scope: Construct, id: string, props: BackupServiceRoleProps): Role {
  const role = new Role(scope, id, {
    roleName: props.roleName,
    kind: 'backup',
    assumeRolePolicy: serviceTrust('backup.amazonaws.com', props.env.accountId),
    managedPolicyNames: BACKUP_SERVICE_MANAGED_POLICIES,
    partition: props.env.partition,
    tags: props.tags,
  });
  role.addPolicy(
    'use-platform-keys',
    {
      Sid: 'UsePlatformKeys',
      Effect: 'Allow',
      Action: [...KMS_ENCRYPT_ACTIONS, ...KMS_DECRYPT_ACTIONS],
      Resource: [...props.keyArns],
    },
    grantsForAwsResources(props.keyArns),
  );
  return role;
}

export interface RestoreDrillRoleProps extends AssumableRoleProps {
  readonly sourceTableArn: string;
  /** Literal name of the source table: its backups (`table/<name>/backup/*`) and tagged recovery points are the only ones the drill may restore. */
  readonly sourceTableName: string;
  readonly vaultArn: string;
  readonly keyArns: readonly string[];
  /** The backup service role, the only role the drill may pass (to AWS Backup). */
  readonly backupRoleArn: string;
  /**
   * The DR vault and its region: the drill restores the DR copy there, into scratch tables of that region.
   * @default no DR path
   */
  readonly dr?: { readonly region: string; readonly vaultArn: string };
}

/**
 * The role `tablesafe verify`/`drill` runs as: find and restore a recovery point (also to a point
 * in time, and its copy in the DR region), read the source table, inspect and delete its own
 * `tablesafe-drill-*` scratch tables in each region — and nothing else.
 */
export function restoreDrillRole(scope: Construct, id: string, props: RestoreDrillRoleProps): Role {
  const { env } = props;
  const regions = [env.region, ...(props.dr ? [props.dr.region] : [])];
  const scratch = regions.map((r) => `arn:${env.partition}:dynamodb:${r}:${env.accountId}:table/${DRILL_TABLE_PREFIX}*`);
  const scratchTables = scratch.flatMap((t) => [t, `${t}/index/*`]);
  const recoveryPoints = regions.map((r) => `arn:${env.partition}:backup:${r}:${env.accountId}:recovery-point:*`);
  // DynamoDB-format backups name their table in the ARN; only the source table's are listed.
  const sourceBackups = regions.map((r) => `arn:${env.partition}:dynamodb:${r}:${env.accountId}:table/${props.sourceTableName}/backup/*`);
  const role = new Role(scope, id, { roleName: props.roleName, kind: 'restore-drill', assumeRolePolicy: trustedBy(props), partition: env.partition, tags: props.tags });
  role.addPolicy(
    'restore-drill',
    {
      Sid: 'Vaults',
      Effect: 'Allow',
      Action: [...DRILL_VAULT_ACTIONS.filter((a) => a === 'backup:ListRecoveryPointsByBackupVault' || a === 'backup:StartBackupJob')],
      Resource: [props.vaultArn, ...(props.dr ? [props.dr.vaultArn] : [])],
    },
    {
      Sid: 'SourceTableBackups',
      Effect: 'Allow',
      Action: [...DRILL_VAULT_ACTIONS.filter((a) => a !== 'backup:ListRecoveryPointsByBackupVault' && a !== 'backup:StartBackupJob')],
      Resource: sourceBackups,
    },
    {
      // AWS Backup-format recovery points (DynamoDB advanced backup) do not name their table: the
      // backup rules tag each one with it, and only those are the drill's.
      Sid: 'SourceTableRecoveryPoints',
      Effect: 'Allow',
      Action: [...DRILL_VAULT_ACTIONS.filter((a) => a !== 'backup:ListRecoveryPointsByBackupVault' && a !== 'backup:StartBackupJob')],
      Resource: recoveryPoints,
      Condition: { StringEquals: { [`aws:ResourceTag/${RECOVERY_POINT_TABLE_TAG}`]: props.sourceTableName } },
    },
    // AWS Backup job describe/list calls support no resource-level permissions.
    { Sid: 'JobStatus', Effect: 'Allow', Action: [...DRILL_JOB_READ_ACTIONS], Resource: '*' },
    { Sid: 'ReadSourceTable', Effect: 'Allow', Action: [...DRILL_SOURCE_READ_ACTIONS], Resource: [props.sourceTableArn] },
    // Point-in-time restore of the source (read) into a scratch table (written by the restore).
    { Sid: 'PointInTimeRestoreOfSource', Effect: 'Allow', Action: [...DRILL_PITR_SOURCE_ACTIONS], Resource: [props.sourceTableArn] },
    { Sid: 'ScratchTablesOnly', Effect: 'Allow', Action: [...DRILL_SCRATCH_ACTIONS], Resource: scratchTables },
    { Sid: 'PointInTimeRestoreIntoScratch', Effect: 'Allow', Action: [...DRILL_PITR_TARGET_ACTIONS], Resource: scratch },
    // ListTables supports no resource-level permissions; the janitor uses it to find leftovers.
    { Sid: 'FindLeftovers', Effect: 'Allow', Action: [...DRILL_LIST_ACTIONS], Resource: '*' },
    { Sid: 'UsePlatformKeys', Effect: 'Allow', Action: [...KMS_DECRYPT_ACTIONS, 'kms:GenerateDataKey', 'kms:Encrypt'], Resource: [...props.keyArns] },
    grantsForAwsResources(props.keyArns),
    {
      Sid: 'PassBackupRoleToBackupOnly',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: props.backupRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
    },
  );
  return role;
}

export interface AuditorRoleProps extends AssumableRoleProps {
  readonly tableArns: readonly string[];
  readonly keyArns: readonly string[];
  readonly vaultArns: readonly string[];
  readonly planArn: string;
  readonly trailArn?: string;
  readonly bucketArn?: string;
  /** The platform roles it reads (their ARNs or literal names' ARNs; the auditor's own is added). */
  readonly roleArns: readonly string[];
}

/** Read-only describe/list on exactly the resources verify checks. */
export function auditorRole(scope: Construct, id: string, props: AuditorRoleProps): Role {
  const role = new Role(scope, id, { roleName: props.roleName, kind: 'auditor', assumeRolePolicy: trustedBy(props), partition: props.env.partition, tags: props.tags });
  role.addPolicy(
    'audit-read-only',
    { Sid: 'Tables', Effect: 'Allow', Action: [...AUDIT_DYNAMODB_ACTIONS], Resource: [...props.tableArns] },
    { Sid: 'Keys', Effect: 'Allow', Action: [...AUDIT_KMS_ACTIONS], Resource: [...props.keyArns] },
    { Sid: 'Backup', Effect: 'Allow', Action: [...AUDIT_BACKUP_ACTIONS], Resource: [...props.vaultArns, props.planArn] },
    ...(props.trailArn ? [{ Sid: 'Trail', Effect: 'Allow' as const, Action: [...AUDIT_TRAIL_ACTIONS], Resource: props.trailArn }] : []),
    ...(props.bucketArn ? [{ Sid: 'TrailBucket', Effect: 'Allow' as const, Action: [...AUDIT_BUCKET_ACTIONS], Resource: props.bucketArn }] : []),
    // Its own ARN from its literal name (the role's arn attribute would refer to itself).
    { Sid: 'Roles', Effect: 'Allow', Action: [...AUDIT_IAM_ACTIONS], Resource: [...props.roleArns, `arn:${props.env.partition}:iam::${props.env.accountId}:role/${props.roleName}`] },
    // Describe/list calls without resource-level permissions; read-only metadata.
    { Sid: 'UnscopedDescribe', Effect: 'Allow', Action: [...AUDIT_UNSCOPED_ACTIONS], Resource: '*' },
  );
  return role;
}

/** An application role; data access is added by `Table.grantReadData` / `grantWriteData`. */
export function appRole(scope: Construct, id: string, props: AssumableRoleProps & { readonly kind: 'app-reader' | 'app-writer' }): Role {
  return new Role(scope, id, { roleName: props.roleName, kind: props.kind, assumeRolePolicy: trustedBy(props), partition: props.env.partition, tags: props.tags });
}
