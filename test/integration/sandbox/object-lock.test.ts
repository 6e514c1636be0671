/**
 * S3 Object Lock and KMS ECDSA signing as the evidence store uses them, against the sandbox:
 * a locked version cannot be deleted (AccessDenied, as AWS answers), a governance lock yields
 * only to x-amz-bypass-governance-retention, a compliance lock to nothing, and a lock cannot be
 * weakened; an ECC_NIST_P256 key signs digests that KMS and node:crypto both verify.
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import {
  CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectVersionsCommand,
  PutObjectCommand, PutObjectLockConfigurationCommand, PutBucketPolicyCommand, GetBucketPolicyCommand, HeadObjectCommand, PutObjectRetentionCommand, S3Client, GetObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { createHash } from 'node:crypto';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let s3: S3Client;
let kms: KMSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  s3 = new S3Client({ endpoint: sandbox.endpoint, forcePathStyle: true });
  kms = new KMSClient({ endpoint: sandbox.endpoint });
});
afterAll(async () => {
  s3?.destroy();
  kms?.destroy();
  await sandbox?.stop();
});

async function lockedBucket(name: string, mode: 'GOVERNANCE' | 'COMPLIANCE', days = 400): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: name, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: days } } } }));
}
const put = async (bucket: string, key: string, body = 'FAILED') => (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: 'SHA256' }))).VersionId!;
const versions = async (bucket: string) => ((await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? []).map((v) => v.VersionId);

describe('S3 Object Lock', () => {
  it('keeps the bucket default retention: mode and days', async () => {
    await lockedBucket('lock-default', 'GOVERNANCE', 400);
    const got = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-default' }));
    expect(got.ObjectLockConfiguration).toMatchObject({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } } });
  });

  it('refuses to delete a locked version: AccessDenied (403)', async () => {
    await lockedBucket('lock-delete', 'GOVERNANCE');
    const v = await put('lock-delete', 'packs/demo/1/report.json');
    await expect(s3.send(new DeleteObjectCommand({ Bucket: 'lock-delete', Key: 'packs/demo/1/report.json', VersionId: v }))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket: 'lock-delete', Delete: { Objects: [{ Key: 'packs/demo/1/report.json', VersionId: v }] } }));
    expect(batch.Errors).toEqual([expect.objectContaining({ Code: 'AccessDenied' })]);
    expect(await versions('lock-delete')).toEqual([v]);
  });

  it('an overwrite or a plain delete adds a version or a delete marker; the locked version stays readable', async () => {
    await lockedBucket('lock-overwrite', 'COMPLIANCE');
    const v = await put('lock-overwrite', 'k', 'FAILED');
    await put('lock-overwrite', 'k', 'PASSED');
    await s3.send(new DeleteObjectCommand({ Bucket: 'lock-overwrite', Key: 'k' }));
    expect(await versions('lock-overwrite')).toContain(v);
    const original = await s3.send(new GetObjectCommand({ Bucket: 'lock-overwrite', Key: 'k', VersionId: v }));
    expect(await original.Body!.transformToString()).toBe('FAILED');
  });

  it('a governance lock yields to x-amz-bypass-governance-retention; a compliance lock does not', async () => {
    await lockedBucket('lock-gov', 'GOVERNANCE');
    const g = await put('lock-gov', 'k');
    await s3.send(new DeleteObjectCommand({ Bucket: 'lock-gov', Key: 'k', VersionId: g, BypassGovernanceRetention: true }));
    expect(await versions('lock-gov')).toEqual([]);
    await lockedBucket('lock-comp', 'COMPLIANCE');
    const c = await put('lock-comp', 'k');
    await expect(s3.send(new DeleteObjectCommand({ Bucket: 'lock-comp', Key: 'k', VersionId: c, BypassGovernanceRetention: true }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('a compliance retention cannot be shortened or turned into governance', async () => {
    await lockedBucket('lock-weaken', 'COMPLIANCE');
    const v = await put('lock-weaken', 'k');
    const soon = new Date(Date.now() + 86_400_000);
    await expect(s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-weaken', Key: 'k', VersionId: v, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: soon } }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-weaken', Key: 'k', VersionId: v, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 900 * 86_400_000) } }))).rejects.toMatchObject({ name: 'AccessDenied' });
    // Extending is allowed.
    await s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-weaken', Key: 'k', VersionId: v, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + 900 * 86_400_000) } }));
  });

  it('the default retention can change while the bucket holds objects; later uploads take the new default', async () => {
    await lockedBucket('lock-change', 'GOVERNANCE', 400);
    await put('lock-change', 'before');
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-change', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 10 } } } }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-change' }))).ObjectLockConfiguration).toMatchObject({ Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 10 } } });
    await put('lock-change', 'after');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'lock-change', Key: 'after' }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(Math.round((head.ObjectLockRetainUntilDate!.getTime() - Date.now()) / 86_400_000)).toBe(10);
    // Removing the rule (as terraform destroy of the configuration does) is accepted too.
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-change', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
  });

  it('a governance retention is shortened only with the bypass header', async () => {
    await lockedBucket('lock-gov-short', 'GOVERNANCE');
    const v = await put('lock-gov-short', 'k');
    const soon = new Date(Date.now() + 86_400_000);
    await expect(s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov-short', Key: 'k', VersionId: v, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: soon } }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-gov-short', Key: 'k', VersionId: v, BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: soon } }));
  });
});

describe('TLS-only bucket policy', () => {
  it('lets sandbox clients (plain HTTP standing in for TLS) write, and answers the policy as given', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::tls-only', 'arn:aws:s3:::tls-only/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
    await lockedBucket('tls-only', 'GOVERNANCE');
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'tls-only', Policy: policy }));
    await put('tls-only', 'packs/demo/1/report.json');
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'tls-only' }))).Policy).toBe(policy);
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: 'no-such-bucket-here', Policy: policy }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('KMS ECC_NIST_P256 signing', () => {
  it('signs a RAW message that KMS Verify and node:crypto accept, and rejects a changed message', async () => {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const keyId = key.KeyMetadata!.Arn!;
    expect(key.KeyMetadata).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    // What the evidence signer sends: the 32-byte SHA-256 of the manifest, as a RAW message.
    const message = createHash('sha256').update('{"runId":"r1","verdict":"FAILED"}\n').digest();
    const { Signature, SigningAlgorithm } = await kms.send(new SignCommand({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(SigningAlgorithm).toBe('ECDSA_SHA_256');
    const ok = await kms.send(new VerifyCommand({ KeyId: keyId, Message: message, MessageType: 'RAW', Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(ok.SignatureValid).toBe(true);

    const { PublicKey, KeyUsage, KeyId } = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyMetadata!.KeyId! }));
    expect(KeyUsage).toBe('SIGN_VERIFY');
    expect(KeyId).toBe(keyId);
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cryptoVerify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(Signature!))).toBe(true);

    const tampered = createHash('sha256').update('{"runId":"r1","verdict":"PASSED"}\n').digest();
    expect(cryptoVerify('sha256', tampered, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(Signature!))).toBe(false);
    await expect(kms.send(new VerifyCommand({ KeyId: keyId, Message: tampered, MessageType: 'RAW', Signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
  });

  it('refuses MessageType DIGEST rather than answer a signature AWS would not give', async () => {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const digest = createHash('sha256').update('m').digest();
    await expect(kms.send(new SignCommand({ KeyId: key.KeyMetadata!.KeyId!, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject({ name: 'ValidationException', message: /DIGEST is not supported/ });
  });
});
