import type { BackupService, BackupServiceOptions, SandboxRequest, SandboxResponse } from '../types';
import { invalidInput } from '../../core/errors';
import { BackupError, errorResponse } from './errors';
import { parseBody } from './input';
import { matchRoute, modelOperationName, type OperationName } from './routes';
import { JobRunner } from './jobs/runner';
import { requireAssumableRole, roleOfRequest } from './safeguards';
import { BackupStore } from './store';
import { fixedClock, runDueRules, scaledClock, schedulePollMs, type ScheduleClock } from './scheduler';
import type { Ctx, Deps, Handler } from './context';
import * as vaults from './handlers/vaults';
import * as tags from './handlers/tags';
import * as plans from './handlers/plans';
import * as selections from './handlers/selections';
import * as settings from './handlers/settings';
import * as backupJobs from './handlers/backup-jobs';
import * as recoveryPoints from './handlers/recovery-points';
import * as restoreJobs from './handlers/restore-jobs';
import * as copyJobs from './handlers/copy-jobs';

const HANDLERS: Record<OperationName, Handler> = {
  CreateBackupVault: vaults.createBackupVault,
  DescribeBackupVault: vaults.describeBackupVault,
  DeleteBackupVault: vaults.deleteBackupVault,
  ListBackupVaults: vaults.listBackupVaults,
  PutBackupVaultAccessPolicy: vaults.putBackupVaultAccessPolicy,
  GetBackupVaultAccessPolicy: vaults.getBackupVaultAccessPolicy,
  DeleteBackupVaultAccessPolicy: vaults.deleteBackupVaultAccessPolicy,
  PutBackupVaultLockConfiguration: vaults.putBackupVaultLockConfiguration,
  DeleteBackupVaultLockConfiguration: vaults.deleteBackupVaultLockConfiguration,
  PutBackupVaultNotifications: vaults.putBackupVaultNotifications,
  GetBackupVaultNotifications: vaults.getBackupVaultNotifications,
  DeleteBackupVaultNotifications: vaults.deleteBackupVaultNotifications,
  TagResource: tags.tagResource,
  UntagResource: tags.untagResource,
  ListTags: tags.listTags,
  CreateBackupPlan: plans.createBackupPlan,
  GetBackupPlan: plans.getBackupPlan,
  UpdateBackupPlan: plans.updateBackupPlan,
  DeleteBackupPlan: plans.deleteBackupPlan,
  ListBackupPlans: plans.listBackupPlans,
  ListBackupPlanVersions: plans.listBackupPlanVersions,
  CreateBackupSelection: selections.createBackupSelection,
  GetBackupSelection: selections.getBackupSelection,
  DeleteBackupSelection: selections.deleteBackupSelection,
  ListBackupSelections: selections.listBackupSelections,
  DescribeRegionSettings: settings.describeRegionSettings,
  UpdateRegionSettings: settings.updateRegionSettings,
  StartBackupJob: backupJobs.startBackupJob,
  DescribeBackupJob: backupJobs.describeBackupJob,
  ListBackupJobs: backupJobs.listBackupJobs,
  StopBackupJob: backupJobs.stopBackupJob,
  ListRecoveryPointsByBackupVault: recoveryPoints.listRecoveryPointsByBackupVault,
  ListRecoveryPointsByResource: recoveryPoints.listRecoveryPointsByResource,
  DescribeRecoveryPoint: recoveryPoints.describeRecoveryPoint,
  GetRecoveryPointRestoreMetadata: recoveryPoints.getRecoveryPointRestoreMetadata,
  DeleteRecoveryPoint: recoveryPoints.deleteRecoveryPoint,
  UpdateRecoveryPointLifecycle: recoveryPoints.updateRecoveryPointLifecycle,
  StartRestoreJob: restoreJobs.startRestoreJob,
  DescribeRestoreJob: restoreJobs.describeRestoreJob,
  ListRestoreJobs: restoreJobs.listRestoreJobs,
  StartCopyJob: copyJobs.startCopyJob,
  DescribeCopyJob: copyJobs.describeCopyJob,
  ListCopyJobs: copyJobs.listCopyJobs,
};

/**
 * The sandbox's AWS Backup with a hook to run due schedules now (tests drive it with a fake clock).
 * With `runSchedules`, plan rules also run by themselves, checked every minute of schedule time.
 */
export interface SandboxBackupService extends BackupService {
  /** Starts backup jobs for plan rules whose schedule fired since their last run; returns the job ids. */
  runSchedules(): Promise<string[]>;
}

export async function createBackupService(options: BackupServiceOptions): Promise<SandboxBackupService> {
  if (!(options.timeScale > 0)) throw invalidInput('timeScale', options.timeScale, 'must be a number > 0 (1 = AWS-like durations)', { code: 'TS_E_SANDBOX_OPTION' });
  const store = await BackupStore.open(options.stateDir);
  const now = () => (options.clock ? options.clock.now().getTime() : Date.now());
  const jobs = new JobRunner({ state: store.state, store, dynamodb: options.dynamodb, account: options.account, faults: options.faults, timeScale: options.timeScale, now, tableAt: options.tableAt });
  const deps: Deps = { state: store.state, store, jobs, dynamodb: options.dynamodb, account: options.account, faults: options.faults };
  jobs.resumeAll();

  // Requests that mutate state run one at a time, so a check-then-change never interleaves.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  // Schedules run on the given clock (tests set it), else on the system clock sped up by the time
  // scale, continuing after the latest slot a previous run of this state dir acted on.
  const clock = options.clock;
  const scheduleClock: ScheduleClock = clock
    ? fixedClock(() => clock.now().getTime())
    : scaledClock(options.timeScale, Date.now, Math.max(0, ...Object.values(store.state.scheduleMarks)));
  let scheduleTimer: NodeJS.Timeout | undefined;
  const runSchedules = () => serialize(() => runDueRules(deps, scheduleClock, now()));
  if (options.runSchedules) {
    scheduleTimer = setInterval(() => void runSchedules().catch(() => undefined), clock ? 1000 : schedulePollMs(options.timeScale));
    scheduleTimer.unref?.();
  }

  async function handle(req: SandboxRequest): Promise<SandboxResponse> {
    const matched = matchRoute(req.method.toUpperCase(), req.path);
    if (!matched) {
      const name = modelOperationName(req.method.toUpperCase(), req.path);
      const err = name
        ? new BackupError('UnknownOperationException', `Operation ${name} is not supported by the sandbox's AWS Backup`, 400)
        : new BackupError('UnknownOperationException', `No AWS Backup operation matches ${req.method} ${req.path}`, 404);
      return errorResponse(err, req.requestId);
    }
    try {
      const body = req.method === 'GET' || req.method === 'DELETE' ? {} : parseBody(req.body);
      const run = async () => {
        const ctx: Ctx = { req, params: matched.params, body, query: req.query, region: req.region, accountId: req.accountId, now: now() };
        // AWS Backup refuses a role it cannot assume before it records anything.
        const role = roleOfRequest(matched.operation, body);
        if (role) await requireAssumableRole(options.account, role, req.accountId);
        const result = await HANDLERS[matched.operation](ctx, deps);
        if (result.mutated) await store.persist();
        return result;
      };
      const result = req.method === 'GET' ? await run() : await serialize(run);
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': req.requestId },
        body: result.body ? JSON.stringify(result.body) : '{}',
      };
    } catch (e) {
      if (e instanceof BackupError) return errorResponse(e, req.requestId);
      // A bug here must not look like a client error; state is untouched because handlers validate first.
      return errorResponse(new BackupError('ServiceUnavailableException', `Internal error in ${matched.operation}: ${(e as Error).message}`, 500), req.requestId);
    }
  }

  const vaultPolicyOf = (resourceArn: string): string | undefined => {
    const vaults = Object.values(store.state.vaults);
    const point = store.state.recoveryPoints[resourceArn];
    const vault = vaults.find((v) => v.arn === resourceArn) ?? (point && vaults.find((v) => v.arn === point.vaultArn));
    return vault?.accessPolicy;
  };

  return {
    handle,
    vaultPolicyOf,
    tagsOf: (resourceArn: string) => store.state.tags[resourceArn],
    runSchedules,
    async close() {
      if (scheduleTimer) clearInterval(scheduleTimer);
      await jobs.close();
      await queue.catch(() => undefined);
      await store.persist().catch(() => undefined);
    },
  };
}
