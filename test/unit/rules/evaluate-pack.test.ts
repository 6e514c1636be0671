/**
 * evaluatePack's report, field by field: what a caller (synth, `tablesafe check`, verify) reads to
 * decide and to explain the verdict — unknown policies, suppression bookkeeping, scope, notes — and
 * describeViolation, the line a failing synth prints per violation.
 */
import { describeViolation, evaluatePack, type PackFinding } from '../../../compliance/rules/evaluate';
import { ALL_RULES } from '../../../compliance/rules/index';
import { thrownTablesafeError } from '../../helpers/errors';
import { factSet, key, role, selection, table } from './fact-builder';

/** A table whose PITR setting is a variable: TS-DDB-001 (error level in both packs) is unknown. */
const pitrUnknown = table({ unknown: ['pitrEnabled'], unknownExpressions: { pitrEnabled: 'point_in_time_recovery.enabled = var.pitr' } });
/** A platform role without a simulated capability matrix: TS-IAM-005 is unknown. */
const backupRole = role({ roleKind: 'backup' });
const withUnknowns = factSet({ tables: [pitrUnknown], selections: [selection()], roles: [backupRole] });

const ids = (findings: readonly PackFinding[]) => findings.map((f) => f.ruleId);

describe('evaluatePack: the unknown policy', () => {
  it('rejects a policy that is not fail, warn or ignore, naming the value and the choices', () => {
    const e = thrownTablesafeError(() => evaluatePack('tablesafe-strict', withUnknowns, [], { unknown: 'sometimes' as never }));
    expect({ code: e.code, message: e.message, remedy: e.remedy, field: e.field }).toEqual({
      code: 'TS_E_UNKNOWN_POLICY',
      message: 'unknown policy "sometimes" is not one of fail, warn, ignore',
      remedy: 'use one of fail, warn, ignore',
      field: 'unknown',
    });
  });

  it('strict (fail) makes an error-level unknown a violation, yet warns on TS-IAM-005 unless --unknown is given', () => {
    const report = evaluatePack('tablesafe-strict', withUnknowns);
    expect({ violations: ids(report.violations), warnings: ids(report.warnings), unknowns: ids(report.unknowns), compliant: report.compliant }).toEqual({
      violations: ['TS-DDB-001'], warnings: ['TS-IAM-005'], unknowns: ['TS-DDB-001', 'TS-IAM-005'], compliant: false,
    });
    expect(report.unknownPolicy).toEqual({ policy: 'fail', from: 'pack' });
  });

  it('an explicit fail also fails on TS-IAM-005, and says the option decided', () => {
    const report = evaluatePack('tablesafe-strict', withUnknowns, [], { unknown: 'fail' });
    expect({ violations: ids(report.violations), warnings: ids(report.warnings) }).toEqual({ violations: ['TS-DDB-001', 'TS-IAM-005'], warnings: [] });
    expect(report.unknownPolicy).toEqual({ policy: 'fail', from: 'option' });
  });

  it('baseline (warn) reports unknowns as warnings and passes', () => {
    const report = evaluatePack('tablesafe-baseline', withUnknowns);
    expect({ violations: report.violations, warnings: ids(report.warnings), unknowns: ids(report.unknowns), compliant: report.compliant }).toEqual({
      violations: [], warnings: ['TS-DDB-001', 'TS-IAM-005'], unknowns: ['TS-DDB-001', 'TS-IAM-005'], compliant: true,
    });
    expect(report.unknownPolicy).toEqual({ policy: 'warn', from: 'pack' });
  });

  it('ignore only counts unknowns: neither a violation nor a warning', () => {
    const report = evaluatePack('tablesafe-strict', withUnknowns, [], { unknown: 'ignore' });
    expect({ violations: report.violations, warnings: report.warnings, unknowns: ids(report.unknowns), counted: report.summary.unknown, compliant: report.compliant }).toEqual({
      violations: [], warnings: [], unknowns: ['TS-DDB-001', 'TS-IAM-005'], counted: 2, compliant: true,
    });
    expect(report.unknownPolicy).toEqual({ policy: 'ignore', from: 'option' });
  });

  it('an input the rules can fully judge has no unknowns', () => {
    expect(evaluatePack('tablesafe-strict', factSet({ tables: [table()], selections: [selection()] })).unknowns).toEqual([]);
  });

  it('a suppressed unknown is neither an unknown nor a violation', () => {
    const report = evaluatePack('tablesafe-strict', withUnknowns, [{ ruleId: 'TS-DDB-001', resource: 'orders', reason: 'PITR is set per environment by a variable' }]);
    expect({ violations: report.violations, unknowns: ids(report.unknowns), suppressed: ids(report.suppressed) }).toEqual({
      violations: [], unknowns: ['TS-IAM-005'], suppressed: ['TS-DDB-001'],
    });
  });
});

describe('evaluatePack: suppressions in the report', () => {
  const insecure = factSet({ tables: [table({ pitrEnabled: false })], selections: [selection()] });
  const used = { ruleId: 'TS-DDB-001', resource: 'orders', reason: 'scratch environment, rebuilt nightly' };
  const stale = { ruleId: 'TS-KMS-001', resource: 'gone', reason: 'the key was removed last quarter' };

  it('lists every suppression given, and as unused only those that matched nothing', () => {
    const report = evaluatePack('tablesafe-strict', insecure, [used, stale]);
    expect({ suppressions: report.suppressions, unused: report.unusedSuppressions }).toEqual({ suppressions: [used, stale], unused: [stale] });
  });

  it('a suppression that matched is not unused', () => {
    expect(evaluatePack('tablesafe-strict', insecure, [used]).unusedSuppressions).toEqual([]);
  });
});

describe('evaluatePack: findings', () => {
  it('a violation carries its rule, severity, controls, evidence and remedy', () => {
    const report = evaluatePack('tablesafe-strict', factSet({ tables: [table({ pitrEnabled: false })], selections: [selection()] }));
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]).toEqual({
      ruleId: 'TS-DDB-001',
      title: 'Point-in-time recovery is enabled',
      severity: 'error',
      controls: ['SecurityHub DynamoDB.2', 'CKV_AWS_28', 'AWS Config dynamodb-pitr-enabled'],
      status: 'non-compliant',
      resource: { kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders' },
      message: 'point-in-time recovery is disabled',
      evidence: { resource: 'aws_dynamodb_table.orders', expected: 'enabled', actual: 'disabled' },
      remedy: 'enable point_in_time_recovery (Table prop pointInTimeRecovery: true)',
    });
  });

  it('a finding without evidence, remedy or suppression has no such fields (the JSON report stays lean)', () => {
    const report = evaluatePack('tablesafe-strict', factSet({ tables: [table()], selections: [selection()] }));
    const autoscaling = report.findings.find((f) => f.ruleId === 'TS-DDB-005');
    expect(autoscaling).toStrictEqual({
      ruleId: 'TS-DDB-005',
      title: 'Provisioned capacity scales with demand',
      severity: 'error',
      controls: ['SecurityHub DynamoDB.1', 'AWS Config dynamodb-autoscaling-enabled'],
      status: 'not-applicable',
      resource: { kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders' },
      message: 'on-demand (PAY_PER_REQUEST) table: capacity scales by itself',
    });
  });

  it('names every rule it evaluated with the severity the pack gives it', () => {
    const report = evaluatePack('tablesafe-baseline', factSet());
    expect(report.pack).toBe('tablesafe-baseline');
    expect(report.rulesEvaluated).toHaveLength(ALL_RULES.length);
    expect(report.rulesEvaluated.find((r) => r.id === 'TS-DDB-006')).toEqual({
      id: 'TS-DDB-006', title: 'Table carries the required tags', severity: 'warning', controls: ['SecurityHub DynamoDB.5'],
    });
    expect(report.rulesEvaluated.find((r) => r.id === 'TS-DDB-001')).toEqual({
      id: 'TS-DDB-001', title: 'Point-in-time recovery is enabled', severity: 'error', controls: ['SecurityHub DynamoDB.2', 'CKV_AWS_28', 'AWS Config dynamodb-pitr-enabled'],
    });
  });
});

describe('evaluatePack: scope and notes', () => {
  it('counts the resources the rules apply to', () => {
    const facts = factSet({ tables: [table(), table({ id: 'aws_dynamodb_table.payments', name: 'payments' })], keys: [key()], roles: [backupRole] });
    expect(evaluatePack('tablesafe-strict', facts).resourcesInScope).toBe(4);
  });

  it('counts 0 for an input with nothing a rule applies to', () => {
    expect(evaluatePack('tablesafe-strict', factSet()).resourcesInScope).toBe(0);
  });

  it('passes on what the source skipped, and no notes when it skipped nothing', () => {
    const notes = ['module calls are not followed'];
    expect(evaluatePack('tablesafe-strict', factSet({ notes })).notes).toEqual(notes);
    expect(evaluatePack('tablesafe-strict', factSet()).notes).toEqual([]);
  });
});

describe('describeViolation', () => {
  const finding = (o: Partial<PackFinding> = {}): PackFinding => ({
    ruleId: 'TS-DDB-001', title: 'Point-in-time recovery is enabled', severity: 'error', controls: [], status: 'non-compliant',
    resource: { kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders', path: 'prod/data/orders' },
    message: 'point-in-time recovery is disabled', remedy: 'enable point_in_time_recovery', ...o,
  });

  it('names the rule, the construct path, the problem and the remedy', () => {
    expect(describeViolation(finding())).toBe('TS-DDB-001 [prod/data/orders] point-in-time recovery is disabled — remedy: enable point_in_time_recovery');
  });

  it('falls back to the resource id without a construct path, and omits a missing remedy', () => {
    const line = describeViolation(finding({ resource: { kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders' }, remedy: undefined }));
    expect(line).toBe('TS-DDB-001 [aws_dynamodb_table.orders] point-in-time recovery is disabled');
  });

  it('marks an unknown finding as unknown', () => {
    const line = describeViolation(finding({ status: 'unknown', message: 'cannot evaluate: point_in_time_recovery.enabled = var.pitr (not known from this input)' }));
    expect(line).toMatch(/^TS-DDB-001 \[prod\/data\/orders\] unknown: cannot evaluate: point_in_time_recovery\.enabled = var\.pitr/);
  });
});
