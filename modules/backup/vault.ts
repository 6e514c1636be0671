import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { BackupVault as CfnBackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultPolicy } from '@cdktf/provider-aws/lib/backup-vault-policy';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { BackupVaultNotifications } from '@cdktf/provider-aws/lib/backup-vault-notifications';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { EncryptionKey } from '../kms/encryption-key';
import { awsEnvironment } from '../common/environment';
import { check, checkPositiveInteger } from '../common/validation';
import { BACKUP_VAULT_PROTECTED_ACTIONS } from '../iam/perms';
import { policyDocument, PolicyStatement } from '../iam/policy';

export type VaultLockMode = 'governance' | 'compliance';

export interface VaultLockProps {
  /**
   * Governance locks can be removed by privileged users; compliance locks become immutable after
   * `changeableForDays`.
   * @default 'governance'
   */
  readonly mode?: VaultLockMode;
  /** Shortest retention a recovery point in the vault may have, in days (≥ 1). */
  readonly minRetentionDays: number;
  /** Longest retention, in days (≥ minRetentionDays). */
  readonly maxRetentionDays: number;
  /** Compliance mode only: grace period before the lock is immutable (≥ 3). @default 3 */
  readonly changeableForDays?: number;
}

export interface BackupVaultProps {
  readonly vaultName: string;
  /** Literal region of the vault. */
  readonly region: string;
  /** Customer-managed key the recovery points are encrypted with. */
  readonly encryptionKey: EncryptionKey;
  /**
   * Deny manual deletion and lifecycle/policy changes of recovery points to everyone but the
   * break-glass role.
   * @default true
   */
  readonly denyManualDeletion?: boolean;
  /** Role ARN exempt from the deny statement (for operators in an emergency). @default none */
  readonly breakGlassRoleArn?: string;
  /** @default no vault lock */
  readonly lock?: VaultLockProps;
  /**
   * Publish job-failure notifications to an SNS topic encrypted with `encryptionKey`.
   * @default true
   */
  readonly notifications?: boolean;
  /**
   * Let `terraform destroy` delete the vault's recovery points. Only for throw-away environments.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Vault events that carry job failures. AWS Backup sends BACKUP_JOB_COMPLETED and
 * RESTORE_JOB_COMPLETED for every end state (subscribers filter on `State`); copy failures
 * have their own event.
 */
export const FAILURE_NOTIFICATION_EVENTS = ['BACKUP_JOB_COMPLETED', 'RESTORE_JOB_COMPLETED', 'COPY_JOB_FAILED'] as const;

const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;

/** An AWS Backup vault encrypted with our key, protected by an access policy and optionally a lock. */
export class BackupVault extends Construct {
  readonly vault: CfnBackupVault;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly region: string;
  readonly encryptionKey: EncryptionKey;
  readonly lock?: Required<Pick<VaultLockProps, 'mode' | 'minRetentionDays' | 'maxRetentionDays'>> & { changeableForDays?: number };
  readonly denyManualDeletion: boolean;
  readonly notificationTopic?: SnsTopic;

  constructor(scope: Construct, id: string, props: BackupVaultProps) {
    super(scope, id);
    check(VAULT_NAME.test(props.vaultName), 'BackupVault.vaultName', props.vaultName, 'must be 2-50 characters of [a-zA-Z0-9_-]');
    if (props.lock) this.lock = validateLock(props.lock);
    this.vaultName = props.vaultName;
    this.region = props.region;
    this.encryptionKey = props.encryptionKey;
    this.denyManualDeletion = props.denyManualDeletion ?? true;

    this.vault = new CfnBackupVault(this, 'vault', {
      provider: props.provider,
      name: props.vaultName,
      kmsKeyArn: props.encryptionKey.keyArn,
      forceDestroy: props.forceDestroy ?? false,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.vaultArn = this.vault.arn;

    if (this.denyManualDeletion) {
      new BackupVaultPolicy(this, 'access-policy', {
        provider: props.provider,
        backupVaultName: this.vault.name,
        policy: JSON.stringify(policyDocument(this.denyStatement(props.breakGlassRoleArn))),
      });
    }
    if (this.lock) {
      new BackupVaultLockConfiguration(this, 'lock', {
        provider: props.provider,
        backupVaultName: this.vault.name,
        minRetentionDays: this.lock.minRetentionDays,
        maxRetentionDays: this.lock.maxRetentionDays,
        changeableForDays: this.lock.mode === 'compliance' ? this.lock.changeableForDays : undefined,
      });
    }
    if (props.notifications ?? true) {
      this.notificationTopic = this.addFailureNotifications(props);
    }
  }

  private denyStatement(breakGlassRoleArn?: string): PolicyStatement {
    return {
      Sid: 'DenyManualRecoveryPointDeletion',
      Effect: 'Deny',
      // A Deny for everyone; the condition carves out only the break-glass role.
      Principal: { AWS: '*' },
      Action: [...BACKUP_VAULT_PROTECTED_ACTIONS],
      Resource: '*',
      ...(breakGlassRoleArn ? { Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassRoleArn } } } : {}),
    };
  }

  private addFailureNotifications(props: BackupVaultProps): SnsTopic {
    const env = awsEnvironment(this, props.region, props.provider);
    const topic = new SnsTopic(this, 'notifications', {
      provider: props.provider,
      name: `${props.vaultName}-job-failures`,
      kmsMasterKeyId: props.encryptionKey.keyArn,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    new SnsTopicPolicy(this, 'notifications-policy', {
      provider: props.provider,
      arn: topic.arn,
      policy: JSON.stringify(
        policyDocument({
          Sid: 'BackupPublishesJobEvents',
          Effect: 'Allow',
          Principal: { Service: 'backup.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: topic.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': env.accountId } },
        }),
      ),
    });
    new BackupVaultNotifications(this, 'vault-notifications', {
      provider: props.provider,
      backupVaultName: this.vault.name,
      snsTopicArn: topic.arn,
      backupVaultEvents: [...FAILURE_NOTIFICATION_EVENTS],
    });
    return topic;
  }
}

function validateLock(lock: VaultLockProps): NonNullable<BackupVault['lock']> {
  const mode = lock.mode ?? 'governance';
  check(mode === 'governance' || mode === 'compliance', 'BackupVault.lock.mode', mode, 'must be governance or compliance');
  checkPositiveInteger('BackupVault.lock.minRetentionDays', lock.minRetentionDays);
  checkPositiveInteger('BackupVault.lock.maxRetentionDays', lock.maxRetentionDays, { max: 36500 });
  check(lock.minRetentionDays <= lock.maxRetentionDays, 'BackupVault.lock.minRetentionDays', lock.minRetentionDays, `must not exceed maxRetentionDays (${lock.maxRetentionDays})`);
  if (mode === 'compliance') {
    const changeable = lock.changeableForDays ?? 3;
    checkPositiveInteger('BackupVault.lock.changeableForDays', changeable, { min: 3 });
    return { mode, minRetentionDays: lock.minRetentionDays, maxRetentionDays: lock.maxRetentionDays, changeableForDays: changeable };
  }
  check(lock.changeableForDays === undefined, 'BackupVault.lock.changeableForDays', lock.changeableForDays, 'applies to compliance mode only');
  return { mode, minRetentionDays: lock.minRetentionDays, maxRetentionDays: lock.maxRetentionDays };
}
