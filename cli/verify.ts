/**
 * `tablesafe verify | drill | janitor`. Exit codes: 0 every check passed, 1 a check failed,
 * 2 verify could not run (one line: cause — what to do).
 */
import * as path from 'node:path';
import { integerOption, readCommandLine, UsageError, type CommandLine } from '../core/args';
import { createClients, whoAmI } from '../core/aws/clients';
import { runLiveChecks } from '../verify/checks';
import { check, CheckResult } from '../verify/checks/check';
import { describeError } from '../compliance/facts/live-state';
import { runDrill, DrillMetrics } from '../verify/drill/drill';
import { parseDuration, runJanitor } from '../verify/drill/janitor';
import { newRunId } from '../verify/drill/scratch';
import { isTablesafeError, TablesafeError } from '../core/errors';
import { loadInputs } from '../core/outputs';
import { progressReporter } from '../verify/report/progress';
import { buildReport, summaryLine } from '../verify/report/report';
import { writeReport } from '../verify/report/writers';

const USAGE = `usage:
  tablesafe verify  (--stack NAME | --contract FILE --outputs FILE) [options]
  tablesafe drill   (--stack NAME | --contract FILE --outputs FILE) [options]
  tablesafe janitor [--older-than 2h] [--region R] [--endpoint URL]

Credentials come from the AWS SDK default chain (AWS_PROFILE / SSO, environment, web identity, instance role).

options:
  --stack NAME        read cdktf.out/stacks/NAME/tablesafe.contract.json and \`terraform output -json\` there
  --contract FILE     contract file (with --outputs: outputs saved with \`terraform output -json\`)
  --region R          AWS region (default: the stack's region output, else the contract's region)
  --endpoint URL      endpoint for every AWS service, e.g. the sandbox (default: AWS_ENDPOINT_URL)
  --skip-drill        verify only: live checks without the restore drill
  --fresh             run an on-demand backup first and restore from it
  --timeout DUR       restore deadline, e.g. 30m (default: the contract's RTO)
  --tolerance N       allowed item-count difference (default: contract, 0 for quiescent data)
  --sample N          items compared with the source by key (default: contract)
  --digest / --no-digest  full order-independent digest (default: contract)
  --out DIR           reports root (default: reports); files go to DIR/<run-id>/
  --json              print the report as JSON on stdout
  --older-than DUR    janitor: delete scratch tables older than this (default: 2h)`;

const OPTIONS = {
  '--stack': 'value', '--contract': 'value', '--outputs': 'value', '--region': 'value', '--endpoint': 'value',
  '--timeout': 'value', '--tolerance': 'value', '--sample': 'value', '--out': 'value', '--older-than': 'value',
  '--skip-drill': 'switch', '--fresh': 'switch', '--digest': 'switch', '--no-digest': 'switch', '--json': 'switch',
} as const;

function duration(args: CommandLine, name: string): number | undefined {
  const v = args.values.get(name);
  if (v === undefined) return undefined;
  try {
    return parseDuration(v, name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly cwd: string;
}

export async function runVerifyCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const [command, ...rest] = argv;
  const err = (line: string) => io.stderr.write(`${line}\n`);
  try {
    if (command !== 'verify' && command !== 'drill' && command !== 'janitor') throw new TablesafeError('TS_E_USAGE', `unknown command "${command}"`, 'use verify, drill or janitor');
    const args = readCommandLine(rest, { command: `tablesafe ${command}`, options: OPTIONS });
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command === 'janitor') return await janitor(args, io);
    return await verify(command, args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`tablesafe ${command}: ${e.message}`);
      return 2;
    }
    if (isTablesafeError(e)) {
      err(`tablesafe ${command}: ${e.toLine()}`);
      return 2;
    }
    err(`tablesafe ${command}: unexpected error: ${(e as Error).message} — please report it with the command you ran`);
    return 2;
  }
}

async function janitor(args: CommandLine, io: CliIo): Promise<number> {
  const olderThan = duration(args, '--older-than') ?? 2 * 3_600_000;
  const region = args.values.get('--region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new TablesafeError('TS_E_NO_REGION', 'no AWS region', 'pass --region or set AWS_REGION');
  const clients = createClients({ region, endpoint: args.values.get('--endpoint') });
  try {
    await whoAmI(clients.sts);
    const r = await runJanitor(clients.dynamodb, olderThan, new Date(), { maxWaitMs: 10 * 60_000 }, (l) => io.stderr.write(`${l}\n`));
    if (args.switches.has('--json')) io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else io.stdout.write(`janitor: deleted ${r.deleted.length}, kept ${r.kept.length}, failed ${r.failed.length}${r.deleted.length ? ` (${r.deleted.join(', ')})` : ''}\n`);
    return r.failed.length ? 1 : 0;
  } finally {
    clients.destroy();
  }
}

async function verify(command: 'verify' | 'drill', args: CommandLine, io: CliIo): Promise<number> {
  const startedAt = new Date();
  const inputs = await loadInputs({ stack: args.values.get('--stack'), contractFile: args.values.get('--contract'), outputsFile: args.values.get('--outputs'), cwd: io.cwd });
  const { contract, outputs } = inputs;
  const region = args.values.get('--region') ?? outputs.region ?? contract.region;
  const clients = createClients({ region, endpoint: args.values.get('--endpoint') });
  const runId = newRunId(startedAt);
  const log = (l: string) => io.stderr.write(`${l}\n`);
  try {
    const caller = await whoAmI(clients.sts);
    log(`tablesafe ${command} ${contract.stack} (run ${runId}) as ${caller.arn} in ${region}`);
    const checks: CheckResult[] = [];
    if (command === 'verify') {
      try {
        const live = await runLiveChecks(contract, outputs, clients, inputs.suppressions);
        checks.push(...live.checks);
        log(`live checks: ${live.checks.filter((c) => c.status === 'fail').length} failed of ${live.checks.length}`);
      } catch (e) {
        // A bug or an unexpected API shape must still end in a complete report, not a crash.
        checks.push(check('LIVE-CHECKS', 'Live checks ran to completion', 'contract', { status: 'fail', message: `live checks stopped: ${describeError(e)}` }));
      }
    }
    let drill: DrillMetrics | undefined;
    if (command === 'drill' || !args.switches.has('--skip-drill')) {
      const controller = new AbortController();
      const onSignal = (sig: NodeJS.Signals): void => {
        if (controller.signal.aborted) {
          log(`${sig}: still cleaning up the scratch table, please wait`);
          return;
        }
        log(`${sig}: stopping the drill and deleting its scratch table…`);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const progress = progressReporter(io.stderr);
      try {
        const result = await runDrill({
          contract,
          outputs,
          clients,
          runId,
          fresh: args.switches.has('--fresh'),
          timeoutMs: duration(args, '--timeout'),
          tolerance: integerOption(args, '--tolerance', 0),
          sample: integerOption(args, '--sample', 0),
          digest: args.switches.has('--digest') ? true : args.switches.has('--no-digest') ? false : undefined,
          signal: controller.signal,
          onProgress: progress.report,
          log: (l) => {
            progress.done();
            log(l);
          },
        });
        progress.done();
        checks.push(...result.checks);
        drill = result.metrics;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
    const report = buildReport({
      command,
      runId,
      stack: contract.stack,
      environment: contract.environment,
      region,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      checks,
      drill,
      inputs: { contract: inputs.contractPath, outputs: inputs.outputsSource, caller: caller.arn },
    });
    const dir = path.resolve(io.cwd, args.values.get('--out') ?? 'reports', runId);
    writeReport(report, dir);
    for (const c of checks.filter((x) => x.status === 'fail')) log(`FAIL ${c.id}: ${c.message}`);
    if (args.switches.has('--json')) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout.write(`${summaryLine(report)}\nreports: ${dir}\n`);
    return report.verdict === 'PASSED' ? 0 : 1;
  } finally {
    clients.destroy();
  }
}
