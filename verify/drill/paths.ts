/**
 * The three restore paths of the drill. Each restores into its own scratch table (registered
 * before the call that creates it, so cleanup finds it whatever happens), waits for it ACTIVE,
 * measures its RTO against the target and checks the restored design. None throws: a failure is a
 * check of its own path, and the other paths go on.
 */
import {
  CopyJob,
  DescribeRestoreJobCommandOutput,
  GetRecoveryPointRestoreMetadataCommand,
  ListCopyJobsCommand,
  RecoveryPointByBackupVault,
  StartRestoreJobCommand,
  type BackupClient,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, RestoreTableToPointInTimeCommand, TableDescription } from '@aws-sdk/client-dynamodb';
import type { DrillPath } from '../../core/contract';
import { describeError } from '../../core/aws/errors';
import { listTableRecoveryPoints } from '../../core/aws/recovery-points';
import type { PollOutcome } from '../../core/poller';
import { waitForCopyJob, waitForRestorableTime, waitForRestoreJob, waitForTableActive } from '../../core/waiters';
import { check, CheckResult, Diff, difference, fromDiff, isOwnFailure } from '../checks/check';
import { diffEncryption, diffTableDesign } from '../checks/table';
import type { DrillContext, DrillPathMetrics, Mutable } from './types';
import { tagScratchTable } from './scratch';

const DRILL = 'drill' as const;

/** One path's state while the drill runs. */
export interface PathRun {
  readonly path: DrillPath;
  readonly region: string;
  /** Its scratch table. */
  readonly table: string;
  /** DynamoDB in the path's region. */
  readonly dynamodb: DynamoDBClient;
  /** This path's checks, in the order they happened. */
  readonly checks: CheckResult[];
  readonly metrics: Mutable<DrillPathMetrics>;
  /** The path began (a recovery point was found). */
  started: boolean;
  /** Validation found this path's restore different from the backup restore. */
  failed: boolean;
  /** The restored table, once ACTIVE. */
  restored?: TableDescription;
}

/** Check ids and titles per path. */
const NAMES: Record<DrillPath, { restore: string; design: string; what: string }> = {
  backup: { restore: 'DRILL-RESTORE', design: 'DRILL-DESIGN', what: 'Restore' },
  pitr: { restore: 'DRILL-RESTORE-PITR', design: 'DRILL-DESIGN-PITR', what: 'Point-in-time restore to the recovery point\'s time' },
  dr: { restore: 'DRILL-RESTORE-DR', design: 'DRILL-DESIGN-DR', what: 'Restore of the DR copy in the DR region' },
};

const rtoTitle = (ctx: DrillContext, path: DrillPath) => `${NAMES[path].what} completes within the RTO (${ctx.o.contract.drill.rtoMinutes} min)`;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The backup path: StartRestoreJob of the recovery point into scratch table A. */
export async function backupPath(ctx: DrillContext, run: PathRun, point: RecoveryPointByBackupVault): Promise<void> {
  const { outputs, contract, clients } = ctx.o;
  run.started = true;
  run.metrics.recoveryPointArn = point.RecoveryPointArn;
  await guarded(ctx, run, async () => {
    const vault = outputs.vaultName ?? contract.backup.vaultName;
    await restoreJob(ctx, run, clients.backup, vault, point.RecoveryPointArn ?? '', outputs.keyArn);
  });
}

/** The pitr path: RestoreTableToPointInTime of the source, at the recovery point's creation time, into scratch table B. */
export async function pitrPath(ctx: DrillContext, run: PathRun, point: RecoveryPointByBackupVault): Promise<void> {
  const { outputs, signal } = ctx.o;
  run.started = true;
  await guarded(ctx, run, async () => {
    const T = point.CreationDate;
    const id = NAMES.pitr.restore;
    if (!T) {
      run.checks.push(check(id, rtoTitle(ctx, 'pitr'), DRILL, { status: 'fail', message: `recovery point ${point.RecoveryPointArn} has no CreationDate: no time to restore to` }));
      return;
    }
    run.metrics.restoreDateTime = T.toISOString();
    // AWS keeps the latest restorable time about five minutes behind now: a fresh point may need a wait.
    const waitStart = ctx.clock().getTime();
    const window = await waitForRestorableTime(ctx.o.clients.dynamodb, ctx.sourceTable, T, { ...ctx.pollBase, maxWaitMs: ctx.deadlineMs, signal, onProgress: (p) => ctx.o.onProgress?.('point-in-time window', p) });
    run.metrics.waitedSeconds = seconds(ctx.clock().getTime() - waitStart);
    if (window.state === 'ABORTED') return;
    if (window.state !== 'SUCCESS') {
      const reason = window.state === 'TIMEOUT' ? `the latest restorable time of ${ctx.sourceTable} did not reach ${T.toISOString()} within ${Math.round(ctx.deadlineMs / 1000)} s` : window.reason;
      run.checks.push(check(id, rtoTitle(ctx, 'pitr'), DRILL, { status: 'fail', message: `no point-in-time restore to ${T.toISOString()}: ${reason}`, evidence: [`source table ${ctx.sourceTable}`, `recovery point ${point.RecoveryPointArn}`] }));
      return;
    }
    const start = ctx.clock().getTime();
    run.metrics.restoreRequestedAt = new Date(start).toISOString();
    ctx.scratch.add(run.table, run.region, run.dynamodb);
    try {
      await ctx.o.clients.dynamodb.send(new RestoreTableToPointInTimeCommand({
        SourceTableName: ctx.sourceTable,
        TargetTableName: run.table,
        RestoreDateTime: T,
        // Encrypted like the backup restore: with the contract's key.
        ...(outputs.keyArn ? { SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: outputs.keyArn } } : {}),
      }));
    } catch (e) {
      run.checks.push(check(id, rtoTitle(ctx, 'pitr'), DRILL, { status: 'fail', message: `RestoreTableToPointInTime of ${ctx.sourceTable} to ${T.toISOString()} failed: ${describeError(e)}`, evidence: [`scratch table ${run.table}`], error: isOwnFailure(e) }));
      return;
    }
    ctx.log(`point-in-time restore of ${ctx.sourceTable} to ${T.toISOString()} started into ${run.table}`);
    await becomeActive(ctx, run, start, `RestoreTableToPointInTime to ${T.toISOString()}`, [`source table ${ctx.sourceTable}`, `restore time ${T.toISOString()}`, `scratch table ${run.table}`]);
  });
}

/** The dr path: the copy of the recovery point in the DR vault, restored in the DR region into scratch table C. */
export async function drPath(ctx: DrillContext, run: PathRun, point: RecoveryPointByBackupVault): Promise<void> {
  const { outputs, contract } = ctx.o;
  run.started = true;
  await guarded(ctx, run, async () => {
    const drCopy = contract.backup.drCopy;
    if (!drCopy) {
      run.checks.push(check('DRILL-DR-COPY', 'The recovery point has a COMPLETED copy in the DR vault', DRILL, { status: 'fail', message: 'the contract declares no DR vault (backup.drRegion)' }));
      return;
    }
    const drVault = outputs.drVaultName ?? drCopy.vaultName;
    const drBackup = ctx.o.clients.backupIn(drCopy.region);
    const copy = await findCopy(ctx, run, point, drBackup, drVault);
    if (!copy) return;
    run.metrics.recoveryPointArn = copy;
    await restoreJob(ctx, run, drBackup, drVault, copy, outputs.drKeyArn);
  });
}

/** Runs a path body; an unexpected error becomes a failed check of the path (unless aborted). */
async function guarded(ctx: DrillContext, run: PathRun, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (ctx.o.signal?.aborted) return;
    run.checks.push(check(NAMES[run.path].restore, rtoTitle(ctx, run.path), DRILL, { status: 'fail', message: `${run.path} path stopped: ${describeError(e)}`, evidence: [describeError(e)], error: true }));
  }
}

/** StartRestoreJob of a recovery point into the run's scratch table, then ACTIVE. */
async function restoreJob(ctx: DrillContext, run: PathRun, backup: BackupClient, vault: string, recoveryPointArn: string, keyArn: string | undefined): Promise<void> {
  const meta = await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: recoveryPointArn }));
  // Encrypted with the contract's key; without a key output the recovery point's own settings apply.
  const encryption: Record<string, string> = keyArn ? { encryptionType: 'KMS', kmsMasterKeyArn: keyArn } : {};
  const metadata: Record<string, string> = { ...(meta.RestoreMetadata ?? {}), targetTableName: run.table, ...encryption };
  const start = ctx.clock().getTime();
  run.metrics.restoreRequestedAt = new Date(start).toISOString();
  ctx.scratch.add(run.table, run.region, run.dynamodb);
  const job = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: recoveryPointArn, IamRoleArn: ctx.o.outputs.backupRoleArn, Metadata: metadata, ResourceType: 'DynamoDB' }));
  run.metrics.restoreJobId = job.RestoreJobId;
  ctx.log(`restore job ${job.RestoreJobId} started into ${run.table}${run.region !== ctx.o.clients.region ? ` in ${run.region}` : ''} (deadline ${Math.round(ctx.deadlineMs / 1000)} s)`);
  const what = run.path === 'backup' ? 'restore' : `${run.path} restore`;
  const outcome = await waitForRestoreJob(backup, job.RestoreJobId ?? '', { ...ctx.pollBase, maxWaitMs: ctx.deadlineMs, signal: ctx.o.signal, onProgress: (p) => ctx.o.onProgress?.(what, p) });
  run.metrics.restoreJobStatus = outcome.value?.Status;
  if (outcome.state === 'ABORTED') return;
  if (outcome.state !== 'SUCCESS') {
    run.checks.push(restoreFailure(ctx, run, outcome, recoveryPointArn));
    return;
  }
  await becomeActive(ctx, run, start, `restore job ${job.RestoreJobId} COMPLETED`, [`restore job ${job.RestoreJobId}`, `recovery point ${recoveryPointArn}`, `scratch table ${run.table}${run.region !== ctx.o.clients.region ? ` in ${run.region}` : ''}`]);
}

function restoreFailure(ctx: DrillContext, run: PathRun, outcome: PollOutcome<DescribeRestoreJobCommandOutput>, recoveryPointArn: string): CheckResult {
  const job = outcome.value?.RestoreJobId ?? run.metrics.restoreJobId;
  const evidence = [`restore job ${job}`, `recovery point ${recoveryPointArn}`];
  const where = run.region !== ctx.o.clients.region ? ` in ${run.region}` : '';
  if (outcome.state === 'TIMEOUT') {
    return check(NAMES[run.path].restore, rtoTitle(ctx, run.path), DRILL, { status: 'fail', message: `restore job ${job}${where} still ${outcome.value?.Status ?? 'unknown'} after the ${Math.round(ctx.deadlineMs / 1000)} s deadline (TS_E_RESTORE_TIMEOUT); if it completes later, \`tablesafe janitor${where ? ` --region ${run.region}` : ''}\` removes its table`, evidence, error: true });
  }
  return check(NAMES[run.path].restore, rtoTitle(ctx, run.path), DRILL, { status: 'fail', message: `restore job ${job ?? ''}${where} FAILED: ${outcome.value?.StatusMessage ?? outcome.reason ?? 'no status message'}`, evidence });
}

/** Waits for the scratch table ACTIVE, measures the RTO from `start`, tags the table and checks its design. */
async function becomeActive(ctx: DrillContext, run: PathRun, start: number, done: string, evidence: string[]): Promise<void> {
  const { contract, outputs } = ctx.o;
  const id = NAMES[run.path].restore;
  const remaining = ctx.deadlineMs - (ctx.clock().getTime() - start);
  const out = await waitForTableActive(run.dynamodb, run.table, { ...ctx.pollBase, maxWaitMs: Math.max(remaining, 1_000), signal: ctx.o.signal });
  if (out.state === 'ABORTED') return;
  if (out.state !== 'SUCCESS' || !out.value) {
    run.checks.push(check(id, `Restored table becomes ACTIVE (${run.path} path)`, DRILL, { status: 'fail', message: difference(`${run.path}.restored.status`, 'ACTIVE', out.value?.TableStatus ?? out.reason ?? 'missing'), evidence }));
    return;
  }
  const end = ctx.clock().getTime();
  run.metrics.restoredAt = new Date(end).toISOString();
  const rto = seconds(end - start);
  run.metrics.rtoMeasuredSeconds = rto;
  const ok = rto <= contract.drill.rtoMinutes * 60;
  run.checks.push(check(id, rtoTitle(ctx, run.path), DRILL, {
    status: ok ? 'pass' : 'fail',
    message: ok ? `${done}; ${run.table} ACTIVE in ${rto} s` : difference(`drill.${run.path === 'backup' ? '' : `${run.path}.`}rtoSeconds`, `<= ${contract.drill.rtoMinutes * 60}`, rto),
    evidence,
    measurement: { quantity: 'rto', value: rto, unit: 'seconds', target: contract.drill.rtoMinutes * 60, subject: run.path },
    seconds: rto,
  }));
  run.restored = out.value;
  if (out.value.TableArn) await tagScratchTable(run.dynamodb, out.value.TableArn, ctx.o.runId).catch((e) => ctx.log(`tagging ${run.table} failed: ${describeError(e)}`));
  const keyArn = run.path === 'dr' ? outputs.drKeyArn : outputs.keyArn;
  const d = diffTableDesign(contract, out.value, new Diff());
  diffEncryption(keyArn, out.value, `${run.path === 'backup' ? '' : `${run.path}.`}restored.sse`, d);
  const what = run.path === 'backup' ? 'Restored table' : run.path === 'pitr' ? 'Point-in-time restored table' : 'DR-restored table';
  const r = fromDiff(NAMES[run.path].design, `${what}: schema, indexes and encryption equal the contract`, d, `restored ${out.value.TableName} matches the contract's design and key`, [`table ${out.value.TableArn}`]);
  run.checks.push({ ...r, category: DRILL });
}

/**
 * The DR vault's copy of `point`: from the copy jobs of the source region (the job that copied
 * this point into the DR vault; one still running is waited for), confirmed COMPLETED in the DR
 * vault by ListRecoveryPointsByBackupVault in the DR region. Undefined (with a failed
 * DRILL-DR-COPY check) when there is none.
 */
async function findCopy(ctx: DrillContext, run: PathRun, point: RecoveryPointByBackupVault, drBackup: BackupClient, drVault: string): Promise<string | undefined> {
  const { outputs, clients } = ctx.o;
  const title = 'The recovery point has a COMPLETED copy in the DR vault';
  const where = `${drVault} (${run.region})`;
  const fail = (message: string, evidence: string[] = []): undefined => {
    run.checks.push(check('DRILL-DR-COPY', title, DRILL, { status: 'fail', message, evidence: [`recovery point ${point.RecoveryPointArn}`, `DR vault ${where}`, ...evidence] }));
    return undefined;
  };
  const jobs: CopyJob[] = [];
  let token: string | undefined;
  do {
    const page = await clients.backup.send(new ListCopyJobsCommand({ ByResourceArn: outputs.tableArn, NextToken: token }));
    jobs.push(...(page.CopyJobs ?? []).filter((j) => j.SourceRecoveryPointArn === point.RecoveryPointArn && intoVault(j.DestinationBackupVaultArn, drVault, run.region)));
    token = page.NextToken;
  } while (token);
  jobs.sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0));
  let done = jobs.find((j) => j.State === 'COMPLETED' && j.DestinationRecoveryPointArn);
  const running = jobs.find((j) => j.State === 'CREATED' || j.State === 'RUNNING');
  if (!done && running?.CopyJobId) {
    ctx.log(`copy job ${running.CopyJobId} into ${where} still ${running.State}: waiting for it`);
    const waitStart = ctx.clock().getTime();
    const out = await waitForCopyJob(clients.backup, running.CopyJobId, { ...ctx.pollBase, maxWaitMs: ctx.deadlineMs, signal: ctx.o.signal, onProgress: (p) => ctx.o.onProgress?.('copy', p) });
    run.metrics.waitedSeconds = seconds(ctx.clock().getTime() - waitStart);
    if (out.state === 'ABORTED') return undefined;
    if (out.state !== 'SUCCESS') return fail(`copy job ${running.CopyJobId} into ${where} ${out.state === 'TIMEOUT' ? `still ${out.value?.State ?? 'running'} after the ${Math.round(ctx.deadlineMs / 1000)} s deadline` : `did not complete: ${out.reason}`}`, [`copy job ${running.CopyJobId}`]);
    done = out.value;
  }
  if (!done) {
    const failed = jobs.find((j) => j.State === 'FAILED' || j.State === 'PARTIAL');
    if (failed) return fail(`copy job ${failed.CopyJobId} into ${where} ${failed.State}: ${failed.StatusMessage ?? 'no status message'}`, [`copy job ${failed.CopyJobId}`]);
    return fail(`${difference('drCopy', `a COMPLETED copy of ${point.RecoveryPointArn} in ${where}`, 'none: no copy job copied it there')} — check the plan rule's copy action (or run \`tablesafe drill --fresh\`)`);
  }
  run.metrics.copyJobId = done.CopyJobId;
  const copyArn = done.DestinationRecoveryPointArn ?? '';
  const listed = (await listTableRecoveryPoints(drBackup, drVault, outputs.tableArn ?? '')).find((p) => p.RecoveryPointArn === copyArn);
  if (!listed) return fail(`copy job ${done.CopyJobId} made ${copyArn}, but ${where} does not list it (deleted since?)`, [`copy job ${done.CopyJobId}`]);
  if (listed.Status !== 'COMPLETED') return fail(difference('drCopy.status', 'COMPLETED', listed.Status), [`copy ${copyArn}`]);
  run.checks.push(check('DRILL-DR-COPY', title, DRILL, { status: 'pass', message: `copy ${copyArn} in ${where} (copy job ${done.CopyJobId})`, evidence: [`recovery point ${point.RecoveryPointArn}`, `copy ${copyArn}`, `copy job ${done.CopyJobId}`] }));
  return copyArn;
}

/** Whether a vault ARN names `vault` in `region`. */
function intoVault(arn: string | undefined, vault: string, region: string): boolean {
  const m = /^arn:[^:]+:backup:([^:]+):[^:]*:backup-vault:(.+)$/.exec(arn ?? '');
  return m !== null && m[1] === region && m[2] === vault;
}
