import { alreadyExists, invalidRequest, invalidValue, missingValue, notFound } from '../errors';
import { awsManagedBackupKeyArn, isArn, vaultArn, VAULT_NAME } from '../ids';
import { optInt, optString, optStringList, optStringMap, reqString } from '../input';
import { paginate } from '../paging';
import { policyProblem } from '../policy';
import type { BackupState, VaultRecord } from '../state';
import { sec, type Ctx, type Handler } from '../context';

export const vaultKey = (region: string, name: string): string => `${region}/${name}`;

export function getVault(state: BackupState, region: string, name: string): VaultRecord {
  const v = state.vaults[vaultKey(region, name)];
  if (!v) throw notFound(`Backup vault ${name} not found in region ${region}`);
  return v;
}

function vaultName(ctx: Ctx): string {
  const name = ctx.params.BackupVaultName;
  if (!name) throw missingValue('BackupVaultName');
  return name;
}

export function recoveryPointCount(state: BackupState, vault: VaultRecord): number {
  return Object.values(state.recoveryPoints).filter((rp) => rp.vaultArn === vault.arn).length;
}

function lockFields(vault: VaultRecord): Record<string, unknown> {
  const lock = vault.lock;
  if (!lock) return { Locked: false };
  // Governance mode (no ChangeableForDays) protects at once; compliance mode reports its lock date.
  return {
    Locked: true,
    MinRetentionDays: lock.minRetentionDays,
    MaxRetentionDays: lock.maxRetentionDays,
    LockDate: sec(lock.lockDate),
  };
}

function describe(state: BackupState, vault: VaultRecord): Record<string, unknown> {
  return {
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    VaultType: 'BACKUP_VAULT',
    VaultState: 'AVAILABLE',
    EncryptionKeyArn: vault.encryptionKeyArn,
    EncryptionKeyType: vault.encryptionKeyArn.includes('aws-backup-managed') ? 'AWS_OWNED_KMS_KEY' : 'CUSTOMER_MANAGED_KMS_KEY',
    CreationDate: sec(vault.creationDate),
    CreatorRequestId: vault.creatorRequestId,
    NumberOfRecoveryPoints: recoveryPointCount(state, vault),
    ...lockFields(vault),
  };
}

export const createBackupVault: Handler = (ctx, { state }) => {
  const name = vaultName(ctx);
  if (!VAULT_NAME.test(name)) {
    throw invalidValue(`Invalid value for BackupVaultName: ${JSON.stringify(name)} must be 2-50 letters, digits, hyphens or underscores`);
  }
  const tags = optStringMap(ctx.body, 'BackupVaultTags') ?? {};
  const key = optString(ctx.body, 'EncryptionKeyArn');
  if (key !== undefined && !isArn(key)) throw invalidValue(`Invalid value for EncryptionKeyArn: ${JSON.stringify(key)} is not an ARN`);
  const creatorRequestId = optString(ctx.body, 'CreatorRequestId');
  const existing = state.vaults[vaultKey(ctx.region, name)];
  if (existing) {
    if (creatorRequestId !== undefined && existing.creatorRequestId === creatorRequestId) {
      return { body: { BackupVaultName: existing.name, BackupVaultArn: existing.arn, CreationDate: sec(existing.creationDate) } };
    }
    throw alreadyExists(`Backup vault with the same name already exists: ${name}`);
  }
  const vault: VaultRecord = {
    name,
    arn: vaultArn(ctx.region, ctx.accountId, name),
    region: ctx.region,
    accountId: ctx.accountId,
    encryptionKeyArn: key ?? awsManagedBackupKeyArn(ctx.region, ctx.accountId),
    creatorRequestId,
    creationDate: ctx.now,
  };
  state.vaults[vaultKey(ctx.region, name)] = vault;
  state.tags[vault.arn] = tags;
  return { mutated: true, body: { BackupVaultName: name, BackupVaultArn: vault.arn, CreationDate: sec(vault.creationDate) } };
};

export const describeBackupVault: Handler = (ctx, { state }) => ({ body: describe(state, getVault(state, ctx.region, vaultName(ctx))) });

export const deleteBackupVault: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  if (recoveryPointCount(state, vault) > 0) {
    throw invalidRequest(`Backup vault ${vault.name} cannot be deleted because it contains recovery points`);
  }
  delete state.vaults[vaultKey(vault.region, vault.name)];
  delete state.tags[vault.arn];
  return { mutated: true };
};

export const listBackupVaults: Handler = (ctx, { state }) => {
  const type = ctx.query.get('vaultType');
  if (type && !['BACKUP_VAULT', 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', 'RESTORE_ACCESS_BACKUP_VAULT'].includes(type)) {
    throw invalidValue(`Invalid value for ByVaultType: ${JSON.stringify(type)}`);
  }
  const vaults = type && type !== 'BACKUP_VAULT' ? [] : Object.values(state.vaults).filter((v) => v.region === ctx.region);
  vaults.sort((a, b) => a.creationDate - b.creationDate || a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(vaults, ctx.query);
  return { body: { BackupVaultList: page.map((v) => describe(state, v)), NextToken: nextToken } };
};

export const putBackupVaultAccessPolicy: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  const policy = reqString(ctx.body, 'Policy');
  const problem = policyProblem(policy);
  if (problem) throw invalidValue(`Invalid value for Policy: ${problem}`);
  vault.accessPolicy = policy;
  return { mutated: true };
};

export const getBackupVaultAccessPolicy: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  if (vault.accessPolicy === undefined) throw notFound(`Backup vault ${vault.name} has no access policy`);
  return { body: { BackupVaultName: vault.name, BackupVaultArn: vault.arn, Policy: vault.accessPolicy } };
};

export const deleteBackupVaultAccessPolicy: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  delete vault.accessPolicy;
  return { mutated: true };
};

const DAY = 86_400_000;

export const putBackupVaultLockConfiguration: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  if (vault.lock?.lockDate !== undefined && vault.lock.lockDate <= ctx.now) {
    throw invalidRequest(`Backup vault ${vault.name} is locked in compliance mode since ${new Date(vault.lock.lockDate).toISOString()}; its lock cannot change`);
  }
  const min = optInt(ctx.body, 'MinRetentionDays', 'MinRetentionDays', 1);
  const max = optInt(ctx.body, 'MaxRetentionDays', 'MaxRetentionDays', 1);
  const changeable = optInt(ctx.body, 'ChangeableForDays', 'ChangeableForDays', 3);
  if (min !== undefined && max !== undefined && max < min) {
    throw invalidValue(`Invalid value for MaxRetentionDays: ${max} is less than MinRetentionDays ${min}`);
  }
  if (max !== undefined && max > 36500) throw invalidValue(`Invalid value for MaxRetentionDays: ${max} exceeds 36500`);
  vault.lock = {
    minRetentionDays: min,
    maxRetentionDays: max,
    lockDate: changeable === undefined ? undefined : ctx.now + changeable * DAY,
  };
  return { mutated: true };
};

export const deleteBackupVaultLockConfiguration: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  if (vault.lock?.lockDate !== undefined && vault.lock.lockDate <= ctx.now) {
    throw invalidRequest(`Backup vault ${vault.name} is locked in compliance mode; the lock cannot be deleted`);
  }
  delete vault.lock;
  return { mutated: true };
};

const VAULT_EVENTS = new Set([
  'BACKUP_JOB_STARTED', 'BACKUP_JOB_COMPLETED', 'BACKUP_JOB_SUCCESSFUL', 'BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPIRED',
  'RESTORE_JOB_STARTED', 'RESTORE_JOB_COMPLETED', 'RESTORE_JOB_SUCCESSFUL', 'RESTORE_JOB_FAILED',
  'COPY_JOB_STARTED', 'COPY_JOB_SUCCESSFUL', 'COPY_JOB_FAILED', 'RECOVERY_POINT_MODIFIED',
  'BACKUP_PLAN_CREATED', 'BACKUP_PLAN_MODIFIED', 'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED',
  'CONTINUOUS_BACKUP_INTERRUPTED', 'RECOVERY_POINT_INDEX_COMPLETED', 'RECOVERY_POINT_INDEX_DELETED',
  'RECOVERY_POINT_INDEXING_FAILED',
]);

export const putBackupVaultNotifications: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  const topic = reqString(ctx.body, 'SNSTopicArn');
  if (!/^arn:aws[a-z-]*:sns:/.test(topic)) throw invalidValue(`Invalid value for SNSTopicArn: ${JSON.stringify(topic)} is not an SNS topic ARN`);
  const events = optStringList(ctx.body, 'BackupVaultEvents');
  if (events === undefined) throw missingValue('BackupVaultEvents');
  events.forEach((e, i) => {
    if (!VAULT_EVENTS.has(e)) throw invalidValue(`Invalid value for BackupVaultEvents[${i}]: ${JSON.stringify(e)} is not a backup vault event`);
  });
  vault.notifications = { snsTopicArn: topic, events };
  return { mutated: true };
};

export const getBackupVaultNotifications: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  if (!vault.notifications) throw notFound(`Backup vault ${vault.name} has no notification configuration`);
  return {
    body: { BackupVaultName: vault.name, BackupVaultArn: vault.arn, SNSTopicArn: vault.notifications.snsTopicArn, BackupVaultEvents: vault.notifications.events },
  };
};

export const deleteBackupVaultNotifications: Handler = (ctx, { state }) => {
  const vault = getVault(state, ctx.region, vaultName(ctx));
  delete vault.notifications;
  return { mutated: true };
};
