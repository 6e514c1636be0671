import { drillRoleDeletesScratchOnly } from '../../../compliance/rules/iam/drill-deletes-scratch-only';
import { roleNoWildcardAction } from '../../../compliance/rules/iam/no-wildcard-action';
import { roleNoWildcardResourceOnData } from '../../../compliance/rules/iam/no-wildcard-resource';
import { rolePassRoleScoped } from '../../../compliance/rules/iam/pass-role-scoped';
import { factSet, role, statement } from './fact-builder';

const withStatement = (o: Parameters<typeof statement>[0], extra: Parameters<typeof role>[0] = {}) => role({ statements: [{ ...statement(o), policyName: 'p' }], ...extra });

describe('TS-IAM-001 no wildcard action', () => {
  it('is compliant with named actions', () => {
    expect(roleNoWildcardAction.evaluate(role(), factSet()).status).toBe('compliant');
  });
  it('reports * and service:* actions', () => {
    const f = roleNoWildcardAction.evaluate(withStatement({ actions: ['*'] }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_iam_role.reader', expected: 'no Allow of *, service:* or NotAction', actual: 'p: *' });
  });
  it('reports an Allow with NotAction', () => {
    expect(roleNoWildcardAction.evaluate(withStatement({ actions: [], notActions: ['iam:*'] }), factSet()).status).toBe('non-compliant');
  });
  it('does not apply to a role without policy statements', () => {
    expect(roleNoWildcardAction.evaluate(role({ statements: [] }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-IAM-002 no * resource on data actions', () => {
  it('is compliant when data actions name their resources', () => {
    expect(roleNoWildcardResourceOnData.evaluate(role(), factSet()).status).toBe('compliant');
  });
  it('allows list calls that only exist on *', () => {
    expect(roleNoWildcardResourceOnData.evaluate(withStatement({ actions: ['dynamodb:ListTables'], resources: ['*'] }), factSet()).status).toBe('compliant');
  });
  it('reports data actions on *', () => {
    const f = roleNoWildcardResourceOnData.evaluate(withStatement({ actions: ['dynamodb:GetItem', 'kms:Decrypt'], resources: ['*'] }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_iam_role.reader', expected: 'data actions on named ARNs, never on *', actual: 'p: dynamodb:GetItem, kms:Decrypt on *' });
  });
  it('does not apply to a role without policy statements', () => {
    expect(roleNoWildcardResourceOnData.evaluate(role({ statements: [] }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-IAM-003 PassRole scoped', () => {
  it('is compliant when PassRole names a role', () => {
    expect(rolePassRoleScoped.evaluate(withStatement({ actions: ['iam:PassRole'], resources: ['${aws_iam_role.backup.arn}'] }), factSet()).status).toBe('compliant');
  });
  it('reports PassRole on a wildcard', () => {
    const f = rolePassRoleScoped.evaluate(withStatement({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::111122223333:role/*'] }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_iam_role.reader', expected: 'iam:PassRole on named role ARNs only', actual: 'p: arn:aws:iam::111122223333:role/*' });
  });
  it('does not apply to a role that cannot pass roles', () => {
    expect(rolePassRoleScoped.evaluate(role(), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-IAM-004 drill deletes only scratch tables', () => {
  const drill = { roleKind: 'restore-drill' as const };
  it('is compliant when DeleteTable is on tablesafe-drill-* only', () => {
    const r = withStatement({ actions: ['dynamodb:DeleteTable'], resources: ['arn:aws:dynamodb:us-east-1:111122223333:table/tablesafe-drill-*'] }, drill);
    expect(drillRoleDeletesScratchOnly.evaluate(r, factSet()).status).toBe('compliant');
  });
  it('reports DeleteTable on every table', () => {
    const r = withStatement({ actions: ['dynamodb:Delete*'], resources: ['arn:aws:dynamodb:us-east-1:111122223333:table/*'] }, drill);
    expect(drillRoleDeletesScratchOnly.evaluate(r, factSet()).evidence).toEqual({
      resource: 'aws_iam_role.reader',
      expected: 'dynamodb:DeleteTable only on arn:…:table/tablesafe-drill-*',
      actual: 'p: arn:aws:dynamodb:us-east-1:111122223333:table/*',
    });
  });
  it('does not apply to other roles', () => {
    expect(drillRoleDeletesScratchOnly.evaluate(withStatement({ actions: ['dynamodb:DeleteTable'], resources: ['*'] }), factSet()).status).toBe('not-applicable');
  });
});
