/** KMS, as the AWS KMS API reference documents it. */
import { api, blobFile, error, send } from '../kit';
import type { Case, Env, Variant } from '../harness';

const KEY_ARN = /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/;

/** A fresh key per variant, so state changes do not meet. */
const freshKey = async (e: Env): Promise<{ arn: string; id: string }> => {
  const k = (await send(e, 'kms', 'CreateKey', { Description: 'fidelity' })).KeyMetadata;
  return { arn: k.Arn, id: k.KeyId };
};

const encrypt = (keyOf: (e: Env) => string) => ({
  setup: async (_e: Env, v: Variant) => blobFile(v, 'plain.txt', 'secret'),
  cli: (e: Env, _v: Variant, file: string) => ['kms', 'encrypt', '--key-id', keyOf(e), '--plaintext', file],
  sdk: (e: Env) => send(e, 'kms', 'Encrypt', { KeyId: keyOf(e), Plaintext: Buffer.from('secret') }),
});

export const KMS_CASES: Case[] = [
  {
    id: 'kms.create-key.metadata',
    reference: 'AWS KMS API Reference, CreateKey: KeyMetadata with the key ARN, KeyState Enabled, KeyManager CUSTOMER, KeySpec SYMMETRIC_DEFAULT',
    ...api('kms', 'CreateKey', () => ({ Description: 'fidelity' })),
    expect: (out) => expect(out.KeyMetadata).toMatchObject({ Arn: expect.stringMatching(KEY_ARN), KeyState: 'Enabled', Enabled: true, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }),
  },
  {
    id: 'kms.aws-managed-key.key-manager',
    reference: 'AWS KMS API Reference, KeyMetadata.KeyManager: AWS for AWS managed keys (alias/aws/dynamodb)',
    ...api('kms', 'DescribeKey', () => ({ KeyId: 'alias/aws/dynamodb' })),
    expect: (out) => expect(out.KeyMetadata).toMatchObject({ KeyManager: 'AWS', Arn: expect.stringMatching(KEY_ARN) }),
  },
  {
    id: 'kms.describe-key.not-found',
    reference: 'AWS KMS API Reference, DescribeKey: unknown key → NotFoundException',
    ...api('kms', 'DescribeKey', () => ({ KeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000' })),
    expect: error('NotFoundException', undefined, 400),
  },
  {
    id: 'kms.encrypt.answer',
    reference: 'AWS KMS API Reference, Encrypt: answers CiphertextBlob and KeyId as the key ARN',
    ...encrypt((e) => e.fx.keyId),
    expect: (out) => expect([typeof out.CiphertextBlob === 'string' || out.CiphertextBlob instanceof Uint8Array, out.KeyId]).toEqual([true, expect.stringMatching(KEY_ARN)]),
  },
  {
    id: 'kms.decrypt.algorithm',
    reference: 'AWS KMS API Reference, Decrypt: answers Plaintext, KeyId (ARN) and EncryptionAlgorithm',
    setup: async (e, v) => {
      const out = await send(e, 'kms', 'Encrypt', { KeyId: e.fx.keyId, Plaintext: Buffer.from('secret') });
      return { file: blobFile(v, 'cipher.bin', out.CiphertextBlob), blob: out.CiphertextBlob };
    },
    cli: (_e, _v, d) => ['kms', 'decrypt', '--ciphertext-blob', d.file],
    sdk: (e, _v, d) => send(e, 'kms', 'Decrypt', { CiphertextBlob: d.blob }),
    expect: (out) => expect([out.KeyId, out.EncryptionAlgorithm]).toEqual([expect.stringMatching(KEY_ARN), 'SYMMETRIC_DEFAULT']),
  },
  {
    id: 'kms.encrypt.disabled-key',
    reference: 'AWS KMS API Reference, Encrypt: a disabled key → DisabledException',
    ...encrypt((e) => e.fx.disabledKeyArn),
    expect: error('DisabledException', /is disabled/, 400),
  },
  {
    id: 'kms.generate-data-key.disabled-key',
    reference: 'AWS KMS API Reference, GenerateDataKey: a disabled key → DisabledException',
    ...api('kms', 'GenerateDataKey', (e) => ({ KeyId: e.fx.disabledKeyArn, KeySpec: 'AES_256' })),
    expect: error('DisabledException'),
  },
  {
    id: 'kms.decrypt.disabled-key',
    reference: 'AWS KMS API Reference, Decrypt: ciphertext under a key disabled since → DisabledException',
    setup: async (e, v) => {
      const key = await freshKey(e);
      const out = await send(e, 'kms', 'Encrypt', { KeyId: key.id, Plaintext: Buffer.from('secret') });
      await send(e, 'kms', 'DisableKey', { KeyId: key.id });
      return { file: blobFile(v, 'cipher-disabled.bin', out.CiphertextBlob), blob: out.CiphertextBlob };
    },
    cli: (_e, _v, d) => ['kms', 'decrypt', '--ciphertext-blob', d.file],
    sdk: (e, _v, d) => send(e, 'kms', 'Decrypt', { CiphertextBlob: d.blob }),
    expect: error('DisabledException'),
  },
  {
    id: 'kms.encrypt.pending-deletion',
    reference: 'AWS KMS API Reference, Encrypt: a key pending deletion → KMSInvalidStateException',
    ...encrypt((e) => e.fx.pendingKeyArn),
    expect: error('KMSInvalidStateException', /pending deletion/),
  },
  {
    id: 'kms.disable-key.by-arn',
    reference: 'AWS KMS API Reference, DisableKey: KeyId may be the key ARN; the key is then Disabled',
    setup: freshKey,
    ...api('kms', 'DisableKey', (_e, _v, key) => ({ KeyId: key.arn })),
    observe: (e, _out, key) => send(e, 'kms', 'DescribeKey', { KeyId: key.id }),
    expect: (out) => expect(out.KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false }),
  },
  {
    id: 'kms.enable-key.by-arn',
    reference: 'AWS KMS API Reference, EnableKey: KeyId may be the key ARN',
    setup: async (e) => {
      const key = await freshKey(e);
      await send(e, 'kms', 'DisableKey', { KeyId: key.id });
      return key;
    },
    ...api('kms', 'EnableKey', (_e, _v, key) => ({ KeyId: key.arn })),
    observe: (e, _out, key) => send(e, 'kms', 'DescribeKey', { KeyId: key.id }),
    expect: (out) => expect(out.KeyMetadata.KeyState).toBe('Enabled'),
  },
  {
    id: 'kms.schedule-deletion.by-arn',
    reference: 'AWS KMS API Reference, ScheduleKeyDeletion: KeyId may be the key ARN; answers the key ARN, KeyState PendingDeletion and the window',
    setup: freshKey,
    ...api('kms', 'ScheduleKeyDeletion', (_e, _v, key) => ({ KeyId: key.arn, PendingWindowInDays: 7 })),
    expect: (out, key) => expect(out).toMatchObject({ KeyId: key.arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 }),
  },
  {
    id: 'kms.schedule-deletion.window-too-short',
    reference: 'AWS KMS API Reference, ScheduleKeyDeletion: PendingWindowInDays is 7-30 → ValidationException',
    setup: freshKey,
    ...api('kms', 'ScheduleKeyDeletion', (_e, _v, key) => ({ KeyId: key.id, PendingWindowInDays: 6 })),
    expect: error('ValidationException'),
  },
  {
    id: 'kms.cancel-deletion.by-arn',
    reference: 'AWS KMS API Reference, CancelKeyDeletion: KeyId may be the key ARN; answers the key ARN and the key is Disabled',
    setup: async (e) => {
      const key = await freshKey(e);
      await send(e, 'kms', 'ScheduleKeyDeletion', { KeyId: key.id, PendingWindowInDays: 7 });
      return key;
    },
    ...api('kms', 'CancelKeyDeletion', (_e, _v, key) => ({ KeyId: key.arn })),
    observe: async (e, out, key) => ({ out, state: (await send(e, 'kms', 'DescribeKey', { KeyId: key.id })).KeyMetadata.KeyState }),
    expect: (r, key) => expect([r.out.KeyId, r.state]).toEqual([key.arn, 'Disabled']),
  },
  {
    id: 'kms.rotation.period',
    reference: 'AWS KMS API Reference, GetKeyRotationStatus: RotationPeriodInDays (default 365) once rotation is enabled (AWS CLI 2.9 predates the member and drops it)',
    setup: async (e) => {
      const key = await freshKey(e);
      await send(e, 'kms', 'EnableKeyRotation', { KeyId: key.id });
      return key;
    },
    ...api('kms', 'GetKeyRotationStatus', (_e, _v, key) => ({ KeyId: key.id })),
    expect: (out, _d, v) => expect(out).toMatchObject(v.client === 'cli-v2' && out.RotationPeriodInDays === undefined ? { KeyRotationEnabled: true } : { KeyRotationEnabled: true, RotationPeriodInDays: 365 }),
  },
  {
    id: 'kms.key-policy.default',
    reference: 'AWS KMS API Reference, GetKeyPolicy: the default key policy grants the account root kms:*',
    ...api('kms', 'GetKeyPolicy', (e) => ({ KeyId: e.fx.keyId, PolicyName: 'default' })),
    expect: (out) => expect(JSON.parse(out.Policy).Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*' })])),
  },
  {
    id: 'kms.alias.list',
    reference: 'AWS KMS API Reference, CreateAlias / ListAliases: the alias is listed with its target key',
    setup: async (e, v) => {
      await send(e, 'kms', 'CreateAlias', { AliasName: `alias/fidelity-${v.tag}`, TargetKeyId: e.fx.keyId });
    },
    ...api('kms', 'ListAliases', (e) => ({ KeyId: e.fx.keyId })),
    expect: (out, _d, v) => expect(out.Aliases).toEqual(expect.arrayContaining([expect.objectContaining({ AliasName: `alias/fidelity-${v.tag}`, TargetKeyId: expect.any(String) })])),
  },
  {
    id: 'kms.get-public-key.key-arn',
    reference: 'AWS KMS API Reference, GetPublicKey: KeyId is the key ARN; KeyUsage SIGN_VERIFY and SigningAlgorithms of an ECC_NIST_P256 key',
    setup: async (e) => (await send(e, 'kms', 'CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId,
    ...api('kms', 'GetPublicKey', (_e, _v, id) => ({ KeyId: id })),
    expect: (out) => expect([out.KeyId, out.KeyUsage, out.KeySpec, out.SigningAlgorithms]).toEqual([expect.stringMatching(KEY_ARN), 'SIGN_VERIFY', 'ECC_NIST_P256', ['ECDSA_SHA_256']]),
  },
  {
    id: 'kms.verify.invalid-signature',
    reference: 'AWS KMS API Reference, Verify: a signature that does not match the message → KMSInvalidSignatureException',
    setup: async (e, v) => {
      const id = (await send(e, 'kms', 'CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
      const sig = (await send(e, 'kms', 'Sign', { KeyId: id, Message: Buffer.from('signed'), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })).Signature;
      return { id, sig, sigFile: blobFile(v, 'sig.bin', sig), msgFile: blobFile(v, 'other.txt', 'changed') };
    },
    cli: (_e, _v, d) => ['kms', 'verify', '--key-id', d.id, '--message', d.msgFile, '--message-type', 'RAW', '--signature', d.sigFile, '--signing-algorithm', 'ECDSA_SHA_256'],
    sdk: (e, _v, d) => send(e, 'kms', 'Verify', { KeyId: d.id, Message: Buffer.from('changed'), MessageType: 'RAW', Signature: d.sig, SigningAlgorithm: 'ECDSA_SHA_256' }),
    expect: error('KMSInvalidSignatureException', undefined, 400),
  },
  {
    id: 'kms.sign.digest-refused',
    reference: 'AWS KMS API Reference, Sign: MessageType DIGEST signs the given digest as is',
    difference: 'the sandbox refuses DIGEST with ValidationException: moto hashes the digest again and would answer a signature AWS never gives (sandbox/README.md)',
    setup: async (e, v) => {
      const id = (await send(e, 'kms', 'CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
      return { id, file: blobFile(v, 'digest.bin', Buffer.alloc(32, 7)) };
    },
    cli: (_e, _v, d) => ['kms', 'sign', '--key-id', d.id, '--message', d.file, '--message-type', 'DIGEST', '--signing-algorithm', 'ECDSA_SHA_256'],
    sdk: (e, _v, d) => send(e, 'kms', 'Sign', { KeyId: d.id, Message: Buffer.alloc(32, 7), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    expect: error('ValidationException', /DIGEST is not supported/, 400),
  },
];
