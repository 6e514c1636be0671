import type { TableFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { isScratchTable, list } from '../match';

export const tableAutoscaling: Rule<TableFact> = {
  id: 'TS-DDB-005',
  title: 'Provisioned capacity scales with demand',
  severity: 'error',
  controls: ['SecurityHub DynamoDB.1', 'AWS Config dynamodb-autoscaling-enabled'],
  explanation: 'A provisioned table without autoscaling throttles under load; read and write capacity of the table and every GSI need a scaling target and policy.',
  appliesTo: 'table',
  evaluate: (t) => {
    if (isScratchTable(t)) return notApplicable(t, 'restore-drill scratch table: deleted by the drill that created it');
    if (t.billingMode === 'PAY_PER_REQUEST' && !t.unknown?.includes('autoscaling')) return notApplicable(t, 'on-demand (PAY_PER_REQUEST) table: capacity scales by itself');
    const missing = [
      ...(t.autoscaling.read ? [] : ['table read']),
      ...(t.autoscaling.write ? [] : ['table write']),
      ...t.autoscaling.indexesWithout.map((i) => `index ${i}`),
    ];
    const expected = 'read and write autoscaling on the table and every GSI';
    if (missing.length === 0 && !t.unknown?.includes('autoscaling')) return compliant(t, 'read and write capacity autoscale', expected, expected);
    const unknown = unknownInput(t, 'autoscaling');
    if (unknown) return unknown;
    return nonCompliant(
      t,
      `provisioned capacity without autoscaling: ${list(missing)}`,
      { expected, actual: `missing: ${list(missing, 20)}` },
      'add aws_appautoscaling_target + aws_appautoscaling_policy for each capacity (Table prop autoscaling), or use billingMode PAY_PER_REQUEST',
    );
  },
};
