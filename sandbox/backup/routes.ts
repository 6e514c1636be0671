import * as backupModel from '@aws-sdk/client-backup';

/** The operations this service implements, by HTTP method and path (restJson1, API version 2018-11-15). */
export type OperationName =
  | 'CreateBackupVault' | 'DescribeBackupVault' | 'DeleteBackupVault' | 'ListBackupVaults'
  | 'PutBackupVaultAccessPolicy' | 'GetBackupVaultAccessPolicy' | 'DeleteBackupVaultAccessPolicy'
  | 'PutBackupVaultLockConfiguration' | 'DeleteBackupVaultLockConfiguration'
  | 'PutBackupVaultNotifications' | 'GetBackupVaultNotifications' | 'DeleteBackupVaultNotifications'
  | 'TagResource' | 'UntagResource' | 'ListTags'
  | 'CreateBackupPlan' | 'GetBackupPlan' | 'UpdateBackupPlan' | 'DeleteBackupPlan' | 'ListBackupPlans' | 'ListBackupPlanVersions'
  | 'CreateBackupSelection' | 'GetBackupSelection' | 'DeleteBackupSelection' | 'ListBackupSelections'
  | 'DescribeRegionSettings' | 'UpdateRegionSettings'
  | 'StartBackupJob' | 'DescribeBackupJob' | 'ListBackupJobs' | 'StopBackupJob'
  | 'ListRecoveryPointsByBackupVault' | 'ListRecoveryPointsByResource' | 'DescribeRecoveryPoint'
  | 'GetRecoveryPointRestoreMetadata' | 'DeleteRecoveryPoint' | 'UpdateRecoveryPointLifecycle'
  | 'StartRestoreJob' | 'DescribeRestoreJob' | 'ListRestoreJobs'
  | 'StartCopyJob' | 'DescribeCopyJob' | 'ListCopyJobs';

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly operation: OperationName;
}

const SEG = '([^/]+)';
/** ARN labels: SDKs percent-encode `/` inside labels, but a hand-made request may not; match greedily. */
const ARN = '(.+?)';

const route = (method: string, re: string, params: string[], operation: OperationName): Route => ({
  method,
  pattern: new RegExp(`^${re}/?$`),
  params,
  operation,
});

const ROUTES: readonly Route[] = [
  route('GET', '/backup-vaults', [], 'ListBackupVaults'),
  route('PUT', `/backup-vaults/${SEG}/access-policy`, ['BackupVaultName'], 'PutBackupVaultAccessPolicy'),
  route('GET', `/backup-vaults/${SEG}/access-policy`, ['BackupVaultName'], 'GetBackupVaultAccessPolicy'),
  route('DELETE', `/backup-vaults/${SEG}/access-policy`, ['BackupVaultName'], 'DeleteBackupVaultAccessPolicy'),
  route('PUT', `/backup-vaults/${SEG}/vault-lock`, ['BackupVaultName'], 'PutBackupVaultLockConfiguration'),
  route('DELETE', `/backup-vaults/${SEG}/vault-lock`, ['BackupVaultName'], 'DeleteBackupVaultLockConfiguration'),
  route('PUT', `/backup-vaults/${SEG}/notification-configuration`, ['BackupVaultName'], 'PutBackupVaultNotifications'),
  route('GET', `/backup-vaults/${SEG}/notification-configuration`, ['BackupVaultName'], 'GetBackupVaultNotifications'),
  route('DELETE', `/backup-vaults/${SEG}/notification-configuration`, ['BackupVaultName'], 'DeleteBackupVaultNotifications'),
  route('GET', `/backup-vaults/${SEG}/recovery-points`, ['BackupVaultName'], 'ListRecoveryPointsByBackupVault'),
  route('GET', `/backup-vaults/${SEG}/recovery-points/${ARN}/restore-metadata`, ['BackupVaultName', 'RecoveryPointArn'], 'GetRecoveryPointRestoreMetadata'),
  route('GET', `/backup-vaults/${SEG}/recovery-points/${ARN}`, ['BackupVaultName', 'RecoveryPointArn'], 'DescribeRecoveryPoint'),
  route('DELETE', `/backup-vaults/${SEG}/recovery-points/${ARN}`, ['BackupVaultName', 'RecoveryPointArn'], 'DeleteRecoveryPoint'),
  route('POST', `/backup-vaults/${SEG}/recovery-points/${ARN}`, ['BackupVaultName', 'RecoveryPointArn'], 'UpdateRecoveryPointLifecycle'),
  route('PUT', `/backup-vaults/${SEG}`, ['BackupVaultName'], 'CreateBackupVault'),
  route('GET', `/backup-vaults/${SEG}`, ['BackupVaultName'], 'DescribeBackupVault'),
  route('DELETE', `/backup-vaults/${SEG}`, ['BackupVaultName'], 'DeleteBackupVault'),
  route('GET', `/tags/${ARN}`, ['ResourceArn'], 'ListTags'),
  route('POST', `/tags/${ARN}`, ['ResourceArn'], 'TagResource'),
  route('POST', `/untag/${ARN}`, ['ResourceArn'], 'UntagResource'),
  route('PUT', '/backup/plans', [], 'CreateBackupPlan'),
  route('GET', '/backup/plans', [], 'ListBackupPlans'),
  route('GET', `/backup/plans/${SEG}/versions`, ['BackupPlanId'], 'ListBackupPlanVersions'),
  route('PUT', `/backup/plans/${SEG}/selections`, ['BackupPlanId'], 'CreateBackupSelection'),
  route('GET', `/backup/plans/${SEG}/selections`, ['BackupPlanId'], 'ListBackupSelections'),
  route('GET', `/backup/plans/${SEG}/selections/${SEG}`, ['BackupPlanId', 'SelectionId'], 'GetBackupSelection'),
  route('DELETE', `/backup/plans/${SEG}/selections/${SEG}`, ['BackupPlanId', 'SelectionId'], 'DeleteBackupSelection'),
  route('GET', `/backup/plans/${SEG}`, ['BackupPlanId'], 'GetBackupPlan'),
  route('POST', `/backup/plans/${SEG}`, ['BackupPlanId'], 'UpdateBackupPlan'),
  route('DELETE', `/backup/plans/${SEG}`, ['BackupPlanId'], 'DeleteBackupPlan'),
  route('GET', '/account-settings', [], 'DescribeRegionSettings'),
  route('PUT', '/account-settings', [], 'UpdateRegionSettings'),
  route('PUT', '/backup-jobs', [], 'StartBackupJob'),
  route('GET', '/backup-jobs', [], 'ListBackupJobs'),
  route('GET', `/backup-jobs/${SEG}`, ['BackupJobId'], 'DescribeBackupJob'),
  route('POST', `/backup-jobs/${SEG}`, ['BackupJobId'], 'StopBackupJob'),
  route('GET', `/resources/${ARN}/recovery-points`, ['ResourceArn'], 'ListRecoveryPointsByResource'),
  route('PUT', '/restore-jobs', [], 'StartRestoreJob'),
  route('GET', '/restore-jobs', [], 'ListRestoreJobs'),
  route('GET', `/restore-jobs/${SEG}`, ['RestoreJobId'], 'DescribeRestoreJob'),
  route('PUT', '/copy-jobs', [], 'StartCopyJob'),
  route('GET', '/copy-jobs', [], 'ListCopyJobs'),
  route('GET', `/copy-jobs/${SEG}`, ['CopyJobId'], 'DescribeCopyJob'),
];

export interface Matched {
  readonly operation: OperationName;
  readonly params: Readonly<Record<string, string>>;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(method: string, path: string): Matched | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.params.forEach((name, i) => (params[name] = decode(m[i + 1])));
    return { operation: r.operation, params };
  }
  return undefined;
}

interface ModelRoute {
  method: string;
  pattern: RegExp;
  name: string;
}

let modelRoutes: ModelRoute[] | undefined;

/**
 * The name of the AWS Backup operation a request is for, even one this sandbox does not implement,
 * read from the operation schemas of @aws-sdk/client-backup (same model the Go SDK is built from).
 */
export function modelOperationName(method: string, path: string): string | undefined {
  if (!modelRoutes) {
    modelRoutes = [];
    for (const [key, value] of Object.entries(backupModel as Record<string, unknown>)) {
      if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
      const traits = value[3] as { http?: [string, string, number] } | undefined;
      const http = traits?.http;
      if (!http) continue;
      const [uri] = http[1].split('?');
      const re = uri.replace(/\{[^}]+\}/g, '[^/]+');
      modelRoutes.push({ method: http[0], pattern: new RegExp(`^${re}/?$`), name: key.slice(0, -1) });
    }
  }
  return modelRoutes.find((r) => r.method === method && r.pattern.test(path))?.name;
}
