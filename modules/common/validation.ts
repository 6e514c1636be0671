import { Token } from 'cdktf';
import { invalidInput } from '../../core/errors';

/**
 * Eager validation for construct props: every invalid input fails at synth with a TablesafeError
 * (TS_E_INVALID_INPUT, `field` set) whose message names the field, the value and the rule, e.g.
 *   `Table.tableName: "a" is invalid: must be 3-255 characters of [a-zA-Z0-9_.-]`.
 */

/** Throws TS_E_INVALID_INPUT (see invalidInput) unless `ok`. */
export function check(ok: boolean, field: string, value: unknown, rule: string): void {
  if (!ok) throw invalidInput(field, value, rule);
}

export function checkPositiveInteger(field: string, value: number | undefined, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): void {
  check(value !== undefined && Number.isInteger(value) && value >= min && value <= max, field, value, `must be an integer from ${min} to ${max}`);
}

/** True when the value holds a cdktf token (known only at apply); such values are not validated at synth. */
export function isToken(value: string): boolean {
  return Token.isUnresolved(value);
}
