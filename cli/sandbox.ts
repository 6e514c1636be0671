/**
 * `tablesafe sandbox start [--port N] [--state-dir DIR] [--time-scale X] [--no-schedules] [--strict-auth KEY:SECRET] [--trail-event-limit N] [--enforce-iam]`
 *
 * Backup plan rules run on their schedules (system clock, sped up by `--time-scale`) unless
 * `--no-schedules`.
 * Runs in the foreground. When ready it prints exactly one line `endpoint http://127.0.0.1:PORT`
 * on stdout, then the `export` lines a shell needs. SIGINT/SIGTERM stop it and moto cleanly.
 */
import { integerOption, pathOption, positiveNumberOption, readCommandLine } from '../core/args';
import { isTablesafeError, isUsageError, usageError } from '../core/errors';
import { ensureWritableDir } from '../core/dirs';
import type { SandboxOptions } from '../sandbox/index';
import { DEFAULT_TRAIL_EVENT_LIMIT } from '../sandbox/trail-events';

export const SANDBOX_USAGE = [
  'usage: tablesafe sandbox start [options]',
  '',
  '  --port N                 port on 127.0.0.1 (default 4566; 0 picks a free one)',
  '  --state-dir DIR          journal and Backup state (default .tablesafe/sandbox)',
  '  --time-scale X           divide Backup job durations by X and run plan schedules X times faster',
  '                           (default 1; 3600 makes an hour of schedules pass in a second)',
  '  --no-schedules           do not run Backup plan rules on their schedules',
  '  --strict-auth KEY:SECRET accept only requests SigV4-signed with this key pair (default: any)',
  `  --trail-event-limit N    CloudTrail events kept for LookupEvents, newest first (default ${DEFAULT_TRAIL_EVENT_LIMIT}; 0 records none)`,
  '  --enforce-iam            authorize calls made with assumed-role credentials against the role\'s',
  '                           policies as applied, as AWS does (needs @cloud-copilot/iam-simulate);',
  '                           the operator\'s credentials stay unrestricted',
  '  --quiet                  no progress lines on stderr',
].join('\n');

export const DEFAULT_CLI_PORT = 4566;

/** Parses `start`'s options; throws a usage error (TS_E_USAGE) naming the flag, the value and the rule. */
export function parseStartArgs(argv: readonly string[]): SandboxOptions {
  const line = readCommandLine(argv, {
    command: 'tablesafe sandbox start',
    options: { '--port': 'value', '--state-dir': 'value', '--time-scale': 'value', '--no-schedules': 'switch', '--strict-auth': 'value', '--trail-event-limit': 'value', '--quiet': 'switch', '--enforce-iam': 'switch' },
  });
  const auth = line.values.get('--strict-auth');
  let strictAuth: SandboxOptions['strictAuth'];
  if (auth !== undefined) {
    const colon = auth.indexOf(':');
    // The value holds a secret: the message names the rule, never the value.
    if (colon <= 0 || colon === auth.length - 1) throw usageError('--strict-auth: must be KEY:SECRET with both parts non-empty', '--strict-auth');
    strictAuth = { accessKeyId: auth.slice(0, colon), secretAccessKey: auth.slice(colon + 1) };
  }
  return {
    port: integerOption(line, '--port', 0, 65535) ?? DEFAULT_CLI_PORT,
    stateDir: pathOption(line, '--state-dir'),
    timeScale: positiveNumberOption(line, '--time-scale'),
    runSchedules: !line.switches.has('--no-schedules'),
    strictAuth,
    trailEventLimit: integerOption(line, '--trail-event-limit', 0),
    enforceIam: line.switches.has('--enforce-iam'),
    quiet: line.switches.has('--quiet'),
  };
}

/** The lines a user pastes into a shell; the strict-auth secret is never echoed. */
export function exportLines(env: Readonly<Record<string, string>>, strict: boolean): string[] {
  return Object.entries(env).map(([k, v]) =>
    k === 'AWS_SECRET_ACCESS_KEY' && strict ? `export ${k}=<the secret given to --strict-auth>` : `export ${k}=${v}`);
}

export async function runSandboxCli(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(SANDBOX_USAGE);
    return sub ? 0 : 2;
  }
  if (sub !== 'start') {
    console.error(`tablesafe sandbox: unknown subcommand "${sub}"\n\n${SANDBOX_USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(SANDBOX_USAGE);
    return 0;
  }
  let options: SandboxOptions;
  try {
    options = parseStartArgs(rest);
  } catch (err) {
    if (isUsageError(err)) {
      console.error(`tablesafe sandbox start: ${err.message}\n\n${SANDBOX_USAGE}`);
      return 2;
    }
    throw err;
  }
  let sandbox;
  try {
    // The named directory is checked before anything starts; the default one by startSandbox.
    if (options.stateDir !== undefined) ensureWritableDir(options.stateDir, '--state-dir');
    const { startSandbox } = await import('../sandbox/index');
    sandbox = await startSandbox(options);
  } catch (err) {
    if (isTablesafeError(err)) {
      console.error(`tablesafe sandbox: ${err.toLine()}`);
      return 2;
    }
    throw err;
  }
  const running = sandbox;
  // Handlers go in before the endpoint line: a caller may signal as soon as it reads that line.
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (!options.quiet) console.error(`sandbox: ${signal}, stopping`);
      running.stop().then(() => resolve(0), (err: unknown) => {
        console.error(`sandbox: stop failed: ${(err as Error).message}`);
        resolve(1);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  console.log(`endpoint ${sandbox.endpoint}`);
  console.log(exportLines(sandbox.env, options.strictAuth !== undefined).join('\n'));
  if (!options.quiet) console.error('sandbox: running; Ctrl-C stops it');
  return stopped;
}
