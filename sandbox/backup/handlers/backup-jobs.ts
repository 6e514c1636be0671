import { invalidRequest, invalidValue, missingValue, notFound } from '../errors';
import { parseTableArn, uuid } from '../ids';
import { optString, optStringMap, reqString } from '../input';
import { readLifecycle } from '../lifecycle';
import { JobRunner } from '../jobs/runner';
import { paginate } from '../paging';
import type { BackupJobRecord, BackupJobState, Creator, Lifecycle } from '../state';
import { getVault } from './vaults';
import { sec, type Ctx, type Deps, type Handler } from '../context';
import { listJobs } from './job-list';
import { regionSettings } from './settings';

const STATES: BackupJobState[] = ['CREATED', 'PENDING', 'RUNNING', 'ABORTING', 'ABORTED', 'COMPLETED', 'FAILED', 'EXPIRED', 'PARTIAL'];

export function backupJobShape(job: BackupJobRecord): Record<string, unknown> {
  return {
    AccountId: job.accountId,
    BackupJobId: job.id,
    BackupVaultName: job.vaultName,
    BackupVaultArn: job.vaultArn,
    VaultType: 'BACKUP_VAULT',
    RecoveryPointArn: job.recoveryPointArn,
    RecoveryPointLifecycle: job.lifecycle,
    ResourceArn: job.resourceArn,
    ResourceName: job.resourceName,
    ResourceType: 'DynamoDB',
    CreationDate: sec(job.creationDate),
    InitiationDate: sec(job.creationDate),
    CompletionDate: sec(job.completionDate),
    StartBy: sec(job.startBy),
    State: job.state,
    StatusMessage: job.statusMessage,
    PercentDone: job.percentDone.toFixed(1),
    BackupSizeInBytes: job.backupSizeInBytes,
    IamRoleArn: job.iamRoleArn,
    CreatedBy: job.createdBy,
    BackupType: 'SNAPSHOT',
    IsParent: false,
  };
}

export interface NewBackupJob {
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly iamRoleArn: string;
  readonly lifecycle?: Lifecycle;
  readonly recoveryPointTags?: Record<string, string>;
  readonly createdBy?: Creator;
  readonly copyActions?: BackupJobRecord['copyActions'];
  readonly startWindowMinutes?: number;
}

/** Records a backup job (taking the next job fault, if any) and hands it to the runner. */
export function createBackupJob(deps: Deps, region: string, accountId: string, now: number, input: NewBackupJob): BackupJobRecord {
  const vault = getVault(deps.state, region, input.vaultName);
  const table = parseTableArn(input.resourceArn);
  if (!table) {
    throw invalidValue(`Invalid value for ResourceArn: ${JSON.stringify(input.resourceArn)} is not a DynamoDB table ARN (the sandbox backs up DynamoDB tables only)`);
  }
  const fault = deps.faults.takeJobFault('backup', region);
  const job: BackupJobRecord = {
    id: uuid().toUpperCase(),
    region,
    accountId,
    vaultName: vault.name,
    vaultArn: vault.arn,
    resourceArn: input.resourceArn,
    resourceName: table.tableName,
    iamRoleArn: input.iamRoleArn,
    recoveryPointArn: JobRunner.recoveryPointArnFor(input.resourceArn, now, regionSettings(deps.state, region).ResourceTypeManagementPreference.DynamoDB === true),
    lifecycle: input.lifecycle,
    recoveryPointTags: input.recoveryPointTags,
    createdBy: input.createdBy,
    copyActions: input.copyActions,
    state: 'CREATED',
    percentDone: 0,
    creationDate: now,
    startBy: now + (input.startWindowMinutes ?? 480) * 60_000,
    fault: fault ? { outcome: fault.outcome, message: fault.message } : undefined,
  };
  deps.state.backupJobs[job.id] = job;
  return job;
}

export const startBackupJob: Handler = (ctx, deps) => {
  const vaultName = reqString(ctx.body, 'BackupVaultName');
  const resourceArn = reqString(ctx.body, 'ResourceArn');
  const iamRoleArn = reqString(ctx.body, 'IamRoleArn');
  const lifecycle = readLifecycle(ctx.body, 'Lifecycle', 'Lifecycle');
  const tags = optStringMap(ctx.body, 'RecoveryPointTags');
  const token = optString(ctx.body, 'IdempotencyToken');
  if (token) {
    const previous = deps.state.backupJobs[deps.state.idempotency[`backup:${token}`] ?? ''];
    if (previous) return { body: { BackupJobId: previous.id, RecoveryPointArn: previous.recoveryPointArn, CreationDate: sec(previous.creationDate), IsParent: false } };
  }
  const job = createBackupJob(deps, ctx.region, ctx.accountId, ctx.now, { vaultName, resourceArn, iamRoleArn, lifecycle, recoveryPointTags: tags });
  if (token) deps.state.idempotency[`backup:${token}`] = job.id;
  deps.jobs.startBackup(job);
  return { mutated: true, body: { BackupJobId: job.id, RecoveryPointArn: job.recoveryPointArn, CreationDate: sec(job.creationDate), IsParent: false } };
};

function getJob(ctx: Ctx, deps: Deps): BackupJobRecord {
  const id = ctx.params.BackupJobId;
  if (!id) throw missingValue('BackupJobId');
  const job = deps.state.backupJobs[id];
  if (!job) throw notFound(`Backup job ${id} not found`);
  return job;
}

export const describeBackupJob: Handler = (ctx, deps) => ({ body: backupJobShape(getJob(ctx, deps)) });

export const stopBackupJob: Handler = (ctx, deps) => {
  const job = getJob(ctx, deps);
  if (job.state !== 'CREATED' && job.state !== 'PENDING' && job.state !== 'RUNNING') {
    throw invalidRequest(`Backup job ${job.id} is ${job.state} and cannot be stopped`);
  }
  job.state = 'ABORTED';
  job.statusMessage = 'Backup job was stopped by user.';
  job.completionDate = ctx.now;
  return { mutated: true };
};

export const listBackupJobs: Handler = (ctx, deps) => {
  const q = ctx.query;
  const jobs = listJobs(ctx, Object.values(deps.state.backupJobs), {
    state: { param: 'state', member: 'ByState', values: STATES, of: (j) => j.state },
    equal: { resourceArn: (j) => j.resourceArn, backupVaultName: (j) => j.vaultName },
  });
  const { page, nextToken } = paginate(jobs, q);
  return { body: { BackupJobs: page.map(backupJobShape), NextToken: nextToken } };
};
