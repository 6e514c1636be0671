import { ACCOUNT, backupTable, createVault, enc, harness, ROLE, seedItems, waitFor, type Harness } from './helpers';

let h: Harness;
let tableArn: string;
beforeEach(async () => {
  h = await harness();
  await createVault(h);
  tableArn = h.dynamo.addTable('orders', seedItems(5), {
    GlobalSecondaryIndexes: [{ IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, IndexStatus: 'ACTIVE' }],
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/src` },
  });
});
afterEach(async () => h.cleanup());

const describeJob = (id: string) => h.call('GET', `/backup-jobs/${id}`);
const describeRestore = (id: string) => h.call('GET', `/restore-jobs/${id}`);

async function restore(recoveryPointArn: string, metadata: Record<string, string> = { targetTableName: 'orders-restored' }) {
  const res = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: recoveryPointArn, IamRoleArn: ROLE, Metadata: metadata, ResourceType: 'DynamoDB' });
  if (res.status !== 200) throw new Error(JSON.stringify(res.json));
  return waitFor(() => describeRestore(res.json.RestoreJobId), (r) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(r.json.Status));
}

describe('backup jobs', () => {
  /** A service slow enough (timeScale 20: 50 ms pending, 150 ms running) to observe each state. */
  async function observed<T>(fn: (s: Harness, arn: string) => Promise<T>): Promise<T> {
    const s = await harness({ timeScale: 20 });
    try {
      await createVault(s);
      return await fn(s, s.dynamo.addTable('orders', seedItems(5)));
    } finally {
      await s.cleanup();
    }
  }

  test('StartBackupJob answers CREATED with a DynamoDB-style recovery point ARN', async () => {
    const [res, state] = await observed(async (s, arn) => {
      const r = await s.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: arn, IamRoleArn: ROLE });
      return [r, (await s.call('GET', `/backup-jobs/${r.json.BackupJobId}`)).json.State] as const;
    });
    expect(res.json.RecoveryPointArn).toMatch(new RegExp(`^${tableArn}/backup/\\d{17}-[0-9a-f]{8}$`));
    expect(state).toBe('CREATED');
  });

  test('a backup job moves CREATED → RUNNING (PercentDone growing) → COMPLETED with PercentDone 100', async () => {
    const { seen, done } = await observed(async (s, arn) => {
      const r = await s.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: arn, IamRoleArn: ROLE });
      const seen: string[] = [];
      const done = await waitFor(
        () => s.call('GET', `/backup-jobs/${r.json.BackupJobId}`),
        (x) => {
          seen.push(`${x.json.State}:${x.json.PercentDone}`);
          return x.json.State === 'COMPLETED';
        },
      );
      return { seen, done };
    });
    expect(seen[0]).toBe('CREATED:0.0');
    expect(seen.some((x) => /^RUNNING:(?!0\.0)/.test(x))).toBe(true);
    expect(done.json).toMatchObject({ PercentDone: '100.0', ResourceType: 'DynamoDB', ResourceName: 'orders', BackupSizeInBytes: expect.any(Number) });
  });

  test('the snapshot scans every page of the table', async () => {
    await backupTable(h, tableArn);
    expect(h.dynamo.calls.filter((c) => c.operation === 'Scan')).toHaveLength(3);
  });

  test('a backup of a missing table ends FAILED naming the table', async () => {
    const missing = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/missing`;
    const res = await h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: missing, IamRoleArn: ROLE });
    const done = await waitFor(() => describeJob(res.json.BackupJobId), (r) => r.json.State === 'FAILED');
    expect(done.json.StatusMessage).toMatch(/Table not found: missing/);
  });

  test('StartBackupJob with a non-DynamoDB resource is InvalidParameterValueException', async () => {
    const res = await h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: 'arn:aws:s3:::bucket', IamRoleArn: ROLE });
    expect(res.json.Message).toMatch(/ResourceArn.*not a DynamoDB table ARN/);
  });

  test('StartBackupJob without IamRoleArn is MissingParameterValueException', async () => {
    const res = await h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: tableArn });
    expect(res.json.Code).toBe('MissingParameterValueException');
    expect(res.json.Message).toMatch(/IamRoleArn/);
  });

  test('StopBackupJob aborts a running job', async () => {
    const slow = await harness({ timeScale: 1 });
    try {
      await createVault(slow);
      const arn = slow.dynamo.addTable('tbl1', seedItems(1));
      const res = await slow.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: arn, IamRoleArn: ROLE });
      await slow.call('POST', `/backup-jobs/${res.json.BackupJobId}`);
      const job = await slow.call('GET', `/backup-jobs/${res.json.BackupJobId}`);
      expect(job.json.State).toBe('ABORTED');
    } finally {
      await slow.cleanup();
    }
  });

  test('StopBackupJob on a completed job is InvalidRequestException', async () => {
    const { jobId } = await backupTable(h, tableArn);
    expect((await h.call('POST', `/backup-jobs/${jobId}`)).json.Code).toBe('InvalidRequestException');
  });

  test('ListBackupJobs filters by state and resource and pages', async () => {
    await backupTable(h, tableArn);
    await backupTable(h, tableArn);
    const page1 = await h.call('GET', '/backup-jobs', undefined, { resourceArn: tableArn, state: 'COMPLETED', maxResults: '1' });
    expect(page1.json.BackupJobs).toHaveLength(1);
    const page2 = await h.call('GET', '/backup-jobs', undefined, { resourceArn: tableArn, state: 'COMPLETED', maxResults: '1', nextToken: page1.json.NextToken });
    expect(page2.json.BackupJobs[0].BackupJobId).not.toBe(page1.json.BackupJobs[0].BackupJobId);
    expect((await h.call('GET', '/backup-jobs', undefined, { state: 'FAILED' })).json.BackupJobs).toHaveLength(0);
  });

  test('ListBackupJobs createdAfter in the future returns nothing', async () => {
    await backupTable(h, tableArn);
    const res = await h.call('GET', '/backup-jobs', undefined, { createdAfter: new Date(Date.now() + 60_000).toISOString() });
    expect(res.json.BackupJobs).toEqual([]);
  });

  test('a larger table takes longer (duration grows with item count)', async () => {
    const timed = async (n: number) => {
      const s = await harness({ timeScale: 100 });
      try {
        await createVault(s);
        s.dynamo.scanPageSize = 1000;
        const arn = s.dynamo.addTable('big', seedItems(n));
        const t0 = Date.now();
        await backupTable(s, arn);
        return Date.now() - t0;
      } finally {
        await s.cleanup();
      }
    };
    const small = await timed(1);
    const large = await timed(1500);
    expect(large).toBeGreaterThan(small + 15);
  });
});

describe('job faults', () => {
  test('a FAILED backup fault ends the job FAILED with its message', async () => {
    h.faults.jobFaults.push({ job: 'backup', outcome: 'FAILED', message: 'injected: disk on fire', count: 1 });
    const res = await h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: tableArn, IamRoleArn: ROLE });
    const done = await waitFor(() => describeJob(res.json.BackupJobId), (r) => r.json.State === 'FAILED');
    expect(done.json.StatusMessage).toBe('injected: disk on fire');
  });

  test('a HANG backup fault keeps the job RUNNING until cleared, then it completes', async () => {
    h.faults.jobFaults.push({ job: 'backup', outcome: 'HANG', count: 1 });
    const res = await h.call('PUT', '/backup-jobs', { BackupVaultName: 'vault1', ResourceArn: tableArn, IamRoleArn: ROLE });
    await waitFor(() => describeJob(res.json.BackupJobId), (r) => r.json.State === 'RUNNING');
    await new Promise((r) => setTimeout(r, 30));
    expect((await describeJob(res.json.BackupJobId)).json.State).toBe('RUNNING');
    h.faults.jobFaults = [];
    const done = await waitFor(() => describeJob(res.json.BackupJobId), (r) => r.json.State !== 'RUNNING');
    expect(done.json.State).toBe('COMPLETED');
  });

  test('a FAILED restore fault ends the restore FAILED with its message', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    h.faults.jobFaults.push({ job: 'restore', outcome: 'FAILED', message: 'injected restore failure', count: 1 });
    const done = await restore(recoveryPointArn);
    expect(done.json).toMatchObject({ Status: 'FAILED', StatusMessage: 'injected restore failure' });
  });

  test('a HANG restore fault keeps the restore RUNNING until cleared', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    h.faults.jobFaults.push({ job: 'restore', outcome: 'HANG', count: 1 });
    const res = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: recoveryPointArn, IamRoleArn: ROLE, Metadata: { targetTableName: 'rst1' } });
    await waitFor(() => describeRestore(res.json.RestoreJobId), (r) => r.json.Status === 'RUNNING');
    await new Promise((r) => setTimeout(r, 30));
    expect((await describeRestore(res.json.RestoreJobId)).json.Status).toBe('RUNNING');
    h.faults.jobFaults = [];
    const done = await waitFor(() => describeRestore(res.json.RestoreJobId), (r) => r.json.Status !== 'RUNNING');
    expect(done.json.Status).toBe('COMPLETED');
  });

  test('a FAILED copy fault ends the copy job FAILED with its message and puts nothing in the destination vault', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const dr = await createVault(h, 'dr');
    h.faults.jobFaults.push({ job: 'copy', outcome: 'FAILED', message: 'injected: copy refused', count: 1 });
    const start = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: dr, IamRoleArn: ROLE });
    const done = await waitFor(() => h.call('GET', `/copy-jobs/${start.json.CopyJobId}`), (r) => ['COMPLETED', 'FAILED'].includes(r.json.CopyJob.State));
    expect(done.json.CopyJob).toMatchObject({ State: 'FAILED', StatusMessage: 'injected: copy refused' });
    expect(done.json.CopyJob.DestinationRecoveryPointArn).toBeUndefined();
    expect((await h.call('GET', '/backup-vaults/dr/recovery-points')).json.RecoveryPoints).toEqual([]);
  });

  test('a HANG copy fault keeps the copy RUNNING until cleared, then it completes', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const dr = await createVault(h, 'dr');
    h.faults.jobFaults.push({ job: 'copy', outcome: 'HANG', count: 1 });
    const start = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: dr, IamRoleArn: ROLE });
    const copyJob = () => h.call('GET', `/copy-jobs/${start.json.CopyJobId}`);
    await waitFor(copyJob, (r) => r.json.CopyJob.State === 'RUNNING');
    await new Promise((r) => setTimeout(r, 30));
    expect((await copyJob()).json.CopyJob.State).toBe('RUNNING');
    h.faults.jobFaults = [];
    const done = await waitFor(copyJob, (r) => r.json.CopyJob.State !== 'RUNNING');
    expect(done.json.CopyJob.State).toBe('COMPLETED');
  });

  test('corruption drops items silently and the restore still COMPLETES', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    h.faults.corruption.push({ dropItems: 2, count: 1 });
    const done = await restore(recoveryPointArn);
    expect(done.json.Status).toBe('COMPLETED');
    expect(h.dynamo.tables.get('orders-restored')!.items.size).toBe(3);
  });
});

describe('restore jobs', () => {
  test('a restore recreates schema, indexes and every item and reports CreatedResourceArn', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const done = await restore(recoveryPointArn);
    expect(done.json).toMatchObject({ Status: 'COMPLETED', PercentDone: '100.0', CreatedResourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-restored` });
    const restored = h.dynamo.tables.get('orders-restored')!;
    expect(restored.items.size).toBe(5);
    expect((restored.description.GlobalSecondaryIndexes as any[])[0].IndexName).toBe('byV');
    expect(restored.description.BillingMode).toBe('PAY_PER_REQUEST');
  });

  test('encryptionType KMS creates the table with that key', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/drill`;
    await restore(recoveryPointArn, { targetTableName: 'enc', encryptionType: 'KMS', kmsMasterKeyArn: key });
    const create = h.dynamo.calls.find((c) => c.operation === 'CreateTable')!;
    expect(create.input.SSESpecification).toEqual({ Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key });
  });

  test('encryptionType KMS without a key is MissingParameterValueException naming it', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const res = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: recoveryPointArn, IamRoleArn: ROLE, Metadata: { targetTableName: 'xtbl', encryptionType: 'KMS' } });
    expect(res.json.Message).toMatch(/Metadata\.kmsMasterKeyArn/);
  });

  test('restoring onto an existing table name ends FAILED with "Table already exists"', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const done = await restore(recoveryPointArn, { targetTableName: 'orders' });
    expect(done.json.Status).toBe('FAILED');
    expect(done.json.StatusMessage).toMatch(/Table already exists: orders/);
  });

  test('unprocessed items are retried until written', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    h.dynamo.unprocessedOnce = 1;
    await restore(recoveryPointArn);
    expect(h.dynamo.tables.get('orders-restored')!.items.size).toBe(5);
  });

  test('ListRestoreJobs filters by status', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    await restore(recoveryPointArn);
    expect((await h.call('GET', '/restore-jobs', undefined, { status: 'COMPLETED' })).json.RestoreJobs).toHaveLength(1);
    expect((await h.call('GET', '/restore-jobs', undefined, { status: 'FAILED' })).json.RestoreJobs).toHaveLength(0);
  });

  test('ListRestoreJobs filters by account like the other job lists (* is every account)', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    await restore(recoveryPointArn);
    expect((await h.call('GET', '/restore-jobs', undefined, { accountId: '*' })).json.RestoreJobs).toHaveLength(1);
    expect((await h.call('GET', '/restore-jobs', undefined, { accountId: ACCOUNT })).json.RestoreJobs).toHaveLength(1);
    expect((await h.call('GET', '/restore-jobs', undefined, { accountId: '111122223333' })).json.RestoreJobs).toHaveLength(0);
  });

  test('StartRestoreJob for an unknown recovery point is ResourceNotFoundException', async () => {
    const res = await h.call('PUT', '/restore-jobs', { RecoveryPointArn: `${tableArn}/backup/nope`, IamRoleArn: ROLE, Metadata: { targetTableName: 'abc' } });
    expect(res.json.Code).toBe('ResourceNotFoundException');
  });

  test('DescribeRestoreJob of an unknown id is ResourceNotFoundException', async () => {
    expect((await describeRestore('nope')).json.Code).toBe('ResourceNotFoundException');
  });
});

describe('copy jobs', () => {
  test('StartCopyJob copies a recovery point into another vault', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const dr = await createVault(h, 'dr');
    const start = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: dr, IamRoleArn: ROLE });
    const done = await waitFor(() => h.call('GET', `/copy-jobs/${start.json.CopyJobId}`), (r) => ['COMPLETED', 'FAILED'].includes(r.json.CopyJob.State));
    expect(done.json.CopyJob.State).toBe('COMPLETED');
    const points = await h.call('GET', '/backup-vaults/dr/recovery-points');
    expect(points.json.RecoveryPoints[0]).toMatchObject({ RecoveryPointArn: done.json.CopyJob.DestinationRecoveryPointArn, SourceBackupVaultArn: expect.stringMatching(/vault1$/) });
    expect(enc(points.json.RecoveryPoints[0].RecoveryPointArn)).toMatch(/recovery-point/);
  });

  test('ListCopyJobs filters by state, account, resource type and completion time like the other job lists', async () => {
    const { recoveryPointArn } = await backupTable(h, tableArn);
    const dr = await createVault(h, 'dr');
    const start = await h.call('PUT', '/copy-jobs', { RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: 'vault1', DestinationBackupVaultArn: dr, IamRoleArn: ROLE });
    await waitFor(() => h.call('GET', `/copy-jobs/${start.json.CopyJobId}`), (r) => ['COMPLETED', 'FAILED'].includes(r.json.CopyJob.State));
    const list = async (query: Record<string, string>) => (await h.call('GET', '/copy-jobs', undefined, query)).json.CopyJobs as unknown[];
    expect(await list({ state: 'COMPLETED', accountId: '*' })).toHaveLength(1);
    expect(await list({ accountId: '111122223333' })).toHaveLength(0);
    expect(await list({ resourceType: 'EBS' })).toHaveLength(0);
    expect(await list({ completeAfter: new Date(Date.now() + 60_000).toISOString() })).toHaveLength(0);
    expect(await list({ state: 'PARTIAL' })).toHaveLength(0);
    expect((await h.call('GET', '/copy-jobs', undefined, { state: 'DONE' })).json.Code).toBe('InvalidParameterValueException');
  });
});
