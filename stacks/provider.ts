import { Construct } from 'constructs';
import { AwsProvider, AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { INVALID_ENV, invalidInput, TablesafeError } from '../core/errors';

/** Services the platform's resources call; each gets the sandbox endpoint in a sandbox run. */
const SANDBOX_SERVICES = ['applicationautoscaling', 'backup', 'cloudtrail', 'cloudwatchlogs', 'dynamodb', 'iam', 'kms', 's3', 'sns', 'sts'] as const;

/**
 * How the AWS provider is configured, read from the environment at synth:
 * - `TABLESAFE_ENDPOINT=http://127.0.0.1:PORT` — a sandbox run: every service the stack uses
 *   points at that endpoint and S3 uses path-style addressing. The account id still comes from
 *   STS (never skipped), so ARNs match what the sandbox reports.
 * - `TABLESAFE_ACCOUNT_ID=123456789012` — pin the account: ARNs use it literally and the provider
 *   refuses to run against any other account (`allowed_account_ids`).
 * - `TABLESAFE_OFFLINE=1` — plan without reaching AWS (fake credentials are fine): the provider
 *   skips credential validation, the account id lookup and the metadata API. Needs
 *   TABLESAFE_ACCOUNT_ID. For `terraform validate`/`plan` in CI, never for apply.
 * With none of them set the provider behaves exactly as for real AWS.
 */
export interface ProviderSettings {
  readonly endpoint?: string;
  readonly accountId?: string;
  readonly offline: boolean;
}

export function providerSettings(env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const endpoint = env.TABLESAFE_ENDPOINT || undefined;
  const accountId = env.TABLESAFE_ACCOUNT_ID || undefined;
  const offline = env.TABLESAFE_OFFLINE === '1' || env.TABLESAFE_OFFLINE === 'true';
  if (endpoint && !/^https?:\/\/[^\s/]+(\/|$)/.test(endpoint)) {
    throw invalidInput('TABLESAFE_ENDPOINT', endpoint, 'must be an http(s) URL such as http://127.0.0.1:4566', { code: INVALID_ENV });
  }
  if (accountId && !/^\d{12}$/.test(accountId)) {
    throw invalidInput('TABLESAFE_ACCOUNT_ID', accountId, 'must be a 12-digit AWS account id', { code: INVALID_ENV });
  }
  if (offline && !accountId) {
    throw new TablesafeError(INVALID_ENV, 'TABLESAFE_OFFLINE: "1" is invalid without TABLESAFE_ACCOUNT_ID: an offline plan cannot ask STS for the account id', 'set TABLESAFE_ACCOUNT_ID to the 12-digit account id', { field: 'TABLESAFE_OFFLINE' });
  }
  return { endpoint, accountId, offline };
}

export function awsProvider(scope: Construct, id: string, region: string, settings: ProviderSettings, alias?: string): AwsProvider {
  const config: AwsProviderConfig = { region, alias };
  const pinned: Partial<AwsProviderConfig> = settings.accountId && !settings.offline ? { allowedAccountIds: [settings.accountId] } : {};
  const offline: Partial<AwsProviderConfig> = settings.offline
    ? { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: 'true', skipRegionValidation: true }
    : {};
  const sandbox: Partial<AwsProviderConfig> = settings.endpoint
    ? {
        endpoints: [Object.fromEntries(SANDBOX_SERVICES.map((s) => [s, settings.endpoint]))],
        s3UsePathStyle: true,
        skipMetadataApiCheck: 'true',
        skipRegionValidation: true,
      }
    : {};
  return new AwsProvider(scope, id, { ...config, ...pinned, ...offline, ...sandbox });
}
