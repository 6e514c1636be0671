import { invalidValue, notFound } from '../errors';
import { reqString } from '../input';
import { readLifecycle } from '../lifecycle';
import { paginate } from '../paging';
import type { CopyJobRecord } from '../state';
import { getVault } from './vaults';
import { sec, type Handler } from '../context';
import { listJobs } from './job-list';

/** ByState values AWS accepts (PARTIAL is for composite jobs, which DynamoDB copies never are). */
const STATES = ['CREATED', 'RUNNING', 'COMPLETED', 'FAILED', 'PARTIAL'];

function shape(job: CopyJobRecord): Record<string, unknown> {
  return {
    AccountId: job.accountId,
    CopyJobId: job.id,
    SourceBackupVaultArn: job.sourceVaultArn,
    SourceRecoveryPointArn: job.sourceRecoveryPointArn,
    DestinationBackupVaultArn: job.destinationVaultArn,
    DestinationRecoveryPointArn: job.destinationRecoveryPointArn,
    DestinationRecoveryPointLifecycle: job.lifecycle,
    ResourceArn: job.resourceArn,
    ResourceType: 'DynamoDB',
    CreationDate: sec(job.creationDate),
    CompletionDate: sec(job.completionDate),
    State: job.state,
    StatusMessage: job.statusMessage,
    BackupSizeInBytes: job.backupSizeInBytes,
    IamRoleArn: job.iamRoleArn,
    CreatedBy: job.createdBy,
    CreatedByBackupJobId: job.createdByBackupJobId,
    IsParent: false,
  };
}

export const startCopyJob: Handler = (ctx, deps) => {
  const rpArn = reqString(ctx.body, 'RecoveryPointArn');
  const sourceVault = getVault(deps.state, ctx.region, reqString(ctx.body, 'SourceBackupVaultName'));
  const destination = reqString(ctx.body, 'DestinationBackupVaultArn');
  if (!/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:.+$/.test(destination)) {
    throw invalidValue(`Invalid value for DestinationBackupVaultArn: ${JSON.stringify(destination)} is not a backup vault ARN`);
  }
  const iamRoleArn = reqString(ctx.body, 'IamRoleArn');
  const lifecycle = readLifecycle(ctx.body, 'Lifecycle', 'Lifecycle');
  const rp = deps.state.recoveryPoints[rpArn];
  if (!rp || rp.vaultArn !== sourceVault.arn) throw notFound(`Recovery point ${rpArn} not found in backup vault ${sourceVault.name}`);
  const job = deps.jobs.newCopyJob(rp, destination, lifecycle, undefined, iamRoleArn);
  deps.jobs.startCopy(job);
  return { mutated: true, body: { CopyJobId: job.id, CreationDate: sec(job.creationDate), IsParent: false } };
};

export const describeCopyJob: Handler = (ctx, deps) => {
  const job = deps.state.copyJobs[ctx.params.CopyJobId];
  if (!job) throw notFound(`Copy job ${ctx.params.CopyJobId} not found`);
  return { body: { CopyJob: shape(job) } };
};

export const listCopyJobs: Handler = (ctx, deps) => {
  const q = ctx.query;
  const jobs = listJobs(ctx, Object.values(deps.state.copyJobs), {
    state: { param: 'state', member: 'ByState', values: STATES, of: (j) => j.state },
    equal: { resourceArn: (j) => j.resourceArn, destinationVaultArn: (j) => j.destinationVaultArn },
  });
  const { page, nextToken } = paginate(jobs, q);
  return { body: { CopyJobs: page.map(shape), NextToken: nextToken } };
};
