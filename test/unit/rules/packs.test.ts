import { cronIntervalMinutes, validateCron } from '../../../core/cron';
import { evaluatePack } from '../../../compliance/rules/evaluate';
import { ALL_RULES } from '../../../compliance/rules/index';
import { PACKS, renderPackTable } from '../../../compliance/rules/packs';
import { factSet, selection, table } from './fact-builder';

const insecure = factSet({ tables: [table({ pitrEnabled: false })] });

describe('packs', () => {
  it('strict lists every rule at error level', () => {
    expect(PACKS['tablesafe-strict'].rules).toEqual(ALL_RULES.map((r) => ({ ruleId: r.id, severity: 'error' })));
  });
  it('rule ids are unique', () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
  });
  it('renders one markdown row per rule', () => {
    expect(renderPackTable().split('\n')).toHaveLength(ALL_RULES.length + 2);
  });
  it('rejects an unknown pack naming the known ones', () => {
    expect(() => evaluatePack('nope', insecure)).toThrow(/pack "nope" is unknown; known packs: tablesafe-baseline, tablesafe-strict/);
  });
});

describe('evaluatePack', () => {
  it('counts error-level non-compliant findings as violations', () => {
    const report = evaluatePack('tablesafe-strict', insecure);
    expect(report.violations.map((f) => f.ruleId)).toEqual(['TS-DDB-001', 'TS-DDB-004']);
  });
  it('keeps a suppressed finding in the report but not in violations', () => {
    const report = evaluatePack('tablesafe-strict', insecure, [{ ruleId: 'TS-DDB-001', resource: 'orders', reason: 'scratch environment, rebuilt nightly' }]);
    expect(report.suppressed.map((f) => [f.ruleId, f.suppressedBy?.reason])).toEqual([['TS-DDB-001', 'scratch environment, rebuilt nightly']]);
  });
  it('matches a suppression on a construct path prefix', () => {
    const facts = factSet({ tables: [table({ pitrEnabled: false, path: 'dev/data/table' })] });
    const report = evaluatePack('tablesafe-strict', facts, [{ ruleId: 'TS-DDB-001', resource: 'dev/data', reason: 'a reasoned exception' }]);
    expect(report.violations.map((f) => f.ruleId)).toEqual(['TS-DDB-004']);
  });
  it('treats a suppression without a reason as an error', () => {
    expect(() => evaluatePack('tablesafe-strict', insecure, [{ ruleId: 'TS-DDB-001', resource: 'orders', reason: 'short' }])).toThrow(/suppressions\[0\]\.reason "short" for TS-DDB-001 must explain the exception in at least 10 characters/);
  });
  it('rejects a suppression of an unknown rule', () => {
    expect(() => evaluatePack('tablesafe-strict', insecure, [{ ruleId: 'TS-NOPE', resource: 'orders', reason: 'long enough reason' }])).toThrow(/"TS-NOPE" is not a known rule id/);
  });
  it('lists suppressions that matched nothing', () => {
    const stale = { ruleId: 'TS-KMS-001', resource: 'gone', reason: 'the key was removed' };
    expect(evaluatePack('tablesafe-strict', insecure, [stale]).unusedSuppressions).toEqual([stale]);
  });
  it('summarises every finding by status and is compliant only without violations', () => {
    const report = evaluatePack('tablesafe-strict', insecure);
    const byStatus = (status: string) => report.findings.filter((f) => f.status === status).length;
    expect(report.summary).toEqual({ compliant: byStatus('compliant'), nonCompliant: 2, unknown: byStatus('unknown'), notApplicable: byStatus('not-applicable'), suppressed: 0 });
    expect(report.summary.compliant).toBeGreaterThan(0);
    expect(report.compliant).toBe(false);
    const clean = evaluatePack('tablesafe-strict', factSet({ tables: [table()], selections: [selection()] }));
    expect({ compliant: clean.compliant, violations: clean.violations, nonCompliant: clean.summary.nonCompliant }).toEqual({ compliant: true, violations: [], nonCompliant: 0 });
  });
  it('counts a suppressed finding once under its status and once as suppressed, and the run passes', () => {
    const report = evaluatePack('tablesafe-strict', insecure, [
      { ruleId: 'TS-DDB-001', resource: 'orders', reason: 'scratch environment, rebuilt nightly' },
      { ruleId: 'TS-DDB-004', resource: 'orders', reason: 'scratch environment, rebuilt nightly' },
    ]);
    expect({ nonCompliant: report.summary.nonCompliant, suppressed: report.summary.suppressed, compliant: report.compliant }).toEqual({ nonCompliant: 2, suppressed: 2, compliant: true });
  });
  it('a suppression for one resource leaves the same rule failing on every other resource', () => {
    const facts = factSet({ tables: [table({ pitrEnabled: false }), table({ pitrEnabled: false, name: 'payments', id: 'payments', path: 'prod/payments' })] });
    const report = evaluatePack('tablesafe-strict', facts, [{ ruleId: 'TS-DDB-001', resource: 'orders', reason: 'scratch environment, rebuilt nightly' }]);
    expect(report.violations.filter((f) => f.ruleId === 'TS-DDB-001').map((f) => f.resource.name)).toEqual(['payments']);
    expect(report.suppressed.map((f) => f.resource.name)).toEqual(['orders']);
  });
  it('attaches no suppression to a compliant finding, and lists it as unused', () => {
    const reasoned = { ruleId: 'TS-DDB-001', resource: 'orders', reason: 'scratch environment, rebuilt nightly' };
    const report = evaluatePack('tablesafe-strict', factSet({ tables: [table()] }), [reasoned]);
    expect(report.findings.filter((f) => f.suppressedBy)).toEqual([]);
    expect({ suppressed: report.suppressed, unused: report.unusedSuppressions, count: report.summary.suppressed }).toEqual({ suppressed: [], unused: [reasoned], count: 0 });
  });
  it('reports baseline hygiene rules as warnings', () => {
    const report = evaluatePack('tablesafe-baseline', factSet({ tables: [table({ tags: {} })], requirements: { requiredTags: ['owner'] } }));
    expect(report.warnings.map((f) => f.ruleId)).toEqual(['TS-DDB-006']);
  });
});

describe('cron', () => {
  it.each([
    ['cron(0 5 ? * * *)', 1440],
    ['cron(0 */4 ? * * *)', 240],
    ['cron(0 5 ? * SAT *)', 10080],
    ['cron(0 5 1 * ? *)', 44640],
    ['cron(0 5,17 ? * MON-FRI *)', 3600],
  ])('%s runs at least every %d minutes', (expr, minutes) => {
    expect(cronIntervalMinutes(expr)).toBe(minutes);
  });
  it('rejects five fields', () => {
    expect(validateCron('cron(0 5 * * ?)')).toMatch(/has 5 fields; AWS Backup needs 6/);
  });
  it('rejects both day fields set', () => {
    expect(validateCron('cron(0 5 * * * *)')).toMatch(/exactly one of day-of-month and day-of-week must be "\?"/);
  });
  it('rejects an out-of-range hour', () => {
    expect(validateCron('cron(0 24 ? * * *)')).toMatch(/hours value "24" is outside 0-23/);
  });
  it('rejects schedules more frequent than hourly', () => {
    expect(validateCron('cron(*/15 * ? * * *)')).toMatch(/at most once an hour/);
  });
  it('accepts a valid expression', () => {
    expect(validateCron('cron(0 5 ? * * *)')).toBeUndefined();
  });
  it('throws on an invalid expression when asked for its interval', () => {
    expect(() => cronIntervalMinutes('rate(1 day)')).toThrow(/schedule "rate\(1 day\)" must be written as cron/);
  });
});
