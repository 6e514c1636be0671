import type { RoleFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { list, shown } from '../match';
import { actionsOf, allows, describe, known, unknownStatements } from './statements';

/** `*`, `service:*`, or an Allow with NotAction (which grants everything not listed). */
function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

export const roleNoWildcardAction: Rule<RoleFact> = {
  id: 'TS-IAM-001',
  title: 'Role policies grant no wildcard actions',
  severity: 'error',
  controls: ['SecurityHub IAM.1', 'SecurityHub IAM.21', 'CKV_AWS_62', 'CKV_AWS_63'],
  explanation: '`*` or `service:*` grants every present and future action of a service; roles list the actions they use (modules/iam/perms.ts).',
  appliesTo: 'role',
  evaluate: (r) => {
    const unknown = unknownInput(r, 'statements');
    if (unknown) return unknown;
    if (r.statements.length === 0) return notApplicable(r, 'role has no inline or customer-managed policy statements');
    const wild = (s: RoleFact['statements'][number]) => s.actions.some(isWildcardAction) || (s.notActions?.length ?? 0) > 0;
    const offending = allows(r).filter((s) => known(s) && wild(s));
    const expected = 'no Allow of *, service:* or NotAction';
    if (offending.length > 0) {
      return nonCompliant(
        r,
        `wildcard actions in ${list(offending.map(describe))}`,
        { expected, actual: offending.map((s) => `${describe(s)}: ${shown(actionsOf(s))}`).join('; ') },
        'list the exact actions the role needs (see modules/iam/perms.ts)',
      );
    }
    // A statement with known actions is judged above; only ones whose actions are not known remain.
    const maybe = allows(r).filter((s) => !known(s, 'actions', 'notActions'));
    if (maybe.length > 0) return unknownStatements(r, maybe);
    return compliant(r, 'every action is named', expected, 'none');
  },
};
