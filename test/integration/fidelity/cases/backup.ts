/** AWS Backup (the sandbox's own), as the AWS Backup API reference and developer guide document it. */
import { api, createTable, error, send } from '../kit';
import { until, type Case, type Env } from '../harness';

const finalJob = (e: Env, id: string) =>
  until(() => send(e, 'backup', 'DescribeBackupJob', { BackupJobId: id }), (j) => ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(j.State));
const finalRestore = (e: Env, id: string) =>
  until(() => send(e, 'backup', 'DescribeRestoreJob', { RestoreJobId: id }), (j) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(j.Status));
const finalCopy = (e: Env, id: string) =>
  until(async () => (await send(e, 'backup', 'DescribeCopyJob', { CopyJobId: id })).CopyJob, (j) => ['COMPLETED', 'FAILED'].includes(j.State));

const plan = (schedule: string, lifecycle?: Record<string, number>, name = 'fidelity') => ({
  BackupPlan: { BackupPlanName: name, Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'fid-vault', ScheduleExpression: schedule, ...(lifecycle ? { Lifecycle: lifecycle } : {}) }] },
});

const startBackup = (id: string, reference: string, input: (e: Env, d: any) => Record<string, unknown>, expectState: Case['expect'], setup?: Case['setup']): Case => ({
  id,
  reference,
  setup,
  ...api('backup', 'StartBackupJob', (e, _v, d) => ({ BackupVaultName: 'fid-vault', ResourceArn: e.fx.dataTableArn, IamRoleArn: e.fx.backupRole, ...input(e, d) })),
  observe: (e, out) => finalJob(e, out.BackupJobId),
  expect: expectState,
});

/** A restore of the shared recovery point into a table of the variant's own; observes the restored table. */
const restoreCase = (id: string, reference: string, look: (e: Env, table: string) => Promise<unknown>, check: (out: any) => void, metadata: Record<string, string> = {}): Case => ({
  id,
  reference,
  ...api('backup', 'StartRestoreJob', (e, v) => ({ RecoveryPointArn: e.fx.sourceRp, IamRoleArn: e.fx.backupRole, Metadata: { targetTableName: `fid-${id.split('.').pop()}-${v.tag}`, ...metadata } })),
  observe: async (e, out, _d, v) => {
    const job = await finalRestore(e, out.RestoreJobId);
    if (job.Status !== 'COMPLETED') return { job };
    return { job, look: await look(e, `fid-${id.split('.').pop()}-${v.tag}`) };
  },
  expect: (out) => {
    expect(out.job.Status).toBe('COMPLETED');
    check(out.look);
  },
});

const describe = async (e: Env, table: string) => (await send(e, 'dynamodb', 'DescribeTable', { TableName: table })).Table;

export const BACKUP_CASES: Case[] = [
  {
    id: 'backup.vault.create',
    reference: 'AWS Backup API Reference, CreateBackupVault: answers BackupVaultArn arn:aws:backup:region:account:backup-vault:name',
    ...api('backup', 'CreateBackupVault', (_e, v) => ({ BackupVaultName: `fid-v-${v.tag}` })),
    expect: (out, _d, v) => expect(out.BackupVaultArn).toBe(`arn:aws:backup:us-east-1:123456789012:backup-vault:fid-v-${v.tag}`),
  },
  {
    id: 'backup.vault.bad-name',
    reference: 'AWS Backup API Reference, CreateBackupVault: BackupVaultName pattern ^[a-zA-Z0-9\\-\\_]{2,50}$ → InvalidParameterValueException',
    ...api('backup', 'CreateBackupVault', () => ({ BackupVaultName: 'bad.name!' })),
    expect: error('InvalidParameterValueException', undefined, 400),
  },
  {
    id: 'backup.vault.exists',
    reference: 'AWS Backup API Reference, CreateBackupVault: a vault of that name exists → AlreadyExistsException',
    ...api('backup', 'CreateBackupVault', () => ({ BackupVaultName: 'fid-vault' })),
    expect: error('AlreadyExistsException'),
  },
  {
    id: 'backup.vault.unknown',
    reference: 'AWS Backup API Reference, DescribeBackupVault: unknown vault → ResourceNotFoundException',
    ...api('backup', 'DescribeBackupVault', () => ({ BackupVaultName: 'fid-no-such-vault' })),
    expect: error('ResourceNotFoundException', undefined, 400),
  },
  {
    id: 'backup.vault-lock.max-below-min',
    reference: 'AWS Backup API Reference, PutBackupVaultLockConfiguration: MaxRetentionDays below MinRetentionDays → InvalidParameterValueException',
    setup: (e, v) => send(e, 'backup', 'CreateBackupVault', { BackupVaultName: `fid-lk-${v.tag}` }),
    ...api('backup', 'PutBackupVaultLockConfiguration', (_e, v) => ({ BackupVaultName: `fid-lk-${v.tag}`, MinRetentionDays: 30, MaxRetentionDays: 7 })),
    expect: error('InvalidParameterValueException'),
  },
  {
    id: 'backup.vault-lock.described',
    reference: 'AWS Backup API Reference, DescribeBackupVault: a vault lock shows as Locked with MinRetentionDays and MaxRetentionDays',
    ...api('backup', 'DescribeBackupVault', () => ({ BackupVaultName: 'fid-locked' })),
    expect: (out) => expect(out).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 }),
  },
  {
    id: 'backup.plan.sub-hourly-schedule',
    reference: 'AWS Backup Developer Guide, backup frequency: a rule runs at most once an hour → InvalidParameterValueException',
    ...api('backup', 'CreateBackupPlan', () => plan('cron(0/30 * ? * * *)')),
    expect: error('InvalidParameterValueException', /hour/),
  },
  {
    id: 'backup.plan.cold-storage-90-days',
    reference: 'AWS Backup API Reference, Lifecycle: DeleteAfterDays must be at least 90 days more than MoveToColdStorageAfterDays → InvalidParameterValueException',
    ...api('backup', 'CreateBackupPlan', () => plan('cron(0 5 ? * * *)', { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 50 })),
    expect: error('InvalidParameterValueException', /90/),
  },
  {
    id: 'backup.plan.create',
    reference: 'AWS Backup API Reference, CreateBackupPlan: answers BackupPlanId, BackupPlanArn and VersionId',
    ...api('backup', 'CreateBackupPlan', (_e, v) => plan('cron(0 5 ? * * *)', { DeleteAfterDays: 35 }, `fidelity-${v.tag}`)),
    expect: (out) => expect(out).toMatchObject({ BackupPlanId: expect.any(String), BackupPlanArn: expect.stringMatching(/^arn:aws:backup:us-east-1:123456789012:backup-plan:/), VersionId: expect.any(String) }),
  },
  {
    id: 'backup.selection.role-missing',
    reference: 'AWS Backup API Reference, CreateBackupSelection: an IamRoleArn AWS Backup cannot assume → InvalidParameterValueException "cannot be assumed by AWS Backup"',
    ...api('backup', 'CreateBackupSelection', (e, v) => ({ BackupPlanId: e.fx.planId, BackupSelection: { SelectionName: `fid-sel-${v.tag}`, IamRoleArn: 'arn:aws:iam::123456789012:role/fid-no-such-role', Resources: [e.fx.dataTableArn] } })),
    expect: error('InvalidParameterValueException', /cannot be assumed by AWS Backup/, 400),
  },
  {
    id: 'backup.selection.create',
    reference: 'AWS Backup API Reference, CreateBackupSelection: with an assumable role answers SelectionId',
    ...api('backup', 'CreateBackupSelection', (e, v) => ({ BackupPlanId: e.fx.planId, BackupSelection: { SelectionName: `fid-ok-${v.tag}`, IamRoleArn: e.fx.backupRole, Resources: [e.fx.dataTableArn] } })),
    expect: (out) => expect(out.SelectionId).toEqual(expect.any(String)),
  },
  {
    id: 'backup.start-backup.role-missing',
    reference: 'AWS Backup API Reference, StartBackupJob: an IamRoleArn that does not exist → InvalidParameterValueException; no job starts',
    ...api('backup', 'StartBackupJob', (e) => ({ BackupVaultName: 'fid-vault', ResourceArn: e.fx.dataTableArn, IamRoleArn: 'arn:aws:iam::123456789012:role/fid-no-such-role' })),
    expect: error('InvalidParameterValueException', /IAM Role arn:aws:iam::123456789012:role\/fid-no-such-role cannot be assumed by AWS Backup/),
  },
  {
    id: 'backup.start-backup.role-untrusting',
    reference: 'AWS Backup Developer Guide, IAM roles: the role must trust backup.amazonaws.com → InvalidParameterValueException',
    ...api('backup', 'StartBackupJob', (e) => ({ BackupVaultName: 'fid-vault', ResourceArn: e.fx.dataTableArn, IamRoleArn: e.fx.ec2Role })),
    expect: error('InvalidParameterValueException', /cannot be assumed by AWS Backup/),
  },
  startBackup('backup.start-backup.completes',
    'AWS Backup API Reference, DescribeBackupJob: a job ends COMPLETED with PercentDone 100 and a DynamoDB recovery point ARN (table ARN + /backup/id)',
    () => ({}),
    (job) => expect(job).toMatchObject({ State: 'COMPLETED', PercentDone: '100.0', ResourceType: 'DynamoDB', RecoveryPointArn: expect.stringMatching(/:table\/fid-data\/backup\/\d{17}-[0-9a-f]{8}$/) })),
  startBackup('backup.start-backup.missing-table',
    'AWS Backup Developer Guide, backup jobs: a resource that does not exist cannot be backed up; the job ends FAILED',
    () => ({ ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/fid-no-such-table' }),
    (job) => expect(job).toMatchObject({ State: 'FAILED', StatusMessage: expect.stringMatching(/fid-no-such-table/) })),
  startBackup('backup.start-backup.below-min-retention',
    'AWS Backup API Reference, PutBackupVaultLockConfiguration MinRetentionDays: a backup job with a shorter retention fails',
    () => ({ BackupVaultName: 'fid-locked', Lifecycle: { DeleteAfterDays: 1 } }),
    (job) => expect(job).toMatchObject({ State: 'FAILED', StatusMessage: expect.stringMatching(/minimum retention period of 7 days/) })),
  startBackup('backup.start-backup.above-max-retention',
    'AWS Backup API Reference, PutBackupVaultLockConfiguration MaxRetentionDays: a backup job kept longer (or forever) fails',
    () => ({ BackupVaultName: 'fid-locked' }),
    (job) => expect(job).toMatchObject({ State: 'FAILED', StatusMessage: expect.stringMatching(/maximum retention period of 365 days/) })),
  startBackup('backup.start-backup.within-lock',
    'AWS Backup API Reference, PutBackupVaultLockConfiguration: a job whose retention lies between the bounds completes',
    () => ({ BackupVaultName: 'fid-locked', Lifecycle: { DeleteAfterDays: 30 } }),
    (job) => expect(job.State).toBe('COMPLETED')),
  startBackup('backup.start-backup.vault-key-disabled',
    'AWS Backup Developer Guide, encryption: a vault whose KMS key is disabled cannot take backups; the job fails',
    () => ({ BackupVaultName: 'fid-badkey' }),
    (job) => expect(job).toMatchObject({ State: 'FAILED', StatusMessage: expect.stringMatching(/is disabled/) })),
  startBackup('backup.start-backup.table-key-disabled',
    'DynamoDB Developer Guide, encryption at rest: a table whose key is disabled is inaccessible, so AWS Backup cannot back it up',
    (_e, d) => ({ ResourceArn: d }),
    (job) => expect(job).toMatchObject({ State: 'FAILED', StatusMessage: expect.stringMatching(/is disabled/) }),
    async (e, v) => {
      const key = (await send(e, 'kms', 'CreateKey', {})).KeyMetadata;
      const arn = await createTable(e, `fid-lostkey-${v.tag}`, { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key.Arn } });
      await send(e, 'kms', 'DisableKey', { KeyId: key.KeyId });
      return arn;
    }),
  {
    id: 'backup.restore.role-missing',
    reference: 'AWS Backup API Reference, StartRestoreJob: an IamRoleArn AWS Backup cannot assume → InvalidParameterValueException',
    ...api('backup', 'StartRestoreJob', (e, v) => ({ RecoveryPointArn: e.fx.sourceRp, IamRoleArn: 'arn:aws:iam::123456789012:role/fid-no-such-role', Metadata: { targetTableName: `fid-norole-${v.tag}` } })),
    expect: error('InvalidParameterValueException', /cannot be assumed by AWS Backup/),
  },
  restoreCase('backup.restore.keeps-sse-key',
    'AWS Backup Developer Guide, restoring DynamoDB: the restored table is encrypted with the backed-up table\'s key unless another is given',
    describe, (t) => expect(t.SSEDescription).toMatchObject({ Status: 'ENABLED', KMSMasterKeyArn: expect.stringMatching(/^arn:aws:kms:/) })),
  restoreCase('backup.restore.keeps-billing',
    'DynamoDB Developer Guide, restoring from a backup: billing mode and provisioned capacity are restored',
    describe, (t) => expect([t.BillingModeSummary?.BillingMode ?? 'PROVISIONED', t.ProvisionedThroughput.ReadCapacityUnits, t.ProvisionedThroughput.WriteCapacityUnits]).toEqual(['PROVISIONED', 3, 2])),
  restoreCase('backup.restore.keeps-indexes',
    'DynamoDB Developer Guide, restoring from a backup: global and local secondary indexes are restored',
    describe, (t) => expect((t.GlobalSecondaryIndexes ?? []).map((g: { IndexName: string }) => g.IndexName)).toEqual(['byG'])),
  restoreCase('backup.restore.drops-settings',
    'DynamoDB Developer Guide, restoring from a backup: streams, TTL, point-in-time recovery, tags and auto scaling must be set again on the restored table',
    async (e, table) => {
      const t = await describe(e, table);
      const [ttl, pitr, tags] = await Promise.all([
        send(e, 'dynamodb', 'DescribeTimeToLive', { TableName: table }),
        send(e, 'dynamodb', 'DescribeContinuousBackups', { TableName: table }),
        send(e, 'dynamodb', 'ListTagsOfResource', { ResourceArn: t.TableArn }),
      ]);
      return {
        stream: t.StreamSpecification?.StreamEnabled ?? false,
        ttl: ttl.TimeToLiveDescription.TimeToLiveStatus,
        pitr: pitr.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus,
        tags: tags.Tags ?? [],
      };
    },
    (r) => expect(r).toEqual({ stream: false, ttl: 'DISABLED', pitr: 'DISABLED', tags: [] })),
  {
    id: 'backup.restore.disabled-key',
    reference: 'AWS Backup Developer Guide, restoring DynamoDB: a restore into a disabled KMS key cannot create the table; the job fails',
    ...api('backup', 'StartRestoreJob', (e, v) => ({ RecoveryPointArn: e.fx.sourceRp, IamRoleArn: e.fx.backupRole, Metadata: { targetTableName: `fid-rkey-${v.tag}`, encryptionType: 'KMS', kmsMasterKeyArn: e.fx.disabledKeyArn } })),
    observe: (e, out) => finalRestore(e, out.RestoreJobId),
    expect: (job) => expect(job).toMatchObject({ Status: 'FAILED', StatusMessage: expect.stringMatching(/is disabled/) }),
  },
  {
    id: 'backup.restore-metadata',
    reference: 'AWS Backup API Reference, GetRecoveryPointRestoreMetadata: the DynamoDB metadata a restore needs (targetTableName, encryptionType, kmsMasterKeyArn)',
    ...api('backup', 'GetRecoveryPointRestoreMetadata', (e) => ({ BackupVaultName: 'fid-vault', RecoveryPointArn: e.fx.sourceRp })),
    expect: (out) => expect(out.RestoreMetadata).toMatchObject({ targetTableName: 'fid-source', encryptionType: 'KMS', kmsMasterKeyArn: expect.stringMatching(/^arn:aws:kms:/) }),
  },
  {
    id: 'backup.copy.below-min-retention',
    reference: 'AWS Backup API Reference, PutBackupVaultLockConfiguration MinRetentionDays: a copy job into the vault with a shorter retention fails',
    ...api('backup', 'StartCopyJob', (e) => ({ RecoveryPointArn: e.fx.sourceRp, SourceBackupVaultName: 'fid-vault', DestinationBackupVaultArn: e.fx.lockedVaultArn, IamRoleArn: e.fx.backupRole, Lifecycle: { DeleteAfterDays: 2 } })),
    observe: (e, out) => finalCopy(e, out.CopyJobId),
    expect: (job) => expect(job).toMatchObject({ State: 'FAILED', StatusMessage: expect.stringMatching(/minimum retention period of 7 days/) }),
  },
  {
    id: 'backup.copy.completes',
    reference: 'AWS Backup API Reference, DescribeCopyJob: a copy into another vault ends COMPLETED with the new recovery point\'s ARN',
    ...api('backup', 'StartCopyJob', (e) => ({ RecoveryPointArn: e.fx.sourceRp, SourceBackupVaultName: 'fid-vault', DestinationBackupVaultArn: e.fx.drVaultArn, IamRoleArn: e.fx.backupRole })),
    observe: (e, out) => finalCopy(e, out.CopyJobId),
    expect: (job) => expect(job).toMatchObject({ State: 'COMPLETED', DestinationRecoveryPointArn: expect.stringMatching(/^arn:aws:backup:us-east-1:123456789012:recovery-point:/) }),
  },
  {
    id: 'backup.copy.role-missing',
    reference: 'AWS Backup API Reference, StartCopyJob: an IamRoleArn AWS Backup cannot assume → InvalidParameterValueException',
    ...api('backup', 'StartCopyJob', (e) => ({ RecoveryPointArn: e.fx.sourceRp, SourceBackupVaultName: 'fid-vault', DestinationBackupVaultArn: e.fx.drVaultArn, IamRoleArn: 'arn:aws:iam::123456789012:role/fid-no-such-role' })),
    expect: error('InvalidParameterValueException', /cannot be assumed/),
  },
  {
    id: 'backup.delete-recovery-point.vault-lock',
    reference: 'AWS Backup Developer Guide, Vault Lock: a recovery point younger than MinRetentionDays cannot be deleted',
    ...api('backup', 'DeleteRecoveryPoint', (e) => ({ BackupVaultName: 'fid-locked', RecoveryPointArn: e.fx.lockedRp })),
    expect: error('InvalidRequestException'),
  },
  {
    id: 'backup.delete-recovery-point.vault-policy',
    reference: 'AWS Backup Developer Guide, vault access policies: a Deny on backup:DeleteRecoveryPoint → AccessDeniedException (HTTP 403)',
    ...api('backup', 'DeleteRecoveryPoint', (e) => ({ BackupVaultName: 'fid-guarded', RecoveryPointArn: e.fx.guardedRp })),
    expect: error('AccessDeniedException', /explicit deny/, 403),
  },
  {
    id: 'backup.update-lifecycle.above-max',
    reference: 'AWS Backup Developer Guide, Vault Lock: a recovery point\'s lifecycle cannot be changed outside the lock\'s retention bounds',
    ...api('backup', 'UpdateRecoveryPointLifecycle', (e) => ({ BackupVaultName: 'fid-locked', RecoveryPointArn: e.fx.lockedRp, Lifecycle: { DeleteAfterDays: 400 } })),
    expect: error('InvalidRequestException'),
  },
  {
    id: 'backup.delete-vault.not-empty',
    reference: 'AWS Backup API Reference, DeleteBackupVault: a vault that holds recovery points cannot be deleted → InvalidRequestException',
    ...api('backup', 'DeleteBackupVault', () => ({ BackupVaultName: 'fid-vault' })),
    expect: error('InvalidRequestException'),
  },
  {
    id: 'backup.start-backup.other-resource-types',
    reference: 'AWS Backup Developer Guide, supported resources: StartBackupJob backs up S3 buckets, EBS volumes, RDS databases and more',
    difference: 'The sandbox\'s AWS Backup protects DynamoDB tables only; any other ResourceArn is InvalidParameterValueException',
    ...api('backup', 'StartBackupJob', (e) => ({ BackupVaultName: 'fid-vault', ResourceArn: `arn:aws:s3:::${e.fx.bucket}`, IamRoleArn: e.fx.backupRole })),
    expect: error('InvalidParameterValueException', /DynamoDB tables only/),
  },
  {
    id: 'backup.vault.default-key',
    reference: 'AWS Backup Developer Guide, encryption: a vault created without EncryptionKeyArn uses the AWS managed key alias/aws/backup',
    difference: 'A vault without EncryptionKeyArn reports a placeholder key ARN (key/aws-backup-managed-<region>) that KMS does not know; the sandbox never encrypts recovery points',
    ...api('backup', 'DescribeBackupVault', () => ({ BackupVaultName: 'fid-vault' })),
    expect: (out) => expect(out.EncryptionKeyArn).toBe('arn:aws:kms:us-east-1:123456789012:key/aws-backup-managed-us-east-1'),
  },
  {
    id: 'backup.recovery-points-by-resource',
    reference: 'AWS Backup API Reference, ListRecoveryPointsByResource: lists the resource\'s recovery points with their vault',
    ...api('backup', 'ListRecoveryPointsByResource', (e) => ({ ResourceArn: e.fx.sourceArn })),
    expect: (out) => expect(out.RecoveryPoints).toEqual(expect.arrayContaining([expect.objectContaining({ BackupVaultName: 'fid-vault', Status: 'COMPLETED' })])),
  },
];
