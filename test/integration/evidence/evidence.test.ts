/**
 * Evidence packs against the sandbox: sealed with a real ECC_NIST_P256 KMS key, uploaded to an
 * Object Lock bucket, verified by KMS and offline; the tamper of issue 16 (FAILED flipped to
 * PASSED, SHA256SUMS recomputed) fails verification; packs chain; locked uploads cannot be
 * deleted; `tablesafe evidence` lists, shows and reports the history from a directory or the bucket.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, DeleteObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from '../sandbox/helpers';
import { sealPack } from '../../../verify/evidence/seal';
import { verifyPack } from '../../../verify/evidence/check';
import { manifestBytes, MANIFEST_FILE, parseManifest, sha256Hex } from '../../../verify/evidence/manifest';
import { runEvidenceCli } from '../../../cli/evidence';
import { evidenceContract, filesOf, flipVerdictAndRehash, sampleReport, writePack } from '../../helpers/evidence-packs';

jest.setTimeout(120_000);

let sandbox: Sandbox;
let kms: KMSClient;
let s3: S3Client;
let keyArn: string;
const BUCKET = 'tablesafe-demo-evidence-123456789012';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  kms = new KMSClient({ endpoint: sandbox.endpoint });
  s3 = new S3Client({ endpoint: sandbox.endpoint, forcePathStyle: true });
  keyArn = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.Arn!;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: BUCKET, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } } } }));
});
afterAll(async () => {
  kms?.destroy();
  s3?.destroy();
  await sandbox?.stop();
});

const outputs = () => ({ signingKeyArn: keyArn, evidenceBucket: BUCKET });
const seal = (dir: string, runId: string, stack = 'demo', upload = true) =>
  sealPack({ dir, runId, contract: evidenceContract(stack), outputs: outputs(), kms, s3, options: { upload } });

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, cwd }, text: () => out, errors: () => err };
}

describe('sealing and verifying a pack', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tablesafe-evidence-'));
  let first: string;

  it('writes manifest.json, manifest.sig and signing-key.pem and uploads the pack locked until the retention ends', async () => {
    first = writePack(root, sampleReport('20261101t000000-aaaaaa', 'demo', { failed: true, startedAt: '2026-11-01T00:00:00.000Z' }));
    const sealed = await seal(first, '20261101t000000-aaaaaa');
    expect(filesOf(first)).toEqual(['SHA256SUMS', 'junit.xml', 'manifest.json', 'manifest.sig', 'report.html', 'report.json', 'report.md', 'signing-key.pem']);
    expect(sealed.manifest).toMatchObject({ runId: '20261101t000000-aaaaaa', stack: 'demo', verdict: 'FAILED', previous: null, signing: { keyArn, algorithm: 'ECDSA_SHA_256', messageType: 'RAW' } });
    expect(sealed.manifest.files.map((f) => f.name)).toEqual(['SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(sealed.uploaded!.keys).toHaveLength(8);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'packs/demo/20261101t000000-aaaaaa/report.json' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 399 * 86_400_000);
  });

  it('verifies by KMS and offline, every file hash, as the first link of its chain', async () => {
    const v = await verifyPack(first, { kms });
    expect(v.valid).toBe(true);
    expect(v.lines.filter((l) => l.what.startsWith('signature')).map((l) => [l.what, l.status])).toEqual([['signature (KMS)', 'ok'], ['signature (offline)', 'ok']]);
    expect(v.lines.find((l) => l.what === 'chain')).toMatchObject({ status: 'note', message: expect.stringMatching(/first pack/) });
  });

  it('the tamper of issue 16 fails: FAILED flipped to PASSED and sha256sum re-run', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'tablesafe-tamper-'));
    const dir = path.join(copy, '20261101t000000-aaaaaa');
    require('node:fs').cpSync(first, dir, { recursive: true });
    flipVerdictAndRehash(dir);
    expect(readFileSync(path.join(dir, 'report.json'), 'utf8')).toMatch(/"verdict": "PASSED"/);
    const v = await verifyPack(dir, { kms });
    expect(v.valid).toBe(false);
    expect(v.lines.filter((l) => l.status === 'fail').map((l) => l.what)).toEqual(['file SHA256SUMS', 'file report.json']);
    expect(v.lines.find((l) => l.what === 'file report.json')!.message).toMatch(/SHA-256 mismatch: the manifest says [0-9a-f]{64}, the file has [0-9a-f]{64}/);

    // Re-hashing the manifest too breaks the signature, by KMS and offline.
    const m = parseManifest(readFileSync(path.join(dir, MANIFEST_FILE)), 'm');
    const rehashed = { ...m, verdict: 'PASSED', files: m.files.map((f) => ({ ...f, sha256: sha256Hex(readFileSync(path.join(dir, f.name))) })) };
    writeFileSync(path.join(dir, MANIFEST_FILE), manifestBytes(rehashed));
    const again = await verifyPack(dir, { kms });
    expect(again.lines.filter((l) => l.status === 'fail').map((l) => `${l.what}: ${l.message}`)).toEqual([
      expect.stringMatching(/^signature \(KMS\): INVALID/),
      expect.stringMatching(/^signature \(offline\): INVALID/),
    ]);
    const cli = io(copy);
    expect(await runEvidenceCli(['verify', dir, '--endpoint', sandbox.endpoint], cli.io)).toBe(1);
    expect(cli.text()).toMatch(/^FAIL signature \(KMS\): INVALID/m);
    expect(cli.text()).toMatch(/^INVALID: .* 2 check\(s\) failed$/m);
  });

  it('chains each pack to the previous one of its stack; replacing the previous manifest breaks the link', async () => {
    const second = writePack(root, sampleReport('20261102t000000-bbbbbb', 'demo', { startedAt: '2026-11-02T00:00:00.000Z', rtoSeconds: 30 }));
    const sealed = await seal(second, '20261102t000000-bbbbbb');
    expect(sealed.manifest.previous).toEqual({ runId: '20261101t000000-aaaaaa', manifestSha256: sha256Hex(readFileSync(path.join(first, MANIFEST_FILE))), source: `s3://${BUCKET}/packs/demo/20261101t000000-aaaaaa/manifest.json` });
    expect((await verifyPack(second, { kms })).lines.find((l) => l.what === 'chain')).toMatchObject({ status: 'ok' });
    const cli = io(root);
    expect(await runEvidenceCli(['verify', second, '--offline'], cli.io)).toBe(0);
    expect(cli.text()).toMatch(/note signature \(KMS\): not checked/);
    expect(cli.text()).toMatch(/^VALID: /m);
  });

  it('an uploaded pack version cannot be deleted: AccessDenied', async () => {
    const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: 'packs/demo/20261101t000000-aaaaaa/report.json' }))).Versions!;
    await expect(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: versions[0].Key!, VersionId: versions[0].VersionId! }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('evidence list and report read the packs from the bucket, verify each and report the cadence gap', async () => {
    const cli = io(root);
    const code = await runEvidenceCli(['list', '--bucket', BUCKET, '--cadence', '7d', '--endpoint', sandbox.endpoint, '--region', 'us-east-1'], cli.io);
    expect(cli.text()).toMatch(/2026-11-01T00:00:00.000Z {2}demo {2}20261101t000000-aaaaaa {2}FAILED {2}verified {2}42 s \/ 15 min/);
    expect(cli.text()).toMatch(/2026-11-02T00:00:00.000Z {2}demo {2}20261102t000000-bbbbbb {2}PASSED {2}verified {2}30 s \/ 15 min/);
    expect(cli.text()).toMatch(/GAP demo: no passing drill in the last 7 days \(last: 2026-11-02T00:00:00.000Z/);
    expect(code).toBe(1);

    const out = path.join(root, 'history-out');
    const report = io(root);
    await runEvidenceCli(['report', '--dir', root, '--out', out, '--cadence', '60d', '--offline'], report.io);
    const html = readFileSync(path.join(out, 'history.html'), 'utf8');
    expect(html).toMatch(/<svg[^>]*aria-label="RTO trend"/);
    expect(html).toMatch(/Controls evidenced/);
    const md = readFileSync(path.join(out, 'history.md'), 'utf8');
    expect(md).toMatch(/\| demo-records \| demo \| 20261102t000000-bbbbbb \|/);
    expect(md).toMatch(/\| NIST SP 800-53 CP-4 \| Contingency plan testing \| 2 \| 1 \|/);
    expect(existsSync(path.join(out, 'history.md'))).toBe(true);
  });
});
