import { Testing } from 'cdktf';
import { PlatformConfig } from '../../stacks/config';
import { PlatformStack } from '../../stacks/platform-stack';
import { Synthesized } from './synth';

/** Synthesizes one environment in memory (no files), with the given environment variables. */
export function synthPlatform(config: PlatformConfig, env: NodeJS.ProcessEnv = {}): { stack: PlatformStack; out: Synthesized } {
  const app = Testing.app();
  const stack = new PlatformStack(app, config, { env });
  return { stack, out: new Synthesized(Testing.synth(stack)) };
}
