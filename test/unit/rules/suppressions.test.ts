/**
 * Suppressions: which malformed exceptions fail the run (and with what words), and which finding
 * resources a well-formed one covers — by id, by name, by construct path or subtree, or `*`.
 */
import type { FindingResource } from '../../../compliance/rules/rule';
import { assertValidSuppressions, MIN_REASON_LENGTH, suppressionMatches, validateSuppressions, type Suppression } from '../../../compliance/rules/suppressions';
import { thrownTablesafeError } from '../../helpers/errors';

const valid: Suppression = { ruleId: 'TS-DDB-001', resource: 'orders', reason: 'scratch environment, rebuilt nightly' };
/** A suppression as it may come from a hand-written JSON file. */
const untyped = (o: Record<string, unknown>): Suppression => o as unknown as Suppression;

describe('validateSuppressions', () => {
  it('accepts a known rule id, a resource and a reason', () => {
    expect(validateSuppressions([valid, { ...valid, resource: '*' }])).toEqual([]);
  });

  it('rejects an entry that is not an object, by its index', () => {
    expect(validateSuppressions([null as unknown as Suppression, 'TS-DDB-001' as unknown as Suppression])).toEqual([
      'suppressions[0] must be an object { ruleId, resource, reason }',
      'suppressions[1] must be an object { ruleId, resource, reason }',
    ]);
  });

  it('rejects a rule id that is missing, not a string or not a known rule', () => {
    expect(validateSuppressions([untyped({ ...valid, ruleId: undefined }), untyped({ ...valid, ruleId: 1 }), { ...valid, ruleId: 'TS-NOPE' }])).toEqual([
      'suppressions[0].ruleId undefined is not a known rule id',
      'suppressions[1].ruleId 1 is not a known rule id',
      'suppressions[2].ruleId "TS-NOPE" is not a known rule id',
    ]);
  });

  it('rejects a resource that is missing, not a string, empty or blank', () => {
    const problems = validateSuppressions([untyped({ ...valid, resource: undefined }), untyped({ ...valid, resource: 7 }), { ...valid, resource: '' }, { ...valid, resource: '   ' }]);
    expect(problems).toEqual([
      'suppressions[0].resource undefined must name a resource (id, name, construct path or *)',
      'suppressions[1].resource 7 must name a resource (id, name, construct path or *)',
      'suppressions[2].resource "" must name a resource (id, name, construct path or *)',
      'suppressions[3].resource "   " must name a resource (id, name, construct path or *)',
    ]);
  });

  it('rejects a reason that is missing or not a string, naming the rule', () => {
    expect(validateSuppressions([untyped({ ruleId: 'TS-DDB-001', resource: 'orders' }), untyped({ ...valid, reason: 1234567890123 })])).toEqual([
      `suppressions[0].reason undefined for TS-DDB-001 must explain the exception in at least ${MIN_REASON_LENGTH} characters`,
      `suppressions[1].reason 1234567890123 for TS-DDB-001 must explain the exception in at least ${MIN_REASON_LENGTH} characters`,
    ]);
  });

  it('needs at least 10 characters of reason, not counting surrounding blanks', () => {
    expect(MIN_REASON_LENGTH).toBe(10);
    expect(validateSuppressions([{ ...valid, reason: 'ten chars!' }])).toEqual([]);
    expect(validateSuppressions([{ ...valid, reason: 'nine char' }])).toHaveLength(1);
    expect(validateSuppressions([{ ...valid, reason: '    short     ' }])).toEqual([
      'suppressions[0].reason "    short     " for TS-DDB-001 must explain the exception in at least 10 characters',
    ]);
  });

  it('reports every problem of an entry', () => {
    expect(validateSuppressions([untyped({ ruleId: 'TS-NOPE' })])).toHaveLength(3);
  });
});

describe('assertValidSuppressions', () => {
  it('passes valid suppressions', () => {
    expect(() => assertValidSuppressions([valid])).not.toThrow();
  });

  it('throws TS_E_SUPPRESSION_INVALID listing every problem, one per line, and what a suppression needs', () => {
    const e = thrownTablesafeError(() => assertValidSuppressions([{ ...valid, ruleId: 'TS-NOPE' }, valid, { ...valid, reason: 'short' }]));
    expect(e.code).toBe('TS_E_SUPPRESSION_INVALID');
    expect(e.message).toBe(
      '2 invalid suppression(s):\n'
      + '  suppressions[0].ruleId "TS-NOPE" is not a known rule id\n'
      + '  suppressions[2].reason "short" for TS-DDB-001 must explain the exception in at least 10 characters',
    );
    expect(e.remedy).toBe('give every suppression a known ruleId, a resource and a reason of at least 10 characters');
  });
});

describe('suppressionMatches', () => {
  const live: FindingResource = { kind: 'table', id: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders', name: 'orders' };
  const synth: FindingResource = { kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders', path: 'prod/data/orders' };
  const matches = (resource: string, r: FindingResource, ruleId = 'TS-DDB-001') => suppressionMatches({ ...valid, resource }, ruleId, r);

  it('covers only its own rule', () => {
    expect(matches('*', synth, 'TS-DDB-003')).toBe(false);
  });

  it('covers every resource of its rule with *', () => {
    expect([matches('*', live), matches('*', synth)]).toEqual([true, true]);
  });

  it('covers a resource by its id or by its name', () => {
    expect([matches('arn:aws:dynamodb:us-east-1:111122223333:table/orders', live), matches('aws_dynamodb_table.orders', synth), matches('orders', live)]).toEqual([true, true, true]);
  });

  it('covers a resource by its construct path or any enclosing path', () => {
    expect([matches('prod/data/orders', synth), matches('prod/data', synth), matches('prod', synth)]).toEqual([true, true, true]);
  });

  it('does not cover a sibling whose path merely starts with the same letters', () => {
    expect([matches('prod/da', synth), matches('prod/data/orders-archive', synth)]).toEqual([false, false]);
  });

  it('does not cover another resource, with or without a construct path', () => {
    expect([matches('payments', live), matches('payments', synth), matches('prod/other', synth)]).toEqual([false, false, false]);
  });
});
