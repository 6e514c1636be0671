import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { sealPack, evidencePlan } from '../../../verify/evidence/seal';
import { formatPackVerification, verifyPack } from '../../../verify/evidence/check';
import { MANIFEST_FILE, parseManifest, sha256Hex } from '../../../verify/evidence/manifest';
import { evidenceContract, flipVerdictAndRehash, sampleReport, writePack } from '../../helpers/evidence-packs';
import { fakeKms, FAKE_KEY_ARN } from './kms-fake';

const s3 = new S3Client({ region: 'us-east-1' });
const temp = () => mkdtempSync(path.join(tmpdir(), 'tablesafe-seal-'));

async function sealed(root: string, runId: string, failed = false) {
  const { kms } = fakeKms();
  const dir = writePack(root, sampleReport(runId, 'demo', { failed }));
  const result = await sealPack({ dir, runId, contract: evidenceContract('demo'), outputs: { signingKeyArn: FAKE_KEY_ARN }, kms, s3 });
  return { dir, kms, result };
}

describe('sealPack', () => {
  it('signs a manifest of every file with its SHA-256, the run id and the key fingerprint', async () => {
    const { dir, result } = await sealed(temp(), '20261127t100000-aaaaaa');
    const m = parseManifest(readFileSync(path.join(dir, MANIFEST_FILE)), 'm');
    expect(m.files.map((f) => [f.name, f.sha256])).toEqual(['SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.md'].map((n) => [n, sha256Hex(readFileSync(path.join(dir, n)))]));
    expect(m).toMatchObject({ runId: '20261127t100000-aaaaaa', stack: 'demo', verdict: 'PASSED', drillCadenceDays: 30, signing: { keyArn: FAKE_KEY_ARN, algorithm: 'ECDSA_SHA_256', messageType: 'RAW', publicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(result.verifyCommand).toBe(`tablesafe evidence verify ${dir}`);
    expect(result.uploaded).toBeUndefined();
  });

  it('chains to the newest earlier pack of the same stack in the reports directory', async () => {
    const root = temp();
    const first = await sealed(root, '20261127t100000-aaaaaa');
    const other = writePack(root, sampleReport('20261127t103000-cccccc', 'prod'));
    await sealPack({ dir: other, runId: '20261127t103000-cccccc', contract: evidenceContract('prod'), outputs: {}, kms: first.kms, s3 });
    const second = await sealed(root, '20261127t110000-bbbbbb');
    expect(second.result.manifest.previous).toEqual({ runId: '20261127t100000-aaaaaa', manifestSha256: sha256Hex(readFileSync(path.join(first.dir, MANIFEST_FILE))), source: 'local' });
  });

  it('leaves the manifest unsigned when the stack declares no key, and refuses --sign or --upload without one', async () => {
    expect(evidencePlan({}, {})).toEqual({ signWith: undefined, uploadTo: undefined });
    expect(evidencePlan({ signingKeyArn: 'k', evidenceBucket: 'b' }, { sign: false, upload: false })).toEqual({ signWith: undefined, uploadTo: undefined });
    expect(() => evidencePlan({}, { sign: true })).toThrow(/--sign: the stack declares no signing key \(output evidence_signing_key_arn is empty\)/);
    expect(() => evidencePlan({}, { upload: true })).toThrow(/--upload: the stack declares no evidence bucket/);
  });
});

describe('verifyPack', () => {
  it('accepts an intact pack by KMS and offline', async () => {
    const { dir, kms } = await sealed(temp(), '20261127t100000-aaaaaa');
    const v = await verifyPack(dir, { kms });
    expect(v.valid && v.signed).toBe(true);
    expect(formatPackVerification(v).pop()).toMatch(/^VALID: .*run 20261127t100000-aaaaaa, stack demo/);
  });

  it('fails the tamper of issue 16 naming each changed file, while the signature still verifies', async () => {
    const { dir, kms } = await sealed(temp(), '20261127t100000-aaaaaa', true);
    flipVerdictAndRehash(dir);
    const lines = formatPackVerification(await verifyPack(dir, { kms }));
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([
      expect.stringMatching(/^FAIL file SHA256SUMS: SHA-256 mismatch/),
      expect.stringMatching(/^FAIL file report\.json: SHA-256 mismatch: the manifest says [0-9a-f]{64}, the file has [0-9a-f]{64} \(changed after signing\)$/),
    ]);
    expect(lines.pop()).toMatch(/^INVALID: .*2 check\(s\) failed$/);
  });

  it('fails a rewritten manifest by its signature, offline too', async () => {
    const { dir } = await sealed(temp(), '20261127t100000-aaaaaa');
    const file = path.join(dir, MANIFEST_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"verdict": "PASSED"', '"verdict": "FAILED"'));
    const v = await verifyPack(dir);
    expect(v.lines.filter((l) => l.status === 'fail').map((l) => l.what)).toEqual(['signature (offline)']);
    expect(v.lines.find((l) => l.what === 'signature (KMS)')).toMatchObject({ status: 'note' });
  });

  it('fails a file added after signing and a foreign public key', async () => {
    const { dir } = await sealed(temp(), '20261127t100000-aaaaaa');
    writeFileSync(path.join(dir, 'extra.txt'), 'x');
    const { dir: other } = await sealed(temp(), '20261127t100000-aaaaaa');
    cpSync(path.join(other, 'signing-key.pem'), path.join(dir, 'signing-key.pem'));
    const v = await verifyPack(dir);
    expect(v.lines.filter((l) => l.status === 'fail').map((l) => `${l.what}: ${l.message}`)).toEqual([
      expect.stringMatching(/^signature \(offline\): signing-key\.pem is not the key the manifest names/),
      'file extra.txt: not in the manifest (added after signing)',
    ]);
  });

  it('fails the chain when the previous pack\'s manifest was replaced', async () => {
    const root = temp();
    const first = await sealed(root, '20261127t100000-aaaaaa');
    const second = await sealed(root, '20261127t110000-bbbbbb');
    appendFileSync(path.join(first.dir, MANIFEST_FILE), ' ');
    const chain = (await verifyPack(second.dir)).lines.find((l) => l.what === 'chain');
    expect(chain).toMatchObject({ status: 'fail', message: expect.stringMatching(/previous pack 20261127t100000-aaaaaa's manifest has SHA-256 [0-9a-f]{64}, this manifest names [0-9a-f]{64}: the previous pack was changed or replaced/) });
  });

  it('fails an unsealed pack', async () => {
    const dir = writePack(temp(), sampleReport('r1', 'demo'));
    const v = await verifyPack(dir);
    expect(v.lines).toEqual([{ status: 'fail', what: 'manifest', message: 'manifest.json is missing: the pack is not sealed' }]);
  });
});
