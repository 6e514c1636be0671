/**
 * `runVerify()`: the library form of `tablesafe verify` / `tablesafe drill`. It takes what the
 * caller already holds (the contract, the stack's outputs, AWS clients, options) and returns the
 * report; it parses no argv, reads no environment and writes no files. The CLI and the demo both
 * call it; `writeReport()` (verify/report/writers.ts) puts a report on disk.
 */
import type { AwsClients } from '../core/aws/clients';
import { whoAmI } from '../core/aws/clients';
import { describeError } from '../core/aws/errors';
import type { Contract, DrillPath, Suppression } from '../core/contract';
import { drillPathsProblem } from '../core/contract';
import { TablesafeError } from '../core/errors';
import type { StackOutputs } from '../core/outputs';
import type { PollProgress } from '../core/poller';
import { runLiveChecks } from './checks';
import { rpoCheckAfterDrill } from './checks/backup';
import { check, CheckResult } from './checks/check';
import type { LiveState } from '../compliance/facts/live-state';
import { DrillMetrics, runDrill } from './drill/drill';
import { newRunId } from './drill/scratch';
import type { PhaseClients } from './identities';
import { buildReport, Report } from './report/report';

export interface VerifyOptions {
  /**
   * `verify`: live checks, then the restore drill; `drill`: the restore drill alone.
   * @default 'verify'
   */
  readonly command?: 'verify' | 'drill';
  /**
   * Live checks without the restore drill (`verify` only).
   * @default false
   */
  readonly skipDrill?: boolean;
  /**
   * Run an on-demand backup first and restore from it.
   * @default false
   */
  readonly fresh?: boolean;
  /**
   * Restore paths the drill runs: `backup` (always), `pitr` (point-in-time restore to the
   * recovery point's time), `dr` (the DR vault's copy, restored in the DR region).
   * @default the contract's `drill.paths`, else every path the contract supports
   */
  readonly paths?: readonly DrillPath[];
  /**
   * Each restore path's deadline in milliseconds.
   * @default the contract's RTO
   */
  readonly timeoutMs?: number;
  /**
   * Keys allowed to differ between two restore paths.
   * @default the contract's `drill.validation.tolerance`
   */
  readonly tolerance?: number;
  /**
   * Items of the backup restore compared by key, attribute by attribute, with every other restore.
   * @default the contract's `drill.validation.sample`
   */
  readonly sample?: number;
  /**
   * Full order-independent digest of every restored table and of the source.
   * @default the contract's `drill.validation.digest`
   */
  readonly digest?: boolean;
  /**
   * Differing keys listed per comparison in the report.
   * @default the contract's `drill.validation.maxKeys`, else 20
   */
  readonly maxKeys?: number;
  /**
   * Suppressions the stack was synthesized with (they apply to the live compliance checks).
   * @default none
   */
  readonly suppressions?: readonly Suppression[];
  /**
   * Id of this run (report folder, scratch table name, tags).
   * @default a new time-sortable id
   */
  readonly runId?: string;
  /**
   * Where the contract and the outputs came from, for the report's provenance.
   * @default "(in memory)"
   */
  readonly sources?: { readonly contract?: string; readonly outputs?: string };
  /**
   * Stops the drill; its scratch table is still deleted and the report still returned.
   * @default never aborted
   */
  readonly signal?: AbortSignal;
  /**
   * Plain progress lines (what runs, what failed).
   * @default silent
   */
  readonly log?: (line: string) => void;
  /**
   * Progress of long waits (backup, restore).
   * @default silent
   */
  readonly onProgress?: (what: string, p: PollProgress) => void;
}

export interface RunVerifyInput {
  readonly contract: Contract;
  readonly outputs: StackOutputs;
  /** Clients in the platform's region (`createClients`); the caller destroys them. */
  readonly clients: AwsClients;
  /**
   * Clients for a phase that runs as another identity (the stack's auditor and drill roles, see
   * verify/identities.ts); the caller destroys them.
   * @default `clients` for every phase
   */
  readonly phaseClients?: PhaseClients;
  /** @default {} */
  readonly options?: VerifyOptions;
}

/**
 * Checks each option against its rule before any work starts; throws a TablesafeError
 * (`TS_E_USAGE`) naming the field, the value and the rule.
 */
export function validateVerifyOptions(o: VerifyOptions): void {
  const bad = (field: string, value: unknown, rule: string): never => {
    throw new TablesafeError('TS_E_USAGE', `${field}: ${JSON.stringify(value)} is invalid: ${rule}`, undefined, { field });
  };
  if (o.command !== undefined && o.command !== 'verify' && o.command !== 'drill') bad('command', o.command, 'must be verify or drill');
  if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) bad('timeoutMs', o.timeoutMs, 'must be a number of milliseconds > 0');
  for (const [field, value] of [['tolerance', o.tolerance], ['sample', o.sample], ['maxKeys', o.maxKeys]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) bad(field, value, 'must be a whole number >= 0');
  }
}

export async function runVerify(input: RunVerifyInput): Promise<Report> {
  const { contract, outputs, clients } = input;
  const o = input.options ?? {};
  validateVerifyOptions(o);
  const pathsProblem = o.paths && drillPathsProblem(o.paths, contract);
  if (pathsProblem) throw new TablesafeError('TS_E_USAGE', `paths: ${JSON.stringify(o.paths?.join(','))} is invalid: ${pathsProblem}`, undefined, { field: 'paths' });
  const command = o.command ?? 'verify';
  const log = o.log ?? (() => undefined);
  const startedAt = new Date();
  const runId = o.runId ?? newRunId(startedAt);
  const caller = await whoAmI(clients.sts);
  log(`tablesafe ${command} ${contract.stack} (run ${runId}) as ${caller.arn} in ${clients.region}`);
  const runsLiveChecks = command === 'verify';
  const runsDrill = command === 'drill' || !o.skipDrill;
  const auditClients = input.phaseClients?.liveChecks ?? clients;
  const drillClients = input.phaseClients?.drill ?? clients;
  // Each phase's identity is resolved before any work: a role the caller cannot assume fails now.
  const identities: { liveChecks?: string; drill?: string } = {};
  if (runsLiveChecks) identities.liveChecks = auditClients === clients ? caller.arn : (await whoAmI(auditClients.sts)).arn;
  if (runsDrill) identities.drill = drillClients === clients ? caller.arn : (await whoAmI(drillClients.sts)).arn;
  for (const [phase, arn] of Object.entries(identities)) if (arn !== caller.arn) log(`${phase === 'drill' ? 'drill' : 'live checks'} as ${arn}`);

  const checks: CheckResult[] = [];
  let liveState: LiveState | undefined;
  if (runsLiveChecks) {
    try {
      const live = await runLiveChecks(contract, outputs, auditClients, o.suppressions ?? []);
      liveState = live.live;
      checks.push(...live.checks);
      log(`live checks: ${live.checks.filter((c) => c.status === 'fail').length} failed of ${live.checks.length}`);
    } catch (e) {
      // A bug or an unexpected API shape must still end in a complete report, not a crash.
      checks.push(check('LIVE-CHECKS', 'Live checks ran to completion', 'contract', { status: 'fail', message: `live checks stopped: ${describeError(e)}` }));
    }
  }
  let drill: DrillMetrics | undefined;
  if (runsDrill) {
    const result = await runDrill({
      contract,
      outputs,
      clients: drillClients,
      runId,
      fresh: o.fresh,
      paths: o.paths,
      timeoutMs: o.timeoutMs,
      tolerance: o.tolerance,
      sample: o.sample,
      digest: o.digest,
      maxKeys: o.maxKeys,
      signal: o.signal,
      onProgress: o.onProgress,
      log,
    });
    checks.push(...result.checks);
    drill = result.metrics;
    // One verdict on the RPO per run: the live checks ran before the drill's backup (`--fresh`) or
    // before a scheduled one completed; judged with the point the drill restored, they agree with it.
    const rpo = liveState && rpoCheckAfterDrill(contract, liveState, drill);
    const at = checks.findIndex((c) => c.id === 'BACKUP-RPO');
    if (rpo && at >= 0) checks[at] = rpo;
  }
  for (const c of checks.filter((x) => x.status === 'fail')) log(`FAIL ${c.id}: ${c.message}`);
  return buildReport({
    command,
    runId,
    stack: contract.stack,
    environment: contract.environment,
    region: clients.region,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    checks,
    drill,
    inputs: { contract: o.sources?.contract ?? '(in memory)', outputs: o.sources?.outputs ?? '(in memory)', caller: caller.arn },
    identities,
  });
}
