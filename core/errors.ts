/**
 * The one error type tablesafe raises on purpose. `code` is stable (scripts and tests match on it),
 * `message` says what failed, `remedy` says what to do next, `cause` keeps the underlying error.
 */
export class TablesafeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly remedy?: string,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TablesafeError';
    this.field = options?.field;
  }

  /** The input (option, prop, config field) the error is about, when there is one. */
  readonly field?: string;

  /** One line for a terminal: `TS_E_X: message — remedy`. Never includes the cause's stack. */
  toLine(): string {
    return `${this.code}: ${this.message}${this.remedy ? ` — ${this.remedy}` : ''}`;
  }
}

export function isTablesafeError(e: unknown): e is TablesafeError {
  return e instanceof TablesafeError;
}
