import type { PolicyStatement, RoleFact } from '../../facts/types';

export type RoleStatement = RoleFact['statements'][number];

export function describe(s: RoleStatement): string {
  return `${s.policyName}${s.sid ? `/${s.sid}` : ''}`;
}

/** Allow statements only: Deny statements narrow access and never violate these rules. */
export function allows(role: RoleFact): RoleStatement[] {
  return role.statements.filter((s) => s.effect === 'Allow');
}

export function actionsOf(s: PolicyStatement): string {
  return s.notActions && s.notActions.length > 0 ? `NotAction ${s.notActions.join(', ')}` : s.actions.join(', ');
}
