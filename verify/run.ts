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
import { drillPathsOf, drillPathsProblem } from '../core/contract';
import { TablesafeError } from '../core/errors';
import type { StackOutputs } from '../core/outputs';
import type { PollProgress } from '../core/poller';
import { runLiveChecks } from './checks';
import { check, CheckResult } from './checks/check';
import { completeChecks, declaredDrillChecks } from './checks/declared';
import { DrillMetrics, runDrill } from './drill/drill';
import { newRunId } from './drill/scratch';
import { hostname } from 'node:os';
import { toolVersion } from '../core/version';
import { fixedTitle } from './report/controls';
import { CiContext, isLocalEndpoint, sha256 } from './report/provenance';
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
  readonly sources?: {
    readonly contract?: string;
    readonly outputs?: string;
    /**
     * SHA-256 of the contract file as read (what `sha256sum` prints for it).
     * @default SHA-256 of the contract's JSON as parsed (JSON.stringify)
     */
    readonly contractSha256?: string;
    /**
     * SHA-256 of the outputs as read.
     * @default SHA-256 of the outputs' JSON as parsed (JSON.stringify)
     */
    readonly outputsSha256?: string;
  };
  /**
   * The report's provenance the library cannot know by itself (the CLI passes them).
   * @default tablesafe's package.json version, the clients' endpoint, no CI context
   */
  readonly provenance?: {
    /** tablesafe's version. @default package.json's */
    readonly toolVersion?: string;
    /** The endpoint the clients were made with (`--endpoint`, AWS_ENDPOINT_URL); undefined: AWS. */
    readonly endpoint?: string;
    /** The CI job and commit (`ciContext(process.env)`). */
    readonly ci?: CiContext;
  };
  /**
   * Inconclusive checks (a drill that validated zero items) fail the run, unless the contract
   * declares `drill.allowEmptyTable`.
   * @default true
   */
  readonly strict?: boolean;
  /**
   * Seed of DATA-SAMPLE's random draws (recorded in the report either way).
   * @default a random seed
   */
  readonly sampleSeed?: number;
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
  if (runsLiveChecks) {
    try {
      const live = await runLiveChecks(contract, outputs, auditClients, o.suppressions ?? []);
      checks.push(...live.checks);
      log(`live checks: ${live.checks.filter((c) => c.status === 'fail').length} failed of ${live.checks.length}`);
    } catch (e) {
      // A bug or an unexpected API shape must still end in a complete report, not a crash.
      checks.push(check('LIVE-CHECKS', 'Live checks ran to completion', 'contract', { status: 'fail', message: `live checks stopped: ${describeError(e)}`, error: true }));
    }
  }
  let drill: DrillMetrics | undefined;
  const drillPaths = o.paths ? drillPathsOf({ ...contract, drill: { ...contract.drill, paths: o.paths } }) : drillPathsOf(contract);
  const declared = declaredDrillChecks(drillPaths, o.fresh === true);
  const titleOf = (id: string) => fixedTitle({ id, title: id, category: 'drill' });
  if (!runsDrill) {
    checks.push(...completeChecks([], declared, titleOf, 'drill skipped (--skip-drill): no restore tested'));
  } else {
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
      sampleSeed: o.sampleSeed,
    });
    // BACKUP-RPO stays as the live checks judged it: the newest point that existed before the run.
    // The drill's own backup (`--fresh`) is a separate figure, never the RPO.
    checks.push(...completeChecks(result.checks, declared, titleOf, 'not run: the drill stopped before it'));
    drill = result.metrics;
  }
  for (const c of checks.filter((x) => x.status === 'fail')) log(`FAIL ${c.id}: ${c.message}`);
  const endpoint = o.provenance?.endpoint ?? (await clientEndpoint(clients));
  const regions = [...new Set([clients.region, ...(drill?.paths ?? []).filter((p) => p.status !== 'not-run').map((p) => p.region)])];
  return buildReport({
    command,
    strict: o.strict ?? true,
    tables: [{ table: outputs.tableName ?? contract.table.name, region: clients.region }],
    targets: { rpoMinutes: contract.backup.rpoMinutes, rtoMinutes: contract.drill.rtoMinutes },
    runId,
    stack: contract.stack,
    environment: contract.environment,
    region: clients.region,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    checks,
    drill,
    provenance: {
      toolVersion: o.provenance?.toolVersion ?? toolVersion(),
      account: caller.account,
      caller: caller.arn,
      regions,
      endpoint: endpoint ?? 'aws',
      localSandbox: isLocalEndpoint(endpoint),
      contract: { source: o.sources?.contract ?? '(in memory)', sha256: o.sources?.contractSha256 ?? sha256(JSON.stringify(contract)) },
      outputs: { source: o.sources?.outputs ?? '(in memory)', sha256: o.sources?.outputsSha256 ?? sha256(JSON.stringify(outputs)) },
      hostname: hostname(),
      ...(o.provenance?.ci ? { ci: o.provenance.ci } : {}),
    },
    identities,
  });
}

/** The custom endpoint the STS client was made with (the sandbox), else undefined (AWS). */
async function clientEndpoint(clients: AwsClients): Promise<string | undefined> {
  try {
    const config = clients.sts.config as { endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path?: string }>; isCustomEndpoint?: boolean };
    if (!config.endpoint || config.isCustomEndpoint === false) return undefined;
    const e = await config.endpoint();
    return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path && e.path !== '/' ? e.path : ''}`;
  } catch {
    return undefined;
  }
}
