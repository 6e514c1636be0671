/**
 * The demo's on-demand AWS Backup job (seed 000 step 3: "Created on-demand backup … Verified backup
 * status completion"): StartBackupJob of the table into the stack's vault with the backup service
 * role, then DescribeBackupJob until COMPLETED, reporting PercentDone.
 */
import { BackupClient, StartBackupJobCommand } from '@aws-sdk/client-backup';
import type { PollProgress } from '../core/poller';
import { waitForBackupJob } from '../core/waiters';
import { TablesafeError } from '../core/errors';

export interface BackupJobOptions {
  readonly client: BackupClient;
  readonly vaultName: string;
  readonly tableArn: string;
  readonly backupRoleArn: string;
  /** Makes a retried start idempotent. */
  readonly idempotencyToken: string;
  /**
   * Tags of the recovery point (the stack's plan tags its points with their table, and the drill
   * role restores only points so tagged). @default none
   */
  readonly recoveryPointTags?: Readonly<Record<string, string>>;
  /** @default 15 minutes */
  readonly maxWaitMs?: number;
  /** @default never aborted */
  readonly signal?: AbortSignal;
  /** @default silent */
  readonly onProgress?: (state: string, p: PollProgress) => void;
  /** Poll timing. @default 250 ms min, 5 s max */
  readonly poll?: { readonly minDelayMs?: number; readonly maxDelayMs?: number };
}

export interface BackupJobResult {
  readonly backupJobId: string;
  readonly recoveryPointArn: string;
  readonly durationMs: number;
}

export async function runBackupJob(o: BackupJobOptions): Promise<BackupJobResult> {
  const started = Date.now();
  const job = await o.client.send(new StartBackupJobCommand({
    BackupVaultName: o.vaultName,
    ResourceArn: o.tableArn,
    IamRoleArn: o.backupRoleArn,
    IdempotencyToken: o.idempotencyToken,
    ...(o.recoveryPointTags ? { RecoveryPointTags: { ...o.recoveryPointTags } } : {}),
  }));
  const id = job.BackupJobId ?? '';
  const outcome = await waitForBackupJob(o.client, id, {
    maxWaitMs: o.maxWaitMs ?? 15 * 60_000,
    minDelayMs: o.poll?.minDelayMs ?? 250,
    maxDelayMs: o.poll?.maxDelayMs ?? 5_000,
    signal: o.signal,
    onProgress: (p) => o.onProgress?.(p.reason ?? 'RUNNING', p),
  });
  if (outcome.state === 'ABORTED') throw new TablesafeError('TS_E_ABORTED', `backup job ${id} wait was interrupted`, 'the job may still finish in the sandbox; run the demo again');
  if (outcome.state === 'TIMEOUT') throw new TablesafeError('TS_E_BACKUP_TIMEOUT', `backup job ${id} did not complete in time: ${outcome.reason}`, 'check the sandbox (tablesafe sandbox start) or raise --time-scale');
  if (outcome.state === 'FAILURE' || !outcome.value?.RecoveryPointArn) {
    throw new TablesafeError('TS_E_BACKUP_FAILED', `backup job ${id} did not complete: ${outcome.reason ?? 'no recovery point reported'}`, 'read the job status message above; check the backup role and the vault');
  }
  return { backupJobId: id, recoveryPointArn: outcome.value.RecoveryPointArn, durationMs: Date.now() - started };
}
