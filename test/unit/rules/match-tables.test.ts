/**
 * Whether an ARN pattern, a Backup selection entry or a CloudTrail data-event entry designates a
 * table: yes, no, or unknown when the entry is an expression the source does not resolve.
 */
import { arnPatternMatchesTable, coveringSelections, designatesTable, isScratchTable, selectionCoverage } from '../../../compliance/rules/match';
import { tableInBackupPlan } from '../../../compliance/rules/dynamodb/backup-selection';
import { factSet, selection, table } from './fact-builder';

const ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/orders';
/** A live table: its ARN is known. */
const live = table({ id: ARN, refs: [ARN, 'orders'], region: 'us-east-1' });
/** A synthesized table: no ARN yet, region known. */
const synth = table({ region: 'us-east-1' });

describe('arnPatternMatchesTable', () => {
  it('matches * for any table', () => {
    expect(arnPatternMatchesTable('*', synth)).toBe(true);
  });
  it('compares the whole ARN when the table ARN is known, account included', () => {
    expect(arnPatternMatchesTable('arn:aws:dynamodb:us-east-1:111122223333:table/ord*', live)).toBe(true);
    expect(arnPatternMatchesTable('arn:aws:dynamodb:*:999999999999:table/orders', live)).toBe(false);
  });
  it('takes the table ARN from its refs, not another ARN it lists', () => {
    const t = table({ refs: ['arn:aws:kms:us-east-1:111122223333:key/k1', ARN] });
    expect(arnPatternMatchesTable(ARN, t)).toBe(true);
  });
  it('without the table ARN, takes any account and compares service, region and table name', () => {
    expect(arnPatternMatchesTable('arn:aws:dynamodb:us-east-1:999999999999:table/orders', synth)).toBe(true);
    expect(arnPatternMatchesTable('arn:aws:dynamodb:*:*:table/orders', synth)).toBe(true);
    expect(arnPatternMatchesTable('arn:aws:dynamodb:*:*:table/ord*', synth)).toBe(true);
    expect(arnPatternMatchesTable('arn:aws:dynamodb:eu-west-1:*:table/orders', synth)).toBe(false);
    expect(arnPatternMatchesTable('arn:aws:dynamodb:*:*:table/payments', synth)).toBe(false);
    expect(arnPatternMatchesTable('arn:aws:s3:*:*:table/orders', synth)).toBe(false);
  });
  it('takes an empty region in the pattern, or an unknown table region, as matching', () => {
    expect(arnPatternMatchesTable('arn:aws:dynamodb:::table/orders', synth)).toBe(true);
    expect(arnPatternMatchesTable('arn:aws:dynamodb:eu-west-1:*:table/orders', table({ region: undefined }))).toBe(true);
  });
  it('does not match a pattern that is not an ARN', () => {
    expect(arnPatternMatchesTable('orders*', synth)).toBe(false);
    expect(arnPatternMatchesTable('arn:aws', table({ region: undefined }))).toBe(false);
    expect(arnPatternMatchesTable('*:aws:dynamodb:*:*:table/orders', synth)).toBe(false);
  });
});

describe('designatesTable', () => {
  it('is yes for the table name, id, ARN or a reference to it', () => {
    expect(designatesTable('orders', synth)).toBe('yes');
    expect(designatesTable('${aws_dynamodb_table.orders.arn}', synth)).toBe('yes');
    expect(designatesTable(ARN, live)).toBe('yes');
  });
  it('is yes for a literal ARN pattern that matches, no for one that does not', () => {
    expect(designatesTable('arn:aws:dynamodb:*:*:table/ord*', synth)).toBe('yes');
    expect(designatesTable('arn:aws:dynamodb:*:*:table/pay*', synth)).toBe('no');
    // The resource part is compared whole: `table/orders` has no `:` for `table/orders:*` to match.
    expect(designatesTable('arn:aws:dynamodb:*:*:table/orders:*', synth)).toBe('no');
    expect(designatesTable('payments', synth)).toBe('no');
  });
  it('is no for a reference to another resource, inside a module too', () => {
    expect(designatesTable('${aws_dynamodb_table.payments.arn}', synth)).toBe('no');
    expect(designatesTable('${module.data.aws_dynamodb_table.payments.arn}', synth)).toBe('no');
  });
  it('is unknown for an expression the source does not resolve', () => {
    expect(designatesTable('${join(",", var.tables)}', synth)).toBe('unknown');
    expect(designatesTable('${known_after_apply}', synth)).toBe('unknown');
  });
  it('is unknown for a whole variable, local, data source or module output (any may hold the table)', () => {
    for (const value of ['${var.tables}', '${var.table_arns[0]}', '${local.table_arn}', '${data.aws_dynamodb_table.orders.arn}', '${module.tables.arn}', '${module.a.module.b.arn}', '${module.m.data.aws_dynamodb_table.t.arn}', '${each.value}', '${count.index}', '${path.module}', '${terraform.workspace}', '${self.arn}']) {
      expect([value, designatesTable(value, synth)]).toEqual([value, 'unknown']);
    }
  });
  it('is no for a reference to another managed resource in a counted, keyed or nested module', () => {
    for (const value of ['${module.m[0].aws_dynamodb_table.payments.arn}', '${module.m["east"].aws_dynamodb_table.payments.arn}', '${module.a.module.b.aws_dynamodb_table.payments.arn}']) {
      expect([value, designatesTable(value, synth)]).toEqual([value, 'no']);
    }
  });
  it('is unknown for an ARN with an unresolved part that could be the table, no when it cannot be', () => {
    expect(designatesTable('arn:aws:dynamodb:${var.region}:111122223333:table/orders', synth)).toBe('unknown');
    expect(designatesTable('arn:aws:dynamodb:us-east-1:111122223333:table/${var.table}', synth)).toBe('unknown');
    expect(designatesTable('arn:aws:dynamodb:${var.region}:111122223333:table/payments', synth)).toBe('no');
    expect(designatesTable('arn:aws:s3:::${var.bucket}', synth)).toBe('no');
  });
  it('is no for a text with IAM policy variables that is not the table', () => {
    expect(designatesTable('${aws:username}', synth)).toBe('no');
  });
});

describe('selectionCoverage', () => {
  const byTag = (key: string, value: string, o = {}) => selection({ resources: [], tagConditions: [{ key, value }], ...o });

  it('is yes for a selection naming the table, no for one naming another', () => {
    expect(selectionCoverage(selection(), synth)).toBe('yes');
    expect(selectionCoverage(selection({ resources: ['${aws_dynamodb_table.payments.arn}'] }), synth)).toBe('no');
  });
  it('is yes when any entry designates the table, unknown when one may and none does', () => {
    expect(selectionCoverage(selection({ resources: ['${join(",", var.tables)}', '${aws_dynamodb_table.orders.arn}'] }), synth)).toBe('yes');
    expect(selectionCoverage(selection({ resources: ['${aws_dynamodb_table.payments.arn}', '${join(",", var.tables)}'] }), synth)).toBe('unknown');
  });
  it('selects by a tag the table carries with that value', () => {
    expect(selectionCoverage(byTag('owner', 'data'), synth)).toBe('yes');
    expect(selectionCoverage(byTag('owner', 'web'), synth)).toBe('no');
    expect(selectionCoverage(byTag('backup', 'daily'), synth)).toBe('no');
  });
  it('is unknown for a tag condition with an unresolved key or value', () => {
    expect(selectionCoverage(byTag('owner', '${var.owner}'), synth)).toBe('unknown');
    expect(selectionCoverage(byTag('${var.key}', 'data'), synth)).toBe('unknown');
  });
  it('is unknown when the table tag value or its tags are not known', () => {
    expect(selectionCoverage(byTag('owner', 'data'), table({ tags: { owner: '${var.owner}' } }))).toBe('unknown');
    expect(selectionCoverage(byTag('backup', 'daily'), table({ unknown: ['tags'] }))).toBe('unknown');
  });
  it('is unknown when the selection resources or tag conditions are not known and nothing selects the table', () => {
    expect(selectionCoverage(selection({ resources: ['${aws_dynamodb_table.payments.arn}'], unknown: ['resources'] }), synth)).toBe('unknown');
    expect(selectionCoverage(selection({ resources: ['${aws_dynamodb_table.payments.arn}'], unknown: ['tagConditions'] }), synth)).toBe('unknown');
    expect(selectionCoverage(selection({ unknown: ['resources'] }), synth)).toBe('yes');
    expect(selectionCoverage(selection({ resources: ['${aws_dynamodb_table.payments.arn}'], unknown: ['notResources'] }), synth)).toBe('no');
  });
  it('is no when an exclusion designates the table', () => {
    expect(selectionCoverage(selection({ resources: ['*'], notResources: ['${aws_dynamodb_table.orders.arn}'] }), synth)).toBe('no');
    expect(selectionCoverage(selection({ resources: ['*'], notResources: ['${aws_dynamodb_table.payments.arn}'] }), synth)).toBe('yes');
  });
  it('is unknown when an exclusion may designate the table or the exclusions are not known', () => {
    expect(selectionCoverage(selection({ resources: ['*'], notResources: ['${join(",", var.excluded)}'] }), synth)).toBe('unknown');
    expect(selectionCoverage(selection({ resources: ['*'], unknown: ['notResources'] }), synth)).toBe('unknown');
  });
});

describe('coveringSelections', () => {
  const counted = (id: string) => table({ id, region: 'us-east-1' });
  const names = (r: { covering: { id: string }[]; unknown: { id: string }[] }) => ({ covering: r.covering.map((s) => s.id), unknown: r.unknown.map((s) => s.id) });

  it('finds every selection naming the table, and those that may', () => {
    const facts = factSet({
      selections: [
        selection({ id: 'aws_backup_selection.a' }),
        selection({ id: 'aws_backup_selection.b', resources: ['${aws_dynamodb_table.orders.arn}', '${aws_dynamodb_table.payments.arn}'] }),
        selection({ id: 'aws_backup_selection.c', resources: ['${aws_dynamodb_table.payments.arn}'] }),
        selection({ id: 'aws_backup_selection.d', resources: ['${join(",", var.tables)}'] }),
      ],
    });
    expect(names(coveringSelections(facts, synth))).toEqual({ covering: ['aws_backup_selection.a', 'aws_backup_selection.b'], unknown: ['aws_backup_selection.d'] });
  });
  it('counts a selection naming the table twice once', () => {
    const facts = factSet({ selections: [selection({ resources: ['${aws_dynamodb_table.orders.arn}', '${aws_dynamodb_table.orders.name}'] })] });
    expect(coveringSelections(facts, synth).covering).toHaveLength(1);
  });
  it('takes a selection whose resources are not known as one that may cover any table', () => {
    const facts = factSet({
      selections: [
        selection({ id: 'aws_backup_selection.r', resources: ['${aws_dynamodb_table.payments.arn}'], unknown: ['resources'] }),
        selection({ id: 'aws_backup_selection.t', resources: ['${aws_dynamodb_table.payments.arn}'], unknown: ['tagConditions'] }),
      ],
    });
    expect(names(coveringSelections(facts, synth))).toEqual({ covering: [], unknown: ['aws_backup_selection.r', 'aws_backup_selection.t'] });
  });
  it('covers every instance of a counted table through a reference to its base or a splat', () => {
    const base = factSet({ selections: [selection()] });
    expect(coveringSelections(base, counted('aws_dynamodb_table.orders[0]')).covering).toHaveLength(1);
    const splat = factSet({ selections: [selection({ resources: ['${aws_dynamodb_table.orders[*].arn}'] })] });
    expect(coveringSelections(splat, counted('aws_dynamodb_table.orders[10]')).covering).toHaveLength(1);
    expect(coveringSelections(splat, counted('aws_dynamodb_table.orders["eu"]')).covering).toHaveLength(1);
  });
  it('covers one instance through a reference to that instance only', () => {
    const facts = factSet({ selections: [selection({ resources: ['${aws_dynamodb_table.orders[1].arn}'] })] });
    expect(coveringSelections(facts, counted('aws_dynamodb_table.orders[1]')).covering).toHaveLength(1);
    expect(coveringSelections(facts, counted('aws_dynamodb_table.orders[0]')).covering).toHaveLength(0);
  });
  it('covers a table of a counted module through a reference to its base', () => {
    const facts = factSet({ selections: [selection({ resources: ['${module.data[0].aws_dynamodb_table.orders.arn}'] })] });
    expect(coveringSelections(facts, counted('module.data[0].aws_dynamodb_table.orders[1]')).covering).toHaveLength(1);
    expect(coveringSelections(facts, counted('module.data[1].aws_dynamodb_table.orders[1]')).covering).toHaveLength(0);
  });
  it('gives TS-DDB-004 its verdict: selected, possibly selected, or not', () => {
    const t = counted('aws_dynamodb_table.orders[0]');
    const covered = tableInBackupPlan.evaluate(t, factSet({ selections: [selection()] }));
    expect(covered.status).toBe('compliant');
    expect(covered.message).toContain('orders-selection');
    const maybe = tableInBackupPlan.evaluate(t, factSet({ selections: [selection({ resources: ['${join(",", var.tables)}'] })] }));
    expect(maybe.status).toBe('unknown');
    expect(maybe.message).toContain('aws_backup_selection.orders');
    const none = tableInBackupPlan.evaluate(t, factSet({ selections: [selection({ resources: ['${aws_dynamodb_table.payments.arn}'] })] }));
    expect(none.status).toBe('non-compliant');
  });
});

describe('isScratchTable', () => {
  it('recognises the restore drill scratch tables by name', () => {
    expect(isScratchTable(table({ name: 'tablesafe-drill-orders-1' }))).toBe(true);
    expect(isScratchTable(table({ name: 'orders' }))).toBe(false);
  });
});
