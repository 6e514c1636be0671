/**
 * verify reads the evidence bucket live and holds it to the evidence rules (TS-S3-004 to 008):
 * Object Lock with the declared mode and retention, versioning, SSE-KMS with a customer-managed
 * key, TLS only, no public access. Each rule is shown to pass on a right bucket and fail on a wrong one.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createClients } from '../../../core/aws/clients';
import type { Contract } from '../../../core/contract';
import { gatherLiveState } from '../../../compliance/facts/live-state';
import { factsFromAws } from '../../../compliance/facts/from-aws';
import { complianceChecks, contractChecks } from '../../../verify/checks';
import type { CheckResult } from '../../../verify/checks/check';
import { ACCOUNT, contract, outputs, REGION } from './fixtures';

const BUCKET = `tablesafe-demo-evidence-${ACCOUNT}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const STORAGE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/evidence-storage`;
const TLS_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
});
const ALL_BLOCKED = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const EVIDENCE_RULES = ['TS-S3-004', 'TS-S3-005', 'TS-S3-006', 'TS-S3-007', 'TS-S3-008'];

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const kms = mockClient(KMSClient);
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);

const notFound = (name: string) => Object.assign(new Error(name), { name });

/** A right evidence bucket: COMPLIANCE lock for 1 year, versioned, SSE-KMS with the stack's key, TLS only, public access blocked. */
function rightBucket() {
  s3.on(GetPublicAccessBlockCommand, { Bucket: BUCKET }).resolves({ PublicAccessBlockConfiguration: ALL_BLOCKED });
  s3.on(GetBucketPolicyStatusCommand, { Bucket: BUCKET }).resolves({ PolicyStatus: { IsPublic: false } });
  s3.on(GetBucketVersioningCommand, { Bucket: BUCKET }).resolves({ Status: 'Enabled' });
  s3.on(GetBucketPolicyCommand, { Bucket: BUCKET }).resolves({ Policy: TLS_ONLY });
  s3.on(GetObjectLockConfigurationCommand, { Bucket: BUCKET }).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } } });
  s3.on(GetBucketEncryptionCommand, { Bucket: BUCKET }).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: STORAGE_KEY }, BucketKeyEnabled: true }] } });
}

beforeEach(() => {
  for (const m of [ddb, backup, kms, iam, s3] as const) {
    m.reset();
    (m as ReturnType<typeof mockClient>).onAnyCommand().resolves({});
  }
});

const clients = () => createClients({ region: REGION, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
const withEvidence = (): Contract => contract({ evidence: { lockMode: 'COMPLIANCE', retentionDays: 365, prefix: 'packs/', signingKeyAlias: 'alias/tablesafe-demo-evidence-signing', signingAlgorithm: 'ECDSA_SHA_256', drillCadenceDays: 30 } });
const evidenceOutputs = () => outputs({ evidenceBucket: BUCKET });

async function evidenceChecks(c: Contract = withEvidence()): Promise<Record<string, Pick<CheckResult, 'status' | 'message'>>> {
  const live = await gatherLiveState(c, evidenceOutputs(), clients());
  return Object.fromEntries(
    complianceChecks(c, evidenceOutputs(), live)
      .filter((x) => EVIDENCE_RULES.some((r) => x.id === `${r}:${BUCKET}`))
      .map((x) => [x.id.split(':')[0], { status: x.status, message: x.message }]),
  );
}

describe('reading the evidence bucket', () => {
  it('reads its access settings, Object Lock (years counted as 365 days) and default encryption', async () => {
    rightBucket();
    const live = await gatherLiveState(withEvidence(), evidenceOutputs(), clients());
    expect(live.evidenceBucket).toEqual({
      ok: true,
      value: {
        publicAccessBlock: ALL_BLOCKED,
        isPublic: false,
        versioning: true,
        policy: TLS_ONLY,
        objectLock: { enabled: true, mode: 'COMPLIANCE', days: 365 },
        sseAlgorithm: 'aws:kms',
        sseKmsKeyId: STORAGE_KEY,
      },
    });
  });

  it('reads a bucket without Object Lock, default encryption, policy or public access block as having none', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(notFound('ObjectLockConfigurationNotFoundError'));
    s3.on(GetBucketEncryptionCommand).rejects(notFound('ServerSideEncryptionConfigurationNotFoundError'));
    s3.on(GetBucketPolicyCommand).rejects(notFound('NoSuchBucketPolicy'));
    s3.on(GetPublicAccessBlockCommand).rejects(notFound('NoSuchPublicAccessBlockConfiguration'));
    const live = await gatherLiveState(withEvidence(), evidenceOutputs(), clients());
    expect(live.evidenceBucket).toEqual({ ok: true, value: { isPublic: false, versioning: false, objectLock: { enabled: false } } });
  });

  it('reads a lock without default retention as enabled with no mode or days', async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } });
    const live = await gatherLiveState(withEvidence(), evidenceOutputs(), clients());
    expect(live.evidenceBucket?.ok && live.evidenceBucket.value.objectLock).toEqual({ enabled: true });
  });

  it('records a denied read as a failed read of the bucket, and the evidence rules then judge nothing', async () => {
    rightBucket();
    s3.on(GetObjectLockConfigurationCommand).rejects(Object.assign(new Error('User is not authorized to perform: s3:GetBucketObjectLockConfiguration'), { name: 'AccessDenied' }));
    const c = withEvidence();
    const live = await gatherLiveState(c, evidenceOutputs(), clients());
    expect(live.evidenceBucket).toEqual({ ok: false, error: 'AccessDenied: User is not authorized to perform: s3:GetBucketObjectLockConfiguration' });
    expect(factsFromAws(c, evidenceOutputs(), live).buckets.map((b) => b.name)).not.toContain(BUCKET);
  });

  it('reads nothing when the stack has no evidence bucket', async () => {
    const live = await gatherLiveState(withEvidence(), outputs(), clients());
    expect(live.evidenceBucket).toBeUndefined();
    expect(s3.commandCalls(GetObjectLockConfigurationCommand)).toHaveLength(0);
  });
});

describe('the evidence rules on the live bucket', () => {
  it('pass on a right bucket, each naming what it found', async () => {
    rightBucket();
    expect(await evidenceChecks()).toEqual({
      'TS-S3-004': { status: 'pass', message: 'Object Lock COMPLIANCE for 365 days' },
      'TS-S3-005': { status: 'pass', message: expect.any(String) },
      'TS-S3-006': { status: 'pass', message: 'default encryption is SSE-KMS with a customer-managed key' },
      'TS-S3-007': { status: 'pass', message: expect.any(String) },
      'TS-S3-008': { status: 'pass', message: expect.any(String) },
    });
  });

  it('fail a bucket whose lock is GOVERNANCE where the stack declared COMPLIANCE, or shorter than declared', async () => {
    rightBucket();
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } } });
    expect((await evidenceChecks())['TS-S3-004']).toEqual({ status: 'fail', message: expect.stringMatching(/^default retention mode is GOVERNANCE, not COMPLIANCE/) });
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } } });
    expect((await evidenceChecks())['TS-S3-004']).toEqual({ status: 'fail', message: expect.stringMatching(/^default retention is 30 days, less than 365/) });
  });

  it('fail a bucket without Object Lock, versioning, a KMS key, TLS-only policy or public access block', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(notFound('ObjectLockConfigurationNotFoundError'));
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    const checks = await evidenceChecks();
    expect(Object.fromEntries(Object.entries(checks).map(([id, c]) => [id, c.status]))).toEqual({ 'TS-S3-004': 'fail', 'TS-S3-005': 'fail', 'TS-S3-006': 'fail', 'TS-S3-007': 'fail', 'TS-S3-008': 'fail' });
    expect(checks['TS-S3-004'].message).toMatch(/^Object Lock is not enabled/);
  });

  it('take SSE-KMS (or DSSE-KMS) with a named key for a customer-managed key; not the AWS managed key, no key, or SSE-S3', async () => {
    rightBucket();
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/s3` } }] } });
    expect((await evidenceChecks())['TS-S3-006'].status).toBe('fail');
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } });
    expect((await evidenceChecks())['TS-S3-006'].status).toBe('fail');
    // S3 ignores a key next to AES256 (SSE-S3): that is not SSE-KMS.
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: STORAGE_KEY } }] } });
    expect((await evidenceChecks())['TS-S3-006'].status).toBe('fail');
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: STORAGE_KEY } }] } });
    expect((await evidenceChecks())['TS-S3-006'].status).toBe('pass');
  });

  it('fail a bucket without default encryption on TS-S3-006', async () => {
    rightBucket();
    s3.on(GetBucketEncryptionCommand).rejects(notFound('ServerSideEncryptionConfigurationNotFoundError'));
    expect((await evidenceChecks())['TS-S3-006']).toEqual({ status: 'fail', message: expect.stringMatching(/^default encryption does not name a KMS key/) });
  });

  it('hold the bucket the stack names its evidence store, whatever its tags', async () => {
    rightBucket();
    const c = withEvidence();
    const live = await gatherLiveState(c, evidenceOutputs(), clients());
    const facts = factsFromAws(c, evidenceOutputs(), live);
    expect(facts.buckets.map((b) => [b.name, b.tags])).toEqual([[BUCKET, { 'tablesafe:purpose': 'evidence' }]]);
  });
});

describe('the EVIDENCE-BUCKET contract check', () => {
  const evidenceCheck = async () => {
    const c = withEvidence();
    const live = await gatherLiveState(c, evidenceOutputs(), clients());
    return contractChecks(c, evidenceOutputs(), live).find((x) => x.id === 'EVIDENCE-BUCKET');
  };

  it('passes a bucket locked as declared and versioned', async () => {
    rightBucket();
    expect(await evidenceCheck()).toMatchObject({ status: 'pass', title: 'Evidence bucket is write-once as declared', message: `bucket ${BUCKET}: Object Lock COMPLIANCE for 365 days, versioned`, evidence: [`bucket ${BUCKET}`] });
  });

  it('holds a stack that declares no evidence settings to Object Lock and versioning only', async () => {
    rightBucket();
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } });
    const c = contract();
    const live = await gatherLiveState(c, evidenceOutputs(), clients());
    expect(contractChecks(c, evidenceOutputs(), live).find((x) => x.id === 'EVIDENCE-BUCKET')).toMatchObject({ status: 'pass', message: `bucket ${BUCKET}: Object Lock GOVERNANCE for 1 days, versioned` });
  });

  it('fails a bucket locked in another mode, for fewer days, or not versioned, naming each difference', async () => {
    rightBucket();
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } } });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    const c = await evidenceCheck();
    expect(c?.status).toBe('fail');
    expect(c?.message).toMatch(/evidence\.versioning/);
    expect(c?.message).toMatch(/evidence\.lockMode/);
    expect(c?.message).toMatch(/evidence\.retentionDays: expected at least 365, (got|actual) 30/);
  });

  it('fails a bucket without Object Lock', async () => {
    rightBucket();
    s3.on(GetObjectLockConfigurationCommand).rejects(notFound('ObjectLockConfigurationNotFoundError'));
    const c = await evidenceCheck();
    expect(c?.status).toBe('fail');
    expect(c?.message).toMatch(/evidence\.objectLock/);
  });

  it('fails with the AWS error when the bucket cannot be read', async () => {
    rightBucket();
    s3.on(GetBucketEncryptionCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    expect(await evidenceCheck()).toMatchObject({ status: 'fail', message: `could not read bucket ${BUCKET}: AccessDenied: Access Denied`, error: true });
  });

  it('is absent for a stack without an evidence bucket', async () => {
    const live = await gatherLiveState(withEvidence(), outputs(), clients());
    expect(contractChecks(withEvidence(), outputs(), live).map((x) => x.id)).not.toContain('EVIDENCE-BUCKET');
  });
});
