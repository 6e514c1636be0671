import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { awsEnvironment, AwsEnvironment } from '../common/environment';
import { check, checkPositiveInteger } from '../common/validation';
import { GRANT_FOR_AWS_RESOURCE_ONLY, KMS_ADMIN_ACTIONS, KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, KMS_GRANT_ACTIONS } from '../iam/perms';
import { PolicyDocument, PolicyStatement } from '../iam/policy';

/** AWS services that may use the key on the account's behalf. */
export type KeyService = 'dynamodb' | 'backup' | 'cloudtrail' | 'logs' | 'sns';

export const ALL_KEY_SERVICES: readonly KeyService[] = ['dynamodb', 'backup', 'cloudtrail', 'logs', 'sns'];

export interface EncryptionKeyProps {
  /** Alias name, with or without the `alias/` prefix. */
  readonly alias: string;
  /** Literal region of the key (used in `kms:ViaService` conditions). */
  readonly region: string;
  /**
   * Description shown in the KMS console.
   * @default "tablesafe <alias>"
   */
  readonly description?: string;
  /**
   * Waiting period before a scheduled deletion, in days (7-30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * Automatic rotation period in days (90-2560). Rotation is always on.
   * @default 365
   */
  readonly rotationPeriodDays?: number;
  /**
   * Services granted use of the key, each scoped with `kms:ViaService` / `aws:SourceArn` conditions.
   * @default dynamodb, backup and sns, plus cloudtrail with `trailName` and logs with `logGroupName`
   */
  readonly services?: readonly KeyService[];
  /**
   * Name of the CloudTrail trail allowed to encrypt logs with this key (its ARN is the
   * `aws:SourceArn` condition). Required when `services` includes `cloudtrail`.
   * @default no CloudTrail statement
   */
  readonly trailName?: string;
  /**
   * Name of the CloudWatch Logs group allowed to encrypt with this key (the
   * `kms:EncryptionContext:aws:logs:arn` condition). Required when `services` includes `logs`:
   * the Logs service may use the key for this group only.
   * @default no CloudWatch Logs statement
   */
  readonly logGroupName?: string;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

const ALIAS_PATTERN = /^[a-zA-Z0-9/_-]{1,250}$/;

/**
 * A customer-managed KMS key with rotation on and a key policy that grants the account's IAM
 * administrators key administration and exactly the named services the use they need.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly aliasName: string;
  readonly keyArn: string;
  readonly keyId: string;
  readonly region: string;
  readonly deletionWindowDays: number;
  readonly services: readonly KeyService[];
  private readonly env: AwsEnvironment;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const aliasName = props.alias.startsWith('alias/') ? props.alias : `alias/${props.alias}`;
    const bare = aliasName.slice('alias/'.length);
    check(ALIAS_PATTERN.test(bare), 'EncryptionKey.alias', props.alias, 'must be 1-250 characters of [a-zA-Z0-9/_-]');
    check(!bare.startsWith('aws/'), 'EncryptionKey.alias', props.alias, 'the alias/aws/ prefix is reserved for AWS managed keys');
    this.deletionWindowDays = props.deletionWindowDays ?? 30;
    checkPositiveInteger('EncryptionKey.deletionWindowDays', this.deletionWindowDays, { min: 7, max: 30 });
    const rotationPeriodDays = props.rotationPeriodDays ?? 365;
    checkPositiveInteger('EncryptionKey.rotationPeriodDays', rotationPeriodDays, { min: 90, max: 2560 });
    this.services = props.services ?? ['dynamodb', 'backup', 'sns', ...(props.trailName ? (['cloudtrail'] as const) : []), ...(props.logGroupName ? (['logs'] as const) : [])];
    for (const s of this.services) {
      check(ALL_KEY_SERVICES.includes(s), 'EncryptionKey.services', s, `must be one of ${ALL_KEY_SERVICES.join(', ')}`);
    }
    check(!this.services.includes('cloudtrail') || !!props.trailName, 'EncryptionKey.trailName', props.trailName, 'is required when services include cloudtrail');
    check(!this.services.includes('logs') || !!props.logGroupName, 'EncryptionKey.logGroupName', props.logGroupName, 'is required when services include logs');

    this.region = props.region;
    this.aliasName = aliasName;
    this.env = awsEnvironment(this, props.region, props.provider);

    this.key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: props.description ?? `tablesafe ${bare}`,
      enableKeyRotation: true,
      rotationPeriodInDays: rotationPeriodDays,
      deletionWindowInDays: this.deletionWindowDays,
      policy: JSON.stringify(this.keyPolicy(props.trailName, props.logGroupName)),
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      name: aliasName,
      targetKeyId: this.key.keyId,
    });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
  }

  /**
   * The key policy. In a key policy `Resource: "*"` means "this key"; access is bounded by the
   * principals and conditions of each statement.
   */
  private keyPolicy(trailName?: string, logGroupName?: string): PolicyDocument {
    const { accountId, partition, region } = this.env;
    const root = `arn:${partition}:iam::${accountId}:root`;
    const statements: PolicyStatement[] = [
      {
        // Without this statement the key becomes unmanageable: IAM policies in the account decide who administers it.
        Sid: 'AccountAdministration',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: [...KMS_ADMIN_ACTIONS],
        Resource: '*',
      },
      {
        // Grants only for AWS resources (a DynamoDB table, a recovery point): a grant to any other
        // grantee would hand key use around the kms:ViaService limits below.
        Sid: 'AccountGrantsForAwsResourcesOnly',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: [...KMS_GRANT_ACTIONS],
        Resource: '*',
        Condition: { ...GRANT_FOR_AWS_RESOURCE_ONLY },
      },
    ];
    const viaService = (sid: string, service: string, actions: readonly string[]) =>
      statements.push({
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: [...actions],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': `${service}.${region}.amazonaws.com`, 'kms:CallerAccount': accountId },
        },
      });
    if (this.services.includes('dynamodb')) {
      viaService('DynamoDBUse', 'dynamodb', [...KMS_ENCRYPT_ACTIONS, ...KMS_DECRYPT_ACTIONS]);
    }
    if (this.services.includes('backup')) {
      viaService('BackupUse', 'backup', [...KMS_ENCRYPT_ACTIONS, ...KMS_DECRYPT_ACTIONS]);
    }
    if (this.services.includes('cloudtrail') && trailName) {
      const trailArn = `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
      statements.push({
        Sid: 'CloudTrailEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: ['kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${accountId}:trail/*` },
        },
      });
      statements.push({
        Sid: 'CloudTrailDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: ['kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      });
    }
    if (this.services.includes('logs') && logGroupName) {
      statements.push({
        Sid: 'CloudWatchLogsUse',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: [...KMS_ENCRYPT_ACTIONS, ...KMS_DECRYPT_ACTIONS],
        Resource: '*',
        Condition: {
          ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}` },
        },
      });
    }
    if (this.services.includes('sns')) {
      // AWS Backup publishes job notifications to a topic encrypted with this key.
      statements.push({
        Sid: 'BackupNotificationsToEncryptedTopic',
        Effect: 'Allow',
        Principal: { Service: 'backup.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      });
    }
    return { Version: '2012-10-17', Statement: statements };
  }
}
