import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { isScratchTable } from '../match';

export const tableDeletionProtection: Rule<TableFact> = {
  id: 'TS-DDB-003',
  title: 'Deletion protection is enabled',
  severity: 'error',
  controls: ['SecurityHub DynamoDB.6'],
  explanation: 'Deletion protection stops a DeleteTable call (a script, a console slip, a destroy) from removing the table and its PITR history.',
  appliesTo: 'table',
  evaluate: (t) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: must stay deletable by the drill');
    const unknown = unknownInput(t, 'deletionProtection');
    if (unknown) return unknown;
    return t.deletionProtection
      ? compliant(t, 'deletion protection is enabled', 'enabled', 'enabled')
      : nonCompliant(t, 'deletion protection is disabled', { expected: 'enabled', actual: 'disabled' }, 'set deletion_protection_enabled = true (Table prop deletionProtection: true)');
  },
};
