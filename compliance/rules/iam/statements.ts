import type { PolicyStatement, RoleFact } from '../../facts/types';
import { leafKind } from '../../facts/policy';
import { unknownFinding, type Finding } from '../rule';

export type RoleStatement = RoleFact['statements'][number];

export function describe(s: RoleStatement): string {
  return `${s.policyName}${s.sid ? `/${s.sid}` : ''}`;
}

/** Allow statements (and statements whose Effect is not known): Deny statements narrow access and never violate these rules. */
export function allows(role: RoleFact): RoleStatement[] {
  return role.statements.filter((s) => s.effect === 'Allow');
}

/** Whether a statement's fields are all known, its Effect included. */
export function known(s: PolicyStatement, ...fields: string[]): boolean {
  return !s.unknown?.some((f) => f === 'effect' || fields.includes(f));
}

/** Whether a value of the statement is not known (`${var.x}`), as opposed to a reference to a resource or a literal. */
export function isUnknownValue(value: string): boolean {
  return leafKind(value) === 'unknown';
}

/** The unknown finding for statements that could violate the rule once their unknown parts are known. */
export function unknownStatements(r: RoleFact, maybe: readonly RoleStatement[]): Finding {
  return unknownFinding(r, maybe.slice(0, 3).map((s) => `${describe(s)}: ${(s.unknown ?? []).join(', ')} not known`));
}

export function actionsOf(s: PolicyStatement): string {
  return s.notActions && s.notActions.length > 0 ? `NotAction ${s.notActions.join(', ')}` : s.actions.join(', ');
}
