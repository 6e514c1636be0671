/**
 * The restore drill: latest COMPLETED recovery point → StartRestoreJob into a scratch table →
 * poll → validate → delete the scratch table (always) → metrics and checks.
 *
 * Roles: verify runs as the caller (default credential chain; in CI typically the restore-drill
 * role, whose policy allows exactly these calls). `StartRestoreJob`'s IamRoleArn is the role AWS
 * Backup itself assumes to create and fill the table — the backup service role output
 * (`backup_role_arn`, trusted by backup.amazonaws.com with AWSBackupServiceRolePolicyForRestores),
 * not the drill role, which AWS Backup cannot assume.
 *
 * Failures (no recovery point, job FAILED, deadline, abort, corrupted data) become failed checks;
 * the drill never throws past its cleanup.
 */
import {
  DescribeRestoreJobCommandOutput,
  GetRecoveryPointRestoreMetadataCommand,
  RecoveryPointByBackupVault,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { GetItemCommand, ScanCommand, TableDescription } from '@aws-sdk/client-dynamodb';
import { onDemandRetentionDays, type Contract } from '../../core/contract';
import type { StackOutputs } from '../../core/outputs';
import type { AwsClients } from '../../core/aws/clients';
import { describeError } from '../../core/aws/errors';
import { PollOutcome, PollProgress, Sleep } from '../../core/poller';
import { waitForBackupJob, waitForRestoreJob, waitForTableActive } from '../../core/waiters';
import { latestCompleted } from '../../core/aws/recovery-points';
import { minutesBetween } from '../checks/backup';
import { check, CheckResult, Diff, difference, fromDiff } from '../checks/check';
import { listRecoveryPoints } from '../../compliance/facts/live-state';
import { diffEncryption, diffTableDesign } from '../checks/table';
import { differingAttributes, Item, scanDigest, TableDigest } from './digest';
import { deleteScratchTable, scratchTableName, tagScratchTable } from './scratch';

export interface DrillOptions {
  readonly contract: Contract;
  readonly outputs: StackOutputs;
  readonly clients: AwsClients;
  readonly runId: string;
  /**
   * Run an on-demand backup job first and restore from it.
   * @default false
   */
  readonly fresh?: boolean;
  /**
   * Restore deadline in ms.
   * @default the contract's RTO
   */
  readonly timeoutMs?: number;
  /**
   * Allowed |restored − source| item count difference.
   * @default contract.drill.validation.tolerance
   */
  readonly tolerance?: number;
  /**
   * Items compared attribute by attribute with the source.
   * @default contract.drill.validation.sample
   */
  readonly sample?: number;
  /**
   * Full order-independent digest of restored vs source.
   * @default contract.drill.validation.digest
   */
  readonly digest?: boolean;
  /**
   * Parallel Scan segments for counting and digesting.
   * @default 4
   */
  readonly scanSegments?: number;
  /** Aborts the drill (SIGINT/SIGTERM); cleanup still runs. @default never aborted */
  readonly signal?: AbortSignal;
  /** Progress of long waits. @default silent */
  readonly onProgress?: (what: string, p: PollProgress) => void;
  /** Plain log lines. @default silent */
  readonly log?: (line: string) => void;
  /** Poll timing, injectable for tests. @default 2 s min, 30 s max, real clock */
  readonly poll?: { readonly minDelayMs?: number; readonly maxDelayMs?: number; readonly now?: () => number; readonly sleep?: Sleep; readonly random?: () => number };
  /** Wall clock for ages. @default () => new Date() */
  readonly clock?: () => Date;
}

export interface DrillMetrics {
  readonly runId: string;
  readonly scratchTable: string;
  readonly recoveryPointArn?: string;
  readonly recoveryPointCreatedAt?: string;
  readonly rpoMeasuredMinutes?: number;
  readonly rpoTargetMinutes: number;
  readonly backupJobId?: string;
  readonly restoreJobId?: string;
  readonly restoreJobStatus?: string;
  readonly rtoMeasuredSeconds?: number;
  readonly rtoTargetMinutes: number;
  readonly sourceItems?: number;
  readonly restoredItems?: number;
  readonly itemsValidated: number;
  readonly itemsPerSecond?: number;
  readonly mismatches: number;
  readonly sourceDigest?: string;
  readonly restoredDigest?: string;
  readonly drillSeconds: number;
  readonly cleanedUp: boolean;
}

export interface DrillResult {
  readonly checks: CheckResult[];
  readonly metrics: DrillMetrics;
}

const DRILL = 'drill' as const;

class DrillStop extends Error {
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
  const scratch = scratchTableName(sourceTable, o.runId);
  const deadlineMs = o.timeoutMs ?? contract.drill.rtoMinutes * 60_000;
  const pollBase = { minDelayMs: o.poll?.minDelayMs ?? 2_000, maxDelayMs: o.poll?.maxDelayMs ?? 30_000, now: o.poll?.now, sleep: o.poll?.sleep, random: o.poll?.random };
  const checks: CheckResult[] = [];
  const m: { -readonly [K in keyof DrillMetrics]: DrillMetrics[K] } = {
    runId: o.runId,
    scratchTable: scratch,
    rpoTargetMinutes: contract.backup.rpoMinutes,
    rtoTargetMinutes: contract.drill.rtoMinutes,
    itemsValidated: 0,
    mismatches: 0,
    drillSeconds: 0,
    cleanedUp: false,
  };
  let restoreStarted = false;

  try {
    if (o.fresh) m.backupJobId = await freshBackup(o, pollBase, deadlineMs, checks);
    const point = await pickRecoveryPoint(o, clock(), checks);
    m.recoveryPointArn = point.RecoveryPointArn;
    m.recoveryPointCreatedAt = point.CreationDate?.toISOString();
    m.rpoMeasuredMinutes = point.CreationDate ? minutesBetween(point.CreationDate, clock()) : undefined;

    const meta = await clients.backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: outputs.vaultName ?? contract.backup.vaultName, RecoveryPointArn: point.RecoveryPointArn }));
    // Encrypted with the contract's key; without a key output the recovery point's own settings apply.
    const encryption: Record<string, string> = outputs.keyArn ? { encryptionType: 'KMS', kmsMasterKeyArn: outputs.keyArn } : {};
    const metadata: Record<string, string> = { ...(meta.RestoreMetadata ?? {}), targetTableName: scratch, ...encryption };
    const restoreStart = clock().getTime();
    restoreStarted = true;
    const job = await clients.backup.send(new StartRestoreJobCommand({ RecoveryPointArn: point.RecoveryPointArn, IamRoleArn: outputs.backupRoleArn, Metadata: metadata, ResourceType: 'DynamoDB' }));
    m.restoreJobId = job.RestoreJobId;
    log(`restore job ${job.RestoreJobId} started into ${scratch} (deadline ${Math.round(deadlineMs / 1000)} s)`);

    const outcome = await waitForRestore(o, job.RestoreJobId ?? '', pollBase, deadlineMs);
    m.restoreJobStatus = outcome.value?.Status;
    if (outcome.state !== 'SUCCESS') throw new DrillStop(restoreFailure(outcome, deadlineMs, contract.drill.rtoMinutes));
    const table = await waitForActive(o, scratch, pollBase, deadlineMs - (clock().getTime() - restoreStart));
    m.rtoMeasuredSeconds = Math.round((clock().getTime() - restoreStart) / 100) / 10;
    const rtoOk = m.rtoMeasuredSeconds <= contract.drill.rtoMinutes * 60;
    checks.push(check('DRILL-RESTORE', `Restore completes within the RTO (${contract.drill.rtoMinutes} min)`, DRILL, {
      status: rtoOk ? 'pass' : 'fail',
      message: rtoOk ? `restore job ${m.restoreJobId} COMPLETED in ${m.rtoMeasuredSeconds} s` : difference('drill.rtoSeconds', `<= ${contract.drill.rtoMinutes * 60}`, m.rtoMeasuredSeconds),
      evidence: [`restore job ${m.restoreJobId}`, `recovery point ${m.recoveryPointArn}`, `scratch table ${scratch}`],
    }));
    if (table.TableArn) await tagScratchTable(clients.dynamodb, table.TableArn, o.runId).catch((e) => log(`tagging ${scratch} failed: ${describeError(e)}`));

    checks.push(validateDesign(contract, outputs, table));
    checks.push(reapplyReminder(contract));
    await validateData(o, scratch, sourceTable, m, checks);
  } catch (e) {
    if (e instanceof DrillStop) checks.push(e.result);
    else if (o.signal?.aborted) checks.push(check('DRILL-ABORTED', 'Restore drill ran to completion', DRILL, { status: 'fail', message: 'the drill was interrupted (SIGINT/SIGTERM); the scratch table was cleaned up' }));
    else checks.push(check('DRILL-ERROR', 'Restore drill ran to completion', DRILL, { status: 'fail', message: `drill stopped: ${describeError(e)}`, evidence: [describeError(e)] }));
  } finally {
    if (restoreStarted) {
      const cleanup = await deleteScratchTable(clients.dynamodb, scratch, { ...pollBase, maxWaitMs: 10 * 60_000 });
      m.cleanedUp = cleanup.deleted;
      checks.push(check('DRILL-CLEANUP', 'Scratch table deleted and confirmed gone', DRILL, {
        status: cleanup.deleted ? 'pass' : 'fail',
        message: cleanup.deleted ? cleanup.message : `${cleanup.message} — run \`tablesafe janitor\``,
        evidence: [`table ${scratch}`],
      }));
      log(cleanup.message);
    } else m.cleanedUp = true;
  }
  m.drillSeconds = Math.round((clock().getTime() - started) / 100) / 10;
  return { checks, metrics: m };
}

async function freshBackup(o: DrillOptions, pollBase: object, deadlineMs: number, checks: CheckResult[]): Promise<string | undefined> {
  const { clients, outputs, contract } = o;
  const job = await clients.backup.send(new StartBackupJobCommand({ BackupVaultName: outputs.vaultName ?? contract.backup.vaultName, ResourceArn: outputs.tableArn, IamRoleArn: outputs.backupRoleArn, IdempotencyToken: `tablesafe-${o.runId}`, Lifecycle: { DeleteAfterDays: onDemandRetentionDays(contract.backup) } }));
  o.log?.(`on-demand backup job ${job.BackupJobId} started`);
  const outcome = await waitForBackupJob(clients.backup, job.BackupJobId ?? '', { ...pollBase, maxWaitMs: deadlineMs, signal: o.signal, onProgress: (p) => o.onProgress?.('backup', p) });
  const ok = outcome.state === 'SUCCESS';
  checks.push(check('DRILL-FRESH-BACKUP', 'On-demand backup completes', DRILL, { status: ok ? 'pass' : 'fail', message: ok ? `backup job ${job.BackupJobId} COMPLETED` : `backup job ${job.BackupJobId} ${outcome.state}: ${outcome.state === 'FAILURE' && outcome.value?.State ? `backup job ${outcome.value.State}: ${outcome.value.StatusMessage ?? ''}` : outcome.reason ?? ''}`, evidence: [`backup job ${job.BackupJobId}`] }));
  if (!ok) throw new DrillStop(check('DRILL-RECOVERY-POINT', 'A recent COMPLETED recovery point exists', DRILL, { status: 'skip', message: 'no restore: the on-demand backup did not complete' }));
  return job.BackupJobId;
}

async function pickRecoveryPoint(o: DrillOptions, now: Date, checks: CheckResult[]): Promise<RecoveryPointByBackupVault> {
  const { contract, outputs, clients } = o;
  const title = `A COMPLETED recovery point younger than the RPO (${contract.backup.rpoMinutes} min) exists`;
  const vault = outputs.vaultName ?? contract.backup.vaultName;
  const points = await listRecoveryPoints(clients, vault, outputs.tableArn ?? '');
  const latest = latestCompleted(points);
  if (!latest?.RecoveryPointArn) {
    throw new DrillStop(check('DRILL-RECOVERY-POINT', title, DRILL, { status: 'fail', message: `${difference('recoveryPoint', `a COMPLETED recovery point of ${outputs.tableArn} in ${vault}`, `none (${points.length} point(s) in other states)`)} — run a backup (or \`tablesafe drill --fresh\`)` }));
  }
  const age = latest.CreationDate ? minutesBetween(latest.CreationDate, now) : Infinity;
  const evidence = [`recovery point ${latest.RecoveryPointArn}`, `created ${latest.CreationDate?.toISOString()}`, `age ${age} min`];
  const fresh = age <= contract.backup.rpoMinutes;
  checks.push(check('DRILL-RECOVERY-POINT', title, DRILL, { status: fresh ? 'pass' : 'fail', message: fresh ? `restoring ${latest.RecoveryPointArn} (${age} min old)` : difference('recoveryPoint.ageMinutes', `<= ${contract.backup.rpoMinutes}`, age), evidence }));
  return latest;
}

async function waitForRestore(o: DrillOptions, jobId: string, pollBase: object, deadlineMs: number): Promise<PollOutcome<DescribeRestoreJobCommandOutput>> {
  return waitForRestoreJob(o.clients.backup, jobId, { ...pollBase, maxWaitMs: deadlineMs, signal: o.signal, onProgress: (p) => o.onProgress?.('restore', p) });
}

function restoreFailure(outcome: PollOutcome<DescribeRestoreJobCommandOutput>, deadlineMs: number, rtoMinutes: number): CheckResult {
  const title = `Restore completes within the RTO (${rtoMinutes} min)`;
  const job = outcome.value?.RestoreJobId;
  const evidence = job ? [`restore job ${job}`] : [];
  if (outcome.state === 'TIMEOUT') return check('DRILL-RESTORE', title, DRILL, { status: 'fail', message: `restore job ${job} still ${outcome.value?.Status ?? 'unknown'} after the ${Math.round(deadlineMs / 1000)} s deadline (TS_E_RESTORE_TIMEOUT); if it completes later, \`tablesafe janitor\` removes its table`, evidence });
  if (outcome.state === 'ABORTED') return check('DRILL-ABORTED', 'Restore drill ran to completion', DRILL, { status: 'fail', message: 'the drill was interrupted (SIGINT/SIGTERM) while the restore ran', evidence });
  return check('DRILL-RESTORE', title, DRILL, { status: 'fail', message: `restore job ${job ?? ''} FAILED: ${outcome.value?.StatusMessage ?? outcome.reason ?? 'no status message'}`, evidence });
}

async function waitForActive(o: DrillOptions, table: string, pollBase: object, remainingMs: number): Promise<TableDescription> {
  const out = await waitForTableActive(o.clients.dynamodb, table, { ...pollBase, maxWaitMs: Math.max(remainingMs, 1_000), signal: o.signal });
  if (out.state !== 'SUCCESS' || !out.value) {
    throw new DrillStop(check('DRILL-RESTORE', 'Restored table becomes ACTIVE', DRILL, { status: 'fail', message: difference('restored.status', 'ACTIVE', out.value?.TableStatus ?? out.reason ?? 'missing') }));
  }
  return out.value;
}

function validateDesign(contract: Contract, outputs: StackOutputs, t: TableDescription): CheckResult {
  const d = diffTableDesign(contract, t, new Diff());
  diffEncryption(outputs.keyArn, t, 'restored.sse', d);
  const r = fromDiff('DRILL-DESIGN', 'Restored table: schema, indexes and encryption equal the contract', d, `restored ${t.TableName} matches the contract's design and key`, [`table ${t.TableArn}`]);
  return { ...r, category: DRILL };
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
  return check('DRILL-REAPPLY', 'Settings to re-apply after a real recovery', DRILL, { status: 'skip', message: `to re-apply after a real recovery (a restore does not carry them): ${items.join(', ') || 'none declared'}` });
}

const keyOf = (contract: Contract, item: Item): Item => {
  const k: Item = {};
  for (const a of [contract.table.partitionKey, contract.table.sortKey]) if (a && item[a.name]) k[a.name] = item[a.name];
  return k;
};

async function validateData(o: DrillOptions, scratch: string, source: string, m: { -readonly [K in keyof DrillMetrics]: DrillMetrics[K] }, checks: CheckResult[]): Promise<void> {
  const { contract, clients } = o;
  const tolerance = o.tolerance ?? contract.drill.validation.tolerance;
  const sample = o.sample ?? contract.drill.validation.sample;
  const digest = o.digest ?? contract.drill.validation.digest;
  const t0 = Date.now();
  const scan = (table: string): Promise<TableDigest> => scanDigest(clients.dynamodb, table, { segments: o.scanSegments, hash: digest, signal: o.signal });
  const [restored, src] = await Promise.all([scan(scratch), scan(source)]);
  m.restoredItems = restored.items;
  m.sourceItems = src.items;
  const diffCount = Math.abs(restored.items - src.items);
  checks.push(check('DATA-COUNT', `Item count equals the source within ±${tolerance}`, 'data', {
    status: diffCount <= tolerance ? 'pass' : 'fail',
    message: diffCount <= tolerance ? `restored ${restored.items} item(s), source ${src.items}` : `${difference('restored.itemCount', `${src.items} ± ${tolerance}`, restored.items)} (${diffCount} item(s) missing or extra)`,
    evidence: [`source ${source}: ${src.items}`, `restored ${scratch}: ${restored.items}`],
  }));
  if (diffCount > tolerance) m.mismatches += diffCount;

  if (sample > 0) {
    const page = await clients.dynamodb.send(new ScanCommand({ TableName: scratch, Limit: sample }));
    const bad: string[] = [];
    for (const item of page.Items ?? []) {
      const key = keyOf(contract, item);
      const got = (await clients.dynamodb.send(new GetItemCommand({ TableName: source, Key: key, ConsistentRead: true }))).Item;
      const label = JSON.stringify(Object.fromEntries(Object.entries(key).map(([k, v]) => [k, v.S ?? v.N ?? '(binary)'])));
      if (!got) bad.push(`${label}: not in the source`);
      else {
        const attrs = differingAttributes(item, got);
        if (attrs.length) bad.push(`${label}: attribute(s) ${attrs.join(', ')} differ`);
      }
    }
    const n = page.Items?.length ?? 0;
    m.itemsValidated += n;
    m.mismatches += bad.length;
    checks.push(check('DATA-SAMPLE', `${sample} sampled item(s) equal the source by key`, 'data', { status: bad.length ? 'fail' : 'pass', message: bad.length ? `${bad.length} of ${n} sampled item(s) differ: ${bad.slice(0, 5).join('; ')}` : `${n} sampled item(s) equal the source attribute by attribute`, evidence: bad }));
  } else checks.push(check('DATA-SAMPLE', 'Sampled items equal the source by key', 'data', { status: 'skip', message: 'sampling disabled (--sample 0)' }));

  if (digest) {
    m.sourceDigest = src.digest;
    m.restoredDigest = restored.digest;
    m.itemsValidated = Math.max(m.itemsValidated, restored.items);
    const same = src.digest === restored.digest;
    if (!same && diffCount === 0) m.mismatches += 1;
    checks.push(check('DATA-DIGEST', 'Full digest of the restored table equals the source (exact for a quiescent source)', 'data', {
      status: same ? 'pass' : 'fail',
      message: same ? `digests equal over ${restored.items} item(s)` : difference('restored.digest', src.digest, restored.digest),
      evidence: [`source sha256-sum ${src.digest}`, `restored sha256-sum ${restored.digest}`],
    }));
  } else checks.push(check('DATA-DIGEST', 'Full digest of the restored table equals the source', 'data', { status: 'skip', message: 'digest disabled (--digest not set)' }));
  const seconds = (Date.now() - t0) / 1000;
  m.itemsPerSecond = seconds > 0 ? Math.round((restored.items + src.items) / seconds) : undefined;
}
