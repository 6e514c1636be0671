/**
 * The main job, as an ordered list of phases over injectable services (real ones in
 * `services.ts`, fakes in the unit tests):
 *
 *   synth → sandbox → init → apply → seed → backup → [disaster] → verify → [keep] → destroy → stop
 *
 * Everything started registers its undo on a teardown stack the moment it starts (an interrupted
 * apply may have created half the stack, so destroy is registered before apply runs). Teardown
 * always runs — success, failure, SIGINT/SIGTERM — under its own abort signal, so a second Ctrl-C
 * skips what is left of it and the summary says what state remains.
 */
import type { BackupJobResult } from './backup';
import type { ItemValidation, RecoverResult } from './disaster';
import type { DemoItem } from './items';
import type { LoadWriter, WriterStats } from './writer';
import type { Progress, PhaseProgress } from './progress';
import type { Contract } from '../core/contract';
import { outputsFromValues, type StackOutputs } from '../core/outputs';

/** `drill`: back up and prove a restore; `disaster`: also delete the source table and recover it under its own name. */
export type Scenario = 'drill' | 'disaster';

export type PhaseName = 'synth' | 'sandbox' | 'init' | 'apply' | 'seed' | 'backup' | 'disaster' | 'verify' | 'keep' | 'cleanup' | 'destroy' | 'stop';

export interface PhaseTiming {
  readonly name: PhaseName;
  readonly ms: number;
  readonly ok: boolean;
}

export interface SandboxHandle {
  readonly endpoint: string;
  readonly port: number;
  /** Endpoint, region and test credentials for clients and terraform. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface TerraformRun {
  readonly exitCode: number;
  readonly output: string;
}

/** The slice of `demo/terraform.ts` the main job uses. */
export interface TerraformLike {
  init(): Promise<TerraformRun>;
  apply(): Promise<TerraformRun>;
  plan(): Promise<TerraformRun>;
  destroy(extra?: readonly string[]): Promise<TerraformRun>;
  outputs(): Promise<Record<string, unknown>>;
}

export interface SynthResult {
  readonly stackDir: string;
  readonly contractFile: string;
  /** What the stack promises; verify holds the sandbox against it. */
  readonly contract: Contract;
  readonly tableName: string;
  readonly partitionKey: string;
}

/** What the stack's outputs give the later phases. */
export interface AppliedStack {
  readonly tableName: string;
  readonly tableArn: string;
  readonly vaultName: string;
  readonly backupRoleArn: string;
  readonly keyArn: string;
  /** Every output the contract names, read by the contract's output names. */
  readonly outputs: StackOutputs;
  /** `terraform output -json`-shaped file, for `tablesafe verify --outputs` after `--keep`. */
  readonly outputsFile: string;
}

export interface VerifyOutcome {
  readonly exitCode: number;
  readonly verdict?: 'PASSED' | 'FAILED';
  readonly reportDir?: string;
  readonly passed?: number;
  readonly failed?: number;
  readonly failedChecks?: readonly string[];
  readonly rtoSeconds?: number;
  readonly rtoTargetMinutes?: number;
  readonly rpoMinutes?: number;
  readonly rpoTargetMinutes?: number;
  readonly sourceItems?: number;
  readonly restoredItems?: number;
  readonly itemsValidated?: number;
  readonly restoreWaitSeconds?: number;
  /** Each restore path the drill ran: its RTO and whether it agreed with the backup restore. */
  readonly paths?: readonly { readonly path: string; readonly status: string; readonly rtoSeconds?: number; readonly agrees?: boolean }[];
  /** The live table against the recovery point: items added, changed and removed since it was made. */
  readonly dataAtRisk?: { readonly total: number; readonly added: number; readonly changed: number; readonly removed: number };
  /** The pack's seal: signature, upload, its verification, and the runs before it on the same reports root. */
  readonly evidence?: EvidenceOutcome;
  /** Why verify could not run (exit 2). */
  readonly error?: string;
}

export interface EvidenceOutcome {
  readonly signed: boolean;
  /** `s3://bucket/packs/<stack>/<run id>/` when uploaded. */
  readonly uploadedTo?: string;
  readonly lockedUntil?: string;
  /** The pack verified right after sealing (KMS and offline, hashes, chain). */
  readonly valid: boolean;
  readonly problems: readonly string[];
  /** `tablesafe evidence verify <dir> --offline`: what to run once the sandbox is gone. */
  readonly verifyCommand: string;
  /** The runs on this reports root, oldest first, this one last. */
  readonly history: readonly { readonly runId: string; readonly startedAt: string; readonly verdict: string; readonly rtoSeconds?: number; readonly signature: string }[];
}

/** What the verify phase hands to `runVerify()`. */
export interface VerifyArgs {
  readonly contract: Contract;
  readonly outputs: StackOutputs;
  /** Where contract and outputs live on disk, for the report's provenance. */
  readonly sources: { readonly contract: string; readonly outputs: string };
  readonly endpoint: string;
  /** Reports root: the report goes to `<out>/<run-id>/`. */
  readonly out: string;
  /** The sandbox's credentials and region. */
  readonly env: Readonly<Record<string, string>>;
  /** Take a fresh backup first (the disaster scenario: the table was re-created after the last one). */
  readonly fresh?: boolean;
}

/** AWS calls of the data phases, bound to the sandbox. */
export interface DemoAws {
  seed(table: string, items: readonly DemoItem[], onProgress: (written: number, total: number) => void, signal: AbortSignal): Promise<number>;
  backup(stack: AppliedStack, runId: string, onProgress: (state: string, percent?: number) => void, signal: AbortSignal): Promise<BackupJobResult>;
  recover(stack: AppliedStack, log: (line: string) => void, onProgress: (what: string, percent?: number) => void, signal: AbortSignal): Promise<RecoverResult>;
  validate(table: string, items: readonly DemoItem[], partitionKey: string, signal: AbortSignal): Promise<ItemValidation>;
  /** Live traffic on the table (puts, updates, deletes, transactions) until stopped. */
  startWriter(table: string, partitionKey: string): LoadWriter;
  /** Restore-drill scratch tables currently in the sandbox. */
  drillTables(): Promise<string[]>;
  /**
   * Recovery points in the vault that a backup plan's rule made (not the demo's own on-demand
   * backup), oldest first. @default not watched during `--keep`
   */
  scheduledRecoveryPoints?(vaultName: string): Promise<ScheduledRecoveryPoint[]>;
  deleteTables(names: readonly string[]): Promise<void>;
  close(): void;
}

/** A recovery point a plan's schedule made, as ListRecoveryPointsByBackupVault reports it. */
export interface ScheduledRecoveryPoint {
  readonly arn: string;
  readonly status: string;
  readonly creationDate: Date;
  /** The rule that made it: its name (`CreatedBy.BackupRuleName`), else its id, when reported. */
  readonly ruleId?: string;
  /** The rule's schedule (`CreatedBy.BackupRuleCron`), when reported. */
  readonly schedule?: string;
}

/**
 * Prints each scheduled recovery point as it appears in the vault, and again when its status
 * changes (CREATED → COMPLETED), until `signal` fires. Read errors are reported once and retried.
 */
export async function watchScheduledPoints(
  list: () => Promise<ScheduledRecoveryPoint[]>, log: (line: string) => void, signal: AbortSignal, pollMs: number,
): Promise<void> {
  const seen = new Map<string, string>();
  let failing = false;
  while (!signal.aborted) {
    try {
      for (const rp of await list()) {
        if (seen.get(rp.arn) === rp.status) continue;
        const first = !seen.has(rp.arn);
        seen.set(rp.arn, rp.status);
        log(`${first ? 'scheduled recovery point appeared' : 'scheduled recovery point'} ${rp.status}${rp.ruleId ? ` (rule ${rp.ruleId}${rp.schedule ? `, ${rp.schedule}` : ''})` : ''}, created ${rp.creationDate.toISOString()}: ${rp.arn}`);
      }
      failing = false;
    } catch (e) {
      if (!failing) log(`could not list the vault's recovery points (retrying): ${(e as Error).message}`);
      failing = true;
    }
    await new Promise<void>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      // One listener at a time: each poll removes its own, so a long --keep does not pile them up.
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, pollMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export interface DemoServices {
  freePort(): Promise<number>;
  synth(endpoint: string): Promise<SynthResult>;
  startSandbox(port: number): Promise<SandboxHandle>;
  terraform(stackDir: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void, signal: AbortSignal): TerraformLike;
  aws(sandbox: SandboxHandle): DemoAws;
  writeOutputs(outputs: Record<string, unknown>): string;
  verify(args: VerifyArgs, log: (line: string) => void): Promise<VerifyOutcome>;
  /** Resolves when the user asks to stop (`--keep`). */
  waitForStop(signal: AbortSignal): Promise<void>;
  /** Removes what a clean run leaves behind (sandbox state). */
  cleanWorkdir(): void;
}

export interface MainJobOptions {
  readonly scenario: Scenario;
  readonly items: readonly DemoItem[];
  readonly keep: boolean;
  readonly out: string;
  readonly runId: string;
  readonly progress: Progress;
  /** Fires on the first Ctrl-C: the running phase stops, teardown starts. */
  readonly signal: AbortSignal;
  /** Fires on the second Ctrl-C: teardown stops where it is. */
  readonly teardownSignal: AbortSignal;
  /** Shown once the stack is up with `--keep`. */
  readonly onKeep?: (info: KeepInfo) => void;
  /** How often `--keep` looks for new scheduled recovery points. @default 2000 ms */
  readonly keepPollMs?: number;
}

export interface KeepInfo {
  readonly endpoint: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tableName: string;
  readonly vaultName: string;
  readonly stackDir: string;
  readonly contractFile: string;
  readonly outputsFile: string;
}

export interface DisasterSummary {
  readonly outageSeconds?: number;
  readonly restoreSeconds?: number;
  readonly validation?: ItemValidation;
  /** Resources `terraform apply` changed after the restore. */
  readonly reapplied: readonly string[];
  /** `terraform plan -detailed-exitcode` after the re-apply (0 = clean). */
  readonly planExitCode?: number;
  /** Time spent in the re-apply and the plan (terraform's, not tablesafe's). */
  readonly terraformMs: number;
  readonly ok: boolean;
}

export type RunVerdict = 'PASSED' | 'FAILED' | 'ERROR' | 'INTERRUPTED';

export interface MainJobResult {
  readonly runId: string;
  readonly scenario: Scenario;
  readonly verdict: RunVerdict;
  readonly exitCode: number;
  readonly phases: readonly PhaseTiming[];
  readonly itemsWritten: number;
  readonly verify?: VerifyOutcome;
  readonly disaster?: DisasterSummary;
  readonly backup?: BackupJobResult;
  /** The live writer's counts, from before the backup until after the drill. */
  readonly writer?: WriterStats;
  /** Scratch tables found after verify, before teardown cleaned up (should be none). */
  readonly drillTablesLeft?: readonly string[];
  /** What is still running or on disk after teardown (empty after a clean run). */
  readonly leftState: readonly string[];
  readonly error?: string;
  readonly endpoint?: string;
}

export class Interrupted extends Error {
  constructor(phase: string) {
    super(`interrupted during ${phase}`);
    this.name = 'Interrupted';
  }
}

interface Undo {
  readonly what: string;
  readonly phase: PhaseName;
  readonly run: () => Promise<void>;
}

/** Apply/destroy progress: `Plan: N to add` gives the total, each `… complete` line one step. */
export function terraformLineProgress(kind: 'apply' | 'destroy'): (line: string) => { message: string; fraction?: number } | undefined {
  let total: number | undefined;
  let done = 0;
  return (line) => {
    const plan = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(line);
    if (plan) {
      total = kind === 'apply' ? Number(plan[1]) + Number(plan[2]) : Number(plan[3]);
      return { message: `${total} resources planned`, fraction: 0 };
    }
    const step = /^(\S+): (Creation|Modifications|Destruction) complete/.exec(line.trim());
    if (step) {
      done++;
      return { message: `${step[1]} ${step[2].toLowerCase()} complete`, fraction: total ? Math.min(1, done / total) : undefined };
    }
    const still = /^(\S+): Still (creating|destroying|modifying)\.\.\. \[(?:id=[^,]*, )?(\d+\w*) elapsed\]/.exec(line.trim());
    if (still) return { message: `waiting for ${still[1]} (${still[3]})`, fraction: total ? Math.min(1, done / total) : undefined };
    return undefined;
  };
}

/** Resource addresses an apply changed (`# aws_x.y will be updated in-place`). */
export function changedResources(output: string): string[] {
  return [...output.matchAll(/# (\S+) (?:will be updated in-place|will be created|must be replaced)/g)].map((m) => m[1]);
}

/** The attribute lines of a plan's diff (`~ name = a -> b`), capped, so a dirty plan says why. */
export function planDiffLines(output: string, cap = 12): string[] {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => /^[~+-] \S.* -> /.test(l) || /^# \S+ (will|must) /.test(l));
  return lines.length > cap ? [...lines.slice(0, cap), `… ${lines.length - cap} more`] : lines;
}

export async function runMainJob(services: DemoServices, o: MainJobOptions): Promise<MainJobResult> {
  const phases: PhaseTiming[] = [];
  const undo: Undo[] = [];
  const leftState: string[] = [];
  let itemsWritten = 0;
  let verify: VerifyOutcome | undefined;
  let disaster: DisasterSummary | undefined;
  let backup: BackupJobResult | undefined;
  let writerStats: WriterStats | undefined;
  let drillTablesLeft: string[] | undefined;
  let sandbox: SandboxHandle | undefined;
  let aws: DemoAws | undefined;
  let error: string | undefined;
  let interrupted = false;

  const phase = async <T>(name: PhaseName, body: (p: PhaseProgress) => Promise<T>, summary?: (t: T) => string): Promise<T> => {
    if (o.signal.aborted) throw new Interrupted(name);
    const p = o.progress.phase(name);
    const started = Date.now();
    try {
      const result = await body(p);
      if (o.signal.aborted) throw new Interrupted(name);
      phases.push({ name, ms: Date.now() - started, ok: true });
      p.done(summary?.(result));
      return result;
    } catch (e) {
      phases.push({ name, ms: Date.now() - started, ok: false });
      p.fail(o.signal.aborted ? 'interrupted' : oneLine(e));
      if (o.signal.aborted && !(e instanceof Interrupted)) throw new Interrupted(name);
      throw e;
    }
  };

  try {
    const port = await services.freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const synth = await phase('synth', () => services.synth(endpoint), (s) => `compliance rules passed; ${s.stackDir}`);
    sandbox = await phase('sandbox', async () => {
      const s = await services.startSandbox(port);
      undo.push({ what: `sandbox on ${s.endpoint}`, phase: 'stop', run: () => s.stop() });
      return s;
    }, (s) => s.endpoint);
    const running = sandbox;
    const tfEnv: NodeJS.ProcessEnv = { ...process.env, AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined, ...running.env };
    let onTfLine: (line: string) => void = () => undefined;
    const tf = services.terraform(synth.stackDir, tfEnv, (l) => onTfLine(l), o.signal);
    const tfTeardown = services.terraform(synth.stackDir, tfEnv, (l) => onTfLine(l), o.teardownSignal);
    aws = services.aws(running);
    const client = aws;

    await phase('init', async (p) => {
      onTfLine = (l) => p.update(l.trim());
      return tf.init();
    });
    const stack = await phase('apply', async (p) => {
      undo.push({ what: `applied stack in ${synth.stackDir} (terraform destroy)`, phase: 'destroy', run: async () => {
        const steps = terraformLineProgress('destroy');
        const dp = o.progress.phase('destroy');
        const started = Date.now();
        onTfLine = (l) => {
          const s = steps(l);
          if (s) dp.update(s.message, s.fraction);
        };
        try {
          // The demo owns this state and the sandbox behind it: no refresh needed to know what to delete.
          await tfTeardown.destroy(['-refresh=false']);
          phases.push({ name: 'destroy', ms: Date.now() - started, ok: true });
          dp.done('every resource destroyed');
        } catch (e) {
          phases.push({ name: 'destroy', ms: Date.now() - started, ok: false });
          dp.fail(oneLine(e));
          throw e;
        }
      } });
      const steps = terraformLineProgress('apply');
      onTfLine = (l) => {
        const s = steps(l);
        if (s) p.update(s.message, s.fraction);
      };
      await tf.apply();
      const values = await tf.outputs();
      const outputs = outputsFromValues(values, 'terraform output -json', synth.contract, 'the apply left no outputs: run the demo again');
      const applied: AppliedStack = {
        tableName: outputs.tableName ?? synth.tableName,
        tableArn: outputs.tableArn ?? '',
        vaultName: outputs.vaultName ?? '',
        backupRoleArn: outputs.backupRoleArn ?? '',
        keyArn: outputs.keyArn ?? '',
        outputs,
        outputsFile: services.writeOutputs(values),
      };
      return applied;
    }, (s) => `table ${s.tableName}, vault ${s.vaultName}`);
    // Registered after apply so it runs before destroy: scratch tables are not in terraform state.
    undo.push({ what: 'restore-drill scratch tables', phase: 'cleanup', run: async () => {
      const left = await client.drillTables();
      if (left.length) await client.deleteTables(left);
    } });

    itemsWritten = await phase('seed', (p) => client.seed(stack.tableName, o.items, (w, t) => p.update(`${w}/${t} items written`, w / t), o.signal),
      (n) => `${n} items written to ${stack.tableName}`);

    // Live traffic from before the backup until after the drill: the drill proves the table at
    // the recovery point's time while the table keeps changing.
    const writer = client.startWriter(stack.tableName, synth.partitionKey);
    undo.push({ what: 'the live writer', phase: 'cleanup', run: async () => void (await writer.stop()) });

    backup = await phase('backup', (p) => client.backup(stack, o.runId, (state, pct) => p.update(`backup job ${state}`, pct === undefined ? undefined : pct / 100), o.signal),
      (b) => `job ${b.backupJobId} COMPLETED → ${b.recoveryPointArn}`);

    if (o.scenario === 'disaster') {
      disaster = await phase('disaster', async (p) => {
        const recovered = await client.recover(stack, (l) => p.log(l), (what, pct) => p.update(what, pct === undefined ? undefined : pct / 100), o.signal);
        p.update('validating every item against what was written');
        const validation = await client.validate(stack.tableName, o.items, synth.partitionKey, o.signal);
        p.log(`items: ${validation.matching}/${validation.expected} identical attribute by attribute, ${validation.found} in the restored table`);
        for (const line of validation.problems) p.log(`  ${line}`);
        p.update('terraform apply: re-applying what a restore drops (PITR, TTL, tags)');
        const steps = terraformLineProgress('apply');
        onTfLine = (l) => {
          const s = steps(l);
          if (s) p.update(`re-apply: ${s.message}`, s.fraction);
        };
        const tfStarted = Date.now();
        const applied = await tf.apply();
        const reapplied = changedResources(applied.output);
        p.log(`re-applied ${reapplied.length ? reapplied.join(', ') : 'nothing (the restore kept every setting)'}`);
        onTfLine = () => undefined;
        p.update('terraform plan -detailed-exitcode');
        const plan = await tf.plan();
        const terraformMs = Date.now() - tfStarted;
        p.log(`terraform plan -detailed-exitcode: exit ${plan.exitCode} (${plan.exitCode === 0 ? 'no changes: the stack matches its configuration again' : `still changes: ${changedResources(plan.output).join(', ')}`})`);
        for (const line of planDiffLines(plan.output)) p.log(`  ${line}`);
        // Exact for every item the demo wrote before the backup; the live writer's own items are counted apart.
        const ok = validation.matching === validation.expected && validation.problems.length === 0 && plan.exitCode === 0;
        return { outageSeconds: recovered.outageSeconds, restoreSeconds: recovered.restoreSeconds, validation, reapplied, planExitCode: plan.exitCode, terraformMs, ok };
      }, (d) => `table recovered in ${d.outageSeconds} s, ${d.validation?.matching}/${d.validation?.expected} items identical, plan ${d.planExitCode === 0 ? 'clean' : 'NOT clean'}`);
    }

    // After a disaster the table is a new one, younger than the last recovery point: back it up afresh.
    verify = await phase('verify', (p) => services.verify({ contract: synth.contract, outputs: stack.outputs, sources: { contract: synth.contractFile, outputs: stack.outputsFile }, endpoint: running.endpoint, out: o.out, env: running.env, fresh: o.scenario === 'disaster' }, (l) => p.log(l)),
      (v) => (v.error ? `could not run: ${v.error}` : `${v.verdict}: ${v.passed} passed, ${v.failed} failed`));
    writerStats = await writer.stop();

    drillTablesLeft = await client.drillTables();

    if (o.keep) {
      o.onKeep?.({ endpoint: running.endpoint, env: running.env, tableName: stack.tableName, vaultName: stack.vaultName, stackDir: synth.stackDir, contractFile: synth.contractFile, outputsFile: stack.outputsFile });
      await phase('keep', async (p) => {
        p.update('sandbox and stack are up — press Ctrl-C to tear down');
        // The stack's own plan keeps running on its schedule: show its recovery points as they appear.
        const list = client.scheduledRecoveryPoints?.bind(client);
        if (list) p.log(`watching backup vault ${stack.vaultName} for the plan's scheduled recovery points (plan schedules run at the sandbox's time scale)`);
        const watching = list ? watchScheduledPoints(() => list(stack.vaultName), (l) => p.log(l), o.signal, o.keepPollMs ?? 2000) : Promise.resolve();
        await services.waitForStop(o.signal);
        await watching;
      }).catch((e) => {
        // Ctrl-C is how --keep ends: not an interruption of the job.
        if (!(e instanceof Interrupted)) throw e;
      });
    }
  } catch (e) {
    if (e instanceof Interrupted || (o.signal.aborted && !o.keep)) interrupted = true;
    else error = oneLine(e);
  }

  // Teardown, newest first. A second Ctrl-C (teardownSignal) leaves the rest as it is.
  for (const step of undo.reverse()) {
    if (o.teardownSignal.aborted) {
      leftState.push(step.what);
      continue;
    }
    const started = Date.now();
    try {
      if (step.phase === 'destroy') await step.run();
      else {
        await step.run();
        if (step.phase === 'stop') phases.push({ name: 'stop', ms: Date.now() - started, ok: true });
      }
    } catch (e) {
      leftState.push(`${step.what}: ${oneLine(e)}`);
      if (step.phase === 'stop') phases.push({ name: 'stop', ms: Date.now() - started, ok: false });
    }
  }
  aws?.close();
  if (leftState.length === 0 && sandbox) services.cleanWorkdir();

  const disasterFailed = disaster !== undefined && !disaster.ok;
  let exitCode: number;
  let verdict: RunVerdict;
  if (interrupted) {
    exitCode = 2;
    verdict = 'INTERRUPTED';
  } else if (error || !verify) {
    exitCode = 2;
    verdict = 'ERROR';
  } else if (verify.exitCode === 2) {
    exitCode = 2;
    verdict = 'ERROR';
    error = verify.error ?? 'verify could not run';
  } else {
    exitCode = Math.max(verify.exitCode, disasterFailed ? 1 : 0);
    verdict = exitCode === 0 ? 'PASSED' : 'FAILED';
  }
  return { runId: o.runId, scenario: o.scenario, verdict, exitCode, phases, itemsWritten, verify, disaster, backup, writer: writerStats, drillTablesLeft, leftState, error, endpoint: sandbox?.endpoint };
}

export function oneLine(e: unknown): string {
  const err = e as { toLine?: () => string; message?: string };
  if (typeof err?.toLine === 'function') return err.toLine();
  // "Unable to compile TypeScript:" and friends put the cause on the next line.
  const lines = (err?.message ?? String(e)).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[0]?.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1]}` : (lines[0] ?? String(e));
}
