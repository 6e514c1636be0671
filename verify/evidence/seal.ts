/**
 * Sealing a written pack: manifest (hashes, provenance, chain link), KMS signature, exported
 * public key, then upload of the whole pack to the evidence bucket. verify (CLI and demo) calls
 * `sealPack` right after `writeReport`.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Contract } from '../../core/contract';
import type { StackOutputs } from '../../core/outputs';
import { TablesafeError } from '../../core/errors';
import { describeError } from '../../core/aws/errors';
import { buildManifest, Manifest, MANIFEST_FILE, manifestBytes, ManifestPrevious, previousLocalPack, PUBLIC_KEY_FILE, SIGNATURE_FILE } from './manifest';
import { exportPublicKey, signManifest, SIGNING_ALGORITHM } from './sign';
import { BucketLock, DEFAULT_PREFIX, previousBucketPack, uploadPack, UploadResult } from './store';

export interface EvidenceOptions {
  /**
   * Sign the manifest with the stack's signing key (`--sign` / `--no-sign`).
   * @default true when the stack has a signing key (output evidence_signing_key_arn)
   */
  readonly sign?: boolean;
  /**
   * Upload the pack to the evidence bucket (`--upload` / `--no-upload`).
   * @default true when the stack has an evidence bucket (output evidence_bucket_name)
   */
  readonly upload?: boolean;
}

export interface SealInput {
  /** The pack directory (`reports/<run id>`), already written. */
  readonly dir: string;
  readonly runId: string;
  readonly contract: Contract;
  readonly outputs: StackOutputs;
  readonly kms: KMSClient;
  readonly s3: S3Client;
  readonly options?: EvidenceOptions;
  /** @default now */
  readonly now?: Date;
}

export interface SealResult {
  readonly manifest: Manifest;
  readonly signed: boolean;
  readonly uploaded?: UploadResult;
  /** `tablesafe evidence verify <dir>`. */
  readonly verifyCommand: string;
}

/** Decides sign/upload from the options and what the stack declares; asking for what is not declared is an error. */
export function evidencePlan(outputs: StackOutputs, options: EvidenceOptions = {}): { signWith?: string; uploadTo?: string } {
  if (options.sign === true && !outputs.signingKeyArn) {
    throw new TablesafeError('TS_E_USAGE', '--sign: the stack declares no signing key (output evidence_signing_key_arn is empty)', 'enable evidence in the stack config (evidence.enabled) and apply, or drop --sign', { field: '--sign' });
  }
  if (options.upload === true && !outputs.evidenceBucket) {
    throw new TablesafeError('TS_E_USAGE', '--upload: the stack declares no evidence bucket (output evidence_bucket_name is empty)', 'enable evidence in the stack config (evidence.enabled) and apply, or drop --upload', { field: '--upload' });
  }
  return {
    signWith: options.sign === false ? undefined : outputs.signingKeyArn,
    uploadTo: options.upload === false ? undefined : outputs.evidenceBucket,
  };
}

export async function sealPack(input: SealInput): Promise<SealResult> {
  const { signWith, uploadTo } = evidencePlan(input.outputs, input.options);
  const prefix = input.contract.evidence?.prefix ?? DEFAULT_PREFIX;
  const stack = input.contract.stack;
  // The chain follows where the packs are kept: the bucket when uploading, else the reports directory.
  let previous: ManifestPrevious | null = null;
  if (uploadTo) {
    try {
      previous = await previousBucketPack(input.s3, uploadTo, stack, input.runId, prefix);
    } catch (e) {
      throw new TablesafeError('TS_E_EVIDENCE_UPLOAD', `cannot read the previous pack of ${stack} in s3://${uploadTo}/${prefix}${stack}/: ${describeError(e)}`, 'run verify as the restore-drill role (it may list and read packs/), or pass --no-upload; the pack stays on disk, unsealed', { cause: e });
    }
  }
  if (!previous) previous = previousLocalPack(path.dirname(path.resolve(input.dir)), stack, input.runId);

  const publicKey = signWith ? await exportPublicKey(input.kms, signWith) : undefined;
  const manifest = buildManifest({
    dir: input.dir,
    runId: input.runId,
    stack,
    previous,
    signing: publicKey ? { keyArn: publicKey.keyArn, algorithm: SIGNING_ALGORITHM, messageType: 'RAW', message: 'sha256(manifest.json)', publicKeySha256: publicKey.sha256 } : null,
    createdAt: input.now,
    drillCadenceDays: input.contract.evidence?.drillCadenceDays,
  });
  const bytes = manifestBytes(manifest);
  writeFileSync(path.join(input.dir, MANIFEST_FILE), bytes);
  if (publicKey && signWith) {
    writeFileSync(path.join(input.dir, SIGNATURE_FILE), await signManifest(input.kms, publicKey.keyArn, bytes));
    writeFileSync(path.join(input.dir, PUBLIC_KEY_FILE), publicKey.pem);
  }
  const lock: BucketLock | undefined = input.contract.evidence ? { mode: input.contract.evidence.lockMode, retentionDays: input.contract.evidence.retentionDays } : undefined;
  const uploaded = uploadTo ? await uploadPack(input.s3, { bucket: uploadTo, prefix, stack, runId: input.runId, dir: input.dir, lock, now: input.now }) : undefined;
  return { manifest, signed: publicKey !== undefined, uploaded, verifyCommand: `tablesafe evidence verify ${input.dir}` };
}

/** `evidence: signed (manifest.json, manifest.sig) · uploaded to s3://b/packs/demo/<run>/ (GOVERNANCE until …) · check: tablesafe evidence verify DIR`. */
export function evidenceLine(s: SealResult): string {
  const parts = [s.signed ? `evidence: signed with ${s.manifest.signing?.keyArn}` : 'evidence: manifest written, NOT signed (no signing key; --sign to require one)'];
  if (s.manifest.previous) parts.push(`chained to ${s.manifest.previous.runId}`);
  if (s.uploaded) parts.push(`uploaded ${s.uploaded.keys.length} file(s) to s3://${s.uploaded.bucket}/${s.uploaded.keys[0]?.split('/').slice(0, -1).join('/')}/ (locked until ${s.uploaded.retainUntil})`);
  parts.push(`check: ${s.verifyCommand}`);
  return parts.join(' · ');
}
