/**
 * Synthesis of the platform stacks, for `cdktf synth` (through main.ts) and in-process callers
 * (the main job, tests): one PlatformStack per selected environment. A failure is one message,
 * never a stack trace, and leaves no stale generation: a stack folder holds either this run's
 * complete output or, for a stack that failed, only this run's compliance report as evidence.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { COMPLIANCE_FILE_NAME, CONTRACT_FILE_NAME } from '../core/contract';
import { ensureWritableDir } from '../core/dirs';
import { isTablesafeError, TablesafeError } from '../core/errors';
import { ENVIRONMENTS, PlatformConfig } from './config';
import { PlatformStack } from './platform-stack';

/** Files a synth writes into `cdktf.out/stacks/<stack>/` (terraform state and `.terraform/` stay). */
export const GENERATED_FILES: readonly string[] = ['cdk.tf.json', CONTRACT_FILE_NAME, COMPLIANCE_FILE_NAME];

export interface SynthPlatformOptions {
  /** @default env.CDKTF_OUTDIR (set by `cdktf synth`), else 'cdktf.out' */
  readonly outdir?: string;
  /** Environment names to synthesize; unknown names fail before anything is written. @default all */
  readonly stacks?: readonly string[];
  /** Backend/provider settings (TABLESAFE_ENDPOINT, …) and CDKTF_OUTDIR. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default ENVIRONMENTS */
  readonly environments?: readonly PlatformConfig[];
  /** Where the selection came from, for the error message. @default 'stacks' */
  readonly selectionName?: string;
}

/** `TABLESAFE_STACKS=demo,prod` → ['demo', 'prod']; unset or blank → undefined (all stacks). */
export function stacksFromEnv(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The configs to synthesize; throws TS_E_STACKS naming the valid stacks for an unknown or empty selection. */
export function selectEnvironments(stacks: readonly string[] | undefined, environments: readonly PlatformConfig[] = ENVIRONMENTS, selectionName = 'stacks'): PlatformConfig[] {
  if (!stacks) return [...environments];
  const known = environments.map((c) => c.environment);
  const remedy = `use a comma-separated list of ${known.join(', ')} (or unset it for all)`;
  if (stacks.length === 0) throw new TablesafeError('TS_E_STACKS', `${selectionName} names no stack: the stacks are ${known.join(', ')}`, remedy);
  const unknown = stacks.filter((s) => !known.includes(s));
  if (unknown.length) {
    throw new TablesafeError('TS_E_STACKS', `${selectionName}: ${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length === 1 ? 'is not a stack' : 'are not stacks'}: the stacks are ${known.join(', ')}`, remedy);
  }
  return environments.filter((c) => stacks.includes(c.environment));
}

function removeGenerated(stackDir: string, keep: readonly string[] = []): void {
  for (const name of GENERATED_FILES) if (!keep.includes(name)) fs.rmSync(path.join(stackDir, name), { force: true });
}

/** Synthesizes the selected stacks; returns each stack's directory. Throws TablesafeError (and construct validation errors). */
export function synthPlatform(options: SynthPlatformOptions = {}): Record<string, string> {
  const env = options.env ?? process.env;
  // Validate the selection before touching the output directory.
  const configs = selectEnvironments(options.stacks, options.environments ?? ENVIRONMENTS, options.selectionName);
  const outdir = path.resolve(options.outdir ?? env.CDKTF_OUTDIR ?? 'cdktf.out');
  const stackDir = (c: PlatformConfig) => path.join(outdir, 'stacks', c.environment);
  ensureWritableDir(outdir, 'synth output directory', { code: 'TS_E_OUT_DIR' });
  const app = new App({ outdir, skipValidation: false });
  for (const config of configs) {
    try {
      new PlatformStack(app, config, { env });
    } catch (e) {
      // The stack's config is invalid: nothing of this run exists, so no earlier generation may pass for it.
      removeGenerated(stackDir(config));
      throw e;
    }
  }
  // This run owns the generated files of the stacks it synthesizes: drop the previous generation
  // first, so a failure below cannot leave an earlier cdk.tf.json or contract beside this run's
  // compliance report.
  for (const config of configs) removeGenerated(stackDir(config));
  try {
    app.synth();
  } catch (e) {
    // A stack without this run's cdk.tf.json failed (or was not reached): keep its compliance
    // report, the evidence of the failure, and nothing else.
    for (const config of configs) {
      if (!fs.existsSync(path.join(stackDir(config), 'cdk.tf.json'))) removeGenerated(stackDir(config), [COMPLIANCE_FILE_NAME]);
    }
    throw e;
  }
  return Object.fromEntries(configs.map((c) => [c.environment, stackDir(c)]));
}

/** The text printed for a failed synth: the message once, never stack frames. */
export function synthErrorText(e: unknown): string {
  if (isTablesafeError(e)) return `tablesafe synth: ${e.toLine()}`;
  if (e instanceof Error) return `tablesafe synth: ${e.message}`;
  return `tablesafe synth: ${String(e)}`;
}

/**
 * What main.ts runs under `cdktf synth`: stacks from TABLESAFE_STACKS (all by default), output to
 * CDKTF_OUTDIR. Returns the exit code: 0, or 1 after printing the error once on stderr.
 */
export function runSynth(env: NodeJS.ProcessEnv = process.env, printError: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): number {
  try {
    synthPlatform({ env, stacks: stacksFromEnv(env.TABLESAFE_STACKS), selectionName: 'TABLESAFE_STACKS' });
    return 0;
  } catch (e) {
    printError(synthErrorText(e));
    return 1;
  }
}
