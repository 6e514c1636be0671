import * as path from 'node:path';
import { App } from 'cdktf';
import { invalidInput } from '../core/errors';
import { ENVIRONMENTS, PlatformConfig } from '../stacks/config';
import { PlatformStack } from '../stacks/platform-stack';

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
 * Synthesizes platform stacks in-process — the same App `main.ts` builds for `cdktf synth`, without
 * the CLI's start-up cost — and returns each stack's directory.
 */
export function synthStacks(options: SynthOptions = {}): Record<string, string> {
  const outdir = path.resolve(options.outdir ?? 'cdktf.out');
  const app = new App({ outdir, skipValidation: false });
  const configs = (options.environments ?? ENVIRONMENTS).filter((c) => !options.stacks || options.stacks.includes(c.environment));
  const unknown = (options.stacks ?? []).filter((s) => !configs.some((c) => c.environment === s));
  if (unknown.length) throw invalidInput('stacks', unknown, `known stacks are ${ENVIRONMENTS.map((c) => c.environment).join(', ')}`, { code: 'TS_E_UNKNOWN_STACK' });
  for (const config of configs) new PlatformStack(app, config, { env: options.env ?? process.env });
  app.synth();
  return Object.fromEntries(configs.map((c) => [c.environment, path.join(outdir, 'stacks', c.environment)]));
}
