import type { AccountLookup, BackupServiceOptions, DynamoDbCaller, FaultableJob, JobFault, JobFaultSource } from '../../types';
import { keyProblem, lockProblem, roleProblem } from '../safeguards';
import { backupRecoveryPointArn, dynamoBackupId, dynamoRecoveryPointArn, parseTableArn, recoveryPointIdOf, uuid } from '../ids';
import type { BackupJobRecord, BackupState, CopyJobRecord, ForcedOutcome, RecoveryPointRecord, RestoreJobRecord } from '../state';
import type { BackupStore } from '../store';
import { createTableInput, snapshotTable, tableExists, writeItems } from './dynamodb';

/** What a job record keeps of a fault a test forced on it. */
const forcedOutcome = (fault: JobFault | undefined): ForcedOutcome | undefined => (fault ? { outcome: fault.outcome, message: fault.message } : undefined);

/** The region field of an ARN (`arn:partition:service:region:...`). */
const regionOfArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;

/**
 * Runs backup, restore and copy jobs in the background, like AWS: a job is recorded first
 * (CREATED/PENDING), then RUNNING with a growing PercentDone, then COMPLETED, FAILED or ABORTED.
 * Simulated durations grow with the item count and are divided by `timeScale`. Every state change
 * is persisted; a job that was running when the process died starts again from its last durable
 * step on the next start (`resumeAll`).
 */
export interface RunnerOptions {
  readonly state: BackupState;
  readonly store: BackupStore;
  readonly dynamodb: DynamoDbCaller;
  readonly account: AccountLookup;
  readonly faults: JobFaultSource;
  readonly timeScale: number;
  readonly now: () => number;
  /** The table as it was at a time (see BackupServiceOptions.tableAt). @default scan when the job runs */
  readonly tableAt?: BackupServiceOptions['tableAt'];
}

/** Simulated time at timeScale 1: a fixed part plus a part per item (milliseconds). */
export const DURATIONS = {
  pending: 1000,
  backupBase: 3000,
  backupPerItem: 2,
  restoreBase: 4000,
  restorePerItem: 3,
  copyBase: 2000,
  hangPoll: 500,
};

class Closed extends Error {}

export class JobRunner {
  private closed = false;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: RunnerOptions) {}

  startBackup(job: BackupJobRecord): void {
    this.track(this.runBackup(job));
  }

  startRestore(job: RestoreJobRecord): void {
    this.track(this.runRestore(job));
  }

  startCopy(job: CopyJobRecord): void {
    this.track(this.runCopy(job));
  }

  /** Picks up jobs that were in flight when the previous process stopped. */
  resumeAll(): void {
    for (const job of Object.values(this.o.state.backupJobs)) {
      if (job.state === 'CREATED' || job.state === 'PENDING' || job.state === 'RUNNING') this.startBackup(job);
    }
    for (const job of Object.values(this.o.state.restoreJobs)) {
      if (job.status === 'PENDING' || job.status === 'RUNNING') this.startRestore(job);
    }
    for (const job of Object.values(this.o.state.copyJobs)) {
      if (job.state === 'CREATED' || job.state === 'RUNNING') this.startCopy(job);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch(() => undefined).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private scaled(ms: number): number {
    return ms / this.o.timeScale;
  }

  /** Waits, unless the service is closing; throws Closed so a job stops without touching state. */
  private sleep = async (ms: number): Promise<void> => {
    if (this.closed) throw new Closed();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, Math.max(0, ms));
      timer.unref?.();
      this.timers.set(timer, resolve);
    });
    if (this.closed) throw new Closed();
  };

  private async persist(): Promise<void> {
    if (this.closed) throw new Closed();
    await this.o.store.persist();
  }

  /** Advances PercentDone from `from` to `to` over `ms`, checking `alive()` between steps. */
  private async progress(ms: number, from: number, to: number, set: (p: number) => void, alive: () => boolean): Promise<boolean> {
    const steps = Math.max(1, Math.min(20, Math.floor(ms / 10)));
    for (let i = 1; i <= steps; i++) {
      await this.sleep(ms / steps);
      if (!alive()) return false;
      set(from + ((to - from) * i) / steps);
    }
    return true;
  }

  private async waitWhileHung(kind: FaultableJob, alive: () => boolean): Promise<boolean> {
    while (!this.o.faults.isHangCleared(kind)) {
      await this.sleep(Math.max(5, this.scaled(DURATIONS.hangPoll)));
      if (!alive()) return false;
    }
    return true;
  }

  private async runBackup(job: BackupJobRecord): Promise<void> {
    const alive = () => job.state === 'RUNNING' || job.state === 'CREATED' || job.state === 'PENDING';
    try {
      if (job.state !== 'RUNNING') {
        await this.sleep(this.scaled(DURATIONS.pending));
        if (!alive()) return;
        job.state = 'RUNNING';
        job.percentDone = 0;
        await this.persist();
      }
      if (job.fault?.outcome === 'FAILED') {
        await this.sleep(this.scaled(DURATIONS.pending));
        if (!alive()) return;
        return await this.finishBackup(job, 'FAILED', job.fault.message ?? 'Backup job failed');
      }
      if (job.fault?.outcome === 'HANG' && !(await this.waitWhileHung('backup', alive))) return;
      const table = parseTableArn(job.resourceArn);
      if (!table) return await this.finishBackup(job, 'FAILED', `Resource ${job.resourceArn} is not a DynamoDB table`);
      // What AWS Backup checks before it takes anything: the role (a scheduled job's too), the vault
      // lock's retention bounds, the vault's key.
      const targetVault = Object.values(this.o.state.vaults).find((v) => v.arn === job.vaultArn);
      const refused = (await roleProblem(this.o.account, job.iamRoleArn, job.accountId))
        ?? (targetVault && lockProblem(targetVault, job.lifecycle))
        ?? (targetVault && (await keyProblem(this.o.account, job.region, targetVault.encryptionKeyArn, `backup vault ${targetVault.name}`)));
      if (refused) {
        if (!alive()) return;
        return await this.finishBackup(job, 'FAILED', refused);
      }
      let snapshot;
      try {
        // The table as it was when the job was created (AWS's time marker), else as it is now.
        snapshot = (await this.o.tableAt?.(table.region, table.tableName, job.creationDate)) ?? (await snapshotTable(this.o.dynamodb, table.region, table.tableName));
      } catch (e) {
        const err = e as Error;
        const message = err.name === 'ResourceNotFoundException' ? `Table not found: ${table.tableName}` : `${err.name}: ${err.message}`;
        return await this.finishBackup(job, 'FAILED', message);
      }
      if (!alive() || this.closed) return;
      const tableSse = snapshot.table.SSEDescription as Record<string, unknown> | undefined;
      const tableKey = tableSse?.Status === 'ENABLED' && typeof tableSse.KMSMasterKeyArn === 'string' ? tableSse.KMSMasterKeyArn : undefined;
      const unreadable = await keyProblem(this.o.account, table.region, tableKey, `table ${table.tableName}`);
      if (unreadable) return await this.finishBackup(job, 'FAILED', unreadable);
      const duration = this.scaled(DURATIONS.backupBase + DURATIONS.backupPerItem * snapshot.items.length);
      if (!(await this.progress(duration, 0, 99, (p) => (job.percentDone = p), alive))) return;
      const file = `${recoveryPointIdOf(job.recoveryPointArn)}.json`;
      const size = await this.o.store.writeSnapshot(file, snapshot);
      if (!alive() || this.closed) return;
      const sse = snapshot.table.SSEDescription as Record<string, unknown> | undefined;
      const vault = Object.values(this.o.state.vaults).find((v) => v.arn === job.vaultArn);
      if (!vault) return await this.finishBackup(job, 'FAILED', `Backup vault ${job.vaultName} no longer exists`);
      const now = this.o.now();
      const rp: RecoveryPointRecord = {
        arn: job.recoveryPointArn,
        id: recoveryPointIdOf(job.recoveryPointArn),
        region: job.region,
        accountId: job.accountId,
        vaultName: vault.name,
        vaultArn: vault.arn,
        resourceArn: job.resourceArn,
        resourceName: table.tableName,
        iamRoleArn: job.iamRoleArn,
        encryptionKeyArn: vault.encryptionKeyArn,
        creationDate: job.creationDate,
        completionDate: now,
        backupSizeInBytes: size,
        itemCount: snapshot.items.length,
        lifecycle: job.lifecycle,
        createdBy: job.createdBy,
        snapshotFile: file,
        sseKmsKeyArn: sse?.Status === 'ENABLED' && typeof sse.KMSMasterKeyArn === 'string' ? sse.KMSMasterKeyArn : undefined,
      };
      this.o.state.recoveryPoints[rp.arn] = rp;
      this.o.state.tags[rp.arn] = { ...(job.recoveryPointTags ?? {}) };
      job.backupSizeInBytes = size;
      await this.finishBackup(job, 'COMPLETED');
      for (const action of job.copyActions ?? []) {
        this.startCopy(this.newCopyJob(rp, action.DestinationBackupVaultArn, action.Lifecycle, job));
      }
    } catch (e) {
      if (e instanceof Closed) return;
      if (alive() && !this.closed) await this.finishBackup(job, 'FAILED', `Internal error: ${(e as Error).message}`).catch(() => undefined);
    }
  }

  private async finishBackup(job: BackupJobRecord, state: 'COMPLETED' | 'FAILED', message?: string): Promise<void> {
    job.state = state;
    job.statusMessage = message;
    job.completionDate = this.o.now();
    if (state === 'COMPLETED') job.percentDone = 100;
    await this.persist();
  }

  newCopyJob(rp: RecoveryPointRecord, destination: string, lifecycle: CopyJobRecord['lifecycle'], from?: BackupJobRecord, iamRoleArn?: string): CopyJobRecord {
    const job: CopyJobRecord = {
      id: uuid().toUpperCase(),
      region: rp.region,
      accountId: rp.accountId,
      sourceVaultArn: rp.vaultArn,
      sourceRecoveryPointArn: rp.arn,
      destinationVaultArn: destination,
      resourceArn: rp.resourceArn,
      iamRoleArn: iamRoleArn ?? rp.iamRoleArn,
      lifecycle,
      createdBy: from?.createdBy,
      createdByBackupJobId: from?.id,
      state: 'CREATED',
      creationDate: this.o.now(),
      fault: forcedOutcome(this.o.faults.takeJobFault('copy', regionOfArn(destination))),
    };
    this.o.state.copyJobs[job.id] = job;
    return job;
  }

  private async runCopy(job: CopyJobRecord): Promise<void> {
    const fail = async (message: string) => {
      job.state = 'FAILED';
      job.statusMessage = message;
      job.completionDate = this.o.now();
      await this.persist();
    };
    try {
      await this.persist();
      await this.sleep(this.scaled(DURATIONS.pending));
      job.state = 'RUNNING';
      await this.persist();
      if (job.fault?.outcome === 'FAILED') return await fail(job.fault.message ?? 'Copy job failed');
      if (job.fault?.outcome === 'HANG' && !(await this.waitWhileHung('copy', () => job.state === 'RUNNING'))) return;
      const source = this.o.state.recoveryPoints[job.sourceRecoveryPointArn];
      if (!source) return await fail(`Recovery point ${job.sourceRecoveryPointArn} no longer exists`);
      const dest = Object.values(this.o.state.vaults).find((v) => v.arn === job.destinationVaultArn);
      if (!dest) return await fail(`Backup vault ${job.destinationVaultArn} not found`);
      const refused = (await roleProblem(this.o.account, job.iamRoleArn, job.accountId))
        ?? lockProblem(dest, job.lifecycle)
        ?? (await keyProblem(this.o.account, dest.region, dest.encryptionKeyArn, `backup vault ${dest.name}`));
      if (refused) return await fail(refused);
      await this.sleep(this.scaled(DURATIONS.copyBase + DURATIONS.backupPerItem * source.itemCount));
      const snapshot = await this.o.store.readSnapshot(source.snapshotFile);
      const id = uuid();
      const arn = `arn:aws:backup:${dest.region}:${dest.accountId}:recovery-point:${id}`;
      const file = `copy-${id}.json`;
      const size = await this.o.store.writeSnapshot(file, snapshot);
      if (this.closed) return;
      const now = this.o.now();
      this.o.state.recoveryPoints[arn] = {
        ...source,
        arn,
        id,
        region: dest.region,
        accountId: dest.accountId,
        vaultName: dest.name,
        vaultArn: dest.arn,
        sourceVaultArn: source.vaultArn,
        encryptionKeyArn: dest.encryptionKeyArn,
        creationDate: now,
        completionDate: now,
        backupSizeInBytes: size,
        lifecycle: job.lifecycle,
        snapshotFile: file,
        lastRestoreTime: undefined,
      };
      this.o.state.tags[arn] = { ...(this.o.state.tags[source.arn] ?? {}) };
      job.destinationRecoveryPointArn = arn;
      job.backupSizeInBytes = size;
      job.state = 'COMPLETED';
      job.completionDate = now;
      await this.persist();
    } catch (e) {
      if (e instanceof Closed) return;
      if (!this.closed) await fail(`Internal error: ${(e as Error).message}`).catch(() => undefined);
    }
  }

  private async runRestore(job: RestoreJobRecord): Promise<void> {
    const alive = () => job.status === 'PENDING' || job.status === 'RUNNING';
    const fail = async (message: string) => {
      job.status = 'FAILED';
      job.statusMessage = message;
      job.completionDate = this.o.now();
      await this.persist();
    };
    try {
      if (job.status === 'PENDING') {
        await this.sleep(this.scaled(DURATIONS.pending));
        job.status = 'RUNNING';
        job.percentDone = 0;
        await this.persist();
      }
      if (job.fault?.outcome === 'FAILED') {
        await this.sleep(this.scaled(DURATIONS.pending));
        return await fail(job.fault.message ?? 'Restore job failed');
      }
      if (job.fault?.outcome === 'HANG' && !(await this.waitWhileHung('restore', alive))) return;
      const rp = this.o.state.recoveryPoints[job.recoveryPointArn];
      if (!rp) return await fail(`Recovery point ${job.recoveryPointArn} no longer exists`);
      const snapshot = await this.o.store.readSnapshot(rp.snapshotFile);
      const target = job.metadata.targetTableName;
      const region = job.region;
      if (!job.tableCreated) {
        if (await tableExists(this.o.dynamodb, region, target)) return await fail(`Table already exists: ${target}`);
        const encryption = {
          encryptionType: job.metadata.encryptionType === 'KMS' ? ('KMS' as const) : ('Default' as const),
          kmsMasterKeyArn: job.metadata.kmsMasterKeyArn,
        };
        try {
          const created = await this.o.dynamodb(region, 'CreateTable', createTableInput(snapshot.table, target, encryption, job.copySourceTags ? snapshot.tags : undefined));
          const description = (created.TableDescription ?? {}) as Record<string, unknown>;
          job.createdResourceArn = typeof description.TableArn === 'string' ? description.TableArn : undefined;
        } catch (e) {
          const err = e as Error;
          return await fail(err.name === 'ResourceInUseException' ? `Table already exists: ${target}` : `${err.name}: ${err.message}`);
        }
        job.tableCreated = true;
        await this.persist();
      }
      await this.waitActive(region, target);
      const drop = Math.min(job.dropItems ?? 0, snapshot.items.length);
      // Silent corruption drops items from the end of the scan order; the job still reports success.
      const items = drop > 0 ? snapshot.items.slice(0, snapshot.items.length - drop) : snapshot.items;
      const started = Date.now();
      const duration = this.scaled(DURATIONS.restoreBase + DURATIONS.restorePerItem * snapshot.items.length);
      await writeItems(this.o.dynamodb, region, target, items, (n) => (job.percentDone = items.length ? (90 * n) / items.length : 90), this.sleep);
      const remaining = duration - (Date.now() - started);
      if (remaining > 0 && !(await this.progress(remaining, job.percentDone, 99, (p) => (job.percentDone = p), alive))) return;
      if (!job.createdResourceArn) {
        const described = await this.o.dynamodb(region, 'DescribeTable', { TableName: target });
        job.createdResourceArn = String((described.Table as Record<string, unknown>)?.TableArn ?? '');
      }
      job.status = 'COMPLETED';
      job.percentDone = 100;
      job.completionDate = this.o.now();
      rp.lastRestoreTime = job.completionDate;
      await this.persist();
    } catch (e) {
      if (e instanceof Closed) return;
      const err = e as Error;
      if (alive() && !this.closed) await fail(`${err.name === 'Error' ? 'Internal error' : err.name}: ${err.message}`).catch(() => undefined);
    }
  }

  private async waitActive(region: string, table: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const out = await this.o.dynamodb(region, 'DescribeTable', { TableName: table });
      if ((out.Table as Record<string, unknown> | undefined)?.TableStatus === 'ACTIVE') return;
      await this.sleep(Math.max(5, this.scaled(500)));
    }
    throw new Error(`Table ${table} did not become ACTIVE`);
  }

  /**
   * Recovery point identity for a new backup job of a DynamoDB table: a DynamoDB backup ARN
   * (`…:table/T/backup/<id>`), or, with advanced DynamoDB backup on in the region's settings
   * (`ResourceTypeManagementPreference.DynamoDB`), an AWS Backup one (`…:recovery-point:<uuid>`), as AWS issues them.
   */
  static recoveryPointArnFor(tableArn: string, now: number, advanced = false): string {
    const table = parseTableArn(tableArn);
    if (advanced && table) return backupRecoveryPointArn(table.region, table.accountId, uuid());
    return dynamoRecoveryPointArn(tableArn, dynamoBackupId(now));
  }
}
