import { generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

export const FAKE_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/**
 * A KMS client whose ECC_NIST_P256 key lives in this process: Sign/Verify of RAW messages as AWS
 * does them (ECDSA over SHA-256 of the message, DER signatures), GetPublicKey as DER SPKI.
 */
export function fakeKms(): { kms: KMSClient; signs: () => number } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kms = new KMSClient({ region: 'us-east-1' });
  const mock = mockClient(kms);
  let signs = 0;
  mock.on(GetPublicKeyCommand).resolves({ KeyId: FAKE_KEY_ARN, KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_NIST_P256', PublicKey: publicKey.export({ type: 'spki', format: 'der' }) });
  mock.on(SignCommand).callsFake(async (input) => {
    if (input.MessageType !== 'RAW') throw new Error('expected RAW');
    signs++;
    return { KeyId: FAKE_KEY_ARN, SigningAlgorithm: 'ECDSA_SHA_256', Signature: cryptoSign('sha256', Buffer.from(input.Message), { key: privateKey, dsaEncoding: 'der' }) };
  });
  mock.on(VerifyCommand).callsFake(async (input) => {
    const ok = cryptoVerify('sha256', Buffer.from(input.Message), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(input.Signature));
    if (!ok) throw Object.assign(new Error('invalid'), { name: 'KMSInvalidSignatureException' });
    return { KeyId: FAKE_KEY_ARN, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' };
  });
  return { kms, signs: () => signs };
}
