/**
 * The finding builders every rule returns through: the resource a finding names, the evidence a
 * compliant finding carries, and the wording of an unknown finding (what is not known, capped so a
 * message stays one readable line, and how to make it known).
 */
import { compliant, resourceOf, UNKNOWN_REMEDY, unknownFinding, unknownInput } from '../../../compliance/rules/rule';
import { table } from './fact-builder';

describe('resourceOf', () => {
  it('names the fact by kind, id, name and construct path', () => {
    expect(resourceOf(table({ path: 'prod/data/orders' }))).toEqual({ kind: 'table', id: 'aws_dynamodb_table.orders', name: 'orders', path: 'prod/data/orders' });
  });

  it('is one object per fact, shared by all its findings', () => {
    const fact = table();
    expect(resourceOf(fact)).toBe(resourceOf(fact));
    expect(compliant(fact, 'ok').resource).toBe(resourceOf(fact));
  });
});

describe('compliant', () => {
  it('carries no evidence when the rule states no expected value', () => {
    expect(compliant(table(), 'point-in-time recovery is enabled')).toStrictEqual({
      status: 'compliant', resource: resourceOf(table()), message: 'point-in-time recovery is enabled',
    });
  });

  it('carries evidence of the expected value, the actual value defaulting to it', () => {
    expect(compliant(table(), 'encrypted', 'CUSTOMER_MANAGED').evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: 'CUSTOMER_MANAGED', actual: 'CUSTOMER_MANAGED' });
    expect(compliant(table(), 'retained', '>= 35 days', '90 days').evidence).toEqual({ resource: 'aws_dynamodb_table.orders', expected: '>= 35 days', actual: '90 days' });
  });
});

describe('unknownFinding', () => {
  it('says what is not known, as evidence too, and how to make it known', () => {
    const f = unknownFinding(table(), ['point_in_time_recovery.enabled = var.pitr', 'deletion_protection_enabled = var.protect']);
    expect(f).toEqual({
      status: 'unknown',
      resource: resourceOf(table()),
      message: 'cannot evaluate: point_in_time_recovery.enabled = var.pitr; deletion_protection_enabled = var.protect (not known from this input)',
      evidence: { resource: 'aws_dynamodb_table.orders', expected: 'a value known before apply', actual: 'point_in_time_recovery.enabled = var.pitr; deletion_protection_enabled = var.protect' },
      remedy: UNKNOWN_REMEDY,
    });
  });

  it('points at a literal value or the Terraform plan', () => {
    expect(UNKNOWN_REMEDY).toMatch(/^give the setting a literal value, or check the plan: terraform plan -out plan\.bin && terraform show -json plan\.bin > plan\.json && tablesafe check plan\.json$/);
  });

  it('shows three unknowns in full', () => {
    const f = unknownFinding(table(), ['a = var.a', 'b = var.b', 'c = var.c']);
    expect(f.message).toBe('cannot evaluate: a = var.a; b = var.b; c = var.c (not known from this input)');
    expect(f.evidence?.actual).toBe('a = var.a; b = var.b; c = var.c');
  });

  it('shows the first three of more and counts the rest', () => {
    const four = unknownFinding(table(), ['a = var.a', 'b = var.b', 'c = var.c', 'd = var.d']);
    expect(four.message).toBe('cannot evaluate: a = var.a; b = var.b; c = var.c; 1 more (not known from this input)');
    expect(four.evidence?.actual).toBe('a = var.a; b = var.b; c = var.c; 1 more');
    const six = unknownFinding(table(), ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(six.message).toBe('cannot evaluate: a; b; c; 3 more (not known from this input)');
  });
});

describe('unknownInput', () => {
  it('is undefined when every field the rule needs is known', () => {
    expect(unknownInput(table({ unknown: ['billingMode'] }), 'pitrEnabled')).toBeUndefined();
  });

  it('quotes what the input says, or names the field when the source gave no expression', () => {
    const f = unknownInput(table({ unknown: ['pitrEnabled', 'deletionProtection'], unknownExpressions: { pitrEnabled: 'point_in_time_recovery.enabled = var.pitr' } }), 'pitrEnabled', 'deletionProtection');
    expect(f?.message).toBe('cannot evaluate: point_in_time_recovery.enabled = var.pitr; deletionProtection not known from this source (not known from this input)');
  });
});
