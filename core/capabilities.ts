/**
 * What each role of the platform must be able to do, and must never be able to do: the capability
 * matrix. The must-allow lists are the AWS calls tablesafe's own code makes, one list per caller
 * (live checks, drill, demo, application read and write), keyed by the SDK command the code sends
 * (test/unit/core/capabilities.test.ts scans the callers' sources and fails when a command sent
 * there is missing here, or listed here and no longer sent). The must-deny list names the
 * destructive and escalating capabilities no role may have.
 *
 * Resources are named by what they are (`sourceTable`, `scratchTable`, `vault`, ...);
 * compliance/iam resolves them to the ARNs of a synthesized stack. This file is the lowest floor
 * so the stacks (to declare) and verify (to run as the role) read the same lists.
 */

/** The roles a PlatformStack creates (the keys of `Contract.roles`). */
export type PlatformRoleId = 'backup' | 'restoreDrill' | 'auditor' | 'appReader' | 'appWriter';
export const PLATFORM_ROLE_IDS: readonly PlatformRoleId[] = ['backup', 'restoreDrill', 'auditor', 'appReader', 'appWriter'];

/**
 * A resource of the stack, by role in the platform:
 * - `sourceTable` the platform table; `sourceStream` its stream; `sourceBackup` a DynamoDB-format
 *   backup of it (`table/<name>/backup/<id>`); `recoveryPoint` / `drRecoveryPoint` an AWS Backup
 *   recovery point (`recovery-point:<id>`) in the primary / DR region;
 * - `scratchTable` / `drScratchTable` a `tablesafe-drill-*` table in the primary / DR region;
 * - `otherTable` / `otherTableBackup` / `otherRecoveryPoint` another table of the account and its
 *   backups (no role may touch them);
 * - `vault`, `drVault`, `plan`, `key`, `drKey`, `trailKey`, `trail`, `trailBucket`, `trailObject`
 *   (a log file in the bucket), `backupRole`, `platformRole` (any of the stack's roles),
 *   `otherRole` (a role the stack does not own), `otherKey` (a key the stack does not own);
 * - `signingKey` the evidence signing key; `evidenceBucket` the Object Lock evidence bucket and
 *   `evidenceObject` a file of a pack in it (`packs/<stack>/<run id>/<file>`);
 * - `*` for actions without resource-level permissions.
 */
export type StackResource =
  | 'sourceTable'
  | 'sourceStream'
  | 'sourceBackup'
  | 'recoveryPoint'
  | 'drRecoveryPoint'
  | 'scratchTable'
  | 'drScratchTable'
  | 'otherTable'
  | 'otherTableBackup'
  | 'otherRecoveryPoint'
  | 'vault'
  | 'drVault'
  | 'plan'
  | 'key'
  | 'drKey'
  | 'trailKey'
  | 'otherKey'
  | 'trail'
  | 'trailBucket'
  | 'trailObject'
  | 'backupRole'
  | 'platformRole'
  | 'otherRole'
  | 'signingKey'
  | 'evidenceBucket'
  | 'evidenceObject'
  | '*';

/** One IAM authorization a call needs: action, resource, and the request context AWS sends with it. */
export interface Capability {
  readonly action: string;
  readonly resource: StackResource;
  /** Context keys of the request (`iam:PassedToService`, `kms:ViaService`, ...). @default none */
  readonly context?: Readonly<Record<string, string>>;
}

/** A caller: code that makes AWS calls as one role. */
export interface Caller {
  readonly id: string;
  readonly description: string;
  /** The role it runs as; undefined for the operator's own credentials (not a stack role). */
  readonly role?: PlatformRoleId;
  /**
   * Source files (or `file#function` for one function of a file) whose `new XxxCommand(` calls
   * this caller makes, relative to the project root. Directories end with `/`.
   */
  readonly sources: readonly string[];
  /**
   * Each SDK command the sources send → the authorizations it needs. An empty list means the
   * call needs no IAM permission (GetCallerIdentity).
   */
  readonly calls: Readonly<Record<string, readonly Capability[]>>;
  /** Capabilities outside the commands (e.g. a restore AWS makes on the caller's behalf). @default none */
  readonly implied?: readonly Capability[];
}

const PASS_BACKUP_ROLE: Capability = { action: 'iam:PassRole', resource: 'backupRole', context: { 'iam:PassedToService': 'backup.amazonaws.com' } };
const SCRATCH: readonly StackResource[] = ['scratchTable', 'drScratchTable'];
const on = (action: string, ...resources: StackResource[]): Capability[] => resources.map((resource) => ({ action, resource }));

/** `tablesafe verify` live checks (compliance/facts/live-state.ts), as the auditor role. */
export const LIVE_CHECKS: Caller = {
  id: 'live-checks',
  description: 'verify: live checks of the applied stack',
  role: 'auditor',
  sources: ['compliance/facts/live-state.ts', 'core/aws/recovery-points.ts', 'core/aws/clients.ts'],
  calls: {
    DescribeTableCommand: on('dynamodb:DescribeTable', 'sourceTable'),
    DescribeContinuousBackupsCommand: on('dynamodb:DescribeContinuousBackups', 'sourceTable'),
    DescribeTimeToLiveCommand: on('dynamodb:DescribeTimeToLive', 'sourceTable'),
    ListTagsOfResourceCommand: on('dynamodb:ListTagsOfResource', 'sourceTable'),
    DescribeBackupVaultCommand: on('backup:DescribeBackupVault', 'vault', 'drVault'),
    GetBackupVaultAccessPolicyCommand: on('backup:GetBackupVaultAccessPolicy', 'vault', 'drVault'),
    GetBackupPlanCommand: on('backup:GetBackupPlan', 'plan'),
    GetBackupSelectionCommand: on('backup:GetBackupSelection', 'plan'),
    ListBackupJobsCommand: on('backup:ListBackupJobs', '*'),
    DescribeRegionSettingsCommand: on('backup:DescribeRegionSettings', '*'),
    ListRecoveryPointsByBackupVaultCommand: on('backup:ListRecoveryPointsByBackupVault', 'vault', 'drVault'),
    DescribeKeyCommand: on('kms:DescribeKey', 'key', 'drKey', 'trailKey'),
    GetKeyRotationStatusCommand: on('kms:GetKeyRotationStatus', 'key', 'drKey', 'trailKey'),
    GetKeyPolicyCommand: on('kms:GetKeyPolicy', 'key', 'drKey', 'trailKey'),
    ListAliasesCommand: on('kms:ListAliases', '*'),
    DescribeScalableTargetsCommand: on('application-autoscaling:DescribeScalableTargets', '*'),
    DescribeScalingPoliciesCommand: on('application-autoscaling:DescribeScalingPolicies', '*'),
    DescribeTrailsCommand: on('cloudtrail:DescribeTrails', '*'),
    GetTrailStatusCommand: on('cloudtrail:GetTrailStatus', 'trail'),
    GetEventSelectorsCommand: on('cloudtrail:GetEventSelectors', 'trail'),
    GetPublicAccessBlockCommand: on('s3:GetBucketPublicAccessBlock', 'trailBucket', 'evidenceBucket'),
    GetBucketPolicyStatusCommand: on('s3:GetBucketPolicyStatus', 'trailBucket', 'evidenceBucket'),
    GetBucketVersioningCommand: on('s3:GetBucketVersioning', 'trailBucket', 'evidenceBucket'),
    GetBucketPolicyCommand: on('s3:GetBucketPolicy', 'trailBucket', 'evidenceBucket'),
    GetObjectLockConfigurationCommand: on('s3:GetBucketObjectLockConfiguration', 'evidenceBucket'),
    GetBucketEncryptionCommand: on('s3:GetEncryptionConfiguration', 'evidenceBucket'),
    GetRoleCommand: on('iam:GetRole', 'platformRole'),
    ListRolePoliciesCommand: on('iam:ListRolePolicies', 'platformRole'),
    ListAttachedRolePoliciesCommand: on('iam:ListAttachedRolePolicies', 'platformRole'),
    GetRolePolicyCommand: on('iam:GetRolePolicy', 'platformRole'),
    // AWS answers GetCallerIdentity whatever the caller's policies say.
    GetCallerIdentityCommand: [],
  },
};

/** `tablesafe verify` restore drill (verify/drill/, the waiters it polls with), as the restore-drill role. */
export const DRILL: Caller = {
  id: 'drill',
  description: 'verify: restore drill (backup, point-in-time and DR-copy paths, janitor)',
  role: 'restoreDrill',
  sources: ['verify/drill/', 'core/waiters.ts', 'core/aws/recovery-points.ts'],
  calls: {
    ListTablesCommand: on('dynamodb:ListTables', '*'),
    DescribeTableCommand: on('dynamodb:DescribeTable', 'sourceTable', ...SCRATCH),
    ListTagsOfResourceCommand: on('dynamodb:ListTagsOfResource', ...SCRATCH),
    TagResourceCommand: on('dynamodb:TagResource', ...SCRATCH),
    DeleteTableCommand: on('dynamodb:DeleteTable', ...SCRATCH),
    ScanCommand: on('dynamodb:Scan', 'sourceTable', ...SCRATCH),
    GetItemCommand: on('dynamodb:GetItem', 'sourceTable', ...SCRATCH),
    DescribeContinuousBackupsCommand: on('dynamodb:DescribeContinuousBackups', 'sourceTable'),
    // Authorized on the source (read); AWS also requires the item writes on the table it creates.
    RestoreTableToPointInTimeCommand: [
      ...on('dynamodb:RestoreTableToPointInTime', 'sourceTable'),
      ...['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'].flatMap((a) => on(a, 'scratchTable')),
    ],
    StartBackupJobCommand: [...on('backup:StartBackupJob', 'vault'), PASS_BACKUP_ROLE],
    StartCopyJobCommand: [...on('backup:StartCopyJob', 'recoveryPoint', 'sourceBackup'), PASS_BACKUP_ROLE],
    ListRecoveryPointsByBackupVaultCommand: on('backup:ListRecoveryPointsByBackupVault', 'vault', 'drVault'),
    GetRecoveryPointRestoreMetadataCommand: on('backup:GetRecoveryPointRestoreMetadata', 'recoveryPoint', 'sourceBackup', 'drRecoveryPoint'),
    StartRestoreJobCommand: [...on('backup:StartRestoreJob', 'recoveryPoint', 'sourceBackup', 'drRecoveryPoint'), PASS_BACKUP_ROLE],
    ListCopyJobsCommand: on('backup:ListCopyJobs', '*'),
    DescribeBackupJobCommand: on('backup:DescribeBackupJob', '*'),
    DescribeRestoreJobCommand: on('backup:DescribeRestoreJob', '*'),
    DescribeCopyJobCommand: on('backup:DescribeCopyJob', '*'),
  },
};

/** The demo's live traffic and seed data (demo/writer.ts, demo/items.ts): the application writing. */
export const APPLICATION_WRITE: Caller = {
  id: 'application-write',
  description: 'application writes (the demo writer and seed)',
  role: 'appWriter',
  sources: ['demo/writer.ts', 'demo/items.ts'],
  calls: {
    PutItemCommand: on('dynamodb:PutItem', 'sourceTable'),
    UpdateItemCommand: on('dynamodb:UpdateItem', 'sourceTable'),
    DeleteItemCommand: on('dynamodb:DeleteItem', 'sourceTable'),
    // A transaction is authorized as its item actions.
    TransactWriteItemsCommand: on('dynamodb:PutItem', 'sourceTable').concat(on('dynamodb:UpdateItem', 'sourceTable')),
    BatchWriteItemCommand: on('dynamodb:BatchWriteItem', 'sourceTable'),
  },
};

/** The demo reading the table back (demo/disaster.ts validateItems): the application reading. */
export const APPLICATION_READ: Caller = {
  id: 'application-read',
  description: 'application reads (the demo reading every item back)',
  role: 'appReader',
  sources: ['demo/disaster.ts#validateItems'],
  calls: {
    ScanCommand: on('dynamodb:Scan', 'sourceTable'),
  },
};

/** The demo's operator steps (delete the table, recover it, clean up): the operator's own credentials. */
export const DEMO_OPERATOR: Caller = {
  id: 'demo-operator',
  description: 'demo: the operator deletes the table and recovers it (own credentials, no stack role)',
  sources: ['demo/disaster.ts#deleteAndRecover', 'demo/backup.ts', 'demo/services.ts'],
  calls: {
    DeleteTableCommand: on('dynamodb:DeleteTable', 'sourceTable'),
    GetRecoveryPointRestoreMetadataCommand: on('backup:GetRecoveryPointRestoreMetadata', 'recoveryPoint'),
    StartRestoreJobCommand: [...on('backup:StartRestoreJob', 'recoveryPoint'), PASS_BACKUP_ROLE],
    StartBackupJobCommand: [...on('backup:StartBackupJob', 'vault'), PASS_BACKUP_ROLE],
    ListTablesCommand: on('dynamodb:ListTables', '*'),
    // `npm start -- --keep` watches the vault for the plan's scheduled recovery points.
    ListRecoveryPointsByBackupVaultCommand: on('backup:ListRecoveryPointsByBackupVault', 'vault'),
  },
};

/** Uploads carry the bucket's Object Lock retention, and listing is limited to the packs prefix. */
const PACKS_PREFIX = { 's3:prefix': 'packs/' };

/** `tablesafe verify` sealing its pack (verify/evidence/): sign the manifest, upload, chain to the previous pack. */
export const EVIDENCE_SEAL: Caller = {
  id: 'evidence-seal',
  description: 'verify: sign the evidence pack and upload it to the Object Lock bucket',
  role: 'restoreDrill',
  sources: ['verify/evidence/sign.ts#exportPublicKey', 'verify/evidence/sign.ts#signManifest', 'verify/evidence/store.ts#uploadPack', 'verify/evidence/store.ts#listBucketRuns', 'verify/evidence/store.ts#getObject'],
  calls: {
    GetPublicKeyCommand: on('kms:GetPublicKey', 'signingKey'),
    SignCommand: on('kms:Sign', 'signingKey'),
    PutObjectCommand: on('s3:PutObject', 'evidenceObject').concat(on('s3:PutObjectRetention', 'evidenceObject')),
    ListObjectsV2Command: [{ action: 's3:ListBucket', resource: 'evidenceBucket', context: PACKS_PREFIX }],
    GetObjectCommand: on('s3:GetObject', 'evidenceObject'),
  },
};

/** `tablesafe evidence verify|list|report` (verify/evidence/): check signatures, read the packs, as the auditor role. */
export const EVIDENCE_VERIFY: Caller = {
  id: 'evidence-verify',
  description: 'evidence: verify pack signatures through KMS and read the packs from the bucket',
  role: 'auditor',
  sources: ['verify/evidence/sign.ts#kmsVerify', 'verify/evidence/store.ts#downloadPacks', 'verify/evidence/store.ts#listBucketRuns', 'verify/evidence/store.ts#getObject'],
  calls: {
    VerifyCommand: on('kms:Verify', 'signingKey'),
    ListObjectsV2Command: [{ action: 's3:ListBucket', resource: 'evidenceBucket', context: PACKS_PREFIX }],
    GetObjectCommand: on('s3:GetObject', 'evidenceObject'),
  },
};

/**
 * AWS Backup itself, as the backup service role: what the service does for a backup, a copy and a
 * restore of a DynamoDB table (AWS Backup developer guide). Not tablesafe code, so listed here.
 */
export const BACKUP_SERVICE: Caller = {
  id: 'backup-service',
  description: 'AWS Backup: back up, copy and restore the table (the service assumes the backup role)',
  role: 'backup',
  sources: [],
  calls: {},
  implied: [
    ...on('dynamodb:DescribeTable', 'sourceTable'),
    ...on('dynamodb:CreateBackup', 'sourceTable'),
    ...on('dynamodb:StartAwsBackupJob', 'sourceTable'),
    ...on('dynamodb:RestoreTableFromBackup', 'sourceBackup'),
    // Restores go into a drill scratch table, or into the source's own name after a loss (seed 000, the demo).
    ...on('dynamodb:RestoreTableFromAwsBackup', 'scratchTable', 'sourceTable'),
    ...on('dynamodb:PutItem', 'scratchTable', 'sourceTable'),
    ...on('backup:CopyIntoBackupVault', 'drVault'),
    ...['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'].map((action): Capability => ({ action, resource: 'key', context: { 'kms:ViaService': 'backup.${region}.amazonaws.com' } })),
    { action: 'kms:CreateGrant', resource: 'key', context: { 'kms:GrantIsForAWSResource': 'true', 'kms:ViaService': 'backup.${region}.amazonaws.com' } },
  ],
};

export const CALLERS: readonly Caller[] = [LIVE_CHECKS, DRILL, EVIDENCE_SEAL, EVIDENCE_VERIFY, APPLICATION_WRITE, APPLICATION_READ, DEMO_OPERATOR, BACKUP_SERVICE];

/** Every authorization a role must have: the union of its callers' calls, deduplicated. */
export function mustAllow(role: PlatformRoleId): { capability: Capability; callers: string[] }[] {
  const out = new Map<string, { capability: Capability; callers: string[] }>();
  for (const caller of CALLERS.filter((c) => c.role === role)) {
    for (const capability of [...Object.values(caller.calls).flat(), ...(caller.implied ?? [])]) {
      const key = capabilityKey(capability);
      const hit = out.get(key);
      if (hit) {
        if (!hit.callers.includes(caller.id)) hit.callers.push(caller.id);
      } else out.set(key, { capability, callers: [caller.id] });
    }
  }
  return [...out.values()];
}

/** `action resource {context}`: one capability's identity. */
export function capabilityKey(c: Capability): string {
  const ctx = c.context ? ` ${Object.entries(c.context).map(([k, v]) => `${k}=${v}`).join(',')}` : '';
  return `${c.action} ${c.resource}${ctx}`;
}

/** A destructive or escalating capability, and the roles it is forbidden to. */
export interface Forbidden extends Capability {
  /** Stable id, shown in the matrix (`delete-source-table`). */
  readonly id: string;
  readonly description: string;
  /** @default every role */
  readonly roles?: readonly PlatformRoleId[];
  /**
   * Who asks: the role itself, or (for `sts:AssumeRole`) a principal the trust policy does not name.
   * @default 'role'
   */
  readonly principal?: 'role' | 'unnamed-principal';
}

const ALL_BUT = (...roles: PlatformRoleId[]) => PLATFORM_ROLE_IDS.filter((r) => !roles.includes(r));
/** Roles people and pipelines assume (the backup role is assumed by AWS Backup only). */
const ASSUMABLE = ALL_BUT('backup');
/**
 * Item writes of the source: the application writer's job, and AWS Backup's when it restores the
 * table into its own name after a loss (the backup role is assumed by backup.amazonaws.com only).
 */
const NOT_SOURCE_WRITERS = ALL_BUT('appWriter', 'backup');

/** The must-deny list (issue "least privilege, proven"): checked for every role it names. */
export const MUST_DENY: readonly Forbidden[] = [
  { id: 'delete-source-table', description: 'delete the source table', action: 'dynamodb:DeleteTable', resource: 'sourceTable' },
  { id: 'update-source-table', description: 'change the source table (e.g. turn off deletion protection or PITR)', action: 'dynamodb:UpdateTable', resource: 'sourceTable' },
  { id: 'disable-source-pitr', description: 'turn off point-in-time recovery of the source', action: 'dynamodb:UpdateContinuousBackups', resource: 'sourceTable' },
  { id: 'write-source-items', description: 'write items of the source table', action: 'dynamodb:PutItem', resource: 'sourceTable', roles: NOT_SOURCE_WRITERS },
  { id: 'delete-source-items', description: 'delete items of the source table', action: 'dynamodb:DeleteItem', resource: 'sourceTable', roles: NOT_SOURCE_WRITERS },
  { id: 'batch-write-source', description: 'batch-write the source table', action: 'dynamodb:BatchWriteItem', resource: 'sourceTable', roles: NOT_SOURCE_WRITERS },
  { id: 'delete-recovery-point', description: 'delete a recovery point', action: 'backup:DeleteRecoveryPoint', resource: 'recoveryPoint' },
  { id: 'delete-dr-recovery-point', description: 'delete a recovery point in the DR vault', action: 'backup:DeleteRecoveryPoint', resource: 'drRecoveryPoint' },
  { id: 'shorten-recovery-point-lifecycle', description: 'shorten a recovery point lifecycle', action: 'backup:UpdateRecoveryPointLifecycle', resource: 'recoveryPoint' },
  { id: 'delete-dynamodb-backup', description: 'delete a DynamoDB backup of the source', action: 'dynamodb:DeleteBackup', resource: 'sourceBackup', roles: ALL_BUT('backup') },
  { id: 'delete-vault-policy', description: 'delete the vault access policy', action: 'backup:DeleteBackupVaultAccessPolicy', resource: 'vault' },
  { id: 'replace-vault-policy', description: 'replace the vault access policy', action: 'backup:PutBackupVaultAccessPolicy', resource: 'vault' },
  { id: 'delete-vault-lock', description: 'delete the vault lock', action: 'backup:DeleteBackupVaultLockConfiguration', resource: 'vault' },
  { id: 'delete-vault', description: 'delete the vault', action: 'backup:DeleteBackupVault', resource: 'vault' },
  { id: 'delete-backup-plan', description: 'delete the backup plan', action: 'backup:DeleteBackupPlan', resource: 'plan' },
  { id: 'restore-other-table-backup', description: "restore another table's DynamoDB backup", action: 'dynamodb:RestoreTableFromBackup', resource: 'otherTableBackup', roles: ALL_BUT('backup') },
  { id: 'restore-other-recovery-point', description: "restore another table's recovery point (DynamoDB format)", action: 'backup:StartRestoreJob', resource: 'otherTableBackup' },
  { id: 'describe-other-table-backup', description: "read another table's backup", action: 'dynamodb:DescribeBackup', resource: 'otherTableBackup', roles: ALL_BUT('backup') },
  { id: 'read-other-table', description: 'read another table of the account', action: 'dynamodb:Scan', resource: 'otherTable', roles: ALL_BUT('backup') },
  { id: 'grant-key-to-anyone', description: 'kms:CreateGrant for a non-AWS resource (any grantee)', action: 'kms:CreateGrant', resource: 'key', context: { 'kms:GrantIsForAWSResource': 'false' } },
  { id: 'grant-dr-key-to-anyone', description: 'kms:CreateGrant on the DR key for a non-AWS resource', action: 'kms:CreateGrant', resource: 'drKey', context: { 'kms:GrantIsForAWSResource': 'false' } },
  { id: 'decrypt-directly', description: 'decrypt with the platform key outside the named services', action: 'kms:Decrypt', resource: 'key', context: { 'kms:ViaService': 'ec2.${region}.amazonaws.com' } },
  { id: 'decrypt-trail-logs', description: 'decrypt the audit trail logs', action: 'kms:Decrypt', resource: 'trailKey' },
  { id: 'schedule-key-deletion', description: 'schedule deletion of the platform key', action: 'kms:ScheduleKeyDeletion', resource: 'key' },
  { id: 'replace-key-policy', description: 'replace the key policy', action: 'kms:PutKeyPolicy', resource: 'key' },
  { id: 'pass-role-elsewhere', description: 'pass the backup role to a service other than AWS Backup', action: 'iam:PassRole', resource: 'backupRole', context: { 'iam:PassedToService': 'ec2.amazonaws.com' }, roles: ASSUMABLE },
  { id: 'pass-other-role', description: 'pass a role the stack does not own', action: 'iam:PassRole', resource: 'otherRole', context: { 'iam:PassedToService': 'backup.amazonaws.com' }, roles: ASSUMABLE },
  { id: 'change-own-policy', description: 'rewrite a platform role policy', action: 'iam:PutRolePolicy', resource: 'platformRole' },
  { id: 'assume-by-unnamed-principal', description: 'be assumed by a principal the trust policy does not name', action: 'sts:AssumeRole', resource: 'platformRole', principal: 'unnamed-principal' },
  { id: 'read-audit-logs', description: 'read the audit trail logs', action: 's3:GetObject', resource: 'trailObject', roles: ALL_BUT('auditor') },
  { id: 'delete-audit-logs', description: 'delete the audit trail logs', action: 's3:DeleteObject', resource: 'trailObject' },
  { id: 'delete-evidence', description: 'delete a version of an evidence pack file', action: 's3:DeleteObjectVersion', resource: 'evidenceObject' },
  { id: 'bypass-evidence-lock', description: 'bypass the governance lock on evidence', action: 's3:BypassGovernanceRetention', resource: 'evidenceObject' },
  { id: 'unlock-evidence-bucket', description: "change the evidence bucket's Object Lock configuration", action: 's3:PutBucketObjectLockConfiguration', resource: 'evidenceBucket' },
  { id: 'sign-evidence', description: 'sign evidence manifests (the drill alone signs what it proved)', action: 'kms:Sign', resource: 'signingKey', roles: ALL_BUT('restoreDrill') },
  { id: 'stop-trail', description: 'stop the audit trail', action: 'cloudtrail:StopLogging', resource: 'trail' },
  { id: 'delete-trail', description: 'delete the audit trail', action: 'cloudtrail:DeleteTrail', resource: 'trail' },
  { id: 'change-trail', description: 'change what the trail records', action: 'cloudtrail:PutEventSelectors', resource: 'trail' },
];

/** The must-deny entries for one role. */
export function mustDeny(role: PlatformRoleId): Forbidden[] {
  return MUST_DENY.filter((f) => !f.roles || f.roles.includes(role));
}
