/**
 * `tablesafe demo` options. Parsing is pure: it returns the options or throws a usage error (TS_E_USAGE) that
 * names the flag, the value and the rule, so `runDemoCli` can print it and exit 2.
 */
import * as path from 'node:path';
import { choiceOption, integerOption, pathOption, positiveNumberOption, readCommandLine } from '../core/args';

import type { Scenario } from '../demo/main-job';
export type { Scenario };

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
  `  --items N                  items to seed, 1-${MAX_ITEMS} (default ${DEFAULT_ITEMS}: the five items of the original AWS CLI walk-through)`,
  '  --keep                     leave the sandbox and the stack up until Ctrl-C, with AWS CLI hints',
  '  --out DIR                  reports root (default reports)',
  '  --workdir DIR              synthesized stack, terraform files, sandbox state (default .tablesafe/demo)',
  `  --time-scale X             speed up sandbox backup/restore jobs and plan schedules by X (default ${DEFAULT_TIME_SCALE})`,
  '  --json                     final summary as JSON on stdout; progress on stderr',
  '  --help                     this text',
  '',
  'Exit code: 0 every check passed, 1 a check failed, 2 the demo could not run.',
  'Needs terraform on PATH (TF_PLUGIN_DIR=/path/to/mirror for offline provider installs) and moto_server.',
].join('\n');

export type ParsedArgs = { readonly help: true } | ({ readonly help: false } & DemoOptions);

const SCENARIOS: readonly Scenario[] = ['drill', 'disaster'];

export function parseDemoArgs(argv: readonly string[]): ParsedArgs {
  const line = readCommandLine(argv, {
    command: 'tablesafe demo',
    options: {
      '--scenario': 'value', '--items': 'value', '--time-scale': 'value', '--out': 'value', '--workdir': 'value',
      '--keep': 'switch', '--json': 'switch',
    },
  });
  if (line.help) return { help: true };
  return {
    help: false,
    scenario: choiceOption(line, '--scenario', SCENARIOS) ?? 'drill',
    items: integerOption(line, '--items', 1, MAX_ITEMS) ?? DEFAULT_ITEMS,
    keep: line.switches.has('--keep'),
    out: pathOption(line, '--out') ?? 'reports',
    workdir: pathOption(line, '--workdir') ?? path.join('.tablesafe', 'demo'),
    json: line.switches.has('--json'),
    timeScale: positiveNumberOption(line, '--time-scale') ?? DEFAULT_TIME_SCALE,
  };
}
