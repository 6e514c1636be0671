/**
 * The one error type tablesafe raises on purpose. `code` is stable (scripts and tests match on it),
 * `message` says what failed, `remedy` says what to do next, `field` names the input at fault
 * (a construct prop, an option, an environment variable, a contract field) when there is one,
 * `cause` keeps the underlying error.
 *
 * Anything else that reaches the top of the CLI is a bug in tablesafe: it is reported as an
 * unexpected error (the stack only with `--debug`).
 */
export class TablesafeError extends Error {
  readonly field?: string;

  constructor(
    readonly code: string,
    message: string,
    readonly remedy?: string,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TablesafeError';
    if (options?.field !== undefined) this.field = options.field;
  }

  /** One line for a terminal: `TS_E_X: message — remedy`. Never includes the cause's stack. */
  toLine(): string {
    return `${this.code}: ${this.message}${this.remedy ? ` — ${this.remedy}` : ''}`;
  }
}

export function isTablesafeError(e: unknown): e is TablesafeError {
  return e instanceof TablesafeError;
}

/** An input that breaks a rule (construct props, config, files): see invalidInput. */
export const INVALID_INPUT = 'TS_E_INVALID_INPUT';
/** An environment variable tablesafe reads holds a value it cannot use; `field` names the variable. */
export const INVALID_ENV = 'TS_E_INVALID_ENV';
/** A command line that cannot be used; commands print the message with their usage and exit 2. */
export const USAGE = 'TS_E_USAGE';

/** How a value is shown in the one wording: strings quoted, unset as `(unset)`, the rest as JSON. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '(unset)';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The one wording for a value that breaks a rule, naming the field, the value and the rule:
 * `Table.tableName: "a" is invalid: must be 3-255 characters of [a-zA-Z0-9_.-]`.
 */
export function invalidInput(field: string, value: unknown, rule: string, options: { code?: string; remedy?: string } = {}): TablesafeError {
  return new TablesafeError(options.code ?? INVALID_INPUT, `${field}: ${renderValue(value)} is invalid: ${rule}`, options.remedy, { field });
}

/** A command-line error (code TS_E_USAGE). */
export function usageError(message: string, field?: string): TablesafeError {
  return new TablesafeError(USAGE, message, undefined, { field });
}

export function isUsageError(e: unknown): e is TablesafeError {
  return isTablesafeError(e) && e.code === USAGE;
}
