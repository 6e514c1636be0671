/**
 * `tablesafe verify | drill | janitor`. Exit codes: 0 every check passed, 1 a check failed,
 * 2 verify could not run (one line: cause — what to do).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { durationOption, integerOption, invalid, isUsageError, pathOption, readCommandLine, usageError, type CommandLine } from '../core/args';
import { createClients, whoAmI } from '../core/aws/clients';
import { DRILL_PATHS, type DrillPath } from '../core/contract';
import { ensureWritableDir } from '../core/dirs';
import { isTablesafeError, TablesafeError } from '../core/errors';
import { loadInputs } from '../core/outputs';
import { ciContext, sha256 } from '../verify/report/provenance';
import { toolVersion } from './version';
import { formatJanitorResult, runJanitor, type JanitorResult } from '../verify/drill/janitor';
import { newRunId } from '../verify/drill/scratch';
import { progressReporter } from '../verify/report/progress';
import { summaryLine } from '../verify/report/report';
import { writeReport } from '../verify/report/writers';
import { roleClients } from '../verify/identities';
import { runVerify, type VerifyOptions } from '../verify/run';
import { evidenceLine, sealPack, type EvidenceOptions } from '../verify/evidence/seal';

const USAGE = `usage:
  tablesafe verify  (--stack NAME | --contract FILE --outputs FILE) [options]
  tablesafe drill   (--stack NAME | --contract FILE --outputs FILE) [options]
  tablesafe janitor [--older-than 2h] [--region R[,R2…]] [--endpoint URL]

Credentials come from the AWS SDK default chain (AWS_PROFILE / SSO, environment, web identity, instance role).
With them verify assumes the stack's roles when its outputs name them: the auditor role for the live
checks, the restore-drill role for the drill (session tablesafe-<phase>-<run id>), so every run proves
those roles suffice. --as-caller runs every phase with your own credentials instead.

options:
  --stack NAME        read cdktf.out/stacks/NAME/tablesafe.contract.json and \`terraform output -json\` there
  --contract FILE     contract file (with --outputs: outputs saved with \`terraform output -json\`)
  --region R          AWS region (default: the stack's region output, else the contract's region)
  --endpoint URL      endpoint for every AWS service, e.g. the sandbox (default: AWS_ENDPOINT_URL)
  --skip-drill        verify only: live checks without the restore drill
  --fresh             run an on-demand backup first and restore from it (and copy it to the DR vault for dr)
  --paths P[,P…]      restore paths: backup (the recovery point), pitr (point-in-time restore to its
                      time), dr (its copy in the DR region) (default: contract, every path it supports)
  --timeout DUR       each path's restore deadline, e.g. 30m (default: the contract's RTO)
  --tolerance N       keys allowed to differ between two restore paths (default: contract, 0)
  --sample N          items of the backup restore compared by key with every other path (default: contract)
  --digest / --no-digest  full order-independent digest of every restore (default: contract)
  --max-keys N        differing keys listed per comparison (default: contract, 20)
  --sample-seed N     seed of the random sample's draws, to draw the same keys again (default: random;
                      the report records the seed either way)
  --no-strict         an inconclusive drill (zero items validated) does not fail the run (default:
                      it fails unless the contract declares drill.allowEmptyTable)
  --out DIR           reports root (default: reports); files go to DIR/<run-id>/
  --json              print the report as JSON on stdout
  --sign / --no-sign  sign the pack's manifest with the stack's KMS key (default: when the stack declares one)
  --upload / --no-upload  upload the sealed pack to the evidence bucket (default: when the stack declares one)
  --as-caller         run every phase as yourself, not as the stack's auditor and drill roles
  --older-than DUR    janitor: delete scratch tables older than this (default: 2h)
  --region R,R2       janitor: every region to clean (the primary and the DR region)`;

const OPTIONS = {
  '--stack': 'value', '--contract': 'value', '--outputs': 'value', '--region': 'value', '--endpoint': 'value',
  '--timeout': 'value', '--tolerance': 'value', '--sample': 'value', '--out': 'value', '--older-than': 'value', '--paths': 'value', '--max-keys': 'value', '--sample-seed': 'value',
  '--skip-drill': 'switch', '--no-strict': 'switch', '--fresh': 'switch', '--digest': 'switch', '--no-digest': 'switch', '--json': 'switch', '--as-caller': 'switch',
  '--sign': 'switch', '--no-sign': 'switch', '--upload': 'switch', '--no-upload': 'switch',
} as const;

/** Options that only one of the commands takes: given to another, they are a mistake, not a no-op. */
const ONLY_FOR: Readonly<Record<string, readonly string[]>> = {
  '--older-than': ['janitor'],
  '--skip-drill': ['verify'],
  '--stack': ['verify', 'drill'], '--contract': ['verify', 'drill'], '--outputs': ['verify', 'drill'],
  '--timeout': ['verify', 'drill'], '--tolerance': ['verify', 'drill'], '--sample': ['verify', 'drill'],
  '--digest': ['verify', 'drill'], '--no-digest': ['verify', 'drill'], '--fresh': ['verify', 'drill'], '--out': ['verify', 'drill'],
  '--paths': ['verify', 'drill'], '--max-keys': ['verify', 'drill'], '--sample-seed': ['verify', 'drill'], '--no-strict': ['verify', 'drill'], '--as-caller': ['verify', 'drill'],
  '--sign': ['verify', 'drill'], '--no-sign': ['verify', 'drill'], '--upload': ['verify', 'drill'], '--no-upload': ['verify', 'drill'],
};

/** `--paths backup,pitr`: known names, no repeats; whether the contract supports them is checked by runVerify. */
function pathsOption(args: CommandLine): DrillPath[] | undefined {
  const v = args.values.get('--paths');
  if (v === undefined) return undefined;
  const names = v.split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(DRILL_PATHS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length) throw invalid('--paths', v, `must list restore paths among ${DRILL_PATHS.join(', ')}, separated by commas`);
  if (!names.includes('backup')) throw invalid('--paths', v, 'must include backup: the other paths are compared with its restore');
  return [...new Set(names)] as DrillPath[];
}

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly cwd: string;
}

/** Everything `verify`/`drill` was asked to do, read and checked before any work starts. */
export interface VerifyCommand {
  readonly inputs: { readonly stack?: string; readonly contractFile?: string; readonly outputsFile?: string };
  readonly region?: string;
  readonly endpoint?: string;
  readonly outRoot: string;
  readonly json: boolean;
  /** Every phase as the caller, not as the stack's roles. */
  readonly asCaller: boolean;
  readonly options: VerifyOptions;
  /** Sign and upload the pack (`--sign`/`--no-sign`, `--upload`/`--no-upload`). */
  readonly evidence: EvidenceOptions;
}

/** `--x` → true, `--no-x` → false, neither → undefined; both is a usage error. */
function pairedSwitch(args: CommandLine, name: string): boolean | undefined {
  const on = args.switches.has(`--${name}`);
  const off = args.switches.has(`--no-${name}`);
  if (on && off) throw invalid(`--${name}`, `--no-${name}`, `give --${name} or --no-${name}, not both`);
  return on ? true : off ? false : undefined;
}

export function parseVerifyCommand(command: 'verify' | 'drill', args: CommandLine): VerifyCommand {
  for (const name of [...args.values.keys(), ...args.switches]) {
    const allowed = ONLY_FOR[name];
    if (allowed && !allowed.includes(command)) throw usageError(`${name}: not an option of tablesafe ${command} (see tablesafe ${command} --help)`);
  }
  if (args.switches.has('--digest') && args.switches.has('--no-digest')) throw invalid('--digest', '--no-digest', 'give --digest or --no-digest, not both');
  return {
    // loadInputs checks which of them go together.
    inputs: { stack: pathOption(args, '--stack'), contractFile: pathOption(args, '--contract'), outputsFile: pathOption(args, '--outputs') },
    region: args.values.get('--region'),
    endpoint: args.values.get('--endpoint'),
    outRoot: pathOption(args, '--out') ?? 'reports',
    json: args.switches.has('--json'),
    evidence: { sign: pairedSwitch(args, 'sign'), upload: pairedSwitch(args, 'upload') },
    asCaller: args.switches.has('--as-caller'),
    options: {
      command,
      skipDrill: args.switches.has('--skip-drill'),
      fresh: args.switches.has('--fresh'),
      paths: pathsOption(args),
      timeoutMs: durationOption(args, '--timeout'),
      tolerance: integerOption(args, '--tolerance', 0),
      sample: integerOption(args, '--sample', 0),
      digest: args.switches.has('--digest') ? true : args.switches.has('--no-digest') ? false : undefined,
      maxKeys: integerOption(args, '--max-keys', 0),
      sampleSeed: integerOption(args, '--sample-seed', 0, 4_294_967_295),
      strict: !args.switches.has('--no-strict'),
    },
  };
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
    return await verify(parseVerifyCommand(command, args), io);
  } catch (e) {
    // A usage error is the user's line to fix: its message alone. Anything not a TablesafeError
    // is a bug and goes up to the one handler (cli/main.ts), which shows its stack with --debug.
    if (isUsageError(e) && !e.remedy) err(`tablesafe ${command}: ${e.message}`);
    else if (isTablesafeError(e)) err(`tablesafe ${command}: ${e.toLine()}`);
    else throw e;
    return 2;
  }
}

async function janitor(args: CommandLine, io: CliIo): Promise<number> {
  for (const name of [...args.values.keys(), ...args.switches]) {
    const allowed = ONLY_FOR[name];
    if (allowed && !allowed.includes('janitor')) throw usageError(`${name}: not an option of tablesafe janitor (see tablesafe janitor --help)`);
  }
  const olderThan = durationOption(args, '--older-than') ?? 2 * 3_600_000;
  // A drill with a DR path leaves its scratch table in the DR region: `--region us-east-1,us-west-2`.
  const regions = [...new Set((args.values.get('--region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '').split(',').map((r) => r.trim()).filter(Boolean))];
  if (!regions.length) throw new TablesafeError('TS_E_NO_REGION', 'no AWS region', 'pass --region (a comma-separated list to clean several) or set AWS_REGION');
  const clients = createClients({ region: regions[0], endpoint: args.values.get('--endpoint') });
  try {
    await whoAmI(clients.sts);
    const results: Array<JanitorResult & { region: string }> = [];
    for (const region of regions) {
      const r = await runJanitor(clients.dynamodbIn(region), olderThan, new Date(), { maxWaitMs: 10 * 60_000 }, (l) => io.stderr.write(`${l}\n`));
      results.push({ region, ...r });
    }
    const json = regions.length === 1 ? (({ region: _region, ...r }) => r)(results[0]) : results;
    if (args.switches.has('--json')) io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    else io.stdout.write(`${results.map((r) => (regions.length === 1 ? formatJanitorResult(r) : `${r.region}: ${formatJanitorResult(r)}`)).join('\n')}\n`);
    return results.some((r) => r.failed.length) ? 1 : 0;
  } finally {
    clients.destroy();
  }
}

/** SHA-256 of a file as read (what `sha256sum` prints), or undefined when `source` is not a file (terraform output). */
function fileSha256(source: string): string | undefined {
  try {
    return existsSync(source) && statSync(source).isFile() ? sha256(readFileSync(source)) : undefined;
  } catch {
    return undefined;
  }
}

async function verify(cmd: VerifyCommand, io: CliIo): Promise<number> {
  // Before the inputs are read or AWS is called: a report that cannot be written fails now, one line.
  ensureWritableDir(cmd.outRoot, '--out', { cwd: io.cwd, create: false });
  const inputs = await loadInputs({ ...cmd.inputs, cwd: io.cwd });
  const { contract, outputs } = inputs;
  const region = cmd.region ?? outputs.region ?? contract.region;
  const runId = newRunId();
  const dir = path.resolve(io.cwd, cmd.outRoot, runId);
  const clients = createClients({ region, endpoint: cmd.endpoint });
  const phases = roleClients({
    outputs,
    caller: clients,
    clientOptions: { region, endpoint: cmd.endpoint },
    runId,
    asCaller: cmd.asCaller,
    phases: { liveChecks: cmd.options.command !== 'drill', drill: cmd.options.command === 'drill' || !cmd.options.skipDrill },
  });
  const log = (l: string) => io.stderr.write(`${l}\n`);
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
    const report = await runVerify({
      contract,
      outputs,
      clients,
      phaseClients: phases,
      options: {
        ...cmd.options,
        runId,
        suppressions: inputs.suppressions,
        sources: { contract: inputs.contractPath, outputs: inputs.outputsSource, contractSha256: fileSha256(inputs.contractPath), outputsSha256: fileSha256(inputs.outputsSource) },
        provenance: { toolVersion: toolVersion(), endpoint: cmd.endpoint ?? process.env.AWS_ENDPOINT_URL, ci: ciContext(process.env) },
        signal: controller.signal,
        onProgress: progress.report,
        log: (l) => {
          progress.done();
          log(l);
        },
      },
    });
    progress.done();
    writeReport(report, dir);
    // Sealing runs on a written pack: a signing or upload failure leaves the pack on disk and says so.
    // The drill role signs and uploads what its drill proved (the signing key lets no one else sign).
    const sealer = phases.drill ?? clients;
    const sealed = await sealPack({ dir, runId, contract, outputs, kms: sealer.kms, s3: sealer.s3, options: cmd.evidence });
    if (cmd.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout.write(`${summaryLine(report)}\nreports: ${dir}\n`);
      io.stdout.write(`${evidenceLine(sealed)}\n`);
    }
    return report.verdict === 'PASSED' ? 0 : 1;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    phases.destroy();
    clients.destroy();
  }
}
