import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { EncryptionKey } from '../kms/encryption-key';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { awsEnvironment } from '../common/environment';
import { addHardenedBucket } from '../common/hardened-bucket';
import { check, checkPositiveInteger, isToken } from '../common/validation';
import { policyDocument, PolicyStatement, serviceTrust } from '../iam/policy';

export interface TrailLogRetention {
  /** Move log objects to Glacier Flexible Retrieval after this many days. @default 90 */
  readonly glacierAfterDays?: number;
  /** Delete log objects after this many days (must exceed glacierAfterDays). @default 2555 (7 years) */
  readonly expireAfterDays?: number;
}

export interface AuditTrailProps {
  readonly trailName: string;
  /** Literal region of the trail's home. */
  readonly region: string;
  /** Globally unique bucket name for the log files. */
  readonly bucketName: string;
  /** Key for log files (its policy must name this trail: EncryptionKey.trailName). */
  readonly encryptionKey: EncryptionKey;
  /** Table ARNs whose item-level (data) events are recorded. */
  readonly dataEventTableArns: readonly string[];
  /** @default true */
  readonly multiRegion?: boolean;
  /** @default 90 days to Glacier, expire after 7 years */
  readonly retention?: TrailLogRetention;
  /** Also deliver events to an encrypted CloudWatch Logs group with this retention (days). @default off */
  readonly cloudWatchLogsRetentionDays?: number;
  /** Let `terraform destroy` empty the log bucket. Only for throw-away environments. @default false */
  readonly forceDestroy?: boolean;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

const TRAIL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{2,127}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * CloudTrail for the platform: multi-region, log-file validation, KMS-encrypted, management events
 * plus DynamoDB data events for the platform's tables, into a hardened S3 bucket.
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly bucket: S3Bucket;
  readonly trailName: string;
  readonly trailArn: string;
  readonly bucketName: string;
  readonly multiRegion: boolean;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    check(TRAIL_NAME.test(props.trailName), 'AuditTrail.trailName', props.trailName, 'must be 3-128 characters of [a-zA-Z0-9_.-], starting with a letter or digit');
    check(isToken(props.bucketName) || (BUCKET_NAME.test(props.bucketName) && !props.bucketName.includes('..')), 'AuditTrail.bucketName', props.bucketName, 'must be 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit');
    check(props.encryptionKey.services.includes('cloudtrail'), 'AuditTrail.encryptionKey', props.encryptionKey.aliasName, 'the key must allow the cloudtrail service');
    const glacierAfterDays = props.retention?.glacierAfterDays ?? 90;
    const expireAfterDays = props.retention?.expireAfterDays ?? 2555;
    checkPositiveInteger('AuditTrail.retention.glacierAfterDays', glacierAfterDays);
    checkPositiveInteger('AuditTrail.retention.expireAfterDays', expireAfterDays);
    check(expireAfterDays > glacierAfterDays, 'AuditTrail.retention.expireAfterDays', expireAfterDays, `must exceed glacierAfterDays (${glacierAfterDays})`);
    if (props.cloudWatchLogsRetentionDays !== undefined) {
      check(LOG_RETENTION_DAYS.includes(props.cloudWatchLogsRetentionDays), 'AuditTrail.cloudWatchLogsRetentionDays', props.cloudWatchLogsRetentionDays, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
    }

    const env = awsEnvironment(this, props.region, props.provider);
    const provider = props.provider;
    const tags = props.tags ? { ...props.tags } : undefined;
    this.trailName = props.trailName;
    this.bucketName = props.bucketName;
    this.multiRegion = props.multiRegion ?? true;
    // The trail's ARN is known before it exists; conditions use it without a dependency cycle.
    const trailArn = `arn:${env.partition}:cloudtrail:${props.region}:${env.accountId}:trail/${props.trailName}`;

    const logs = addHardenedBucket(this, {
      provider,
      bucketName: props.bucketName,
      kmsKeyArn: props.encryptionKey.keyArn,
      forceDestroy: props.forceDestroy,
      tags,
      policyStatements: (bucketArn): PolicyStatement[] => [
        {
          Sid: 'CloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: bucketArn,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
        {
          Sid: 'CloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/AWSLogs/${env.accountId}/*`,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
      ],
    });
    this.bucket = logs.bucket;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket: this.bucket.id,
      rule: [
        {
          id: 'archive-then-expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [{ days: glacierAfterDays, storageClass: 'GLACIER' }],
          expiration: [{ days: expireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
        },
      ],
    });

    let cloudWatch: { groupArn: string; roleArn: string } | undefined;
    if (props.cloudWatchLogsRetentionDays !== undefined) {
      const group = new CloudwatchLogGroup(this, 'log-group', {
        provider,
        name: trailLogGroupName(props.trailName),
        retentionInDays: props.cloudWatchLogsRetentionDays,
        kmsKeyId: props.encryptionKey.keyArn,
        tags,
      });
      const role = new IamRole(this, 'logs-role', {
        provider,
        name: `${props.trailName}-cloudwatch-logs`.slice(0, 64),
        assumeRolePolicy: serviceTrust('cloudtrail.amazonaws.com', env.accountId),
        tags,
      });
      new IamRolePolicy(this, 'logs-role-policy', {
        provider,
        name: 'deliver-trail-events',
        role: role.id,
        policy: JSON.stringify(
          policyDocument({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${group.arn}:log-stream:*` }),
        ),
      });
      cloudWatch = { groupArn: `${group.arn}:*`, roleArn: role.arn };
    }

    this.trail = new Cloudtrail(this, 'trail', {
      provider,
      name: props.trailName,
      s3BucketName: this.bucket.id,
      kmsKeyId: props.encryptionKey.keyArn,
      isMultiRegionTrail: this.multiRegion,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: cloudWatch?.groupArn,
      cloudWatchLogsRoleArn: cloudWatch?.roleArn,
      advancedEventSelector: [
        { name: 'Management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
        ...(props.dataEventTableArns.length
          ? [
              {
                name: 'DynamoDB data events for platform tables',
                fieldSelector: [
                  { field: 'eventCategory', equalTo: ['Data'] },
                  { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
                  { field: 'resources.ARN', equalTo: [...props.dataEventTableArns] },
                ],
              },
            ]
          : []),
      ],
      tags,
      dependsOn: [logs.policy],
    });
    this.trailArn = this.trail.arn;
  }
}

/** The CloudWatch Logs group a trail delivers to (cloudWatchLogsRetentionDays): its key names exactly this group. */
export function trailLogGroupName(trailName: string): string {
  return `/tablesafe/cloudtrail/${trailName}`;
}
