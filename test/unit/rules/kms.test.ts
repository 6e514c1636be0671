import { keyPolicyNoPublicPrincipal } from '../../../compliance/rules/kms/no-public-principal';
import { keyRotationEnabled } from '../../../compliance/rules/kms/rotation';
import { factSet, key } from './fact-builder';

describe('TS-KMS-001 rotation', () => {
  it('is compliant when rotation is on', () => {
    expect(keyRotationEnabled.evaluate(key(), factSet()).status).toBe('compliant');
  });
  it('reports rotation off', () => {
    const f = keyRotationEnabled.evaluate(key({ rotationEnabled: false }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_kms_key.data', expected: 'enabled', actual: 'disabled' });
  });
  it('does not apply to asymmetric keys', () => {
    expect(keyRotationEnabled.evaluate(key({ rotationEnabled: false, keySpec: 'RSA_2048' }), factSet()).message).toMatch(/RSA_2048.*symmetric keys only/);
  });
  it('does not apply to disabled keys', () => {
    expect(keyRotationEnabled.evaluate(key({ rotationEnabled: false, enabled: false }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-KMS-002 no unconditioned Principal *', () => {
  const open = { sid: 'Open', effect: 'Allow' as const, principals: ['AWS:*'], actions: ['kms:Decrypt'], resources: ['*'], hasCondition: false, conditionKeys: [] };
  it('is compliant when the open statement has a condition', () => {
    const k = key({ policy: [{ ...open, hasCondition: true, conditionKeys: ['kms:CallerAccount'] }] });
    expect(keyPolicyNoPublicPrincipal.evaluate(k, factSet()).status).toBe('compliant');
  });
  it('reports an unconditioned Allow to Principal *', () => {
    const f = keyPolicyNoPublicPrincipal.evaluate(key({ policy: [open] }), factSet());
    expect(f.evidence).toEqual({ resource: 'aws_kms_key.data', expected: 'no Allow to Principal * without a condition', actual: 'Principal * allowed kms:Decrypt in Open' });
  });
  it('does not apply when the policy is not known', () => {
    expect(keyPolicyNoPublicPrincipal.evaluate(key({ policy: undefined }), factSet()).status).toBe('not-applicable');
  });
});

describe('TS-KMS-002 reads every principal and the effect of each statement', () => {
  const statement = { sid: 'Mixed', effect: 'Allow' as const, actions: ['kms:Decrypt'], resources: ['*'], hasCondition: false, conditionKeys: [] };
  it('reports a * principal listed next to a named one', () => {
    const k = key({ policy: [{ ...statement, principals: ['AWS:arn:aws:iam::123456789012:root', 'AWS:*'] }] });
    expect(keyPolicyNoPublicPrincipal.evaluate(k, factSet())).toMatchObject({ status: 'non-compliant', message: 'key policy allows Principal * without a condition: Mixed' });
  });
  it('does not report a Deny to Principal * as a grant', () => {
    const k = key({ policy: [{ ...statement, sid: 'DenyAll', effect: 'Deny' as const, principals: ['AWS:*'] }] });
    expect(keyPolicyNoPublicPrincipal.evaluate(k, factSet()).status).toBe('compliant');
  });
  it('names every open statement, and only those', () => {
    const k = key({ policy: [{ ...statement, sid: 'A', principals: ['AWS:*'] }, { ...statement, sid: 'Named', principals: ['AWS:arn:aws:iam::123456789012:root'] }, { ...statement, sid: 'B', principals: ['*'] }] });
    expect(keyPolicyNoPublicPrincipal.evaluate(k, factSet()).message).toBe('key policy allows Principal * without a condition: A, B');
  });
});
