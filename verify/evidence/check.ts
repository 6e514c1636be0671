/**
 * `tablesafe evidence verify <dir>`: a pack is intact when its manifest's signature is valid (by
 * KMS Verify and offline with the exported public key), every file it lists has the listed
 * SHA-256, no file was added, and the previous pack it names (when present beside it) has the
 * manifest hash it names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import { Manifest, MANIFEST_FILE, parseManifest, PUBLIC_KEY_FILE, SEAL_FILES, sha256Hex, SIGNATURE_FILE } from './manifest';
import { kmsVerify, offlineVerify, publicKeyFingerprint } from './sign';

export type PackCheckStatus = 'ok' | 'fail' | 'note';

export interface PackCheckLine {
  readonly status: PackCheckStatus;
  /** `signature (KMS)`, `signature (offline)`, `file report.json`, `chain`, … */
  readonly what: string;
  readonly message: string;
}

export interface PackVerification {
  readonly dir: string;
  readonly manifest?: Manifest;
  readonly lines: readonly PackCheckLine[];
  /** No line failed. */
  readonly valid: boolean;
  /** The signature was checked and found valid at least one way (KMS or offline). */
  readonly signed: boolean;
}

export interface VerifyPackOptions {
  /** KMS client for the online check. @default no KMS check (offline only, noted) */
  readonly kms?: KMSClient;
  /** Directory holding sibling packs for the chain check. @default the pack's parent directory */
  readonly siblingsRoot?: string;
}

export async function verifyPack(dir: string, options: VerifyPackOptions = {}): Promise<PackVerification> {
  const lines: PackCheckLine[] = [];
  const ok = (what: string, message: string) => lines.push({ status: 'ok', what, message });
  const fail = (what: string, message: string) => lines.push({ status: 'fail', what, message });
  const note = (what: string, message: string) => lines.push({ status: 'note', what, message });
  const done = (manifest?: Manifest): PackVerification => ({
    dir,
    manifest,
    lines,
    valid: !lines.some((l) => l.status === 'fail'),
    signed: lines.some((l) => l.status === 'ok' && l.what.startsWith('signature')),
  });

  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    fail('manifest', `${MANIFEST_FILE} is missing: the pack is not sealed`);
    return done();
  }
  const bytes = readFileSync(manifestPath);
  let manifest: Manifest;
  try {
    manifest = parseManifest(bytes, manifestPath);
  } catch (e) {
    fail('manifest', (e as Error).message);
    return done();
  }

  // Signature: KMS and offline.
  const sigPath = path.join(dir, SIGNATURE_FILE);
  if (!manifest.signing) {
    fail('signature', 'the manifest is not signed (the stack declares no signing key, or verify ran with --no-sign)');
  } else if (!existsSync(sigPath)) {
    fail('signature', `${SIGNATURE_FILE} is missing`);
  } else {
    const signature = readFileSync(sigPath);
    const keyArn = manifest.signing.keyArn;
    if (options.kms) {
      const r = await kmsVerify(options.kms, keyArn, bytes, signature);
      if (r.error) fail('signature (KMS)', `KMS Verify with ${keyArn} failed: ${r.error}`);
      else if (r.valid) ok('signature (KMS)', `valid: KMS Verify with ${keyArn} (${manifest.signing.algorithm})`);
      else fail('signature (KMS)', `INVALID: KMS Verify with ${keyArn} rejects ${SIGNATURE_FILE} for this ${MANIFEST_FILE}`);
    } else {
      note('signature (KMS)', 'not checked: no KMS access (offline check only)');
    }
    const pemPath = path.join(dir, PUBLIC_KEY_FILE);
    if (!existsSync(pemPath)) {
      fail('signature (offline)', `${PUBLIC_KEY_FILE} is missing`);
    } else {
      const pem = readFileSync(pemPath, 'utf8');
      let fingerprint: string | undefined;
      try {
        fingerprint = publicKeyFingerprint(pem);
      } catch (e) {
        fail('signature (offline)', `${PUBLIC_KEY_FILE} is not a public key: ${(e as Error).message}`);
      }
      if (fingerprint !== undefined && fingerprint !== manifest.signing.publicKeySha256) {
        fail('signature (offline)', `${PUBLIC_KEY_FILE} is not the key the manifest names (SHA-256 ${fingerprint.slice(0, 16)}…, manifest ${manifest.signing.publicKeySha256.slice(0, 16)}…)`);
      } else if (fingerprint !== undefined) {
        if (offlineVerify(pem, bytes, signature)) ok('signature (offline)', `valid: ECDSA P-256/SHA-256 with ${PUBLIC_KEY_FILE} (key SHA-256 ${fingerprint})`);
        else fail('signature (offline)', `INVALID: ${SIGNATURE_FILE} does not verify against ${MANIFEST_FILE} with ${PUBLIC_KEY_FILE}`);
      }
    }
  }

  // Every file listed, unchanged; none added.
  for (const f of manifest.files) {
    const file = path.join(dir, f.name);
    if (path.basename(f.name) !== f.name) {
      fail(`file ${f.name}`, 'the manifest names a path outside the pack');
      continue;
    }
    if (!existsSync(file)) {
      fail(`file ${f.name}`, 'missing (listed in the manifest)');
      continue;
    }
    const actual = sha256Hex(readFileSync(file));
    if (actual !== f.sha256) fail(`file ${f.name}`, `SHA-256 mismatch: the manifest says ${f.sha256}, the file has ${actual} (changed after signing)`);
    else ok(`file ${f.name}`, `SHA-256 ${actual}`);
  }
  const listed = new Set([...manifest.files.map((f) => f.name), ...SEAL_FILES]);
  for (const name of readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isFile() && !listed.has(n))) {
    fail(`file ${name}`, 'not in the manifest (added after signing)');
  }

  // Chain.
  if (!manifest.previous) {
    note('chain', 'first pack of its chain (no previous manifest named)');
  } else {
    const root = options.siblingsRoot ?? path.dirname(path.resolve(dir));
    const prevPath = path.join(root, manifest.previous.runId, MANIFEST_FILE);
    if (!existsSync(prevPath)) {
      note('chain', `previous pack ${manifest.previous.runId} is not in ${root}: link not checked`);
    } else {
      const actual = sha256Hex(readFileSync(prevPath));
      if (actual === manifest.previous.manifestSha256) ok('chain', `links to ${manifest.previous.runId} (manifest SHA-256 ${actual.slice(0, 16)}…)`);
      else fail('chain', `previous pack ${manifest.previous.runId}'s manifest has SHA-256 ${actual}, this manifest names ${manifest.previous.manifestSha256}: the previous pack was changed or replaced`);
    }
  }
  return done(manifest);
}

/** `FAIL file report.json: SHA-256 mismatch …` — one line per check. */
export function formatPackVerification(v: PackVerification): string[] {
  const label = { ok: 'ok  ', fail: 'FAIL', note: 'note' } as const;
  return [
    ...v.lines.map((l) => `${label[l.status]} ${l.what}: ${l.message}`),
    v.valid ? `VALID: ${v.dir}${v.manifest ? ` (run ${v.manifest.runId}, stack ${v.manifest.stack})` : ''}` : `INVALID: ${v.dir}: ${v.lines.filter((l) => l.status === 'fail').length} check(s) failed`,
  ];
}
