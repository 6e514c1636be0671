/**
 * `tablesafe sandbox start [--port N] [--state-dir DIR] [--time-scale X] [--strict-auth KEY:SECRET]`
 *
 * Runs in the foreground. When ready it prints exactly one line `endpoint http://127.0.0.1:PORT`
 * on stdout, then the `export` lines a shell needs. SIGINT/SIGTERM stop it and moto cleanly.
 */
import { isTablesafeError } from '../verify/errors';
import type { SandboxOptions } from './index';

export const SANDBOX_USAGE = [
  'usage: tablesafe sandbox start [options]',
  '',
  '  --port N                 port on 127.0.0.1 (default 4566; 0 picks a free one)',
  '  --state-dir DIR          journal and Backup state (default .tablesafe/sandbox)',
  '  --time-scale X           divide Backup job durations by X (default 1)',
  '  --strict-auth KEY:SECRET accept only requests SigV4-signed with this key pair (default: any)',
  '  --quiet                  no progress lines on stderr',
].join('\n');

export const DEFAULT_CLI_PORT = 4566;

export class UsageError extends Error {}

/** Parses `start`'s options; throws UsageError naming the flag, the value and the rule. */
export function parseStartArgs(argv: string[]): SandboxOptions {
  let port = DEFAULT_CLI_PORT;
  let stateDir: string | undefined;
  let timeScale: number | undefined;
  let strictAuth: SandboxOptions['strictAuth'];
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name}: a value is required`);
      return v;
    };
    switch (name) {
      case '--port': {
        const v = value();
        port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new UsageError(`--port: "${v}" is invalid: must be an integer 0-65535`);
        break;
      }
      case '--state-dir':
        stateDir = value();
        break;
      case '--time-scale': {
        const v = value();
        timeScale = Number(v);
        if (!Number.isFinite(timeScale) || timeScale <= 0) throw new UsageError(`--time-scale: "${v}" is invalid: must be a number > 0`);
        break;
      }
      case '--strict-auth': {
        const v = value();
        const colon = v.indexOf(':');
        if (colon <= 0 || colon === v.length - 1) throw new UsageError('--strict-auth: must be KEY:SECRET with both parts non-empty');
        strictAuth = { accessKeyId: v.slice(0, colon), secretAccessKey: v.slice(colon + 1) };
        break;
      }
      case '--quiet':
        quiet = true;
        break;
      default:
        throw new UsageError(`${flag}: unknown option`);
    }
  }
  return { port, stateDir, timeScale, strictAuth, quiet };
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
    if (err instanceof UsageError) {
      console.error(`tablesafe sandbox start: ${err.message}\n\n${SANDBOX_USAGE}`);
      return 2;
    }
    throw err;
  }
  const { startSandbox } = await import('./index');
  let sandbox;
  try {
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
