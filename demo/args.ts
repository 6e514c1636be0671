/**
 * `tablesafe demo` options. Parsing is pure: it returns the options or throws a UsageError that
 * names the flag, the value and the rule, so `runDemoCli` can print it and exit 2.
 */
import * as path from 'node:path';

export type Scenario = 'drill' | 'disaster';

export interface DemoOptions {
  /**
   * `drill`: the non-destructive restore drill into a scratch table. `disaster`: seed 000 played
   * literally — delete the source table, restore it under its own name, re-apply what a restore drops.
   * @default 'drill'
   */
  readonly scenario: Scenario;
  /**
   * Items seeded into the demo table (the first five are seed 000's).
   * @default 5
   */
  readonly items: number;
  /**
   * Leave the sandbox and the applied stack running until Ctrl-C.
   * @default false
   */
  readonly keep: boolean;
  /**
   * Reports root; each run writes `<out>/<run-id>/`.
   * @default 'reports'
   */
  readonly out: string;
  /**
   * Where the demo keeps its synthesized stack, terraform working files and sandbox state.
   * @default '.tablesafe/demo'
   */
  readonly workdir: string;
  /**
   * Print the final summary as one JSON document on stdout (progress goes to stderr).
   * @default false
   */
  readonly json: boolean;
  /**
   * Sandbox Backup job durations are divided by this, so backup and restore take seconds.
   * @default 200
   */
  readonly timeScale: number;
}

export const DEFAULT_ITEMS = 5;
export const MAX_ITEMS = 1_000_000;
export const DEFAULT_TIME_SCALE = 200;

export const DEMO_USAGE = [
  'usage: tablesafe demo [options]      (npm start)',
  '',
  'Synthesizes the demo stack with the compliance rules, starts the local AWS sandbox, applies the',
  'stack with terraform, seeds items, runs an on-demand AWS Backup job, verifies the live stack with',
  'the restore drill, writes the reports and tears everything down.',
  '',
  '  --scenario drill|disaster  drill: restore into a scratch table (default);',
  '                             disaster: delete the table, restore it under its own name, re-apply',
  `  --items N                  items to seed, 1-${MAX_ITEMS} (default ${DEFAULT_ITEMS}: the five of seed 000)`,
  '  --keep                     leave the sandbox and the stack up until Ctrl-C, with AWS CLI hints',
  '  --out DIR                  reports root (default reports)',
  '  --workdir DIR              synthesized stack, terraform files, sandbox state (default .tablesafe/demo)',
  `  --time-scale X             speed up sandbox backup/restore jobs by X (default ${DEFAULT_TIME_SCALE})`,
  '  --json                     final summary as JSON on stdout; progress on stderr',
  '  --help                     this text',
  '',
  'Exit code: 0 every check passed, 1 a check failed, 2 the demo could not run.',
  'Needs terraform on PATH (TF_PLUGIN_DIR=/path/to/mirror for offline provider installs) and moto_server.',
].join('\n');

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ParsedArgs = { readonly help: true } | ({ readonly help: false } & DemoOptions);

export function parseDemoArgs(argv: readonly string[]): ParsedArgs {
  let scenario: Scenario = 'drill';
  let items = DEFAULT_ITEMS;
  let keep = false;
  let json = false;
  let out = 'reports';
  let workdir = path.join('.tablesafe', 'demo');
  let timeScale = DEFAULT_TIME_SCALE;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${name}: a value is required`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${name}: "${inline}" is invalid: ${name} takes no value`);
    };
    switch (name) {
      case '--help':
      case '-h':
        return { help: true };
      case '--scenario': {
        const v = value();
        if (v !== 'drill' && v !== 'disaster') throw new UsageError(`--scenario: "${v}" is invalid: must be drill or disaster`);
        scenario = v;
        break;
      }
      case '--items': {
        const v = value();
        items = Number(v);
        if (!/^\d+$/.test(v) || items < 1 || items > MAX_ITEMS) throw new UsageError(`--items: "${v}" is invalid: must be an integer from 1 to ${MAX_ITEMS}`);
        break;
      }
      case '--time-scale': {
        const v = value();
        timeScale = Number(v);
        if (!Number.isFinite(timeScale) || timeScale <= 0) throw new UsageError(`--time-scale: "${v}" is invalid: must be a number > 0`);
        break;
      }
      case '--out':
        out = value();
        if (out.trim() === '') throw new UsageError('--out: "" is invalid: must be a directory path');
        break;
      case '--workdir':
        workdir = value();
        if (workdir.trim() === '') throw new UsageError('--workdir: "" is invalid: must be a directory path');
        break;
      case '--keep':
        noValue();
        keep = true;
        break;
      case '--json':
        noValue();
        json = true;
        break;
      default:
        throw new UsageError(`${arg}: unknown option (see tablesafe demo --help)`);
    }
  }
  return { help: false, scenario, items, keep, out, workdir, json, timeScale };
}
