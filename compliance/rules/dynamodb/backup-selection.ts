import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownFinding } from '../rule';
import { coveringSelections, isScratchTable, list } from '../match';

export const tableInBackupPlan: Rule<TableFact> = {
  id: 'TS-DDB-004',
  title: 'Table is covered by an AWS Backup plan selection',
  severity: 'error',
  controls: ['SecurityHub DynamoDB.4', 'AWS Config dynamodb-in-backup-plan'],
  explanation: 'PITR alone lives and dies with the table; a backup plan keeps recovery points in a vault, with their own retention, lock and DR copies.',
  appliesTo: 'table',
  evaluate: (t, facts) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: deleted by the drill that created it');
    const { covering, unknown } = coveringSelections(facts, t);
    if (covering.length > 0) {
      return compliant(t, `selected by ${covering.map((s) => s.name).join(', ')}`, 'selected by a backup plan', `selected by ${covering.map((s) => s.id).join(', ')}`);
    }
    if (unknown.length > 0) {
      return unknownFinding(t, unknown.slice(0, 3).map((s) => `${s.id}: ${s.unknownExpressions?.resources ?? s.unknownExpressions?.tagConditions ?? s.unknownExpressions?.notResources ?? `resources ${list(s.resources, 3)}`}`));
    }
    return nonCompliant(
      t,
      'no backup selection selects this table',
      { expected: 'selected by a backup plan', actual: `not selected by any of ${facts.selections.length} selection(s)` },
      'add the table ARN (or a tag condition it matches) to an aws_backup_selection of a plan (BackupSelection)',
    );
  },
};
