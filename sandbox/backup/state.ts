/**
 * The whole durable state of the sandbox's AWS Backup, as stored in `backup-state.json`.
 * Times are epoch milliseconds; responses convert them to the epoch seconds restJson1 expects.
 */

export interface Lifecycle {
  MoveToColdStorageAfterDays?: number;
  DeleteAfterDays?: number;
  OptInToArchiveForSupportedResources?: boolean;
}

export interface VaultRecord {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  encryptionKeyArn: string;
  creatorRequestId?: string;
  creationDate: number;
  accessPolicy?: string;
  lock?: { minRetentionDays?: number; maxRetentionDays?: number; lockDate?: number };
  notifications?: { snsTopicArn: string; events: string[] };
}

export interface PlanVersion {
  versionId: string;
  /** The plan document as returned by GetBackupPlan (rules carry RuleId). */
  plan: Record<string, unknown>;
  creationDate: number;
}

export interface PlanRecord {
  id: string;
  arn: string;
  region: string;
  accountId: string;
  creatorRequestId?: string;
  creationDate: number;
  deletionDate?: number;
  lastExecutionDate?: number;
  versions: PlanVersion[];
}

export interface SelectionRecord {
  id: string;
  planId: string;
  creationDate: number;
  creatorRequestId?: string;
  selection: Record<string, unknown>;
}

export interface Creator {
  BackupPlanId: string;
  BackupPlanArn: string;
  BackupPlanVersion: string;
  BackupRuleId: string;
  BackupRuleName?: string;
  BackupRuleCron?: string;
  BackupRuleTimezone?: string;
}

export type BackupJobState = 'CREATED' | 'PENDING' | 'RUNNING' | 'ABORTING' | 'ABORTED' | 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'PARTIAL';
export type RestoreJobStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'ABORTED' | 'FAILED';

export interface ForcedOutcome {
  outcome: 'FAILED' | 'HANG';
  message?: string;
}

export interface BackupJobRecord {
  id: string;
  region: string;
  accountId: string;
  vaultName: string;
  vaultArn: string;
  resourceArn: string;
  resourceName: string;
  iamRoleArn: string;
  recoveryPointArn: string;
  lifecycle?: Lifecycle;
  recoveryPointTags?: Record<string, string>;
  createdBy?: Creator;
  /** Copy actions of the plan rule that started this job, run after it completes. */
  copyActions?: { DestinationBackupVaultArn: string; Lifecycle?: Lifecycle }[];
  state: BackupJobState;
  statusMessage?: string;
  percentDone: number;
  creationDate: number;
  startBy: number;
  completionDate?: number;
  backupSizeInBytes?: number;
  fault?: ForcedOutcome;
}

export interface RestoreJobRecord {
  id: string;
  region: string;
  accountId: string;
  recoveryPointArn: string;
  vaultArn: string;
  sourceResourceArn: string;
  iamRoleArn: string;
  metadata: Record<string, string>;
  status: RestoreJobStatus;
  statusMessage?: string;
  percentDone: number;
  creationDate: number;
  completionDate?: number;
  createdResourceArn?: string;
  backupSizeInBytes?: number;
  recoveryPointCreationDate?: number;
  /** CopySourceTagsToRestoredResource: the restored table gets the tags the table had at backup. */
  copySourceTags?: boolean;
  /** Set once CreateTable succeeded, so a resumed job writes the items again instead of failing on its own table. */
  tableCreated?: boolean;
  fault?: ForcedOutcome;
  dropItems?: number;
}

export interface CopyJobRecord {
  id: string;
  region: string;
  accountId: string;
  sourceVaultArn: string;
  sourceRecoveryPointArn: string;
  destinationVaultArn: string;
  destinationRecoveryPointArn?: string;
  resourceArn: string;
  iamRoleArn: string;
  lifecycle?: Lifecycle;
  createdBy?: Creator;
  createdByBackupJobId?: string;
  state: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  statusMessage?: string;
  creationDate: number;
  completionDate?: number;
  backupSizeInBytes?: number;
  fault?: ForcedOutcome;
}

export interface RecoveryPointRecord {
  arn: string;
  id: string;
  region: string;
  accountId: string;
  vaultName: string;
  vaultArn: string;
  sourceVaultArn?: string;
  resourceArn: string;
  resourceName: string;
  iamRoleArn: string;
  encryptionKeyArn: string;
  creationDate: number;
  completionDate: number;
  backupSizeInBytes: number;
  itemCount: number;
  lifecycle?: Lifecycle;
  createdBy?: Creator;
  lastRestoreTime?: number;
  /** Name of the snapshot file under `backup-snapshots/`. */
  snapshotFile: string;
  /** Table settings AWS reports as restore metadata. */
  sseKmsKeyArn?: string;
}

export interface RegionSettings {
  ResourceTypeOptInPreference: Record<string, boolean>;
  ResourceTypeManagementPreference: Record<string, boolean>;
}

export interface BackupState {
  version: 1;
  vaults: Record<string, VaultRecord>;
  plans: Record<string, PlanRecord>;
  selections: Record<string, SelectionRecord>;
  regionSettings: Record<string, RegionSettings>;
  backupJobs: Record<string, BackupJobRecord>;
  restoreJobs: Record<string, RestoreJobRecord>;
  copyJobs: Record<string, CopyJobRecord>;
  recoveryPoints: Record<string, RecoveryPointRecord>;
  tags: Record<string, Record<string, string>>;
  /** Idempotency tokens of Start*Job calls → job id, so a retried call returns the same job. */
  idempotency: Record<string, string>;
  /** `<planId>/<ruleId>` → last scheduled run (epoch ms), so a restart does not run a slot twice. */
  scheduleMarks: Record<string, number>;
}

export function emptyState(): BackupState {
  return {
    version: 1,
    vaults: {},
    plans: {},
    selections: {},
    regionSettings: {},
    backupJobs: {},
    restoreJobs: {},
    copyJobs: {},
    recoveryPoints: {},
    tags: {},
    idempotency: {},
    scheduleMarks: {},
  };
}

/** The snapshot a backup job takes: the table description and every item. */
export interface TableSnapshot {
  table: Record<string, unknown>;
  items: Record<string, unknown>[];
  /** The table's tags at backup time (absent in snapshots taken before tags were kept). */
  tags?: { Key: string; Value: string }[];
}
