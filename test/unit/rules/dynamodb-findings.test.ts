/** What the DynamoDB table rules tell a user: verdict, message naming the table's setting, evidence and remedy. */
import { UNKNOWN_REMEDY } from '../../../compliance/rules/rule';
import { tableAutoscaling } from '../../../compliance/rules/dynamodb/autoscaling';
import { tableInBackupPlan } from '../../../compliance/rules/dynamodb/backup-selection';
import { tableDeletionProtection } from '../../../compliance/rules/dynamodb/deletion-protection';
import { tablePitrEnabled } from '../../../compliance/rules/dynamodb/pitr-enabled';
import { tableSseCustomerManagedKey } from '../../../compliance/rules/dynamodb/sse-customer-managed-key';
import { tableTagged } from '../../../compliance/rules/dynamodb/tags';
import { factSet, selection, table } from './fact-builder';

const scratch = table({ id: 'aws_dynamodb_table.drill', name: 'tablesafe-drill-orders-1', refs: ['tablesafe-drill-orders-1'] });

describe('restore-drill scratch tables', () => {
  it.each([
    [tablePitrEnabled, 'restore-drill scratch table: deleted by the drill that created it'],
    [tableSseCustomerManagedKey, 'restore-drill scratch table: deleted by the drill that created it'],
    [tableAutoscaling, 'restore-drill scratch table: deleted by the drill that created it'],
    [tableInBackupPlan, 'restore-drill scratch table: deleted by the drill that created it'],
    [tableDeletionProtection, 'restore-drill scratch table: must stay deletable by the drill'],
    [tableTagged, 'restore-drill scratch table: tagged by the drill itself'],
  ])('%#: are out of scope, and the message says why', (rule, message) => {
    expect(rule.evaluate(scratch, factSet({ tables: [scratch], requirements: { requiredTags: ['owner'] } }))).toMatchObject({ status: 'not-applicable', message });
  });
});

describe('TS-DDB-001 point-in-time recovery findings', () => {
  it('says PITR is enabled, with evidence', () => {
    expect(tablePitrEnabled.evaluate(table(), factSet())).toMatchObject({
      status: 'compliant', message: 'point-in-time recovery is enabled', evidence: { resource: 'aws_dynamodb_table.orders', expected: 'enabled', actual: 'enabled' },
    });
  });
  it('says PITR is disabled and how to enable it', () => {
    expect(tablePitrEnabled.evaluate(table({ pitrEnabled: false }), factSet())).toMatchObject({
      status: 'non-compliant', message: 'point-in-time recovery is disabled', evidence: { expected: 'enabled', actual: 'disabled' },
      remedy: 'enable point_in_time_recovery (Table prop pointInTimeRecovery: true)',
    });
  });
});

describe('TS-DDB-003 deletion protection findings', () => {
  it('says deletion protection is enabled, with evidence', () => {
    expect(tableDeletionProtection.evaluate(table(), factSet())).toMatchObject({
      status: 'compliant', message: 'deletion protection is enabled', evidence: { expected: 'enabled', actual: 'enabled' },
    });
  });
  it('says deletion protection is disabled and how to enable it', () => {
    expect(tableDeletionProtection.evaluate(table({ deletionProtection: false }), factSet())).toMatchObject({
      status: 'non-compliant', message: 'deletion protection is disabled', evidence: { expected: 'enabled', actual: 'disabled' },
      remedy: 'set deletion_protection_enabled = true (Table prop deletionProtection: true)',
    });
  });
  it('is unknown when the setting is not known, naming the expression', () => {
    const t = table({ deletionProtection: false, unknown: ['deletionProtection'], unknownExpressions: { deletionProtection: 'var.protect' } });
    expect(tableDeletionProtection.evaluate(t, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.protect'), remedy: UNKNOWN_REMEDY });
  });
});

describe('TS-DDB-002 customer-managed key findings', () => {
  it('names the key of a table encrypted with a customer-managed key', () => {
    expect(tableSseCustomerManagedKey.evaluate(table(), factSet())).toMatchObject({
      status: 'compliant', message: 'encrypted with a customer-managed key',
      evidence: { expected: 'CUSTOMER_MANAGED', actual: 'CUSTOMER_MANAGED (aws_kms_key.data.arn)' },
    });
  });
  it('says an AWS-owned key is used, and how to name a customer-managed key', () => {
    const f = tableSseCustomerManagedKey.evaluate(table({ sse: { keyType: 'AWS_OWNED' } }), factSet());
    expect(f).toMatchObject({ status: 'non-compliant', message: 'encrypted with an AWS-owned key', evidence: { expected: 'CUSTOMER_MANAGED', actual: 'AWS_OWNED' } });
    expect(f.remedy).toContain('kms_key_arn = <customer-managed key ARN>');
  });
  it('says an AWS-managed key is used', () => {
    const f = tableSseCustomerManagedKey.evaluate(table({ sse: { keyType: 'AWS_MANAGED' } }), factSet());
    expect(f).toMatchObject({ status: 'non-compliant', message: 'encrypted with an AWS-managed key', evidence: { actual: 'AWS_MANAGED' } });
  });
  it('is unknown when the encryption is not known', () => {
    const t = table({ sse: { keyType: 'AWS_OWNED' }, unknown: ['sse'], unknownExpressions: { sse: 'var.key_arn' } });
    expect(tableSseCustomerManagedKey.evaluate(t, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.key_arn') });
  });
});

describe('TS-DDB-006 required tags findings', () => {
  const facts = (requiredTags = ['owner', 'cost-center']) => factSet({ requirements: { requiredTags } });
  it('explains why it does not apply when no tag is required', () => {
    expect(tableTagged.evaluate(table(), facts([]))).toMatchObject({ status: 'not-applicable', message: 'the environment requires no tags' });
  });
  it('says every required tag is there, with evidence', () => {
    expect(tableTagged.evaluate(table({ tags: { owner: 'data', 'cost-center': '42' } }), facts())).toMatchObject({
      status: 'compliant', message: 'carries every required tag', evidence: { expected: 'tags owner, cost-center', actual: 'tags owner, cost-center' },
    });
  });
  it('names the missing and empty tags and how to add them', () => {
    expect(tableTagged.evaluate(table({ tags: { owner: '' } }), facts())).toMatchObject({
      status: 'non-compliant', message: 'missing tags: owner, cost-center',
      evidence: { expected: 'tags owner, cost-center', actual: 'missing owner, cost-center' },
      remedy: 'add the missing tags to the table (or to the provider default_tags)',
    });
  });
  it('is unknown when tags are missing from what is known', () => {
    const t = table({ tags: { owner: 'data' }, unknown: ['tags'], unknownExpressions: { tags: 'var.tags' } });
    expect(tableTagged.evaluate(t, facts())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.tags') });
  });
  it('is compliant when the known tags already carry every required one', () => {
    const t = table({ tags: { owner: 'data', 'cost-center': '42' }, unknown: ['tags'] });
    expect(tableTagged.evaluate(t, facts()).status).toBe('compliant');
  });
});

describe('TS-DDB-005 autoscaling findings', () => {
  const provisioned = (autoscaling = { read: true, write: true, indexesWithout: [] as string[] }, unknown?: string[]) =>
    table({ billingMode: 'PROVISIONED', autoscaling, ...(unknown ? { unknown, unknownExpressions: { autoscaling: 'module.scaling' } } : {}) });
  it('explains why an on-demand table is out of scope', () => {
    expect(tableAutoscaling.evaluate(table(), factSet())).toMatchObject({ status: 'not-applicable', message: 'on-demand (PAY_PER_REQUEST) table: capacity scales by itself' });
  });
  it('says capacity autoscales, with evidence', () => {
    expect(tableAutoscaling.evaluate(provisioned(), factSet())).toMatchObject({
      status: 'compliant', message: 'read and write capacity autoscale',
      evidence: { expected: 'read and write autoscaling on the table and every GSI', actual: 'read and write autoscaling on the table and every GSI' },
    });
  });
  it('names only the capacities without autoscaling, and how to add it', () => {
    const f = tableAutoscaling.evaluate(provisioned({ read: false, write: true, indexesWithout: ['by-date'] }), factSet());
    expect(f).toMatchObject({
      status: 'non-compliant', message: 'provisioned capacity without autoscaling: table read, index by-date',
      evidence: { actual: 'missing: table read, index by-date' },
    });
    expect(f.remedy).toContain('aws_appautoscaling_target + aws_appautoscaling_policy');
  });
  it('names the missing write autoscaling', () => {
    expect(tableAutoscaling.evaluate(provisioned({ read: true, write: false, indexesWithout: [] }), factSet()).message).toBe('provisioned capacity without autoscaling: table write');
  });
  it('is unknown when autoscaling is not known, even for an on-demand table', () => {
    const t = table({ unknown: ['autoscaling'], unknownExpressions: { autoscaling: 'module.scaling' } });
    expect(tableAutoscaling.evaluate(t, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('module.scaling') });
  });
  it('is unknown when autoscaling is not known and the known part is complete', () => {
    expect(tableAutoscaling.evaluate(provisioned(undefined, ['autoscaling']), factSet()).status).toBe('unknown');
  });
});

describe('TS-DDB-004 backup selection findings', () => {
  it('names the selections that pick the table', () => {
    const other = selection({ id: 'aws_backup_selection.all', name: 'all-tables' });
    const f = tableInBackupPlan.evaluate(table(), factSet({ tables: [table()], selections: [selection(), other] }));
    expect(f).toMatchObject({
      status: 'compliant', message: 'selected by orders-selection, all-tables',
      evidence: { expected: 'selected by a backup plan', actual: 'selected by aws_backup_selection.orders, aws_backup_selection.all' },
    });
  });
  it('says no selection picks the table, counts the selections and says how to add it', () => {
    const f = tableInBackupPlan.evaluate(table(), factSet({ tables: [table()], selections: [selection({ resources: ['${aws_dynamodb_table.customers.arn}'] })] }));
    expect(f).toMatchObject({
      status: 'non-compliant', message: 'no backup selection selects this table',
      evidence: { expected: 'selected by a backup plan', actual: 'not selected by any of 1 selection(s)' },
      remedy: 'add the table ARN (or a tag condition it matches) to an aws_backup_selection of a plan (BackupSelection)',
    });
  });
  it('is unknown when a selection is not known, naming each selection and what is not known (three at most)', () => {
    const sel = (id: string, o: Parameters<typeof selection>[0]) => selection({ id: `aws_backup_selection.${id}`, resources: [], ...o });
    const sels = [
      sel('res', { unknown: ['resources'], unknownExpressions: { resources: 'var.arns' } }),
      sel('tags', { unknown: ['tagConditions'], unknownExpressions: { tagConditions: 'var.conditions' } }),
      sel('not', { resources: ['${aws_dynamodb_table.orders.arn}'], unknown: ['notResources'], unknownExpressions: { notResources: 'var.excluded' } }),
      sel('fourth', { unknown: ['resources'] }),
    ];
    const f = tableInBackupPlan.evaluate(table(), factSet({ tables: [table()], selections: sels }));
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('aws_backup_selection.res: var.arns');
    expect(f.message).toContain('aws_backup_selection.tags: var.conditions');
    expect(f.message).toContain('aws_backup_selection.not: var.excluded');
    expect(f.message).not.toContain('fourth');
    expect(f.message).not.toContain('more');
  });
  it('shows a selection\'s known resources when the source gives no expression', () => {
    const s = selection({ resources: ['${aws_dynamodb_table.customers.arn}'], unknown: ['resources'] });
    const f = tableInBackupPlan.evaluate(table(), factSet({ tables: [table()], selections: [s] }));
    expect(f).toMatchObject({ status: 'unknown', message: expect.stringContaining('aws_backup_selection.orders: resources aws_dynamodb_table.customers.arn') });
  });
});
