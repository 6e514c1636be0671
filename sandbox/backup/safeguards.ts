/**
 * The checks AWS Backup makes before (and while) it runs a job, which a backup/restore proof relies
 * on: the job's role exists and trusts backup.amazonaws.com; a vault lock's minimum and maximum
 * retention bound every backup and copy job into that vault (and lifecycle changes of its recovery
 * points); the vault's KMS key, and the table's, must be usable.
 *
 * Codes and the role message are AWS's ("IAM Role … cannot be assumed by AWS Backup", what the
 * Terraform provider retries on); the wording of the job status messages is ours (README, Known
 * differences).
 */
import { trustAllows } from '../trust';
import type { AccountLookup } from '../types';
import { invalidValue } from './errors';
import type { Lifecycle, VaultRecord } from './state';

export const BACKUP_SERVICE_PRINCIPAL = 'backup.amazonaws.com';

/** Why AWS Backup cannot assume the role; undefined when it can. */
export async function roleProblem(account: AccountLookup, roleArn: string, accountId: string): Promise<string | undefined> {
  const role = await account.role(roleArn).catch(() => undefined);
  if (role && trustAllows(role.trustPolicy, { service: BACKUP_SERVICE_PRINCIPAL, accountId })) return undefined;
  return `IAM Role ${roleArn} cannot be assumed by AWS Backup`;
}

/** Refuses a request whose role AWS Backup cannot assume: InvalidParameterValueException, as AWS answers. */
export async function requireAssumableRole(account: AccountLookup, roleArn: string, accountId: string): Promise<void> {
  const problem = await roleProblem(account, roleArn, accountId);
  if (problem) throw invalidValue(problem);
}

/** The IamRoleArn a Backup request hands to AWS Backup, if the operation takes one. */
export function roleOfRequest(operation: string, body: Record<string, unknown>): string | undefined {
  const from = operation === 'CreateBackupSelection' ? (body.BackupSelection as Record<string, unknown> | undefined) : body;
  const arn = from?.IamRoleArn;
  return ['StartBackupJob', 'StartRestoreJob', 'StartCopyJob', 'CreateBackupSelection'].includes(operation) && typeof arn === 'string' && arn !== '' ? arn : undefined;
}

/**
 * Why a vault lock refuses a recovery point kept for `lifecycle` (undefined DeleteAfterDays: kept
 * forever); undefined when the retention is within the lock's bounds or the vault has no lock.
 */
export function lockProblem(vault: VaultRecord, lifecycle: Lifecycle | undefined): string | undefined {
  const lock = vault.lock;
  if (!lock) return undefined;
  const days = lifecycle?.DeleteAfterDays;
  if (lock.minRetentionDays !== undefined && days !== undefined && days < lock.minRetentionDays) {
    return `The retention period of ${days} days is shorter than the minimum retention period of ${lock.minRetentionDays} days that Backup Vault Lock enforces on backup vault ${vault.name}`;
  }
  if (lock.maxRetentionDays !== undefined && (days === undefined || days > lock.maxRetentionDays)) {
    const kept = days === undefined ? 'an unlimited retention period (no DeleteAfterDays)' : `the retention period of ${days} days`;
    return `${kept[0].toUpperCase()}${kept.slice(1)} is longer than the maximum retention period of ${lock.maxRetentionDays} days that Backup Vault Lock enforces on backup vault ${vault.name}`;
  }
  return undefined;
}

/** The placeholder ARN of the AWS owned key a vault created without EncryptionKeyArn uses. */
const AWS_OWNED = /:key\/aws-backup-managed-/;

/** Why a KMS key cannot be used for `purpose`; undefined when it can (or is AWS owned). */
export async function keyProblem(account: AccountLookup, region: string, keyArn: string | undefined, purpose: string): Promise<string | undefined> {
  if (!keyArn || AWS_OWNED.test(keyArn)) return undefined;
  const key = await account.key(/^arn:aws[\w-]*:kms:([^:]+):/.exec(keyArn)?.[1] ?? region, keyArn).catch(() => undefined);
  if (!key) return `The KMS key ${keyArn} used for ${purpose} does not exist or is not accessible`;
  if (key.state === 'Enabled') return undefined;
  const state = key.state === 'PendingDeletion' ? 'pending deletion' : key.state === 'Disabled' ? 'disabled' : `in state ${key.state}`;
  return `The KMS key ${key.arn} used for ${purpose} is ${state}`;
}
