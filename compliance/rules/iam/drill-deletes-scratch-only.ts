import { DRILL_TABLE_PREFIX } from '../../../core/contract';
import type { RoleFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { allowsAction, list, shown } from '../match';
import { allows, describe, isUnknownValue, known, unknownStatements } from './statements';

/** `arn:…:table/tablesafe-drill-*` (any partition, region, account; expressions allowed there). */
function isScratchTableArn(resource: string): boolean {
  const i = resource.indexOf(':table/');
  return i >= 0 && resource.startsWith('arn:') && resource.slice(i + ':table/'.length).startsWith(DRILL_TABLE_PREFIX);
}

export const drillRoleDeletesScratchOnly: Rule<RoleFact> = {
  id: 'TS-IAM-004',
  title: `Restore-drill role may delete only ${DRILL_TABLE_PREFIX}* tables`,
  severity: 'error',
  controls: ['tablesafe restore-drill least privilege'],
  explanation: 'The drill deletes its scratch table after validation; if it could delete any table, a bug or a hijacked run could delete the source.',
  appliesTo: 'role',
  evaluate: (r) => {
    if (r.roleKind !== 'restore-drill') return notApplicable(r, 'not the restore-drill role');
    const unknown = unknownInput(r, 'statements');
    if (unknown) return unknown;
    const deleting = allows(r).filter((s) => allowsAction(s, 'dynamodb:DeleteTable'));
    const wide = deleting.filter((s) => known(s, 'actions', 'notActions')).flatMap((s) => s.resources.filter((res) => !isUnknownValue(res) && !isScratchTableArn(res)).map((res) => `${describe(s)}: ${shown(res)}`));
    const maybe = allows(r).filter((s) => !known(s, 'actions', 'notActions', 'resources') && (allowsAction(s, 'dynamodb:DeleteTable') || !known(s, 'actions', 'notActions')));
    if (wide.length === 0 && maybe.length > 0) return unknownStatements(r, maybe);
    const expected = `dynamodb:DeleteTable only on arn:…:table/${DRILL_TABLE_PREFIX}*`;
    return wide.length === 0
      ? compliant(r, `deletes only ${DRILL_TABLE_PREFIX}* tables`, expected, deleting.length ? list(deleting.flatMap((s) => s.resources), 10) : 'no DeleteTable')
      : nonCompliant(r, `drill role may delete other tables: ${list(wide)}`, { expected, actual: wide.join('; ') }, `scope dynamodb:DeleteTable to arn:aws:dynamodb:<region>:<account>:table/${DRILL_TABLE_PREFIX}*`);
  },
};
