import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule } from '../rule';
import { isScratchTable, selectionCovers } from '../match';

export const tableInBackupPlan: Rule<TableFact> = {
  id: 'TS-DDB-004',
  title: 'Table is covered by an AWS Backup plan selection',
  severity: 'error',
  controls: ['SecurityHub DynamoDB.4', 'AWS Config dynamodb-in-backup-plan'],
  explanation: 'PITR alone lives and dies with the table; a backup plan keeps recovery points in a vault, with their own retention, lock and DR copies.',
  appliesTo: 'table',
  evaluate: (t, facts) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: deleted by the drill that created it');
    const covering = facts.selections.filter((s) => selectionCovers(s, t));
    return covering.length > 0
      ? compliant(t, `selected by ${covering.map((s) => s.name).join(', ')}`, 'selected by a backup plan', `selected by ${covering.map((s) => s.id).join(', ')}`)
      : nonCompliant(
          t,
          'no backup selection selects this table',
          { expected: 'selected by a backup plan', actual: `not selected by any of ${facts.selections.length} selection(s)` },
          'add the table ARN (or a tag condition it matches) to an aws_backup_selection of a plan (BackupSelection)',
        );
  },
};
