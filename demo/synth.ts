import { SANDBOX_OPERATOR_ARN } from '../sandbox/index';
import { ENVIRONMENTS, type PlatformConfig } from '../stacks/config';
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

/**
 * The environments as deployed to the sandbox: the sandbox's operator may also assume the auditor
 * and restore-drill roles, so `tablesafe verify` runs its phases as those roles there, as a
 * pipeline named in `trustedPrincipals` does on AWS.
 */
export function sandboxEnvironments(environments: readonly PlatformConfig[] = ENVIRONMENTS): PlatformConfig[] {
  return environments.map((c) => {
    const t = c.trustedPrincipals;
    if (t?.arns?.length) {
      // Named principals share one list of roles (all, when unset): add the operator, keep the verify roles in it.
      return { ...c, trustedPrincipals: { ...t, arns: [...t.arns, SANDBOX_OPERATOR_ARN], arnRoles: t.arnRoles && [...new Set([...t.arnRoles, 'auditor', 'restoreDrill'] as const)] } };
    }
    return { ...c, trustedPrincipals: { ...t, arns: [SANDBOX_OPERATOR_ARN], arnRoles: ['auditor', 'restoreDrill'] } };
  });
}
