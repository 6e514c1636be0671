import { mockClient } from 'aws-sdk-client-mock';
import { BackupClient, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, ListRecoveryPointsByBackupVaultCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ScanCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { createClients } from '../../../core/aws/clients';
import { runDrill, DrillOptions } from '../../../verify/drill/drill';
import { contract, KEY_ARN, outputs, TABLE, BACKUP_ROLE_ARN } from './fixtures';

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const NOW = new Date('2026-11-23T12:00:00Z');
const RUN = '20261123t120000-abc123';
const SCRATCH = `tablesafe-drill-${TABLE}-${RUN}`;
const RP = 'arn:aws:backup:us-east-1:123456789012:recovery-point:rp-2';
const items = [1, 2, 3].map((i) => ({ ID: { S: `id-${i}` }, name: { S: `item ${i}` } }));

const notFound = () => Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });

function happyAws(restored = items) {
  backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: [
      { RecoveryPointArn: 'arn:old', Status: 'COMPLETED', CreationDate: new Date('2026-11-23T06:00:00Z') },
      { RecoveryPointArn: RP, Status: 'COMPLETED', CreationDate: new Date('2026-11-23T11:00:00Z') },
      { RecoveryPointArn: 'arn:partial', Status: 'PARTIAL', CreationDate: new Date('2026-11-23T11:30:00Z') },
    ],
  });
  backup.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { originalTableName: TABLE } });
  backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
  backup.on(DescribeRestoreJobCommand).resolvesOnce({ RestoreJobId: 'job-1', Status: 'RUNNING', PercentDone: '50.0%' }).resolves({ RestoreJobId: 'job-1', Status: 'COMPLETED' });
  let deleted = false;
  ddb.on(DeleteTableCommand).callsFake(async () => {
    deleted = true;
    return {};
  });
  ddb.on(DescribeTableCommand, { TableName: SCRATCH }).callsFake(async () => {
    if (deleted) throw notFound();
    return {
      Table: {
        TableName: SCRATCH,
        TableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${SCRATCH}`,
        TableStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
        SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN },
      },
    };
  });
  ddb.on(TagResourceCommand).resolves({});
  ddb.on(ScanCommand, { TableName: TABLE }).callsFake(async (input) => ({ Items: input.Segment === 0 ? items : [], Count: input.Segment === 0 ? items.length : 0 }));
  ddb.on(ScanCommand, { TableName: SCRATCH }).callsFake(async (input) => {
    const page = input.Segment === 0 || input.Segment === undefined ? restored.slice(0, input.Limit ?? restored.length) : [];
    return { Items: page, Count: page.length };
  });
  ddb.on(GetItemCommand).callsFake(async (input) => ({ Item: items.find((i) => i.ID.S === input.Key.ID.S) }));
}

function options(overrides: Partial<DrillOptions> = {}): DrillOptions {
  let t = NOW.getTime();
  return {
    contract: contract(),
    outputs: outputs(),
    clients: createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }),
    runId: RUN,
    digest: true,
    sample: 2,
    poll: { minDelayMs: 10, maxDelayMs: 10, now: () => t, sleep: async (ms) => void (t += ms), random: () => 0 },
    clock: () => new Date(t),
    ...overrides,
  };
}

const statusOf = (r: { checks: { id: string; status: string }[] }, id: string) => r.checks.find((c) => c.id === id)?.status;
const messageOf = (r: { checks: { id: string; message: string }[] }, id: string) => r.checks.find((c) => c.id === id)?.message ?? '';
const deletedTables = () => ddb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName);

beforeEach(() => {
  ddb.reset();
  backup.reset();
});

describe('restore drill', () => {
  it('passes every check on the happy path and records the metrics', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.metrics).toMatchObject({ recoveryPointArn: RP, restoreJobId: 'job-1', rpoMeasuredMinutes: 60, sourceItems: 3, restoredItems: 3, mismatches: 0, cleanedUp: true });
    expect(r.metrics.rtoMeasuredSeconds).toBeGreaterThanOrEqual(0);
  });

  it('restores the newest COMPLETED point into the scratch table with the contract key and the backup role', async () => {
    happyAws();
    await runDrill(options());
    const input = backup.commandCalls(StartRestoreJobCommand)[0].args[0].input;
    expect(input).toMatchObject({ RecoveryPointArn: RP, IamRoleArn: BACKUP_ROLE_ARN, Metadata: { targetTableName: SCRATCH, encryptionType: 'KMS', kmsMasterKeyArn: KEY_ARN, originalTableName: TABLE } });
  });

  it('tags the scratch table with the drill tag and the run id', async () => {
    happyAws();
    await runDrill(options());
    expect(ddb.commandCalls(TagResourceCommand)[0].args[0].input.Tags).toEqual([{ Key: 'tablesafe:drill', Value: 'true' }, { Key: 'tablesafe:run-id', Value: RUN }]);
  });

  it('deletes the scratch table on success and confirms it is gone', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(deletedTables()).toEqual([SCRATCH]);
    expect(messageOf(r, 'DRILL-CLEANUP')).toMatch(/deleted; DescribeTable returns ResourceNotFound/);
  });

  it('reports settings a restore does not carry as to re-apply, not as failures', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(statusOf(r, 'DRILL-REAPPLY')).toBe('skip');
    expect(messageOf(r, 'DRILL-REAPPLY')).toMatch(/to re-apply after a real recovery.*point-in-time recovery.*deletion protection/);
  });

  it('fails with a message when the vault has no COMPLETED recovery point, and starts no restore', async () => {
    happyAws();
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: 'arn:p', Status: 'PARTIAL', CreationDate: NOW }] });
    const r = await runDrill(options());
    expect(messageOf(r, 'DRILL-RECOVERY-POINT')).toMatch(/recoveryPoint: expected a COMPLETED recovery point .* actual none/);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
    expect(deletedTables()).toEqual([]);
  });

  it('paginates recovery points', async () => {
    happyAws();
    backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [{ RecoveryPointArn: 'arn:first', Status: 'COMPLETED', CreationDate: new Date('2026-11-23T10:00:00Z') }], NextToken: 't' })
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: RP, Status: 'COMPLETED', CreationDate: new Date('2026-11-23T11:00:00Z') }] });
    const r = await runDrill(options());
    expect(r.metrics.recoveryPointArn).toBe(RP);
  });

  it('fails the recovery point check when the latest point is older than the RPO', async () => {
    happyAws();
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: RP, Status: 'COMPLETED', CreationDate: new Date('2026-11-21T12:00:00Z') }] });
    const r = await runDrill(options());
    expect(statusOf(r, 'DRILL-RECOVERY-POINT')).toBe('fail');
    expect(messageOf(r, 'DRILL-RECOVERY-POINT')).toMatch(/recoveryPoint.ageMinutes: expected <= 1440, actual 2880/);
  });

  it('fails when the restore job FAILED, with its status message, and cleans up', async () => {
    happyAws();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'FAILED', StatusMessage: 'Access denied to KMS key' });
    ddb.on(DeleteTableCommand).rejects(notFound());
    const r = await runDrill(options());
    expect(messageOf(r, 'DRILL-RESTORE')).toMatch(/restore job job-1 FAILED: Access denied to KMS key/);
    expect(deletedTables()).toEqual([SCRATCH]);
    expect(statusOf(r, 'DRILL-CLEANUP')).toBe('pass');
  });

  it('fails when the restore stays RUNNING past the deadline, and cleans up', async () => {
    happyAws();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'RUNNING' });
    const r = await runDrill(options({ timeoutMs: 1_000 }));
    expect(messageOf(r, 'DRILL-RESTORE')).toMatch(/still RUNNING after the 1 s deadline/);
    expect(deletedTables()).toEqual([SCRATCH]);
  });

  it('retries throttling while polling and then succeeds', async () => {
    happyAws();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    backup.on(DescribeRestoreJobCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({ RestoreJobId: 'job-1', Status: 'COMPLETED' });
    const r = await runDrill(options());
    expect(statusOf(r, 'DRILL-RESTORE')).toBe('pass');
    expect(backup.commandCalls(DescribeRestoreJobCommand)).toHaveLength(3);
  });

  it('fails the count check when the restored table lacks items', async () => {
    happyAws(items.slice(0, 2));
    const r = await runDrill(options());
    expect(messageOf(r, 'DATA-COUNT')).toMatch(/restored.itemCount: expected 3 ± 0, actual 2 \(1 item\(s\) missing or extra\)/);
    expect(deletedTables()).toEqual([SCRATCH]);
  });

  it('accepts a count difference within --tolerance', async () => {
    happyAws(items.slice(0, 2));
    const r = await runDrill(options({ tolerance: 1, digest: false }));
    expect(statusOf(r, 'DATA-COUNT')).toBe('pass');
  });

  it('fails the sample check naming the item and attribute that differ', async () => {
    happyAws([{ ID: { S: 'id-1' }, name: { S: 'tampered' } }, ...items.slice(1)]);
    const r = await runDrill(options());
    expect(messageOf(r, 'DATA-SAMPLE')).toMatch(/1 of 2 sampled item\(s\) differ: \{"ID":"id-1"\}: attribute\(s\) name differ/);
  });

  it('fails the digest check when an unsampled item differs', async () => {
    happyAws([...items.slice(0, 2), { ID: { S: 'id-3' }, name: { S: 'tampered' } }]);
    const r = await runDrill(options({ sample: 1 }));
    expect(statusOf(r, 'DATA-SAMPLE')).toBe('pass');
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/restored.digest: expected [0-9a-f]{64}, actual [0-9a-f]{64}/);
    expect(r.metrics.mismatches).toBe(1);
  });

  it('cleans up and reports an interrupted drill when aborted', async () => {
    happyAws();
    const controller = new AbortController();
    backup.on(DescribeRestoreJobCommand).callsFake(async () => {
      controller.abort();
      return { RestoreJobId: 'job-1', Status: 'RUNNING' };
    });
    const r = await runDrill(options({ signal: controller.signal }));
    expect(messageOf(r, 'DRILL-ABORTED')).toMatch(/interrupted/);
    expect(deletedTables()).toEqual([SCRATCH]);
  });

  it('gives two concurrent drills different scratch tables', async () => {
    const { newRunId, scratchTableName } = await import('../../../verify/drill/scratch');
    const a = scratchTableName(TABLE, newRunId(NOW));
    const b = scratchTableName(TABLE, newRunId(NOW));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^tablesafe-drill-orders-20261123t120000-[0-9a-f]{6}$/);
  });
});

describe('restore drill --fresh', () => {
  it('runs an on-demand backup first and waits for it to complete', async () => {
    happyAws();
    const { StartBackupJobCommand, DescribeBackupJobCommand } = await import('@aws-sdk/client-backup');
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolvesOnce({ State: 'RUNNING' }).resolves({ State: 'COMPLETED' });
    const r = await runDrill(options({ fresh: true }));
    expect(r.metrics.backupJobId).toBe('bj-1');
    expect(statusOf(r, 'DRILL-FRESH-BACKUP')).toBe('pass');
    expect(backup.commandCalls(DescribeBackupJobCommand)).toHaveLength(2);
  });

  it('asks for a retention the vault lock accepts (AWS fails a job kept "forever" in a locked vault)', async () => {
    happyAws();
    const { StartBackupJobCommand, DescribeBackupJobCommand } = await import('@aws-sdk/client-backup');
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolves({ State: 'COMPLETED' });
    const base = contract();
    await runDrill(options({ fresh: true, contract: { ...base, backup: { ...base.backup, minRetentionDays: 7, lock: { mode: 'governance', minRetentionDays: 30, maxRetentionDays: 365 } } } }));
    expect(backup.commandCalls(StartBackupJobCommand)[0].args[0].input.Lifecycle).toEqual({ DeleteAfterDays: 30 });
  });

  it('starts no restore when the on-demand backup FAILED', async () => {
    happyAws();
    const { StartBackupJobCommand, DescribeBackupJobCommand } = await import('@aws-sdk/client-backup');
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolves({ State: 'FAILED', StatusMessage: 'table busy' });
    const r = await runDrill(options({ fresh: true }));
    expect(messageOf(r, 'DRILL-FRESH-BACKUP')).toMatch(/backup job bj-1 FAILURE: backup job FAILED: table busy/);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });
});
