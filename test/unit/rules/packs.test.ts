import { cronIntervalMinutes, validateCron } from '../../../core/cron';
import { evaluatePack } from '../../../compliance/rules/evaluate';
import { ALL_RULES } from '../../../compliance/rules/index';
import { PACKS, renderPackTable } from '../../../compliance/rules/packs';
import { factSet, table } from './fact-builder';

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
