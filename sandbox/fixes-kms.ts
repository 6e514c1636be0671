/**
 * KMS differences between moto 5.2.1 and AWS: a disabled or pending-deletion key still encrypts and
 * decrypts in moto, a key ARN crashes DisableKey and friends, Decrypt leaves EncryptionAlgorithm
 * out, and AWS managed keys (alias/aws/*) report KeyManager CUSTOMER.
 */
import type { BufferedResponse } from './forward';
import { jsonError, motoJson, parseJson, rewriteJson, withJsonBody, type Fix, type FixContext, type Json } from './fix-kit';

export interface KeyState {
  readonly arn: string;
  readonly keyId: string;
  /** Enabled | Disabled | PendingDeletion | PendingImport | Unavailable | … */
  readonly state: string;
  readonly manager: string;
}

/** The key's identity and state as KMS DescribeKey reports it; undefined when there is no such key. */
export async function keyStateOf(ctx: FixContext, keyId: string): Promise<KeyState | undefined> {
  const region = /^arn:aws[\w-]*:kms:([^:]+):/.exec(keyId)?.[1] ?? ctx.region;
  const res = await motoJson(ctx, 'kms', 'DescribeKey', { KeyId: keyId }, region);
  if (res.status !== 200) return undefined;
  const meta = (res.body.KeyMetadata ?? {}) as Json;
  return { arn: String(meta.Arn), keyId: String(meta.KeyId), state: String(meta.KeyState ?? (meta.Enabled === false ? 'Disabled' : 'Enabled')), manager: String(meta.KeyManager ?? 'CUSTOMER') };
}

/** Why a key cannot be used, in KMS's and DynamoDB's words; undefined when it can. */
export function keyProblem(key: KeyState): { code: string; kms: string; dynamodb: string } | undefined {
  switch (key.state) {
    case 'Enabled':
      return undefined;
    case 'Disabled':
      return { code: 'DisabledException', kms: `${key.arn} is disabled.`, dynamodb: 'is disabled' };
    case 'PendingDeletion':
      return { code: 'KMSInvalidStateException', kms: `${key.arn} is pending deletion.`, dynamodb: 'is pending deletion' };
    default:
      return { code: 'KMSInvalidStateException', kms: `${key.arn} is ${key.state.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}.`, dynamodb: `is in state ${key.state}` };
  }
}

const KEY_ARN = /^arn:aws[\w-]*:kms:[^:]*:\d*:key\/(.+)$/;

const kmsKeyArnAccepted: Fix = {
  service: 'kms',
  operations: ['EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion'],
  difference:
    'EnableKey, DisableKey, ScheduleKeyDeletion and CancelKeyDeletion accept a key ARN (moto answers 500); ScheduleKeyDeletion takes a 7-30 day window and answers the key ARN, KeyState and window',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    if (ctx.operation === 'ScheduleKeyDeletion' && input.PendingWindowInDays !== undefined) {
      const days = input.PendingWindowInDays;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) {
        return jsonError(ctx.protocol, 'ValidationException',
          `1 validation error detected: Value '${String(days)}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${typeof days === 'number' && days > 30 ? 'less than or equal to 30' : 'greater than or equal to 7'}`);
      }
    }
    const id = typeof input.KeyId === 'string' ? KEY_ARN.exec(input.KeyId)?.[1] : undefined;
    const res = id ? await ctx.forward(withJsonBody(ctx.request, { ...input, KeyId: id })) : await ctx.forward();
    if (res.status !== 200 || ctx.operation === 'EnableKey' || ctx.operation === 'DisableKey') return res;
    const body = parseJson(res.body);
    if (typeof body.KeyId === 'string' && !body.KeyId.startsWith('arn:')) body.KeyId = (await keyStateOf(ctx, body.KeyId))?.arn ?? body.KeyId;
    if (ctx.operation === 'ScheduleKeyDeletion') {
      body.KeyState ??= 'PendingDeletion';
      body.PendingWindowInDays ??= typeof input.PendingWindowInDays === 'number' ? input.PendingWindowInDays : 30;
    }
    return rewriteJson(res, body);
  },
};

const kmsCreateKeyUsage: Fix = {
  service: 'kms',
  operations: ['CreateKey'],
  difference: 'a key created without KeyUsage is an ENCRYPT_DECRYPT key and says so (moto leaves KeyUsage out)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    return input.KeyUsage === undefined && spec === 'SYMMETRIC_DEFAULT' ? ctx.forward(withJsonBody(ctx.request, { ...input, KeyUsage: 'ENCRYPT_DECRYPT' })) : ctx.forward();
  },
};

/** The key a cryptographic request names, per operation. */
function keysUsed(operation: string, input: Json): string[] {
  if (operation === 'ReEncrypt') return [input.SourceKeyId, input.DestinationKeyId].filter((k): k is string => typeof k === 'string');
  return typeof input.KeyId === 'string' ? [input.KeyId] : [];
}

function refuse(ctx: FixContext, key: KeyState): BufferedResponse | undefined {
  const problem = keyProblem(key);
  return problem ? jsonError(ctx.protocol, problem.code, problem.kms) : undefined;
}

const kmsKeyState: Fix = {
  service: 'kms',
  operations: ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac'],
  difference:
    'a disabled key refuses cryptographic use with DisabledException and a key pending deletion with KMSInvalidStateException (moto uses both), and Decrypt answers EncryptionAlgorithm',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    for (const keyId of keysUsed(ctx.operation, input)) {
      const key = await keyStateOf(ctx, keyId);
      const refused = key && refuse(ctx, key);
      if (refused) return refused;
    }
    const res = await ctx.forward();
    if (res.status !== 200 || (ctx.operation !== 'Decrypt' && ctx.operation !== 'ReEncrypt')) return res;
    const body = parseJson(res.body);
    // Decrypt without a KeyId names the key only in its answer (the ciphertext carries it).
    const [usedKey, given] = ctx.operation === 'Decrypt' ? [body.KeyId, input.KeyId] : [body.SourceKeyId, input.SourceKeyId];
    if (typeof usedKey === 'string' && given === undefined) {
      const key = await keyStateOf(ctx, usedKey);
      const refused = key && refuse(ctx, key);
      if (refused) return refused;
    }
    if (ctx.operation === 'Decrypt' && body.EncryptionAlgorithm === undefined) {
      body.EncryptionAlgorithm = typeof input.EncryptionAlgorithm === 'string' ? input.EncryptionAlgorithm : 'SYMMETRIC_DEFAULT';
      return rewriteJson(res, body);
    }
    if (ctx.operation === 'ReEncrypt' && body.SourceEncryptionAlgorithm === undefined) {
      body.SourceEncryptionAlgorithm = input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
      body.DestinationEncryptionAlgorithm = input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
      return rewriteJson(res, body);
    }
    return res;
  },
};

const namesAwsAlias = (keyId: unknown): boolean => typeof keyId === 'string' && /(^|:)alias\/aws\//.test(keyId);

/** Whether the key is one of the account's AWS managed keys: some `alias/aws/…` points at it. */
async function isAwsManaged(ctx: FixContext, region: string, keyId: string, description: unknown): Promise<boolean> {
  const known = `${region}/${keyId}`;
  if (ctx.state.awsManagedKeys.has(known)) return true;
  // moto creates AWS managed keys with these descriptions; only then is the alias list worth reading.
  if (typeof description !== 'string' || !/^Default (master )?key\b/.test(description)) return false;
  const aliases = await motoJson(ctx, 'kms', 'ListAliases', { KeyId: keyId }, region);
  const managed = ((aliases.body.Aliases as Json[] | undefined) ?? []).some((a) => String(a.AliasName ?? '').startsWith('alias/aws/'));
  if (managed) ctx.state.awsManagedKeys.add(known);
  return managed;
}

const kmsAwsManagedKeys: Fix = {
  service: 'kms',
  operations: ['DescribeKey'],
  difference: 'an AWS managed key (alias/aws/*) reports KeyManager AWS (moto reports CUSTOMER)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const res = await ctx.forward();
    if (res.status !== 200) return res;
    const body = parseJson(res.body);
    const meta = body.KeyMetadata as Json | undefined;
    if (!meta || meta.KeyManager === 'AWS') return res;
    const region = /^arn:aws[\w-]*:kms:([^:]+):/.exec(String(meta.Arn))?.[1] ?? ctx.region;
    if (namesAwsAlias(input.KeyId)) ctx.state.awsManagedKeys.add(`${region}/${String(meta.KeyId)}`);
    if (!(await isAwsManaged(ctx, region, String(meta.KeyId), meta.Description))) return res;
    meta.KeyManager = 'AWS';
    return rewriteJson(res, body);
  },
};

/**
 * moto 5.2.1 ignores MessageType: it hashes a DIGEST message again before signing, so its
 * signature is over SHA-256(digest), which AWS would never produce and an offline check of the
 * original message rejects. The sandbox cannot sign a precomputed digest (moto keeps the private
 * key), so it refuses DIGEST rather than answer a signature AWS would not give.
 */
const kmsDigestMessagesRefused: Fix = {
  service: 'kms',
  operations: ['Sign', 'Verify'],
  difference: 'deliberate: Sign/Verify with MessageType DIGEST are refused (moto would hash the digest again and answer a signature AWS never gives); RAW messages are served exactly',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    if (input.MessageType !== 'DIGEST') return ctx.forward();
    return jsonError(ctx.protocol, 'ValidationException', 'sandbox: MessageType DIGEST is not supported here (moto would hash the digest again); sign the message with MessageType RAW');
  },
};

const kmsInvalidSignature: Fix = {
  service: 'kms',
  operations: ['Verify'],
  difference: 'Verify of a signature that does not match fails with KMSInvalidSignatureException (moto answers 200 with SignatureValid false)',
  apply: async (ctx) => {
    const res = await ctx.forward();
    if (res.status !== 200 || parseJson(res.body).SignatureValid !== false) return res;
    return jsonError(ctx.protocol, 'KMSInvalidSignatureException', 'The signature is not valid for the message, key and signing algorithm');
  },
};

const kmsAsymmetricKeyArns: Fix = {
  service: 'kms',
  operations: ['GetPublicKey', 'Sign', 'Verify'],
  difference: 'GetPublicKey, Sign and Verify answer the key ARN in KeyId, and GetPublicKey the KeySpec (moto answers the bare key id and no KeySpec)',
  apply: async (ctx) => {
    const res = await ctx.forward();
    if (res.status !== 200) return res;
    const body = parseJson(res.body);
    const needsArn = typeof body.KeyId === 'string' && !body.KeyId.startsWith('arn:');
    const needsSpec = ctx.operation === 'GetPublicKey' && body.KeySpec === undefined;
    if (typeof body.KeyId !== 'string' || (!needsArn && !needsSpec)) return res;
    const described = await motoJson(ctx, 'kms', 'DescribeKey', { KeyId: body.KeyId });
    const meta = (described.body.KeyMetadata as Json | undefined) ?? {};
    const fixed: Json = { ...body };
    if (needsArn && typeof meta.Arn === 'string') fixed.KeyId = meta.Arn;
    if (needsSpec && typeof meta.KeySpec === 'string') {
      fixed.KeySpec = meta.KeySpec;
      fixed.CustomerMasterKeySpec = meta.KeySpec;
    }
    return rewriteJson(res, fixed);
  },
};

export const KMS_FIXES: ReadonlyArray<Fix> = [kmsAsymmetricKeyArns, kmsKeyArnAccepted, kmsCreateKeyUsage, kmsKeyState, kmsAwsManagedKeys, kmsDigestMessagesRefused, kmsInvalidSignature];
