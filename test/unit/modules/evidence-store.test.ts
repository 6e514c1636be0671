import { Construct } from 'constructs';
import { EvidenceStore, EvidenceStoreProps } from '../../../modules/evidence-store/evidence-store';
import { Role } from '../../../modules/iam/role';
import { accountTrust } from '../../../modules/iam/policy';
import { demo, prod, PlatformConfig, validateConfig } from '../../../stacks/config';
import { parseContract } from '../../../core/contract';
import { synthWith, Synthesized } from '../../helpers/synth';
import { synthPlatform } from '../../helpers/stacks';

function storeIn(s: Construct, props: Partial<EvidenceStoreProps> = {}): EvidenceStore {
  const store = new EvidenceStore(s, 'evidence', { bucketName: 'tablesafe-test-evidence', region: 'us-east-1', keyAlias: 'tablesafe-test-evidence', ...props });
  const trust = accountTrust(['arn:aws:iam::123456789012:root']);
  const drill = new Role(s, 'drill', { roleName: 'drill', kind: 'restore-drill', assumeRolePolicy: trust });
  const auditor = new Role(s, 'auditor', { roleName: 'auditor', kind: 'auditor', assumeRolePolicy: trust });
  store.grantSign(drill);
  store.grantUpload(drill);
  store.grantVerify(auditor);
  store.grantRead(auditor);
  return store;
}
const synthStore = (props: Partial<EvidenceStoreProps> = {}) => synthWith((s) => storeIn(s, props));
const keyPolicy = (out: Synthesized, spec: string | undefined) =>
  Synthesized.policy((Object.values(out.resources('aws_kms_key')) as any[]).find((k) => k.customer_master_key_spec === spec).policy);

describe('EvidenceStore', () => {
  it('signs with an ECC_NIST_P256 SIGN_VERIFY key', () => {
    const key = (Object.values(synthStore().resources('aws_kms_key')) as any[]).find((k) => k.key_usage === 'SIGN_VERIFY');
    expect(key).toMatchObject({ customer_master_key_spec: 'ECC_NIST_P256', key_usage: 'SIGN_VERIFY', enable_key_rotation: false });
  });

  it('lets only the drill role sign and only the auditor verify; the account root administers without use', () => {
    const statements = keyPolicy(synthStore(), 'ECC_NIST_P256').Statement as any[];
    const sid = (s: string) => statements.find((x) => x.Sid === s);
    expect(sid('SignManifests').Principal.AWS).toEqual([expect.stringMatching(/aws_iam_role\.drill.*\.arn/)]);
    expect(sid('SignManifests').Action).toContain('kms:Sign');
    expect(sid('VerifyManifests').Principal.AWS).toEqual([expect.stringMatching(/aws_iam_role\.auditor.*\.arn/)]);
    expect(sid('VerifyManifests').Action).toEqual(expect.arrayContaining(['kms:Verify', 'kms:GetPublicKey']));
    expect(sid('VerifyManifests').Action).not.toContain('kms:Sign');
    const admin = sid('AccountAdministrationWithoutUse').Action as string[];
    for (const use of ['kms:Sign', 'kms:Verify', 'kms:CreateGrant', 'kms:Decrypt']) expect(admin).not.toContain(use);
  });

  it('locks every object version by default: mode and retention from the props, 400 days COMPLIANCE by default', () => {
    const out = synthStore();
    expect(out.only('aws_s3_bucket').object_lock_enabled).toBe(true);
    expect(out.only('aws_s3_bucket_object_lock_configuration').rule).toEqual({ default_retention: { mode: 'COMPLIANCE', days: 400 } });
    expect(synthStore({ lockMode: 'GOVERNANCE', retentionDays: 30 }).only('aws_s3_bucket_object_lock_configuration').rule).toEqual({ default_retention: { mode: 'GOVERNANCE', days: 30 } });
  });

  it('versions, encrypts with its own KMS key, requires TLS, blocks public access and enforces ownership', () => {
    const out = synthStore();
    expect(out.only('aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    const sse = out.only('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default;
    expect(sse).toMatchObject({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.evidence_storage-key.*\.arn/) });
    const [tls] = Synthesized.policy(out.only('aws_s3_bucket_policy').policy).Statement;
    expect(tls).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(out.only('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(out.only('aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
  });

  it('lets the drill role upload only under packs/ and the auditor read', () => {
    const out = synthStore();
    const policies = Object.values(out.resources('aws_iam_role_policy')) as any[];
    const upload = Synthesized.policy(policies.find((p) => p.name === 'evidence-upload').policy).Statement;
    expect(upload[0]).toMatchObject({ Action: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'], Resource: expect.stringMatching(/\/packs\/\*$/) });
    const read = Synthesized.policy(policies.find((p) => p.name === 'evidence-read').policy).Statement;
    expect(read.flatMap((s: any) => s.Action)).not.toContain('s3:PutObject');
    expect(read.flatMap((s: any) => s.Action)).not.toContain('s3:DeleteObjectVersion');
  });

  it.each([
    [{ retentionDays: 0 }, /EvidenceStore\.retentionDays: 0 is invalid: must be an integer from 1 to 36500/],
    [{ lockMode: 'LEGAL' as never }, /EvidenceStore\.lockMode: "LEGAL" is invalid: must be one of GOVERNANCE, COMPLIANCE/],
    [{ bucketName: 'Evidence_Bucket' }, /EvidenceStore\.bucketName: "Evidence_Bucket" is invalid/],
    [{ forceDestroy: true }, /EvidenceStore\.forceDestroy: true is invalid: a COMPLIANCE-mode bucket cannot be emptied/],
  ])('fails at synth naming field, value and rule: %p', (props, message) => {
    expect(() => synthStore(props)).toThrow(message);
  });
});

describe('PlatformStack evidence', () => {
  it('prod locks in COMPLIANCE mode, demo in GOVERNANCE, and the contract says so with its outputs', () => {
    const prodOut = synthPlatform(prod);
    expect(prodOut.out.only('aws_s3_bucket_object_lock_configuration').rule.default_retention).toEqual({ mode: 'COMPLIANCE', days: 400 });
    const contract = parseContract(prodOut.stack.contract());
    expect(contract.evidence).toMatchObject({ lockMode: 'COMPLIANCE', retentionDays: 400, signingAlgorithm: 'ECDSA_SHA_256', drillCadenceDays: 30 });
    expect(contract.outputs).toMatchObject({ evidenceBucket: 'evidence_bucket_name', signingKeyArn: 'evidence_signing_key_arn' });
    expect(contract.roles.restoreDrill.inlinePolicies).toEqual(expect.arrayContaining(['evidence-sign', 'evidence-upload']));
    expect(contract.roles.auditor.inlinePolicies).toEqual(expect.arrayContaining(['evidence-verify', 'evidence-read']));
    const demoOut = synthPlatform(demo).out;
    expect(demoOut.only('aws_s3_bucket_object_lock_configuration').rule.default_retention.mode).toBe('GOVERNANCE');
  });

  it('a stack without evidence storage has no bucket and empty outputs', () => {
    const { out, stack } = synthPlatform({ ...demo, evidence: { enabled: false } });
    expect(out.count('aws_s3_bucket_object_lock_configuration')).toBe(0);
    expect(out.json.output.evidence_bucket_name.value).toBe('');
    expect(stack.contract().evidence).toBeUndefined();
  });

  it.each<[Partial<PlatformConfig>, RegExp]>([
    [{ evidence: { retentionDays: 0 } }, /PlatformConfig\(demo\)\.evidence\.retentionDays: 0 is invalid: must be an integer from 1 to 36500/],
    [{ evidence: { lockMode: 'COMPLIANCE' }, forceDestroy: true }, /PlatformConfig\(demo\)\.evidence\.lockMode: "COMPLIANCE" is invalid: COMPLIANCE retention cannot be emptied by forceDestroy/],
    [{ evidence: { drillCadenceDays: 400 } }, /PlatformConfig\(demo\)\.evidence\.drillCadenceDays: 400 is invalid/],
  ])('config validation names field, value and rule: %p', (change, message) => {
    expect(() => validateConfig({ ...demo, ...change })).toThrow(message);
  });
});
