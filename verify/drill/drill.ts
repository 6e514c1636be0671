/**
 * The restore drill. A recovery point holds the table as it was at its creation time T, so the
 * drill validates against T, never against the table of now:
 *
 * - backup path: the latest COMPLETED recovery point (or a `--fresh` one) → StartRestoreJob →
 *   scratch table A;
 * - pitr path: RestoreTableToPointInTime(source, T) → scratch table B; digest(B) must equal
 *   digest(A): two independent AWS restore paths agree on the table at T;
 * - dr path: the copy of that recovery point in the DR vault, restored in the DR region →
 *   scratch table C; digest(C) must equal digest(A);
 * - data at risk: A against the live source: items added, changed and removed since T (a
 *   figure, not a failure).
 *
 * The paths run side by side, each with its own deadline and RTO. Every scratch table in every
 * region is deleted and confirmed gone at the end, whatever happened (failure, timeout, abort).
 *
 * Roles: verify runs as the caller (default credential chain; in CI typically the restore-drill
 * role). `StartRestoreJob`'s IamRoleArn is the role AWS Backup itself assumes to create and fill
 * the table — the backup service role output (`backup_role_arn`), not the drill role.
 *
 * Failures (no recovery point, job FAILED, deadline, abort, paths that disagree) become failed
 * checks; the drill never throws past its cleanup.
 */
import { RecoveryPointByBackupVault, StartBackupJobCommand, StartCopyJobCommand } from '@aws-sdk/client-backup';
import type { Contract, DrillPath } from '../../core/contract';
import { DEFAULT_MAX_KEYS, drillPathsOf, onDemandRetentionDays, RECOVERY_POINT_TABLE_TAG } from '../../core/contract';
import { describeError } from '../../core/aws/errors';
import { waitForBackupJob } from '../../core/waiters';
import { latestCompleted } from '../../core/aws/recovery-points';
import { minutesBetween } from '../checks/backup';
import { check, CheckResult, difference } from '../checks/check';
import { listRecoveryPoints } from '../../compliance/facts/live-state';
import { backupPath, drPath, pitrPath, PathRun } from './paths';
import { scratchTableName, ScratchTables } from './scratch';
import type { DrillContext, DrillMetrics, DrillOptions, DrillResult, Mutable } from './types';
import { validateData } from './validate';

export type { DataAtRisk, DrillContext, DrillMetrics, DrillOptions, DrillPathMetrics, DrillResult, Mutable, PathAgreement, Sampling, SampledKey } from './types';

export const DRILL = 'drill' as const;

/** Stops the drill before any restore starts, with the check that says why. */
export class DrillStop extends Error {
  constructor(readonly result: CheckResult) {
    super(result.message);
  }
}

export async function runDrill(o: DrillOptions): Promise<DrillResult> {
  const { contract, outputs, clients } = o;
  const clock = o.clock ?? (() => new Date());
  const log = o.log ?? (() => undefined);
  const started = clock().getTime();
  const sourceTable = outputs.tableName ?? contract.table.name;
  const paths = o.paths ? drillPathsOf({ ...contract, drill: { ...contract.drill, paths: o.paths } }) : drillPathsOf(contract);
  const ctx: DrillContext = {
    o,
    clock,
    log,
    sourceTable,
    deadlineMs: o.timeoutMs ?? contract.drill.rtoMinutes * 60_000,
    pollBase: { minDelayMs: o.poll?.minDelayMs ?? 2_000, maxDelayMs: o.poll?.maxDelayMs ?? 30_000, now: o.poll?.now, sleep: o.poll?.sleep, random: o.poll?.random },
    scratch: new ScratchTables(),
    maxKeys: o.maxKeys ?? contract.drill.validation.maxKeys ?? DEFAULT_MAX_KEYS,
  };
  const checks: CheckResult[] = [];
  const runs: PathRun[] = paths.map((path) => newRun(ctx, path));
  const m: Mutable<DrillMetrics> = {
    runId: o.runId,
    scratchTable: runs[0]?.table ?? scratchTableName(sourceTable, o.runId),
    rpoTargetMinutes: contract.backup.rpoMinutes,
    rtoTargetMinutes: contract.drill.rtoMinutes,
    itemsValidated: 0,
    mismatches: 0,
    drillSeconds: 0,
    cleanedUp: false,
    paths: [],
    ...(contract.drill.allowEmptyTable ? { emptyTableAllowed: true } : {}),
  };

  try {
    const fresh = o.fresh ? await freshBackup(ctx, paths, checks) : undefined;
    m.backupJobId = fresh?.jobId;
    // --fresh restores the point its own backup made, not whatever a schedule made meanwhile.
    const point = await pickRecoveryPoint(ctx, clock(), checks, fresh?.recoveryPointArn);
    m.recoveryPointArn = point.RecoveryPointArn;
    m.recoveryPointCreatedAt = point.CreationDate?.toISOString();
    m.rpoMeasuredMinutes = point.CreationDate ? minutesBetween(point.CreationDate, clock()) : undefined;

    // Side by side: each path has its own deadline, RTO, checks and scratch table.
    await Promise.all(runs.map((run) => (run.path === 'backup' ? backupPath(ctx, run, point) : run.path === 'pitr' ? pitrPath(ctx, run, point) : drPath(ctx, run, point))));
    for (const run of runs) checks.push(...run.checks);
    const backup = runs.find((r) => r.path === 'backup');
    m.restoreJobId = backup?.metrics.restoreJobId;
    m.restoreJobStatus = backup?.metrics.restoreJobStatus;
    m.rtoMeasuredSeconds = backup?.metrics.rtoMeasuredSeconds;
    if (backup?.restored) {
      checks.push(reapplyReminder(contract));
      if (!o.signal?.aborted) await validateData(ctx, runs, point, m, checks);
    }
    if (o.signal?.aborted) checks.push(aborted());
  } catch (e) {
    if (e instanceof DrillStop) checks.push(e.result);
    else if (o.signal?.aborted) checks.push(aborted());
    else checks.push(check('DRILL-ERROR', 'Restore drill ran to completion', DRILL, { status: 'fail', message: `drill stopped: ${describeError(e)}`, evidence: [describeError(e)], error: true }));
  } finally {
    if (ctx.scratch.size > 0) {
      const cleanup = await ctx.scratch.deleteAll({ ...ctx.pollBase, maxWaitMs: 10 * 60_000 });
      for (const run of runs) run.metrics.cleanedUp = cleanup.find((c) => c.table === run.table && c.region === run.region)?.outcome.deleted ?? true;
      const left = cleanup.filter((c) => !c.outcome.deleted);
      m.cleanedUp = left.length === 0;
      const where = (c: (typeof cleanup)[number]) => (cleanup.length > 1 || c.region !== clients.region ? ` (${c.region})` : '');
      checks.push(check('DRILL-CLEANUP', cleanup.length > 1 ? 'Scratch tables deleted in every region and confirmed gone' : 'Scratch table deleted and confirmed gone', DRILL, {
        status: m.cleanedUp ? 'pass' : 'fail',
        message: m.cleanedUp
          ? cleanup.map((c) => `${c.outcome.message}${where(c)}`).join('; ')
          : `${left.map((c) => `${c.outcome.message}${where(c)}`).join('; ')} — run \`tablesafe janitor --region ${[...new Set(left.map((c) => c.region))].join(',')}\``,
        evidence: cleanup.map((c) => `table ${c.table} in ${c.region}`),
      }));
      for (const c of cleanup) log(`${c.outcome.message}${where(c)}`);
    } else m.cleanedUp = true;
  }
  m.paths = runs.map((r) => {
    const failure = r.checks.find((c) => c.status === 'fail');
    const failed = r.failed || failure !== undefined || !r.metrics.cleanedUp;
    const message = failure ? `${failure.id}: ${failure.message}` : r.failed ? `differs from the backup restore (see the DATA-* checks)` : !r.metrics.cleanedUp ? `scratch table ${r.table} left in ${r.region}` : undefined;
    return { ...r.metrics, status: !r.started ? 'not-run' : failed ? 'failed' : 'passed', ...(message ? { message } : {}) };
  });
  m.drillSeconds = Math.round((clock().getTime() - started) / 100) / 10;
  return { checks: dedupeAborted(checks), metrics: m };
}

function newRun(ctx: DrillContext, path: DrillPath): PathRun {
  const { contract, clients } = ctx.o;
  const region = path === 'dr' ? contract.backup.drCopy?.region ?? clients.region : clients.region;
  const table = scratchTableName(ctx.sourceTable, ctx.o.runId, path === 'backup' ? undefined : path);
  return {
    path,
    region,
    table,
    dynamodb: region === clients.region ? clients.dynamodb : clients.dynamodbIn(region),
    checks: [],
    started: false,
    failed: false,
    metrics: { path, region, scratchTable: table, status: 'not-run', rtoTargetMinutes: contract.drill.rtoMinutes, cleanedUp: true },
  };
}

const aborted = (): CheckResult => check('DRILL-ABORTED', 'Restore drill ran to completion', DRILL, { status: 'fail', message: 'the drill was interrupted (SIGINT/SIGTERM); its scratch tables were cleaned up' });

/** One DRILL-ABORTED however many paths noticed the abort. */
function dedupeAborted(checks: CheckResult[]): CheckResult[] {
  const first = checks.findIndex((c) => c.id === 'DRILL-ABORTED');
  return first < 0 ? checks : checks.filter((c, i) => c.id !== 'DRILL-ABORTED' || i === first);
}

async function freshBackup(ctx: DrillContext, paths: readonly DrillPath[], checks: CheckResult[]): Promise<{ jobId?: string; recoveryPointArn?: string }> {
  const { clients, outputs, contract } = ctx.o;
  const vault = outputs.vaultName ?? contract.backup.vaultName;
  // Tagged with its table like the plan's points: with DynamoDB advanced backup its ARN does not name
  // the table, and the drill role may restore only recovery points tagged with its source table.
  const job = await clients.backup.send(new StartBackupJobCommand({
    BackupVaultName: vault,
    ResourceArn: outputs.tableArn,
    IamRoleArn: outputs.backupRoleArn,
    IdempotencyToken: `tablesafe-${ctx.o.runId}`,
    Lifecycle: { DeleteAfterDays: onDemandRetentionDays(contract.backup) },
    RecoveryPointTags: { [RECOVERY_POINT_TABLE_TAG]: contract.table.name },
  }));
  ctx.log(`on-demand backup job ${job.BackupJobId} started`);
  const outcome = await waitForBackupJob(clients.backup, job.BackupJobId ?? '', { ...ctx.pollBase, maxWaitMs: ctx.deadlineMs, signal: ctx.o.signal, onProgress: (p) => ctx.o.onProgress?.('backup', p) });
  const ok = outcome.state === 'SUCCESS';
  checks.push(check('DRILL-FRESH-BACKUP', 'On-demand backup completes', DRILL, { status: ok ? 'pass' : 'fail', message: ok ? `backup job ${job.BackupJobId} COMPLETED` : `backup job ${job.BackupJobId} ${outcome.state}: ${outcome.state === 'FAILURE' && outcome.value?.State ? `backup job ${outcome.value.State}: ${outcome.value.StatusMessage ?? ''}` : outcome.reason ?? ''}`, evidence: [`backup job ${job.BackupJobId}`] }));
  if (!ok) throw new DrillStop(check('DRILL-RECOVERY-POINT', 'A recent COMPLETED recovery point exists', DRILL, { status: 'skip', message: 'no restore: the on-demand backup did not complete' }));
  const drCopy = contract.backup.drCopy;
  const point = outcome.value?.RecoveryPointArn;
  if (paths.includes('dr') && drCopy && point) {
    // A fresh point has no DR copy yet: copy it, as a plan rule's copy action would.
    const drVault = outputs.drVaultName ?? drCopy.vaultName;
    const destination = outputs.drVaultArn ?? `arn:aws:backup:${drCopy.region}:${outputs.accountId ?? accountOf(outputs.vaultArn)}:backup-vault:${drVault}`;
    const copy = await clients.backup.send(new StartCopyJobCommand({ RecoveryPointArn: point, SourceBackupVaultName: vault, DestinationBackupVaultArn: destination, IamRoleArn: outputs.backupRoleArn, IdempotencyToken: `tablesafe-copy-${ctx.o.runId}`, Lifecycle: { DeleteAfterDays: onDemandRetentionDays(contract.backup) } }));
    ctx.log(`copy job ${copy.CopyJobId} started into ${destination}`);
  }
  return { jobId: job.BackupJobId, recoveryPointArn: point };
}

const accountOf = (arn: string | undefined): string => arn?.split(':')[4] ?? '';

async function pickRecoveryPoint(ctx: DrillContext, now: Date, checks: CheckResult[], wanted?: string): Promise<RecoveryPointByBackupVault> {
  const { contract, outputs, clients } = ctx.o;
  const title = `A COMPLETED recovery point younger than the RPO (${contract.backup.rpoMinutes} min) exists`;
  const vault = outputs.vaultName ?? contract.backup.vaultName;
  const points = await listRecoveryPoints(clients, vault, outputs.tableArn ?? '');
  const latest = (wanted ? latestCompleted(points.filter((p) => p.RecoveryPointArn === wanted)) : undefined) ?? latestCompleted(points);
  if (!latest?.RecoveryPointArn) {
    throw new DrillStop(check('DRILL-RECOVERY-POINT', title, DRILL, { status: 'fail', message: `${difference('recoveryPoint', `a COMPLETED recovery point of ${outputs.tableArn} in ${vault}`, `none (${points.length} point(s) in other states)`)} — run a backup (or \`tablesafe drill --fresh\`)` }));
  }
  const age = latest.CreationDate ? minutesBetween(latest.CreationDate, now) : Infinity;
  const evidence = [`recovery point ${latest.RecoveryPointArn}`, `created ${latest.CreationDate?.toISOString()}`, `age ${age} min`];
  const fresh = age <= contract.backup.rpoMinutes;
  const measurement = latest.CreationDate ? ({ quantity: 'rpo', value: age, unit: 'minutes', target: contract.backup.rpoMinutes, subject: latest.RecoveryPointArn, createdAt: latest.CreationDate.toISOString() } as const) : undefined;
  checks.push(check('DRILL-RECOVERY-POINT', title, DRILL, { status: fresh ? 'pass' : 'fail', message: fresh ? `restoring ${latest.RecoveryPointArn} (${age} min old)` : difference('recoveryPoint.ageMinutes', `<= ${contract.backup.rpoMinutes}`, age), evidence, measurement }));
  return latest;
}

/** What a restore never carries over: to set again on a table restored for real. */
function reapplyReminder(contract: Contract): CheckResult {
  const c = contract.table;
  const items = [
    c.pointInTimeRecovery ? 'point-in-time recovery' : undefined,
    c.ttlAttribute ? `TTL on ${c.ttlAttribute}` : undefined,
    c.streamViewType ? `stream ${c.streamViewType}` : undefined,
    c.autoscaling ? 'autoscaling targets and policies' : undefined,
    Object.keys(c.tags).length ? `tags (${Object.keys(c.tags).join(', ')})` : undefined,
    c.deletionProtection ? 'deletion protection' : undefined,
  ].filter(Boolean);
  // A note that always holds once a restore succeeded: it passes (listing what to re-apply), so CI
  // does not carry a permanently skipped test.
  return check('DRILL-REAPPLY', 'Settings to re-apply after a real recovery are listed', DRILL, { status: 'pass', message: `to re-apply after a real recovery (a restore does not carry them): ${items.join(', ') || 'none declared'}`, evidence: items.map((i) => `re-apply ${i}`) });
}
