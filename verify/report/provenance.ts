/**
 * Where a report came from: which tool, which account and caller, which endpoint, which inputs
 * (by SHA-256) and which CI job. Every rendering shows it; a run against the local sandbox says
 * so prominently, so it cannot be mistaken for evidence from AWS.
 */
import { createHash } from 'node:crypto';

export const LOCAL_SANDBOX_NOTICE = 'LOCAL SANDBOX, not AWS';

export interface CiContext {
  readonly provider: 'github-actions' | 'terraform-cloud' | 'ci';
  /** GitHub Actions `GITHUB_RUN_ID`, Terraform Cloud `TFC_RUN_ID`. */
  readonly runId?: string;
  /** The commit built (`GITHUB_SHA`, `TFC_CONFIGURATION_VERSION_GIT_COMMIT_SHA`, `CI_COMMIT_SHA`). */
  readonly commit?: string;
  /** `GITHUB_REPOSITORY`. */
  readonly repository?: string;
  /** A link to the run (GitHub Actions). */
  readonly url?: string;
}

export interface Provenance {
  readonly toolVersion: string;
  readonly account: string;
  readonly caller: string;
  /** Every region the run read or restored in (the platform's first). */
  readonly regions: readonly string[];
  /** The endpoint every client used; `aws` for the AWS endpoints. */
  readonly endpoint: string;
  /** True when the endpoint is local (127.0.0.1, localhost, the sandbox): not evidence about AWS. */
  readonly localSandbox: boolean;
  readonly contract: { readonly source: string; readonly sha256: string };
  readonly outputs: { readonly source: string; readonly sha256: string };
  readonly hostname: string;
  /** Absent outside CI. */
  readonly ci?: CiContext;
}

export const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/**
 * Local when the endpoint's host is a loopback address or localhost, or the account is moto's
 * fixed test account behind a non-AWS endpoint.
 */
export function isLocalEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint || endpoint === 'aws') return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    host = endpoint;
  }
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0' || host.endsWith('.localhost');
}

/**
 * CI context from the environment (the CLI passes process.env): GitHub Actions, Terraform Cloud,
 * or any CI that sets `CI` and a commit. undefined outside CI.
 */
export function ciContext(env: Readonly<Record<string, string | undefined>>): CiContext | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    return {
      provider: 'github-actions',
      runId: env.GITHUB_RUN_ID,
      commit: env.GITHUB_SHA,
      repository: env.GITHUB_REPOSITORY,
      url: env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    };
  }
  if (env.TFC_RUN_ID) return { provider: 'terraform-cloud', runId: env.TFC_RUN_ID, commit: env.TFC_CONFIGURATION_VERSION_GIT_COMMIT_SHA };
  const commit = env.CI_COMMIT_SHA ?? env.GIT_COMMIT;
  if (commit) return { provider: 'ci', runId: env.CI_JOB_ID ?? env.CI_PIPELINE_ID, commit };
  return undefined;
}

/** `LOCAL SANDBOX, not AWS · http://127.0.0.1:4566` or `aws`. */
export function endpointLine(p: Pick<Provenance, 'endpoint' | 'localSandbox'>): string {
  return p.localSandbox ? `${LOCAL_SANDBOX_NOTICE} · ${p.endpoint}` : p.endpoint === 'aws' ? 'AWS (public endpoints)' : p.endpoint;
}

/** One line per CI fact: `GitHub Actions run 123 · commit abc…`. */
export function ciLine(ci: CiContext | undefined): string {
  if (!ci) return 'not run in CI';
  const name = ci.provider === 'github-actions' ? 'GitHub Actions' : ci.provider === 'terraform-cloud' ? 'Terraform Cloud' : 'CI';
  return [`${name}${ci.runId ? ` run ${ci.runId}` : ''}`, ci.repository, ci.commit ? `commit ${ci.commit}` : undefined, ci.url].filter(Boolean).join(' · ');
}
