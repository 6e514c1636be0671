/**
 * The command-line reader every tablesafe command shares: `--name value`, `--name=value`, switches
 * and positional arguments. Each command declares its options once; what the values mean stays
 * with the command. Every error names the option, the value and the rule, in one wording:
 *
 *   --port: "abc" is invalid: must be an integer 0-65535
 *   --state-dir: a value is required
 *   --verbose: unknown option (see tablesafe sandbox start --help)
 *
 * Errors are TablesafeErrors with code TS_E_USAGE (usageError, isUsageError); `field` is the option.
 * Pure: no I/O, nothing read from the environment.
 */
import { invalidInput, isUsageError, USAGE, usageError, type TablesafeError } from './errors';

export { isUsageError, usageError };

/** `value`: takes one argument (`--out DIR`, `--out=DIR`). `switch`: takes none (`--json`). */
export type OptionKind = 'value' | 'switch';

export interface CommandLineSpec {
  /** The command as typed, for "see … --help" hints, e.g. `tablesafe demo`. */
  readonly command: string;
  readonly options: Readonly<Record<string, OptionKind>>;
  /**
   * How many positional arguments the command takes.
   * @default 0
   */
  readonly maxPositionals?: number;
}

export interface CommandLine {
  /** `--help` or `-h` was given (anywhere); nothing else was checked. */
  readonly help: boolean;
  /** The last value given for each value option. */
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

export function readCommandLine(argv: readonly string[], spec: CommandLineSpec): CommandLine {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, values: new Map(), switches: new Set(), positionals: [] };
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  const hint = `(see ${spec.command} --help)`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      if (positionals.length >= (spec.maxPositionals ?? 0)) throw usageError(`"${arg}": unexpected argument ${hint}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const kind = spec.options[name];
    if (kind === undefined) throw usageError(`${name}: unknown option ${hint}`, name);
    if (kind === 'switch') {
      if (inline !== undefined) throw invalid(name, inline, `${name} takes no value`);
      switches.add(name);
      continue;
    }
    const value = inline ?? argv[i + 1];
    // `--out --json`: the next token is another option, so --out was given no value.
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw usageError(`${name}: a value is required`, name);
    if (inline === undefined) i++;
    values.set(name, value);
  }
  return { help: false, values, switches, positionals };
}

/** The one wording for a value that breaks a rule (see invalidInput), as a usage error. */
export function invalid(name: string, value: string, rule: string): TablesafeError {
  return invalidInput(name, value, rule, { code: USAGE });
}

/** A whole number in [min, max], or undefined when the option was not given. */
export function integerOption(line: CommandLine, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = line.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) {
    throw invalid(name, v, max === Number.MAX_SAFE_INTEGER ? `must be a whole number >= ${min}` : `must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** A finite number > 0, or undefined when the option was not given. */
export function positiveNumberOption(line: CommandLine, name: string): number | undefined {
  const v = line.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw invalid(name, v, 'must be a number > 0');
  return n;
}

/** One of `choices`, or undefined when the option was not given. */
export function choiceOption<T extends string>(line: CommandLine, name: string, choices: readonly T[]): T | undefined {
  const v = line.values.get(name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw invalid(name, v, `must be one of ${choices.join(', ')}`);
  return v as T;
}

/** A non-blank path, or undefined when the option was not given. */
export function pathOption(line: CommandLine, name: string): string | undefined {
  const v = line.values.get(name);
  if (v === undefined) return undefined;
  if (v.trim() === '') throw invalid(name, v, 'must be a path');
  return v;
}

/** `2h`, `90m`, `30s`, `1d` or plain minutes → ms; TS_E_INVALID_INPUT naming `field` otherwise. */
export function parseDuration(value: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  if (!m) throw invalidInput(field, value, 'use a duration such as 90s, 30m, 2h or 1d');
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'm') as 'ms' | 's' | 'm' | 'h' | 'd'];
  if (!(n > 0)) throw invalidInput(field, value, 'must be greater than zero');
  return n * unit;
}

/** A duration (see parseDuration) in milliseconds, or undefined when the option was not given. */
export function durationOption(line: CommandLine, name: string): number | undefined {
  const v = line.values.get(name);
  return v === undefined ? undefined : parseDuration(v, name);
}
