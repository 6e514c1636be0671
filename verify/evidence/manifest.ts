/**
 * The evidence manifest: what a pack holds (each file's name, size and SHA-256), which run made
 * it, the provenance block of its report.json, the key that signs it and the SHA-256 of the
 * previous pack's manifest of the same stack, so packs form a chain a deletion or an edit breaks.
 *
 * The signature covers the exact bytes of `manifest.json` (ECDSA P-256 over their SHA-256), and
 * the manifest covers every other file by hash: changing any byte of the pack fails verification.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { TablesafeError } from '../../core/errors';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'signing-key.pem';
/** Files of a pack the manifest does not list: itself, its signature and the exported public key (bound by its fingerprint). */
export const SEAL_FILES: readonly string[] = [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE];
export const MANIFEST_SCHEMA_VERSION = 1 as const;

export interface ManifestFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ManifestSigning {
  /** The KMS key that signed (its ARN). */
  readonly keyArn: string;
  readonly algorithm: 'ECDSA_SHA_256';
  /**
   * `RAW` over the 32-byte SHA-256 of manifest.json (`signedMessage`). KMS takes at most 4096
   * bytes as a RAW message and a manifest may be longer; hashing first keeps the message small.
   * DIGEST would save one hash, but moto (the sandbox) hashes a DIGEST again and so signs
   * something AWS would not: RAW gives the same signature on AWS and in the sandbox, and the
   * offline check (node:crypto, openssl) reproduces it exactly.
   */
  readonly messageType: 'RAW';
  /** What was signed. */
  readonly message: 'sha256(manifest.json)';
  /** SHA-256 of the public key (DER SubjectPublicKeyInfo): binds signing-key.pem to this manifest. */
  readonly publicKeySha256: string;
}

export interface ManifestPrevious {
  readonly runId: string;
  /** SHA-256 of the previous pack's manifest.json bytes. */
  readonly manifestSha256: string;
  /** Where it was found: `local` (same reports directory) or `s3://bucket/key`. */
  readonly source: string;
}

export interface Manifest {
  readonly schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  readonly kind: 'tablesafe-evidence-manifest';
  readonly runId: string;
  readonly stack: string;
  readonly command?: string;
  readonly verdict?: string;
  readonly startedAt?: string;
  readonly createdAt: string;
  readonly files: readonly ManifestFile[];
  /** report.json's `provenance` block when it has one; null otherwise. */
  readonly provenance: unknown;
  /** null for the first pack of a stack (or when no earlier pack was found). */
  readonly previous: ManifestPrevious | null;
  /** null when the pack is not signed. */
  readonly signing: ManifestSigning | null;
  /** Days between passing drills the stack's contract expects (evidence.drillCadenceDays), for the history's gap check. @default not stated */
  readonly drillCadenceDays?: number;
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** The files of a pack the manifest lists: every regular file but the seal files, sorted by name. */
export function packFiles(dir: string): ManifestFile[] {
  return readdirSync(dir)
    .filter((name) => !SEAL_FILES.includes(name) && statSync(path.join(dir, name)).isFile())
    .sort()
    .map((name) => {
      const data = readFileSync(path.join(dir, name));
      return { name, bytes: data.length, sha256: sha256Hex(data) };
    });
}

/** report.json of a pack, parsed; undefined when absent or unreadable. */
export function readPackReport(dir: string): Record<string, unknown> | undefined {
  const file = path.join(dir, 'report.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface BuildManifestInput {
  readonly dir: string;
  readonly runId: string;
  readonly stack: string;
  readonly previous: ManifestPrevious | null;
  readonly signing: ManifestSigning | null;
  /** @default now */
  readonly createdAt?: Date;
  /** @default not stated */
  readonly drillCadenceDays?: number;
}

export function buildManifest(input: BuildManifestInput): Manifest {
  const report = readPackReport(input.dir);
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    kind: 'tablesafe-evidence-manifest',
    runId: input.runId,
    stack: input.stack,
    ...(typeof report?.command === 'string' ? { command: report.command } : {}),
    ...(typeof report?.verdict === 'string' ? { verdict: report.verdict } : {}),
    ...(typeof report?.startedAt === 'string' ? { startedAt: report.startedAt } : {}),
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    files: packFiles(input.dir),
    provenance: report?.provenance ?? null,
    previous: input.previous,
    signing: input.signing,
    ...(input.drillCadenceDays !== undefined ? { drillCadenceDays: input.drillCadenceDays } : {}),
  };
}

/** The bytes written to manifest.json (and signed): stable two-space JSON with a final newline. */
export function manifestBytes(m: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 2)}\n`, 'utf8');
}

/** Parses manifest.json; throws TS_E_EVIDENCE_INVALID naming what is wrong. */
export function parseManifest(data: Buffer | string, source: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(data.toString());
  } catch (e) {
    throw new TablesafeError('TS_E_EVIDENCE_INVALID', `${source}: not JSON (${(e as Error).message})`, 'the manifest was changed or truncated: restore it from the evidence bucket', { cause: e });
  }
  const o = m as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.kind !== 'tablesafe-evidence-manifest' || o.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    throw new TablesafeError('TS_E_EVIDENCE_INVALID', `${source}: not a tablesafe evidence manifest (version ${MANIFEST_SCHEMA_VERSION})`, 'point at a pack directory written by tablesafe verify');
  }
  if (typeof o.runId !== 'string' || typeof o.stack !== 'string' || !Array.isArray(o.files)) {
    throw new TablesafeError('TS_E_EVIDENCE_INVALID', `${source}: runId, stack and files are required`, 'the manifest was changed: restore it from the evidence bucket');
  }
  return m as Manifest;
}

/**
 * The newest pack of `stack` in `reportsRoot` older than `runId` (run ids sort by time), with the
 * SHA-256 of its manifest; null when there is none.
 */
export function previousLocalPack(reportsRoot: string, stack: string, runId: string): ManifestPrevious | null {
  if (!existsSync(reportsRoot)) return null;
  const candidates = readdirSync(reportsRoot)
    .filter((name) => name < runId && existsSync(path.join(reportsRoot, name, MANIFEST_FILE)))
    .sort()
    .reverse();
  for (const name of candidates) {
    const data = readFileSync(path.join(reportsRoot, name, MANIFEST_FILE));
    try {
      const m = parseManifest(data, name);
      if (m.stack === stack) return { runId: m.runId, manifestSha256: sha256Hex(data), source: 'local' };
    } catch {
      // Not a manifest we can read: it cannot be a link of this chain.
    }
  }
  return null;
}
