import { tableAutoscaling } from '../../../compliance/rules/dynamodb/autoscaling';
import { tableInBackupPlan } from '../../../compliance/rules/dynamodb/backup-selection';
import { tableDeletionProtection } from '../../../compliance/rules/dynamodb/deletion-protection';
import { tablePitrEnabled } from '../../../compliance/rules/dynamodb/pitr-enabled';
import { tableSseCustomerManagedKey } from '../../../compliance/rules/dynamodb/sse-customer-managed-key';
import { tableTagged } from '../../../compliance/rules/dynamodb/tags';
import { factSet, selection, table } from './fact-builder';

const scratch = table({ id: 'arn:aws:dynamodb:us-east-1:1:table/tablesafe-drill-orders-r1', name: 'tablesafe-drill-orders-r1', pitrEnabled: false, deletionProtection: false });

describe('TS-DDB-001 point-in-time recovery', () => {
  it('is compliant when PITR is on', () => {
    expect(tablePitrEnabled.evaluate(table(), factSet()).status).toBe('compliant');
  });
  it('reports PITR off with evidence', () => {
    const f = tablePitrEnabled.evaluate(table({ pitrEnabled: false }), factSet());
    expect(f.status).toBe('non-compliant');
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'enabled', actual: 'disabled' });
    expect(f.remedy).toMatch(/point_in_time_recovery/);
  });
  it('does not apply to restore-drill scratch tables', () => {
    expect(tablePitrEnabled.evaluate(scratch, factSet()).status).toBe('not-applicable');
  });
  it('is unknown when the source could not tell, never compliant or a violation', () => {
    const f = tablePitrEnabled.evaluate(table({ pitrEnabled: false, unknown: ['pitrEnabled'] }), factSet());
    expect(f.status).toBe('unknown');
    expect(f.message).toMatch(/cannot evaluate: pitrEnabled not known/);
  });
  it('shows the expression of an unknown setting', () => {
    const f = tablePitrEnabled.evaluate(table({ pitrEnabled: false, unknown: ['pitrEnabled'], unknownExpressions: { pitrEnabled: 'point_in_time_recovery.enabled = var.pitr' } }), factSet());
    expect(f.message).toMatch(/point_in_time_recovery\.enabled = var\.pitr/);
  });
});

describe('TS-DDB-002 customer-managed key', () => {
  it('is compliant with a customer-managed key', () => {
    expect(tableSseCustomerManagedKey.evaluate(table(), factSet()).status).toBe('compliant');
  });
  it('reports an AWS-owned key with evidence', () => {
    const f = tableSseCustomerManagedKey.evaluate(table({ sse: { keyType: 'AWS_OWNED' } }), factSet());
    expect(f.status).toBe('non-compliant');
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'CUSTOMER_MANAGED', actual: 'AWS_OWNED' });
  });
  it('does not apply to scratch tables', () => {
    expect(tableSseCustomerManagedKey.evaluate(scratch, factSet()).status).toBe('not-applicable');
  });
});

describe('TS-DDB-003 deletion protection', () => {
  it('is compliant when enabled', () => {
    expect(tableDeletionProtection.evaluate(table(), factSet()).status).toBe('compliant');
  });
  it('reports it disabled with evidence', () => {
    const f = tableDeletionProtection.evaluate(table({ deletionProtection: false }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'enabled', actual: 'disabled' });
  });
  it('does not apply to scratch tables, which the drill must delete', () => {
    expect(tableDeletionProtection.evaluate(scratch, factSet()).message).toMatch(/deletable by the drill/);
  });
});

describe('TS-DDB-004 backup selection', () => {
  it('is compliant when a selection names the table by reference', () => {
    expect(tableInBackupPlan.evaluate(table(), factSet({ selections: [selection()] })).status).toBe('compliant');
  });
  it('is compliant when a selection matches by ARN wildcard', () => {
    const s = selection({ resources: ['arn:aws:dynamodb:*:*:table/ord*'] });
    expect(tableInBackupPlan.evaluate(table(), factSet({ selections: [s] })).status).toBe('compliant');
  });
  it('is compliant when a selection matches by tag', () => {
    const s = selection({ resources: [], tagConditions: [{ key: 'owner', value: 'data' }] });
    expect(tableInBackupPlan.evaluate(table(), factSet({ selections: [s] })).status).toBe('compliant');
  });
  it('reports a table excluded by not_resources', () => {
    const s = selection({ resources: ['*'], notResources: ['${aws_dynamodb_table.orders.arn}'] });
    const f = tableInBackupPlan.evaluate(table(), factSet({ selections: [s] }));
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'selected by a backup plan', actual: 'not selected by any of 1 selection(s)' });
  });
  it('does not apply to scratch tables', () => {
    expect(tableInBackupPlan.evaluate(scratch, factSet()).status).toBe('not-applicable');
  });
});

describe('TS-DDB-005 autoscaling', () => {
  const provisioned = (autoscaling: { read: boolean; write: boolean; indexesWithout: string[] }) => table({ billingMode: 'PROVISIONED', autoscaling });
  it('is compliant when read, write and every index scale', () => {
    expect(tableAutoscaling.evaluate(provisioned({ read: true, write: true, indexesWithout: [] }), factSet()).status).toBe('compliant');
  });
  it('reports each capacity without autoscaling', () => {
    const f = tableAutoscaling.evaluate(provisioned({ read: true, write: false, indexesWithout: ['byDate'] }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'read and write autoscaling on the table and every GSI', actual: 'missing: table write, index byDate' });
  });
  it('does not apply to on-demand tables', () => {
    expect(tableAutoscaling.evaluate(table(), factSet()).message).toMatch(/PAY_PER_REQUEST/);
  });
});

describe('TS-DDB-006 tags', () => {
  it('is compliant with every required tag', () => {
    expect(tableTagged.evaluate(table(), factSet({ requirements: { requiredTags: ['owner'] } })).status).toBe('compliant');
  });
  it('reports missing tags', () => {
    const f = tableTagged.evaluate(table(), factSet({ requirements: { requiredTags: ['owner', 'env', 'data-class'] } }));
    expect(f.evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'tags owner, env, data-class', actual: 'missing env, data-class' });
  });
  it('does not apply when no tags are required', () => {
    expect(tableTagged.evaluate(table({ tags: {} }), factSet()).status).toBe('not-applicable');
  });
});
