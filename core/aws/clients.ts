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
import { TablesafeError } from '../errors';
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
   * Credentials for every client (the sandbox's, say).
   * @default the SDK default chain
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
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
  /** A Backup client in another region (the DR vault's), guarded like the primary one. */
  backupIn(region: string): BackupClient;
  /** A DynamoDB client in another region (the DR restore's scratch table), guarded like the primary one. */
  dynamodbIn(region: string): DynamoDBClient;
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
  const makeDynamoDb = (region: string): DynamoDBClient => {
    const client = new DynamoDBClient({ ...base, region });
    client.middlewareStack.use(dynamoDbWriteGuard());
    return client;
  };
  const dynamodb = makeDynamoDb(options.region);
  const makeBackup = (region: string): BackupClient => {
    const client = new BackupClient({ ...base, region });
    client.middlewareStack.use(backupWriteGuard());
    return client;
  };
  const backup = makeBackup(options.region);
  const extra: Array<BackupClient | DynamoDBClient> = [];
  const backups = new Map<string, BackupClient>([[options.region, backup]]);
  const dynamodbs = new Map<string, DynamoDBClient>([[options.region, dynamodb]]);
  const clients: AwsClients = {
    region: options.region,
    dynamodb,
    backup,
    kms: new KMSClient(base),
    // IAM is global: the SDK resolves its endpoint from any region.
    iam: new IAMClient(base),
    cloudtrail: new CloudTrailClient(base),
    s3: new S3Client({ ...base, forcePathStyle: Boolean(endpoint) }),
    sts: new STSClient(base),
    autoscaling: new ApplicationAutoScalingClient(base),
    // One client per region, made on first use.
    backupIn: (region) => {
      let c = backups.get(region);
      if (!c) {
        c = makeBackup(region);
        backups.set(region, c);
        extra.push(c);
      }
      return c;
    },
    dynamodbIn: (region) => {
      let c = dynamodbs.get(region);
      if (!c) {
        c = makeDynamoDb(region);
        dynamodbs.set(region, c);
        extra.push(c);
      }
      return c;
    },
    destroy: () => {
      for (const c of [clients.dynamodb, clients.backup, clients.kms, clients.iam, clients.cloudtrail, clients.s3, clients.sts, clients.autoscaling, ...extra]) c.destroy();
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
