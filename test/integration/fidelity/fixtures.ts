/** What the cases share, made once through the SDK: roles, keys, tables, vaults and recovery points. */
import { createTable, send } from './kit';
import { until, type Env } from './harness';
import { trust } from './cases/identity';

async function backupOf(e: Env, vault: string, tableArn: string, lifecycle?: Record<string, number>): Promise<string> {
  const start = await send(e, 'backup', 'StartBackupJob', { BackupVaultName: vault, ResourceArn: tableArn, IamRoleArn: e.fx.backupRole, ...(lifecycle ? { Lifecycle: lifecycle } : {}) });
  const job = await until(() => send(e, 'backup', 'DescribeBackupJob', { BackupJobId: start.BackupJobId }), (j) => j.State === 'COMPLETED' || j.State === 'FAILED');
  if (job.State !== 'COMPLETED') throw new Error(`fixture backup of ${tableArn} into ${vault} ended ${job.State}: ${job.StatusMessage}`);
  return job.RecoveryPointArn;
}

export async function makeFixtures(e: Env): Promise<void> {
  const fx = e.fx;
  const role = async (name: string, principal: Record<string, string>) =>
    (await send(e, 'iam', 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: trust(principal) })).Role.Arn as string;
  const key = async () => (await send(e, 'kms', 'CreateKey', { Description: 'fidelity fixture' })).KeyMetadata as { Arn: string; KeyId: string };

  const [backupRole, ec2Role, accountRole, enabled, disabled, pending] = await Promise.all([
    role('fid-backup-role', { Service: 'backup.amazonaws.com' }),
    role('fid-ec2-role', { Service: 'ec2.amazonaws.com' }),
    role('fid-account-role', { AWS: 'arn:aws:iam::123456789012:root' }),
    key(), key(), key(),
  ]);
  await send(e, 'kms', 'DisableKey', { KeyId: disabled.KeyId });
  await send(e, 'kms', 'ScheduleKeyDeletion', { KeyId: pending.KeyId, PendingWindowInDays: 7 });
  Object.assign(fx, {
    backupRole, ec2Role, accountRole,
    keyId: enabled.KeyId, keyArn: enabled.Arn, disabledKeyArn: disabled.Arn, pendingKeyArn: pending.Arn,
    table: 'fid-data', pageTable: 'fid-pages', bucket: 'fid-trail-bucket',
  });

  await send(e, 's3', 'CreateBucket', { Bucket: fx.bucket });
  fx.dataTableArn = await createTable(e, fx.table);
  await createTable(e, fx.pageTable);
  fx.sourceArn = await createTable(e, 'fid-source', {
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
    AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'G', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'G', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
    SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: enabled.Arn },
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    Tags: [{ Key: 'team', Value: 'data' }],
  });
  await send(e, 'dynamodb', 'UpdateTimeToLive', { TableName: 'fid-source', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
  await send(e, 'dynamodb', 'UpdateContinuousBackups', { TableName: 'fid-source', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  await send(e, 'dynamodb', 'BatchWriteItem', { RequestItems: { 'fid-source': [1, 2, 3].map((i) => ({ PutRequest: { Item: { ID: { S: `src-${i}` }, G: { S: 'g' } } } })) } });

  const vault = (name: string, extra: Record<string, unknown> = {}) => send(e, 'backup', 'CreateBackupVault', { BackupVaultName: name, ...extra });
  await Promise.all([vault('fid-vault'), vault('fid-locked'), vault('fid-dr'), vault('fid-guarded'), vault('fid-badkey', { EncryptionKeyArn: disabled.Arn })]);
  fx.lockedVaultArn = 'arn:aws:backup:us-east-1:123456789012:backup-vault:fid-locked';
  fx.drVaultArn = 'arn:aws:backup:us-east-1:123456789012:backup-vault:fid-dr';
  await send(e, 'backup', 'PutBackupVaultLockConfiguration', { BackupVaultName: 'fid-locked', MinRetentionDays: 7, MaxRetentionDays: 365 });

  const [sourceRp, lockedRp, guardedRp] = await Promise.all([
    backupOf(e, 'fid-vault', fx.sourceArn),
    backupOf(e, 'fid-locked', fx.dataTableArn, { DeleteAfterDays: 30 }),
    backupOf(e, 'fid-guarded', fx.dataTableArn),
  ]);
  Object.assign(fx, { sourceRp, lockedRp, guardedRp });
  await send(e, 'backup', 'PutBackupVaultAccessPolicy', {
    BackupVaultName: 'fid-guarded',
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] }),
  });
  fx.planId = (await send(e, 'backup', 'CreateBackupPlan', {
    BackupPlan: { BackupPlanName: 'fid-plan', Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'fid-vault', ScheduleExpression: 'cron(0 5 ? * * *)' }] },
  })).BackupPlanId;
}
