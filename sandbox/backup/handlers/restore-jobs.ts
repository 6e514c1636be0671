import { invalidValue, missingValue, notFound } from '../errors';
import { TABLE_NAME, uuid } from '../ids';
import { optBool, optString, optStringMap, reqString } from '../input';
import { paginate } from '../paging';
import type { RestoreJobRecord, RestoreJobStatus } from '../state';
import { sec, type Handler } from '../context';
import { listJobs } from './job-list';

const STATUSES: RestoreJobStatus[] = ['PENDING', 'RUNNING', 'COMPLETED', 'ABORTED', 'FAILED'];

function shape(job: RestoreJobRecord): Record<string, unknown> {
  return {
    AccountId: job.accountId,
    RestoreJobId: job.id,
    RecoveryPointArn: job.recoveryPointArn,
    SourceResourceArn: job.sourceResourceArn,
    BackupVaultArn: job.vaultArn,
    CreationDate: sec(job.creationDate),
    CompletionDate: sec(job.completionDate),
    Status: job.status,
    StatusMessage: job.statusMessage,
    PercentDone: job.percentDone.toFixed(1),
    BackupSizeInBytes: job.backupSizeInBytes,
    IamRoleArn: job.iamRoleArn,
    ExpectedCompletionTimeMinutes: 1,
    CreatedResourceArn: job.status === 'COMPLETED' ? job.createdResourceArn : undefined,
    ResourceType: 'DynamoDB',
    RecoveryPointCreationDate: sec(job.recoveryPointCreationDate),
    IsParent: false,
  };
}

export const startRestoreJob: Handler = (ctx, deps) => {
  const rpArn = reqString(ctx.body, 'RecoveryPointArn');
  const iamRoleArn = reqString(ctx.body, 'IamRoleArn');
  const metadata = optStringMap(ctx.body, 'Metadata');
  if (metadata === undefined) throw missingValue('Metadata');
  const resourceType = optString(ctx.body, 'ResourceType');
  if (resourceType !== undefined && resourceType !== 'DynamoDB') {
    throw invalidValue(`Invalid value for ResourceType: ${JSON.stringify(resourceType)} — the sandbox restores DynamoDB recovery points only`);
  }
  const copyTags = optBool(ctx.body, 'CopySourceTagsToRestoredResource');
  const target = metadata.targetTableName;
  if (!target) throw missingValue('Metadata.targetTableName');
  if (!TABLE_NAME.test(target)) throw invalidValue(`Invalid value for Metadata.targetTableName: ${JSON.stringify(target)} must be 3-255 letters, digits, _ . or -`);
  const given = metadata.encryptionType;
  if (given !== undefined && given !== 'KMS' && given !== 'Default') {
    throw invalidValue(`Invalid value for Metadata.encryptionType: ${JSON.stringify(given)} must be KMS or Default`);
  }
  if (given === 'KMS' && !metadata.kmsMasterKeyArn) throw missingValue('Metadata.kmsMasterKeyArn');
  const rp = deps.state.recoveryPoints[rpArn];
  if (!rp) throw notFound(`Recovery point ${rpArn} not found`);
  // Without an encryptionType the restored table keeps the backed-up table's encryption, as a
  // DynamoDB restore does: the same customer managed key, or the default.
  const encryption: Record<string, string> = given === undefined
    ? (rp.sseKmsKeyArn ? { encryptionType: 'KMS', kmsMasterKeyArn: rp.sseKmsKeyArn } : { encryptionType: 'Default' })
    : { encryptionType: given };
  const token = optString(ctx.body, 'IdempotencyToken');
  if (token) {
    const previous = deps.state.restoreJobs[deps.state.idempotency[`restore:${token}`] ?? ''];
    if (previous) return { body: { RestoreJobId: previous.id } };
  }
  // A recovery point is restored in its own region (a DR copy in the DR region).
  const fault = deps.faults.takeJobFault('restore', rp.region);
  const corruption = deps.faults.takeCorruption(rp.region);
  const job: RestoreJobRecord = {
    id: uuid().toUpperCase(),
    region: rp.region,
    accountId: ctx.accountId,
    recoveryPointArn: rp.arn,
    vaultArn: rp.vaultArn,
    sourceResourceArn: rp.resourceArn,
    iamRoleArn,
    metadata: { ...metadata, ...encryption },
    copySourceTags: copyTags === true ? true : undefined,
    status: 'PENDING',
    percentDone: 0,
    creationDate: ctx.now,
    backupSizeInBytes: rp.backupSizeInBytes,
    recoveryPointCreationDate: rp.creationDate,
    fault: fault ? { outcome: fault.outcome, message: fault.message } : undefined,
    dropItems: corruption?.dropItems,
  };
  deps.state.restoreJobs[job.id] = job;
  if (token) deps.state.idempotency[`restore:${token}`] = job.id;
  deps.jobs.startRestore(job);
  return { mutated: true, body: { RestoreJobId: job.id } };
};

export const describeRestoreJob: Handler = (ctx, deps) => {
  const id = ctx.params.RestoreJobId;
  const job = deps.state.restoreJobs[id];
  if (!job) throw notFound(`Restore job ${id} not found`);
  return { body: shape(job) };
};

export const listRestoreJobs: Handler = (ctx, deps) => {
  const q = ctx.query;
  const jobs = listJobs(ctx, Object.values(deps.state.restoreJobs), {
    state: { param: 'status', member: 'ByStatus', values: STATUSES, of: (j) => j.status },
  });
  const { page, nextToken } = paginate(jobs, q);
  return { body: { RestoreJobs: page.map(shape), NextToken: nextToken } };
};
