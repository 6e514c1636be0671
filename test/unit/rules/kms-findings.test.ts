/** What the KMS key rules tell a user: verdict, message naming the statement or setting, evidence and remedy. */
import type { KeyFact } from '../../../compliance/facts/types';
import { UNKNOWN_REMEDY } from '../../../compliance/rules/rule';
import { keyPolicyNoPublicPrincipal } from '../../../compliance/rules/kms/no-public-principal';
import { keyRotationEnabled } from '../../../compliance/rules/kms/rotation';
import { factSet, key } from './fact-builder';

type KeyStatement = NonNullable<KeyFact['policy']>[number];
const stmt = (o: Partial<KeyStatement> = {}): KeyStatement => ({
  effect: 'Allow', principals: ['AWS:arn:aws:iam::111122223333:root'], actions: ['kms:Decrypt'], resources: ['*'], hasCondition: false, conditionKeys: [], ...o,
});
const root = stmt({ sid: 'Root', actions: ['kms:*'] });

describe('TS-KMS-002 no public principal findings', () => {
  const verdict = (policy: KeyStatement[] | undefined) => keyPolicyNoPublicPrincipal.evaluate(key({ policy }), factSet());

  it('says no statement opens the key to everyone, with evidence', () => {
    expect(verdict([root])).toMatchObject({
      status: 'compliant', message: 'no unconditioned Allow to Principal *',
      evidence: { resource: 'aws_kms_key.data', expected: 'no Allow to Principal * without a condition', actual: 'none' },
    });
  });

  it('explains that a key policy the source does not read cannot be judged', () => {
    expect(verdict(undefined)).toMatchObject({ status: 'not-applicable', message: 'cannot evaluate: key policy not known from this source' });
  });

  it('names the open statement (by position when it has no Sid), the actions and the remedy', () => {
    const f = verdict([root, stmt({ principals: ['*'], actions: ['kms:Decrypt', 'kms:Encrypt'] })]);
    expect(f).toMatchObject({
      status: 'non-compliant', message: 'key policy allows Principal * without a condition: statement 2',
      evidence: { expected: 'no Allow to Principal * without a condition', actual: 'Principal * allowed kms:Decrypt, kms:Encrypt in statement 2' },
    });
    expect(f.remedy).toContain('kms:CallerAccount');
  });

  it('does not report a Deny to everyone', () => {
    expect(verdict([root, stmt({ effect: 'Deny', principals: ['*'] })]).status).toBe('compliant');
  });

  it('is unknown when the effect of an open statement is not known, and says so', () => {
    const f = verdict([root, stmt({ sid: 'Maybe', principals: ['*'], unknown: ['effect'] })]);
    expect(f).toMatchObject({ status: 'unknown', message: expect.stringContaining('Maybe: Principal *, Effect unknown without a condition'), remedy: UNKNOWN_REMEDY });
  });

  it('is unknown when the principals of an Allow are not known, naming them', () => {
    const f = verdict([root, stmt({ sid: 'Vars', principals: ['${var.principal}'], unknown: ['principals'] })]);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('Vars: Principal var.principal without a condition');
    expect(f.message).not.toContain('Effect unknown');
  });

  it('is unknown when the excluded principals of an Allow are not known', () => {
    expect(verdict([root, stmt({ unknown: ['notPrincipals'] })]).status).toBe('unknown');
  });

  it('is compliant when a statement with unknown principals denies', () => {
    expect(verdict([root, stmt({ effect: 'Deny', unknown: ['principals'] })]).status).toBe('compliant');
  });
});

describe('TS-KMS-001 rotation findings', () => {
  it('says rotation is enabled, with evidence', () => {
    expect(keyRotationEnabled.evaluate(key(), factSet())).toMatchObject({
      status: 'compliant', message: 'automatic rotation is enabled', evidence: { expected: 'enabled', actual: 'enabled' },
    });
  });
  it('says rotation is disabled and how to enable it', () => {
    expect(keyRotationEnabled.evaluate(key({ rotationEnabled: false }), factSet())).toMatchObject({
      status: 'non-compliant', message: 'automatic rotation is disabled', evidence: { expected: 'enabled', actual: 'disabled' },
      remedy: 'set enable_key_rotation = true (EncryptionKey rotates by default)',
    });
  });
  it('explains why a disabled key is out of scope', () => {
    expect(keyRotationEnabled.evaluate(key({ rotationEnabled: false, enabled: false }), factSet())).toMatchObject({
      status: 'not-applicable', message: 'key is disabled: it encrypts nothing new',
    });
  });
  it('explains why an asymmetric key is out of scope, naming its spec', () => {
    expect(keyRotationEnabled.evaluate(key({ rotationEnabled: false, keySpec: 'RSA_2048' }), factSet())).toMatchObject({
      status: 'not-applicable', message: 'RSA_2048 key: AWS KMS rotates symmetric keys only',
    });
  });
  it('is unknown when whether the key is enabled is not known', () => {
    const k = key({ rotationEnabled: false, enabled: false, unknown: ['enabled'], unknownExpressions: { enabled: 'var.enabled' } });
    expect(keyRotationEnabled.evaluate(k, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.enabled') });
  });
  it('is unknown when the key spec is not known', () => {
    const k = key({ rotationEnabled: false, keySpec: 'RSA_2048', unknown: ['keySpec'], unknownExpressions: { keySpec: 'var.spec' } });
    expect(keyRotationEnabled.evaluate(k, factSet())).toMatchObject({ status: 'unknown', message: expect.stringContaining('var.spec') });
  });
});
