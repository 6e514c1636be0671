import type { KeyFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';

export const keyRotationEnabled: Rule<KeyFact> = {
  id: 'TS-KMS-001',
  title: 'Automatic key rotation is enabled',
  severity: 'error',
  controls: ['SecurityHub KMS.4', 'CKV_AWS_7'],
  explanation: 'Yearly rotation limits how much data one key version protects; old versions stay available to decrypt.',
  appliesTo: 'key',
  evaluate: (k) => {
    const rotation = unknownInput(k, 'rotationEnabled');
    if (!rotation && k.rotationEnabled) return compliant(k, 'automatic rotation is enabled', 'enabled', 'enabled');
    if (!k.enabled && !k.unknown?.includes('enabled')) return notApplicable(k, 'key is disabled: it encrypts nothing new');
    if (k.keySpec !== undefined && k.keySpec !== 'SYMMETRIC_DEFAULT' && !k.unknown?.includes('keySpec')) return notApplicable(k, `${k.keySpec} key: AWS KMS rotates symmetric keys only`);
    const unknown = rotation ?? unknownInput(k, 'enabled', 'keySpec');
    if (unknown) return unknown;
    return nonCompliant(k, 'automatic rotation is disabled', { expected: 'enabled', actual: 'disabled' }, 'set enable_key_rotation = true (EncryptionKey rotates by default)');
  },
};
