import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { isScratchTable } from '../match';

export const tablePitrEnabled: Rule<TableFact> = {
  id: 'TS-DDB-001',
  title: 'Point-in-time recovery is enabled',
  severity: 'error',
  controls: ['SecurityHub DynamoDB.2', 'CKV_AWS_28', 'AWS Config dynamodb-pitr-enabled'],
  explanation: 'PITR lets a table be restored to any second of the last 35 days; without it a bad write is recoverable only from the last backup.',
  appliesTo: 'table',
  evaluate: (t) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: deleted by the drill that created it');
    const unknown = unknownInput(t, 'pitrEnabled');
    if (unknown) return unknown;
    return t.pitrEnabled
      ? compliant(t, 'point-in-time recovery is enabled', 'enabled', 'enabled')
      : nonCompliant(t, 'point-in-time recovery is disabled', { expected: 'enabled', actual: 'disabled' }, 'enable point_in_time_recovery (Table prop pointInTimeRecovery: true)');
  },
};
