/**
 * One place that builds the SDK v3 clients verify uses. Credentials and region come from the
 * default provider chain (env, shared config/SSO profiles, web identity, container/instance roles);
 * `endpoint` (or AWS_ENDPOINT_URL) points every client at the sandbox. Retries: adaptive mode
 * (client-side rate limiting on throttling) with more attempts than the SDK default, so throttling
 * and 5xx are retried with backoff. DynamoDB and Backup clients carry the write guard.
 */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isTablesafeError, TablesafeError } from '../errors';
import type { CredentialProvider } from './assume-role';
import { backupWriteGuard, dynamoDbWriteGuard } from './write-guard';

export interface ClientOptions {
  /**
   * Region of the platform.
   * @default the SDK default chain (AWS_REGION, profile), else the contract's region
   */
  readonly region?: string;
  /**
   * Endpoint for every service (the sandbox).
   * @default AWS_ENDPOINT_URL when set, else the AWS endpoints
   */
  readonly endpoint?: string;
  /**
   * Attempts per call, including the first.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * SDK retry mode.
   * @default 'adaptive'
   */
  readonly retryMode?: 'standard' | 'adaptive';
  /**
   * Credentials for every client (the sandbox's, say), or a provider of temporary ones (an
   * assumed role's, see assume-role.ts), in every region.
   * @default the SDK default chain
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | CredentialProvider;
}

export interface AwsClients {
  readonly region: string;
  readonly dynamodb: DynamoDBClient;
  readonly backup: BackupClient;
  readonly kms: KMSClient;
  readonly iam: IAMClient;
  readonly cloudtrail: CloudTrailClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  /**
   * Clients in another region, for resources that live there (the DR vault and key, replicas).
   * One client per service and region, made on first use; the platform's region returns the
   * primary client. The Backup and DynamoDB ones carry the write guard like the primary ones.
   */
  backupIn(region: string): BackupClient;
  kmsIn(region: string): KMSClient;
  dynamodbIn(region: string): DynamoDBClient;
  autoscalingIn(region: string): ApplicationAutoScalingClient;
  destroy(): void;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

export function createClients(options: ClientOptions & { region: string }): AwsClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const base = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: options.retryMode ?? 'adaptive',
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const makeDynamodb = (region: string): DynamoDBClient => {
    const client = new DynamoDBClient({ ...base, region });
    client.middlewareStack.use(dynamoDbWriteGuard());
    return client;
  };
  const makeBackup = (region: string): BackupClient => {
    const client = new BackupClient({ ...base, region });
    client.middlewareStack.use(backupWriteGuard());
    return client;
  };
  const makeKms = (region: string) => new KMSClient({ ...base, region });
  const makeAutoscaling = (region: string) => new ApplicationAutoScalingClient({ ...base, region });
  const dynamodb = makeDynamodb(options.region);
  const backup = makeBackup(options.region);
  const kms = makeKms(options.region);
  const autoscaling = makeAutoscaling(options.region);
  const extra = new Map<string, { destroy(): void }>();
  /** The primary client in the platform's region, else one cached client per service and region. */
  const inRegion = <C extends { destroy(): void }>(service: string, primary: C, make: (region: string) => C) => (region: string): C => {
    if (region === options.region) return primary;
    const key = `${service}:${region}`;
    let client = extra.get(key) as C | undefined;
    if (!client) {
      client = make(region);
      extra.set(key, client);
    }
    return client;
  };
  const clients: AwsClients = {
    region: options.region,
    dynamodb,
    backup,
    kms,
    // IAM is global: the SDK resolves its endpoint from any region.
    iam: new IAMClient(base),
    cloudtrail: new CloudTrailClient(base),
    s3: new S3Client({ ...base, forcePathStyle: Boolean(endpoint) }),
    sts: new STSClient(base),
    autoscaling,
    backupIn: inRegion('backup', backup, makeBackup),
    kmsIn: inRegion('kms', kms, makeKms),
    dynamodbIn: inRegion('dynamodb', dynamodb, makeDynamodb),
    autoscalingIn: inRegion('autoscaling', autoscaling, makeAutoscaling),
    destroy: () => {
      for (const c of [clients.dynamodb, clients.backup, clients.kms, clients.iam, clients.cloudtrail, clients.s3, clients.sts, clients.autoscaling, ...extra.values()]) c.destroy();
    },
  };
  return clients;
}

/**
 * Resolves the caller's identity once, turning a missing/expired credential into exit-2 advice.
 * Returns the account id and caller ARN for the report.
 */
export async function whoAmI(sts: STSClient): Promise<{ account: string; arn: string }> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown' };
  } catch (e) {
    // A role that cannot be assumed already says what to do (assume-role.ts).
    if (isTablesafeError(e)) throw e;
    const name = (e as Error).name;
    if (name === 'CredentialsProviderError' || /credential/i.test((e as Error).message)) {
      throw new TablesafeError(
        'TS_E_NO_CREDENTIALS',
        `no AWS credentials: ${(e as Error).message.split('\n')[0]}`,
        'set AWS_PROFILE (run `aws sso login` for SSO), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role is available',
        { cause: e },
      );
    }
    if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(name)) {
      throw new TablesafeError('TS_E_NO_CREDENTIALS', `AWS rejected the credentials (${name})`, 'refresh them (e.g. `aws sso login`) or choose another AWS_PROFILE', { cause: e });
    }
    throw new TablesafeError('TS_E_AWS_UNREACHABLE', `cannot reach AWS STS: ${name}: ${(e as Error).message.split('\n')[0]}`, 'check --endpoint / AWS_ENDPOINT_URL, --region and the network', { cause: e });
  }
}
