import { accessDenied, invalidRequest, missingValue, notFound } from '../errors';
import { queryBool, queryDate } from '../input';
import { calculatedLifecycle, readLifecycle } from '../lifecycle';
import { paginate } from '../paging';
import { explicitDeny, rootCaller } from '../policy';
import type { RecoveryPointRecord } from '../state';
import { getVault } from './vaults';
import { lockProblem } from '../safeguards';
import { sec, type Ctx, type Deps, type Handler } from '../context';

const DAY = 86_400_000;

function shape(rp: RecoveryPointRecord): Record<string, unknown> {
  return {
    RecoveryPointArn: rp.arn,
    BackupVaultName: rp.vaultName,
    BackupVaultArn: rp.vaultArn,
    SourceBackupVaultArn: rp.sourceVaultArn,
    ResourceArn: rp.resourceArn,
    ResourceType: 'DynamoDB',
    ResourceName: rp.resourceName,
    CreatedBy: rp.createdBy,
    IamRoleArn: rp.iamRoleArn,
    Status: 'COMPLETED',
    CreationDate: sec(rp.creationDate),
    InitiationDate: sec(rp.creationDate),
    CompletionDate: sec(rp.completionDate),
    BackupSizeInBytes: rp.backupSizeInBytes,
    CalculatedLifecycle: calculatedLifecycle(rp.lifecycle, rp.creationDate),
    Lifecycle: rp.lifecycle,
    EncryptionKeyArn: rp.encryptionKeyArn,
    IsEncrypted: true,
    LastRestoreTime: sec(rp.lastRestoreTime),
    IsParent: false,
    VaultType: 'BACKUP_VAULT',
    StorageClass: 'WARM',
  };
}

function recoveryPointIn(ctx: Ctx, deps: Deps): RecoveryPointRecord {
  const vault = getVault(deps.state, ctx.region, ctx.params.BackupVaultName);
  const arn = ctx.params.RecoveryPointArn;
  if (!arn) throw missingValue('RecoveryPointArn');
  const rp = deps.state.recoveryPoints[arn];
  if (!rp || rp.vaultArn !== vault.arn) throw notFound(`Recovery point ${arn} not found in backup vault ${vault.name}`);
  return rp;
}

export const listRecoveryPointsByBackupVault: Handler = (ctx, deps) => {
  const vault = getVault(deps.state, ctx.region, ctx.params.BackupVaultName);
  const q = ctx.query;
  const resourceArn = q.get('resourceArn');
  const resourceType = q.get('resourceType');
  const planId = q.get('backupPlanId');
  const after = queryDate(q, 'createdAfter');
  const before = queryDate(q, 'createdBefore');
  const points = Object.values(deps.state.recoveryPoints)
    .filter(
      (rp) =>
        rp.vaultArn === vault.arn &&
        (!resourceArn || rp.resourceArn === resourceArn) &&
        (!resourceType || resourceType === 'DynamoDB') &&
        (!planId || rp.createdBy?.BackupPlanId === planId) &&
        (after === undefined || rp.creationDate > after) &&
        (before === undefined || rp.creationDate < before),
    )
    .sort((a, b) => b.creationDate - a.creationDate);
  const { page, nextToken } = paginate(points, q);
  return { body: { RecoveryPoints: page.map(shape), NextToken: nextToken } };
};

export const listRecoveryPointsByResource: Handler = (ctx, deps) => {
  const arn = ctx.params.ResourceArn;
  if (!arn) throw missingValue('ResourceArn');
  queryBool(ctx.query, 'managedByAWSBackupOnly');
  const points = Object.values(deps.state.recoveryPoints)
    .filter((rp) => rp.resourceArn === arn)
    .sort((a, b) => b.creationDate - a.creationDate);
  const { page, nextToken } = paginate(points, ctx.query);
  return {
    body: {
      RecoveryPoints: page.map((rp) => ({
        RecoveryPointArn: rp.arn,
        CreationDate: sec(rp.creationDate),
        Status: 'COMPLETED',
        EncryptionKeyArn: rp.encryptionKeyArn,
        BackupSizeBytes: rp.backupSizeInBytes,
        BackupVaultName: rp.vaultName,
        IsParent: false,
        ResourceName: rp.resourceName,
        VaultType: 'BACKUP_VAULT',
      })),
      NextToken: nextToken,
    },
  };
};

export const describeRecoveryPoint: Handler = (ctx, deps) => ({ body: shape(recoveryPointIn(ctx, deps)) });

/** DynamoDB restore metadata as AWS reports it: the source table name and its encryption. */
export function restoreMetadata(rp: RecoveryPointRecord): Record<string, string> {
  const meta: Record<string, string> = { targetTableName: rp.resourceName, encryptionType: rp.sseKmsKeyArn ? 'KMS' : 'Default' };
  if (rp.sseKmsKeyArn) meta.kmsMasterKeyArn = rp.sseKmsKeyArn;
  return meta;
}

export const getRecoveryPointRestoreMetadata: Handler = (ctx, deps) => {
  const rp = recoveryPointIn(ctx, deps);
  return { body: { BackupVaultArn: rp.vaultArn, RecoveryPointArn: rp.arn, ResourceType: 'DynamoDB', RestoreMetadata: restoreMetadata(rp) } };
};

export const deleteRecoveryPoint: Handler = async (ctx, deps) => {
  const rp = recoveryPointIn(ctx, deps);
  const vault = getVault(deps.state, ctx.region, rp.vaultName);
  const caller = rootCaller(ctx.accountId);
  const denied = explicitDeny(vault.accessPolicy, 'backup:DeleteRecoveryPoint', [vault.arn, rp.arn], caller);
  if (denied) {
    throw accessDenied(
      `User: ${caller.principalArn} is not authorized to perform: backup:DeleteRecoveryPoint on resource: ${vault.arn} with an explicit deny in a resource-based policy (${denied})`,
    );
  }
  const min = vault.lock?.minRetentionDays;
  if (min !== undefined && ctx.now < rp.creationDate + min * DAY) {
    throw invalidRequest(
      `Recovery point ${rp.arn} cannot be deleted: backup vault ${vault.name} is locked with a minimum retention of ${min} days, which has not passed since ${new Date(rp.creationDate).toISOString()}`,
    );
  }
  if (Object.values(deps.state.restoreJobs).some((j) => j.recoveryPointArn === rp.arn && (j.status === 'PENDING' || j.status === 'RUNNING'))) {
    throw invalidRequest(`Recovery point ${rp.arn} is in use by a running restore job`);
  }
  delete deps.state.recoveryPoints[rp.arn];
  delete deps.state.tags[rp.arn];
  await deps.store.persist();
  await deps.store.deleteSnapshot(rp.snapshotFile);
  return { mutated: true };
};

export const updateRecoveryPointLifecycle: Handler = (ctx, deps) => {
  const rp = recoveryPointIn(ctx, deps);
  const lifecycle = readLifecycle(ctx.body, 'Lifecycle', 'Lifecycle');
  const vault = getVault(deps.state, ctx.region, rp.vaultName);
  const caller = rootCaller(ctx.accountId);
  const denied = explicitDeny(vault.accessPolicy, 'backup:UpdateRecoveryPointLifecycle', [vault.arn, rp.arn], caller);
  if (denied) {
    throw accessDenied(
      `User: ${caller.principalArn} is not authorized to perform: backup:UpdateRecoveryPointLifecycle on resource: ${vault.arn} with an explicit deny in a resource-based policy (${denied})`,
    );
  }
  // Vault Lock bounds the retention of the points it holds as it bounds new jobs.
  const locked = lockProblem(vault, lifecycle);
  if (locked) throw invalidRequest(`Lifecycle cannot be changed: ${locked}`);
  rp.lifecycle = lifecycle;
  return {
    mutated: true,
    body: { BackupVaultArn: rp.vaultArn, RecoveryPointArn: rp.arn, Lifecycle: lifecycle, CalculatedLifecycle: calculatedLifecycle(lifecycle, rp.creationDate) },
  };
};
