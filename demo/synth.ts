import type { PlatformConfig } from '../stacks/config';
import { synthPlatform } from '../stacks/synth';

export interface SynthOptions {
  /** @default 'cdktf.out' */
  readonly outdir?: string;
  /** Environment names to synthesize. @default all */
  readonly stacks?: readonly string[];
  /** Backend/provider settings (TABLESAFE_ENDPOINT, …). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default ENVIRONMENTS */
  readonly environments?: readonly PlatformConfig[];
}

/**
 * Synthesizes platform stacks in-process — the same stacks `main.ts` builds for `cdktf synth`, without
 * the CLI's start-up cost — and returns each stack's directory. An unknown stack name fails
 * (TS_E_STACKS) before anything is written; a failed synth leaves no earlier generation behind.
 */
export function synthStacks(options: SynthOptions = {}): Record<string, string> {
  return synthPlatform({ ...options, outdir: options.outdir ?? 'cdktf.out' });
}
