import { Token } from 'cdktf';

/**
 * Eager validation for construct props: every invalid input fails at synth with a message naming
 * the field, the value and the rule, e.g.
 *   `Table.tableName: "a" is invalid: must be 3-255 characters of [a-zA-Z0-9_.-]`.
 */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${field}: ${render(value)} is invalid: ${rule}`);
    this.name = 'ValidationError';
  }
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '(unset)';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Throws a ValidationError unless `ok`. */
export function check(ok: boolean, field: string, value: unknown, rule: string): void {
  if (!ok) throw new ValidationError(field, value, rule);
}

export function checkPositiveInteger(field: string, value: number | undefined, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): void {
  check(value !== undefined && Number.isInteger(value) && value >= min && value <= max, field, value, `must be an integer from ${min} to ${max}`);
}

/** True when the value holds a cdktf token (known only at apply); such values are not validated at synth. */
export function isToken(value: string): boolean {
  return Token.isUnresolved(value);
}
