/**
 * `tablesafe <command>`: a thin dispatcher. Each command lives with the part of the project it
 * belongs to and is loaded only when asked for, so `tablesafe check` never loads the AWS SDK and
 * `tablesafe sandbox` never loads cdktf.
 *
 * Every error ends here as one line and exit 2: a TablesafeError as `code: message — remedy`, anything
 * else (a bug) as "unexpected error" without a stack unless `--debug` is given (anywhere; it is taken
 * out before the command sees its arguments).
 */
import { isTablesafeError } from '../core/errors';
import { quietSdkNodeNotice, unsupportedNodeLine, versionText } from './version';

// Before any command loads the AWS SDK (see version.ts).
quietSdkNodeNotice();

type CommandMain = (argv: string[]) => Promise<number>;

interface Command {
  readonly summary: string;
  readonly load: () => CommandMain;
}

const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'the main job: synth, sandbox, apply, seed, backup, verify + restore drill, reports, destroy',
    load: () => require('./demo').runDemoCli,
  },
  check: {
    summary: 'evaluate a compliance pack on synthesized Terraform JSON',
    load: () => require('./check').runCheckCli,
  },
  verify: {
    summary: 'check a deployed stack against its contract and run the restore drill',
    load: () => (argv: string[]) => require('./verify').runVerifyCli(['verify', ...argv]),
  },
  drill: {
    summary: 'run only the restore drill',
    load: () => (argv: string[]) => require('./verify').runVerifyCli(['drill', ...argv]),
  },
  janitor: {
    summary: 'delete leftover restore-drill scratch tables',
    load: () => (argv: string[]) => require('./verify').runVerifyCli(['janitor', ...argv]),
  },
  evidence: {
    summary: 'verify signed evidence packs and render the drill history (verify, list, show, report)',
    load: () => require('./evidence').runEvidenceCli,
  },
  sandbox: {
    summary: 'run the local AWS sandbox (moto server behind the tablesafe front door)',
    load: () => require('./sandbox').runSandboxCli,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: tablesafe <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `tablesafe help <command>` (or `tablesafe <command> --help`) for the options of one command,',
    '`tablesafe --version` for the version and the supported Node versions.',
  ].join('\n');
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') {
    console.log(versionText());
    return 0;
  }
  const old = unsupportedNodeLine();
  if (old) console.error(old);
  // `tablesafe help verify` is `tablesafe verify --help`.
  if (name === 'help' && rest.length > 0) return run(rest[0], ['--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  return run(name, rest);
}

function run(name: string, argv: string[]): Promise<number> {
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`tablesafe: unknown command "${name}"\n\n${usage()}`);
    return Promise.resolve(2);
  }
  return command.load()(argv);
}

/** Shows the stack of whatever went wrong; taken out of argv before dispatch. */
export const DEBUG_FLAG = '--debug';

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes(DEBUG_FLAG);
  try {
    return await dispatch(argv.filter((a) => a !== DEBUG_FLAG));
  } catch (e) {
    return reportFailure(e, debug);
  }
}

/** Prints an error that reached the top in one line (plus the stack with --debug); returns exit code 2. */
export function reportFailure(e: unknown, debug: boolean, write: (line: string) => void = (line) => console.error(line)): number {
  const stack = (err: unknown) => (err instanceof Error && err.stack ? err.stack : String(err));
  if (isTablesafeError(e)) {
    write(`tablesafe: ${e.toLine()}`);
    if (debug) {
      write(stack(e));
      if (e.cause !== undefined) write(`caused by: ${stack(e.cause)}`);
    }
    return 2;
  }
  const message = e instanceof Error ? e.message : String(e);
  write(debug ? `tablesafe: unexpected error: ${stack(e)}` : `tablesafe: unexpected error: ${message} — please report it (run again with --debug for the stack)`);
  return 2;
}
