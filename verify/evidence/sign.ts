/**
 * Signing and checking manifests with the stack's asymmetric KMS key (ECC_NIST_P256,
 * ECDSA_SHA_256). The signed message is the 32-byte SHA-256 of manifest.json, sent as
 * MessageType RAW (see ManifestSigning.messageType for why); the signature is DER, as
 * `openssl dgst -verify` reads it:
 *   openssl dgst -sha256 -binary manifest.json | openssl dgst -sha256 -verify signing-key.pem -signature manifest.sig
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { TablesafeError } from '../../core/errors';
import { describeError } from '../../core/aws/errors';
import { sha256Hex } from './manifest';

export const SIGNING_ALGORITHM = 'ECDSA_SHA_256' as const;

export interface PublicKeyExport {
  /** PEM (SubjectPublicKeyInfo), written beside the manifest as signing-key.pem. */
  readonly pem: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly sha256: string;
  /** The key's ARN as KMS names it. */
  readonly keyArn: string;
}

export async function exportPublicKey(kms: KMSClient, keyId: string): Promise<PublicKeyExport> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId })).catch((e: unknown) => {
    throw new TablesafeError('TS_E_EVIDENCE_KEY', `cannot read the public key of ${keyId}: ${describeError(e)}`, 'run as the restore-drill or auditor role (the key policy allows them kms:GetPublicKey)', { cause: e });
  });
  if (!out.PublicKey) throw new TablesafeError('TS_E_EVIDENCE_KEY', `GetPublicKey of ${keyId} returned no key`, 'check the key exists and is an asymmetric key');
  if (out.KeyUsage && out.KeyUsage !== 'SIGN_VERIFY') throw new TablesafeError('TS_E_EVIDENCE_KEY', `${keyId} is a ${out.KeyUsage} key, not SIGN_VERIFY`, 'point at the stack\'s evidence signing key (output evidence_signing_key_arn)');
  const der = Buffer.from(out.PublicKey);
  const pem = createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  return { pem, sha256: sha256Hex(der), keyArn: out.KeyId?.startsWith('arn:') ? out.KeyId : keyId };
}

/** The SHA-256 of a PEM public key's DER form (to compare with the manifest's fingerprint). */
export function publicKeyFingerprint(pem: string): string {
  return sha256Hex(createPublicKey(pem).export({ type: 'spki', format: 'der' }));
}

/** The message KMS signs for a manifest: its SHA-256, 32 bytes. */
export const signedMessage = (manifest: Buffer): Buffer => Buffer.from(sha256Hex(manifest), 'hex');

export async function signManifest(kms: KMSClient, keyId: string, manifest: Buffer): Promise<Buffer> {
  const out = await kms.send(new SignCommand({ KeyId: keyId, Message: signedMessage(manifest), MessageType: 'RAW', SigningAlgorithm: SIGNING_ALGORITHM })).catch((e: unknown) => {
    throw new TablesafeError('TS_E_EVIDENCE_SIGN', `KMS Sign with ${keyId} failed: ${describeError(e)}`, 'run verify as the restore-drill role (the only principal the key policy lets sign), or pass --no-sign', { cause: e });
  });
  if (!out.Signature) throw new TablesafeError('TS_E_EVIDENCE_SIGN', `KMS Sign with ${keyId} returned no signature`, 'retry; if it persists, check the key state');
  return Buffer.from(out.Signature);
}

/** KMS's answer on a signature: valid, invalid, or the call failed (why). */
export async function kmsVerify(kms: KMSClient, keyId: string, manifest: Buffer, signature: Buffer): Promise<{ valid: boolean; error?: string }> {
  try {
    const out = await kms.send(new VerifyCommand({ KeyId: keyId, Message: signedMessage(manifest), MessageType: 'RAW', Signature: signature, SigningAlgorithm: SIGNING_ALGORITHM }));
    return { valid: out.SignatureValid === true };
  } catch (e) {
    // AWS answers an invalid signature with KMSInvalidSignatureException, not SignatureValid false.
    if ((e as { name?: string }).name === 'KMSInvalidSignatureException') return { valid: false };
    return { valid: false, error: describeError(e) };
  }
}

/** The offline check: ECDSA P-256 / SHA-256 of the signed message (the manifest's SHA-256) against the PEM public key. */
export function offlineVerify(pem: string, manifest: Buffer, signature: Buffer): boolean {
  try {
    return cryptoVerify('sha256', signedMessage(manifest), { key: createPublicKey(pem), dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
