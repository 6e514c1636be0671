/**
 * The safeguards a backup/restore proof relies on, each tried the way a careless (or hostile)
 * caller would: roles AWS Backup cannot assume, vault-lock retention bounds on backup and copy jobs
 * and on lifecycle changes, unusable KMS keys; and what a restored table keeps and drops.
 */
import { ACCOUNT, backupTable, createVault, enc, harness, ROLE, seedItems, waitFor, type Harness } from './helpers';

let h: Harness;
let tableArn: string;
const SRC_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/src`;
beforeEach(async () => {
  h = await harness();
  await createVault(h);
  tableArn = h.dynamo.addTable('orders', seedItems(3), { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: SRC_KEY } }, { team: 'data' });
});
afterEach(async () => h.cleanup());

const finished = (state: unknown) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(String(state));
const startBackup = (body: Record<string, unknown> = {}) => h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: tableArn, IamRoleArn: ROLE, ...body });
const backupOutcome = async (body: Record<string, unknown> = {}, vault = 'vault1') => {
  const res = await startBackup({ BackupVaultName: vault, ...body });
  if (res.status !== 200) throw new Error(JSON.stringify(res.json));
  return (await waitFor(() => h.call('GET', `/backup-jobs/${res.json.BackupJobId}`), (r) => finished(r.json.State))).json;
};
const lock = (vault: string, body: Record<string, unknown>) => h.call('PUT', `/backup-vaults/${vault}/vault-lock`, body);

describe('the job role must exist and trust backup.amazonaws.com', () => {
  const MISSING = `arn:aws:iam::${ACCOUNT}:role/not-there`;
  const EC2_ROLE = `arn:aws:iam::${ACCOUNT}:role/ec2-only`;
  beforeEach(() => {
    h.account.roles.set(EC2_ROLE, { arn: EC2_ROLE, trustPolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });
  });

  it.each([['a role that does not exist', MISSING], ['a role that trusts another service', EC2_ROLE]])(
    'StartBackupJob with %s is InvalidParameterValueException and records no job', async (_, role) => {
      const res = await startBackup({ IamRoleArn: role });
      expect([res.status, res.json.Code, res.json.Message]).toEqual([400, 'InvalidParameterValueException', `IAM Role ${role} cannot be assumed by AWS Backup`]);
      expect((await h.call('GET', '/backup-jobs')).json.BackupJobs).toEqual([]);
    });

  it('StartRestoreJob, StartCopyJob and CreateBackupSelection refuse it too', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const dr = await createVault(h, 'dr');
    const plan = await h.call('PUT', '/backup/plans', { BackupPlan: { BackupPlanName: 'p', Rules: [{ RuleName: 'r', TargetBackupVaultName: 'vault1' }] } });
    const answers = await Promise.all([
      h.call('PUT', '/restore-jobs', { RecoveryPointArn: recoveryPointArn, IamRoleArn: MISSING, Metadata: { targetTableName: 'restored' } }),
      h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: dr, IamRoleArn: MISSING }),
      h.call('PUT', `/backup/plans/${plan.json.BackupPlanId}/selections`, { BackupSelection: { SelectionName: 's', IamRoleArn: MISSING, Resources: [tableArn] } }),
    ]);
    expect(answers.map((a) => [a.status, a.json.Code, a.json.Message])).toEqual(Array(3).fill([400, 'InvalidParameterValueException', expect.stringMatching(/cannot be assumed by AWS Backup/)]));
    expect(h.dynamo.tables.has('restored')).toBe(false);
  });

  it('a job whose role is deleted before it runs ends FAILED naming the role', async () => {
    const res = await startBackup();
    h.account.roles.delete(ROLE);
    const done = await waitFor(() => h.call('GET', `/backup-jobs/${res.json.BackupJobId}`), (r) => finished(r.json.State));
    expect([done.json.State, done.json.StatusMessage]).toEqual(['FAILED', `IAM Role ${ROLE} cannot be assumed by AWS Backup`]);
  });
});

describe('vault lock retention bounds backup and copy jobs', () => {
  it('a backup job kept for fewer days than MinRetentionDays FAILS; at the minimum or kept forever it completes', async () => {
    await lock('vault1', { MinRetentionDays: 7 });
    const short = await backupOutcome({ Lifecycle: { DeleteAfterDays: 1 } });
    const atMin = await backupOutcome({ Lifecycle: { DeleteAfterDays: 7 } });
    const forever = await backupOutcome();
    expect([short.State, short.StatusMessage]).toEqual(['FAILED', expect.stringMatching(/retention period of 1 days is shorter than the minimum retention period of 7 days .* vault1/)]);
    expect([atMin.State, forever.State]).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('a backup job kept longer than MaxRetentionDays, or forever, FAILS', async () => {
    await lock('vault1', { MinRetentionDays: 1, MaxRetentionDays: 30 });
    const [long, forever, ok] = [await backupOutcome({ Lifecycle: { DeleteAfterDays: 31 } }), await backupOutcome(), await backupOutcome({ Lifecycle: { DeleteAfterDays: 30 } })];
    expect([long.State, forever.State, forever.StatusMessage, ok.State]).toEqual(['FAILED', 'FAILED', expect.stringMatching(/unlimited retention .* maximum retention period of 30 days/), 'COMPLETED']);
  });

  it('a failed job leaves no recovery point', async () => {
    await lock('vault1', { MinRetentionDays: 7 });
    await backupOutcome({ Lifecycle: { DeleteAfterDays: 1 } });
    expect((await h.call('GET', '/backup-vaults/vault1/recovery-points')).json.RecoveryPoints).toEqual([]);
  });

  it('a copy job into a locked vault with a shorter retention FAILS', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const dr = await createVault(h, 'dr');
    await lock('dr', { MinRetentionDays: 30 });
    const start = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: dr, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 5 } });
    const done = await waitFor(() => h.call('GET', `/copy-jobs/${start.json.CopyJobId}`), (r) => ['COMPLETED', 'FAILED'].includes(r.json.CopyJob.State));
    expect([done.json.CopyJob.State, done.json.CopyJob.StatusMessage]).toEqual(['FAILED', expect.stringMatching(/shorter than the minimum retention period of 30 days .* dr/)]);
  });

  it('UpdateRecoveryPointLifecycle outside the lock bounds, or denied by the vault policy, is refused', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    await lock('vault1', { MinRetentionDays: 7, MaxRetentionDays: 90 });
    const path = `/backup-vaults/vault1/recovery-points/${enc(recoveryPointArn)}`;
    const [tooShort, tooLong, forever] = [
      await h.call('POST', path, { Lifecycle: { DeleteAfterDays: 2 } }),
      await h.call('POST', path, { Lifecycle: { DeleteAfterDays: 365 } }),
      await h.call('POST', path, {}),
    ];
    expect([tooShort.json.Code, tooLong.json.Code, forever.json.Code]).toEqual(['InvalidRequestException', 'InvalidRequestException', 'InvalidRequestException']);
    await h.call('PUT', '/backup-vaults/vault1/access-policy', { Policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'backup:UpdateRecoveryPointLifecycle', Resource: '*' }] }) });
    const denied = await h.call('POST', path, { Lifecycle: { DeleteAfterDays: 30 } });
    expect([denied.status, denied.json.Code]).toEqual([403, 'AccessDeniedException']);
  });
});

describe('KMS keys must be usable', () => {
  it.each([['Disabled', 'disabled'], ['PendingDeletion', 'pending deletion']])('a backup into a vault whose key is %s FAILS', async (state, words) => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/vault-key`;
    await createVault(h, 'cmk-vault', { EncryptionKeyArn: key });
    h.account.keys.set(key, state);
    const done = await backupOutcome({}, 'cmk-vault');
    expect([done.State, done.StatusMessage]).toEqual(['FAILED', `The KMS key ${key} used for backup vault cmk-vault is ${words}`]);
  });

  it('a backup of a table whose key is disabled FAILS', async () => {
    h.account.keys.set(SRC_KEY, 'Disabled');
    const done = await backupOutcome();
    expect([done.State, done.StatusMessage]).toEqual(['FAILED', expect.stringMatching(/key\/src used for table orders is disabled/)]);
  });

  it('a backup of a table that does not exist FAILS', async () => {
    const done = await backupOutcome({ ResourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/gone` });
    expect([done.State, done.StatusMessage]).toEqual(['FAILED', 'Table not found: gone']);
  });
});

describe('a restored table keeps what AWS keeps and drops what AWS drops', () => {
  const restore = async (metadata: Record<string, string>, extra: Record<string, unknown> = {}) => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const res = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: recoveryPointArn, IamRoleArn: ROLE, Metadata: metadata, ...extra });
    const done = await waitFor(() => h.call('GET', `/restore-jobs/${res.json.RestoreJobId}`), (r) => finished(r.json.Status));
    expect(done.json.Status).toBe('COMPLETED');
    return h.dynamo.calls.filter((c) => c.operation === 'CreateTable').pop()!.input;
  };

  beforeEach(() => {
    tableArn = h.dynamo.addTable('rich', seedItems(2), {
      BillingModeSummary: { BillingMode: 'PROVISIONED' },
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3, NumberOfDecreasesToday: 0 },
      AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }, { AttributeName: 'v', AttributeType: 'N' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 } }],
      LocalSecondaryIndexes: [{ IndexName: 'lsiV', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }, { AttributeName: 'v', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: SRC_KEY },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      DeletionProtectionEnabled: true,
    }, { team: 'data' });
  });

  it('keeps billing mode and capacity, indexes, table class and the SSE key when no encryptionType is given', async () => {
    const input = await restore({ targetTableName: 'rich-restored' });
    expect(input).toMatchObject({
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [{ IndexName: 'byV', Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 } }],
      LocalSecondaryIndexes: [{ IndexName: 'lsiV', Projection: { ProjectionType: 'ALL' } }],
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: SRC_KEY },
    });
  });

  it('drops streams, deletion protection and tags; never enables TTL, PITR or auto scaling', async () => {
    const input = await restore({ targetTableName: 'rich-restored' });
    expect([input.StreamSpecification, input.DeletionProtectionEnabled, input.Tags]).toEqual([undefined, undefined, undefined]);
    const after = h.dynamo.calls.slice(h.dynamo.calls.findIndex((c) => c.operation === 'CreateTable')).map((c) => c.operation);
    expect(after.filter((op) => /TimeToLive|ContinuousBackups|Tag|Scal/.test(op))).toEqual([]);
  });

  it('copies the tags the table had at backup when CopySourceTagsToRestoredResource is true', async () => {
    const input = await restore({ targetTableName: 'rich-tagged' }, { CopySourceTagsToRestoredResource: true });
    expect(input.Tags).toEqual([{ Key: 'team', Value: 'data' }]);
  });

  it('encryptionType Default restores with the default (AWS owned) key', async () => {
    const input = await restore({ targetTableName: 'rich-default', encryptionType: 'Default' });
    expect(input.SSESpecification).toBeUndefined();
  });
});
