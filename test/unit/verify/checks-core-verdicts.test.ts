/**
 * The verdict plumbing: how a compliance finding becomes a check (pass, skip, fail with its remedy),
 * what happens when the pack cannot be evaluated, and the check builders every check is made with.
 */
import type { LiveState } from '../../../compliance/facts/live-state';
import type { AwsClients } from '../../../core/aws/clients';
import { check, Diff, difference, fromDiff, isOwnFailure, readFailure, show } from '../../../verify/checks/check';
import { contract, outputs, TABLE_ARN } from './fixtures';

jest.mock('../../../compliance/rules/evaluate', () => ({ evaluatePack: jest.fn() }));
jest.mock('../../../compliance/facts/from-aws', () => ({ factsFromAws: jest.fn(() => ({ facts: [] })) }));
jest.mock('../../../compliance/facts/live-state', () => ({ gatherLiveState: jest.fn() }));
jest.mock('../../../verify/checks/table', () => ({ tableChecks: jest.fn(() => [{ id: 'TABLE-ACTIVE', title: 't', category: 'contract', status: 'pass', message: 'orders is ACTIVE', evidence: [] }]) }));
jest.mock('../../../verify/checks/security', () => ({ keyChecks: jest.fn(() => []), roleChecks: jest.fn(() => []), trailChecks: jest.fn(() => []), evidenceBucketChecks: jest.fn(() => []) }));
jest.mock('../../../verify/checks/backup', () => ({ backupChecks: jest.fn(() => []) }));

// The test transform does not hoist jest.mock: the modules under test are required after the mocks.
/* eslint-disable @typescript-eslint/no-require-imports */
const evaluate: jest.Mock = require('../../../compliance/rules/evaluate').evaluatePack;
const gather: jest.Mock = require('../../../compliance/facts/live-state').gatherLiveState;
const { complianceChecks, runLiveChecks } = require('../../../verify/checks') as typeof import('../../../verify/checks');
const LIVE = { readAt: new Date('2026-11-23T12:00:00Z') } as LiveState;

const finding = (o: Record<string, unknown>) => ({
  ruleId: 'TS-DDB-001', title: 'Point-in-time recovery is enabled', severity: 'error',
  resource: { kind: 'table', id: TABLE_ARN, name: 'orders' }, status: 'non-compliant', message: 'orders has PITR DISABLED', ...o,
});
function report(...findings: Record<string, unknown>[]) {
  evaluate.mockReturnValue({ findings: findings.map(finding) } as any);
}

describe('complianceChecks', () => {
  beforeEach(() => evaluate.mockReset());

  it('a compliant finding passes with its message; evidence is the resource id when the rule gave none', () => {
    report({ status: 'compliant', message: 'orders has PITR ENABLED' });
    expect(complianceChecks(contract(), outputs(), LIVE)).toEqual([
      { id: 'TS-DDB-001:orders', title: 'Point-in-time recovery is enabled', category: 'compliance', status: 'pass', message: 'orders has PITR ENABLED', evidence: [TABLE_ARN] },
    ]);
  });

  it('a failing finding fails with its message and remedy, evidence as expected/actual', () => {
    report({ remedy: 'enable point-in-time recovery', evidence: { resource: 'aws_dynamodb_table.orders', expected: 'ENABLED', actual: 'DISABLED' } });
    const [c] = complianceChecks(contract(), outputs(), LIVE);
    expect(c).toMatchObject({ id: 'TS-DDB-001:orders', status: 'fail', category: 'compliance', message: 'orders has PITR DISABLED — enable point-in-time recovery' });
    expect(c.evidence).toEqual(['aws_dynamodb_table.orders: expected ENABLED, actual DISABLED']);
    report({});
    expect(complianceChecks(contract(), outputs(), LIVE)[0].message).toBe('orders has PITR DISABLED');
  });

  it('a suppressed finding is skipped with the reason; a warning is skipped saying it does not fail the run', () => {
    report({ suppressedBy: { ruleId: 'TS-DDB-001', reason: 'migration until Friday' } }, { ruleId: 'TS-DDB-002', severity: 'warning', message: 'orders has no TTL' });
    const [s, w] = complianceChecks(contract(), outputs(), LIVE);
    expect(s).toMatchObject({ id: 'TS-DDB-001:orders', status: 'skip', message: 'suppressed: migration until Friday (orders has PITR DISABLED)', evidence: [TABLE_ARN] });
    expect(w).toMatchObject({ id: 'TS-DDB-002:orders', status: 'skip', message: 'warning, does not fail the run: orders has no TTL', evidence: [TABLE_ARN] });
  });

  it('leaves out findings that are not applicable or unknown (their read failed; the contract check reports it)', () => {
    report({ status: 'not-applicable' }, { status: 'unknown', ruleId: 'TS-X' }, { status: 'compliant', ruleId: 'TS-OK' });
    expect(complianceChecks(contract(), outputs(), LIVE).map((c) => c.id)).toEqual(['TS-OK:orders']);
  });

  it('evaluates the contract\'s pack with the given suppressions', () => {
    report();
    const sup = [{ ruleId: 'TS-DDB-001', reason: 'r' }] as any;
    complianceChecks(contract(), outputs(), LIVE, sup);
    expect(evaluate).toHaveBeenCalledWith('tablesafe-baseline', expect.anything(), sup);
    complianceChecks(contract(), outputs(), LIVE);
    expect(evaluate).toHaveBeenLastCalledWith('tablesafe-baseline', expect.anything(), []);
  });
});

describe('runLiveChecks', () => {
  const clients = {} as AwsClients;
  beforeEach(() => {
    evaluate.mockReset();
    gather.mockReset().mockResolvedValue(LIVE);
  });

  it('returns the live state, the contract checks, then the compliance checks', async () => {
    report({ status: 'compliant', message: 'ok' });
    const now = new Date('2026-11-23T12:00:00Z');
    const r = await runLiveChecks(contract(), outputs(), clients, [], now);
    expect(r.live).toBe(LIVE);
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([['TABLE-ACTIVE', 'pass'], ['TS-DDB-001:orders', 'pass']]);
    expect(gather).toHaveBeenCalledWith(contract(), outputs(), clients, now);
    expect(evaluate).toHaveBeenCalledWith('tablesafe-baseline', expect.anything(), []);
  });

  it('a pack that cannot be evaluated is one COMPLIANCE error naming the pack and the cause; the contract checks still run', async () => {
    evaluate.mockImplementation(() => { throw new Error('unknown pack "tablesafe-baseline"'); });
    const r = await runLiveChecks(contract(), outputs(), clients);
    expect(r.checks.map((c) => c.id)).toEqual(['TABLE-ACTIVE', 'COMPLIANCE']);
    expect(evaluate).toHaveBeenCalledWith('tablesafe-baseline', expect.anything(), []);
    expect(r.checks[1]).toEqual({
      id: 'COMPLIANCE', title: 'Compliance pack tablesafe-baseline', category: 'compliance', status: 'fail',
      message: 'could not evaluate: unknown pack "tablesafe-baseline"', evidence: [], error: true,
    });
  });
});

describe('check builders', () => {
  it('show renders absent, empty and structured values so a difference is readable', () => {
    expect(show(undefined)).toBe('(none)');
    expect(show('')).toBe('""');
    expect(show('abc')).toBe('abc');
    expect(show(3)).toBe('3');
    expect(show(['a'])).toBe('["a"]');
    expect(difference('table.ttlAttribute', '', 'expiresAt')).toBe('table.ttlAttribute: expected "", actual expiresAt');
  });

  it('check carries error only on failures, and measurement and seconds only when given', () => {
    expect(check('X', 'T', 'drill', { status: 'pass', message: 'm' })).toEqual({ id: 'X', title: 'T', category: 'drill', status: 'pass', message: 'm', evidence: [] });
    expect(check('X', 'T', 'drill', { status: 'skip', message: 'm', error: true })).not.toHaveProperty('error');
    expect(check('X', 'T', 'drill', { status: 'fail', message: 'm' })).not.toHaveProperty('error');
    expect(check('X', 'T', 'drill', { status: 'fail', message: 'm', error: false })).not.toHaveProperty('error');
    expect(check('X', 'T', 'drill', { status: 'fail', message: 'm', error: true }).error).toBe(true);
    const measurement = { quantity: 'rto' as const, value: 12, unit: 'seconds' as const, target: 60 };
    const c = check('X', 'T', 'drill', { status: 'pass', message: 'm', measurement, seconds: 0 });
    expect(c.measurement).toEqual(measurement);
    expect(c.seconds).toBe(0);
    expect(Object.keys(check('X', 'T', 'drill', { status: 'pass', message: 'm', evidence: ['e'] }))).toEqual(['id', 'title', 'category', 'status', 'message', 'evidence']);
  });

  it('fromDiff passes with the pass message or fails listing every difference, with the evidence either way', () => {
    const pass = fromDiff('A', 'Title', new Diff().eq('f', 1, 1), 'all good', ['ev']);
    expect(pass).toEqual({ id: 'A', title: 'Title', category: 'contract', status: 'pass', message: 'all good', evidence: ['ev'] });
    const fail = fromDiff('A', 'Title', new Diff().eq('f', 1, 2).add('g: broken'), 'all good', ['ev']);
    expect(fail).toEqual({ id: 'A', title: 'Title', category: 'contract', status: 'fail', message: 'f: expected 1, actual 2; g: broken', evidence: ['ev'] });
    expect(fromDiff('A', 'Title', new Diff(), 'ok').evidence).toEqual([]);
  });

  it('readFailure is an error of verify naming what could not be read, with the AWS error as evidence', () => {
    expect(readFailure('K', 'Key', 'key alias/x', 'AccessDeniedException: no')).toEqual({
      id: 'K', title: 'Key', category: 'contract', status: 'fail', message: 'could not read key alias/x: AccessDeniedException: no', evidence: ['AccessDeniedException: no'], error: true,
    });
    expect(readFailure('K', 'Key', 'x', 'e', 'drill').category).toBe('drill');
  });

  it('isOwnFailure recognises denied, throttled and unauthenticated calls, not platform errors or non-errors', () => {
    for (const name of ['AccessDeniedException', 'ThrottlingException', 'ExpiredTokenException', 'TimeoutError']) expect(isOwnFailure({ name })).toBe(true);
    expect(isOwnFailure({ name: 'ResourceNotFoundException' })).toBe(false);
    expect(isOwnFailure(undefined)).toBe(false);
    expect(isOwnFailure(null)).toBe(false);
    expect(isOwnFailure({})).toBe(false);
  });
});
