import type { RoleFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { allowsAction, list, shown } from '../match';
import { allows, describe, isUnknownValue, known, unknownStatements } from './statements';

/** A role named exactly: no wildcard in the ARN (expressions `${...}` resolve to one role). */
function isNamedRole(resource: string): boolean {
  if (isUnknownValue(resource)) return false;
  const literal = resource.replace(/\$\{[^}]*\}/g, '');
  return !literal.includes('*') && !literal.includes('?') && (resource.includes('${') || /:role\//.test(resource));
}

export const rolePassRoleScoped: Rule<RoleFact> = {
  id: 'TS-IAM-003',
  title: 'iam:PassRole is scoped to named roles',
  severity: 'error',
  controls: ['CKV_AWS_286'],
  explanation: 'PassRole on `*` lets the holder hand any role, including an administrator role, to a service it controls.',
  appliesTo: 'role',
  evaluate: (r) => {
    const unknown = unknownInput(r, 'statements');
    if (unknown) return unknown;
    const passing = allows(r).filter((s) => allowsAction(s, 'iam:PassRole'));
    const wide = passing.filter((s) => known(s, 'actions', 'notActions')).flatMap((s) => s.resources.filter((res) => !isUnknownValue(res) && !isNamedRole(res)).map((res) => `${describe(s)}: ${shown(res)}`));
    const maybe = allows(r).filter((s) => {
      if (known(s, 'actions', 'notActions', 'resources')) return false;
      const mayPass = allowsAction(s, 'iam:PassRole') || !known(s, 'actions', 'notActions');
      const mayBeWide = !known(s, 'resources') || s.resources.some((res) => !isNamedRole(res));
      return mayPass && mayBeWide;
    });
    if (wide.length === 0 && maybe.length > 0) return unknownStatements(r, maybe);
    if (passing.length === 0) return notApplicable(r, 'role cannot pass roles');
    const expected = 'iam:PassRole on named role ARNs only';
    return wide.length === 0
      ? compliant(r, 'iam:PassRole names its roles', expected, list(passing.flatMap((s) => s.resources), 10))
      : nonCompliant(r, `iam:PassRole on unnamed roles: ${list(wide)}`, { expected, actual: wide.join('; ') }, 'list the exact role ARNs the role may pass (e.g. the backup service role), with an iam:PassedToService condition');
  },
};
