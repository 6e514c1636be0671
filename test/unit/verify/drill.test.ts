import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRestoreJobCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  RestoreTableToPointInTimeCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { createClients } from '../../../core/aws/clients';
import { completeChecks, declaredDrillChecks } from '../../../verify/checks/declared';
import { runDrill, DrillOptions, DrillResult } from '../../../verify/drill/drill';
import { contract, KEY_ARN, outputs, TABLE, BACKUP_ROLE_ARN, ACCOUNT } from './fixtures';
import { atT, awsError, backup, ddb, DR, DR_KEY, DR_RP, DR_VAULT, happyAws, item, NOW, PITR, RP, RUN, SCRATCH, T, withDr } from './drill-world';

function options(overrides: Partial<DrillOptions> = {}): DrillOptions {
  let t = NOW.getTime();
  return {
    contract: contract(),
    outputs: outputs({ drVaultName: DR_VAULT, drKeyArn: DR_KEY }),
    clients: createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }),
    runId: RUN,
    digest: true,
    sample: 2,
    poll: { minDelayMs: 10, maxDelayMs: 10, now: () => t, sleep: async (ms) => void (t += ms), random: () => 0 },
    clock: () => new Date(t),
    ...overrides,
  };
}

const statusOf = (r: DrillResult, id: string) => r.checks.find((c) => c.id === id)?.status;
const messageOf = (r: DrillResult, id: string) => r.checks.find((c) => c.id === id)?.message ?? '';
const deletedTables = () => ddb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName).sort();
const failures = (r: DrillResult) => r.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);
const pathOf = (r: DrillResult, path: string) => r.metrics.paths.find((p) => p.path === path);

beforeEach(() => {
  ddb.reset();
  backup.reset();
});

describe('restore drill on a table that took writes after its recovery point', () => {
  it('passes: the backup and point-in-time restores agree exactly on the table at T', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(failures(r)).toEqual([]);
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/^digests equal over 4 item\(s\): backup restore = point-in-time restore$/);
    expect(r.metrics).toMatchObject({ recoveryPointArn: RP, restoreJobId: 'job-1', rpoMeasuredMinutes: 60, sourceItems: 4, restoredItems: 4, mismatches: 0, cleanedUp: true });
    expect(r.metrics.paths.map((p) => [p.path, p.status, p.agreement?.equal])).toEqual([['backup', 'passed', undefined], ['pitr', 'passed', true]]);
  });

  it('reports the data at risk since the recovery point as a figure, not a failure', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(r.metrics.dataAtRisk).toMatchObject({ by: 'digest', added: 1, changed: 1, removed: 1, total: 3, since: T.toISOString() });
    expect(statusOf(r, 'DATA-AT-RISK')).toBe('pass');
    expect(messageOf(r, 'DATA-AT-RISK')).toMatch(/^3 items changed since the recovery point \(1 added, 1 changed, 1 removed\)/);
    expect(r.checks.find((c) => c.id === 'DATA-AT-RISK')?.evidence).toEqual(expect.arrayContaining(['{"ID":"5"} added since the recovery point', '{"ID":"3"} removed since the recovery point', '{"ID":"4"} changed since the recovery point (name)']));
  });

  it('restores the point in time of the recovery point into its own scratch table, with the contract key', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(ddb.commandCalls(RestoreTableToPointInTimeCommand)[0].args[0].input).toEqual({
      SourceTableName: TABLE, TargetTableName: PITR, RestoreDateTime: T, SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
    });
    expect(pathOf(r, 'pitr')).toMatchObject({ restoreDateTime: T.toISOString(), scratchTable: PITR, rtoMeasuredSeconds: expect.any(Number), cleanedUp: true });
    expect(statusOf(r, 'DRILL-RESTORE-PITR')).toBe('pass');
    expect(statusOf(r, 'DRILL-DESIGN-PITR')).toBe('pass');
  });

  it('restores the newest COMPLETED point into the scratch table with the contract key and the backup role', async () => {
    happyAws();
    await runDrill(options());
    const input = backup.commandCalls(StartRestoreJobCommand)[0].args[0].input;
    expect(input).toMatchObject({ RecoveryPointArn: RP, IamRoleArn: BACKUP_ROLE_ARN, Metadata: { targetTableName: SCRATCH, encryptionType: 'KMS', kmsMasterKeyArn: KEY_ARN, originalTableName: TABLE } });
  });

  it('tags every scratch table with the drill tag and the run id', async () => {
    happyAws();
    await runDrill(options());
    expect(ddb.commandCalls(TagResourceCommand).map((c) => c.args[0].input.ResourceArn?.split('/').pop()).sort()).toEqual([SCRATCH, PITR].sort());
    expect(ddb.commandCalls(TagResourceCommand)[0].args[0].input.Tags).toEqual([{ Key: 'tablesafe:drill', Value: 'true' }, { Key: 'tablesafe:run-id', Value: RUN }]);
  });

  it('deletes every scratch table and confirms each is gone', async () => {
    happyAws();
    const r = await runDrill(options());
    expect(deletedTables()).toEqual([SCRATCH, PITR].sort());
    expect(messageOf(r, 'DRILL-CLEANUP')).toMatch(/deleted; DescribeTable returns ResourceNotFound.*deleted; DescribeTable returns ResourceNotFound/);
  });

  it('reports settings a restore does not carry as to re-apply, not as failures', async () => {
    happyAws();
    const r = await runDrill(options());
    // A note, not a permanently skipped test: it passes and lists what to re-apply.
    expect(statusOf(r, 'DRILL-REAPPLY')).toBe('pass');
    expect(messageOf(r, 'DRILL-REAPPLY')).toMatch(/to re-apply after a real recovery.*point-in-time recovery.*deletion protection/);
  });
});

describe('restore drill: two paths that disagree', () => {
  it('fails when the point-in-time restore drops items, naming the keys', async () => {
    happyAws({ pitr: atT.slice(0, 2) });
    const r = await runDrill(options());
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/point-in-time restore differs from the backup restore in 2 key\(s\) \(2 missing, 0 extra, 0 changed\): \{"ID":"(3|4)"\} missing from the point-in-time restore; \{"ID":"(3|4)"\} missing from the point-in-time restore/);
    expect(messageOf(r, 'DATA-COUNT')).toMatch(/pitr.restored.itemCount: expected 4 ± 0 \(the backup restore's\), actual 2 \(2 item\(s\) missing or extra\)/);
    expect(pathOf(r, 'pitr')).toMatchObject({ status: 'failed', agreement: { equal: false, missing: 2 } });
    expect(r.metrics.mismatches).toBe(2);
    expect(deletedTables()).toEqual([SCRATCH, PITR].sort());
  });

  it('fails when the recovery point is corrupted: the point-in-time restore holds keys the backup restore lacks', async () => {
    happyAws({ backup: atT.slice(1) });
    const r = await runDrill(options());
    expect(statusOf(r, 'DATA-DIGEST')).toBe('fail');
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/\{"ID":"1"\} only in the point-in-time restore/);
  });

  it('names the attributes of an item that differs', async () => {
    happyAws({ pitr: [item('1', 'tampered'), ...atT.slice(1)] });
    // A sample as large as the table compares every item, so the tampered one is among them.
    const r = await runDrill(options({ sample: atT.length }));
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/\{"ID":"1"\} differs in the point-in-time restore \(name\)/);
    expect(messageOf(r, 'DATA-SAMPLE')).toMatch(/\{"ID":"1"\}: attribute\(s\) name differ in the point-in-time restore/);
  });

  it('lists at most maxKeys keys and says how many more differ', async () => {
    happyAws({ pitr: [] });
    const r = await runDrill(options({ maxKeys: 1 }));
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/in 4 key\(s\) \(4 missing.*missing from the point-in-time restore; … 3 more$/);
    expect(pathOf(r, 'pitr')?.agreement?.keys).toHaveLength(1);
  });

  it('accepts differing keys within --tolerance', async () => {
    happyAws({ pitr: atT.slice(0, 3) });
    const r = await runDrill(options({ tolerance: 1 }));
    expect(statusOf(r, 'DATA-DIGEST')).toBe('pass');
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/within the tolerance of 1/);
  });

  it('compares counts only with --no-digest', async () => {
    happyAws({ pitr: atT.slice(0, 3) });
    const r = await runDrill(options({ digest: false, sample: 0 }));
    expect(statusOf(r, 'DATA-DIGEST')).toBe('skip');
    expect(statusOf(r, 'DATA-COUNT')).toBe('fail');
    expect(r.metrics.dataAtRisk).toMatchObject({ by: 'count', total: 0 });
  });
});

describe('restore drill: the point-in-time path', () => {
  it('waits until the restorable window reaches the recovery point\'s time', async () => {
    happyAws();
    const window = (latest: string) => ({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED' as const, PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' as const, EarliestRestorableDateTime: new Date('2026-11-20T00:00:00Z'), LatestRestorableDateTime: new Date(latest) } } });
    ddb.on(DescribeContinuousBackupsCommand).resolvesOnce(window('2026-11-23T10:56:00Z')).resolves(window('2026-11-23T11:01:00Z'));
    const r = await runDrill(options());
    expect(failures(r)).toEqual([]);
    expect(ddb.commandCalls(DescribeContinuousBackupsCommand)).toHaveLength(2);
  });

  it('fails the pitr path when the window starts after the recovery point, and still validates nothing against it', async () => {
    happyAws();
    ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: new Date('2026-11-23T11:30:00Z'), LatestRestorableDateTime: new Date('2026-11-23T11:55:00Z') } } });
    const r = await runDrill(options());
    expect(messageOf(r, 'DRILL-RESTORE-PITR')).toMatch(/no point-in-time restore to 2026-11-23T11:00:00.000Z: the point-in-time window of orders starts at 2026-11-23T11:30:00.000Z/);
    expect(ddb.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
    expect(pathOf(r, 'pitr')?.status).toBe('failed');
    expect(deletedTables()).toEqual([SCRATCH]);
  });

  it('fails the pitr path with AWS\'s error when RestoreTableToPointInTime is refused, and cleans up every path', async () => {
    happyAws();
    ddb.on(RestoreTableToPointInTimeCommand).rejects(awsError('PointInTimeRecoveryUnavailableException', 'Point in time recovery is not enabled'));
    const r = await runDrill(options());
    expect(messageOf(r, 'DRILL-RESTORE-PITR')).toMatch(/RestoreTableToPointInTime of orders to 2026-11-23T11:00:00.000Z failed: PointInTimeRecoveryUnavailableException: Point in time recovery is not enabled/);
    expect(statusOf(r, 'DRILL-RESTORE')).toBe('pass');
    expect(deletedTables()).toEqual([SCRATCH, PITR].sort());
    expect(statusOf(r, 'DRILL-CLEANUP')).toBe('pass');
  });
});

describe('restore drill: the DR-copy path', () => {
  const dr = (overrides: Partial<DrillOptions> = {}) => options({ contract: withDr(), ...overrides });
  const drRestoreCalls = () => backup.commandCalls(StartRestoreJobCommand).filter((c) => c.args[0].input.RecoveryPointArn === DR_RP);

  it('restores the DR vault\'s copy of the recovery point in the DR region, with the DR key, and agrees with the backup restore', async () => {
    happyAws();
    const r = await runDrill(dr());
    expect(failures(r)).toEqual([]);
    const call = drRestoreCalls()[0];
    expect(call.args[0].input.Metadata).toMatchObject({ targetTableName: DR, encryptionType: 'KMS', kmsMasterKeyArn: DR_KEY });
    expect(await (call.thisValue as BackupClient).config.region()).toBe('us-west-2');
    expect(pathOf(r, 'dr')).toMatchObject({ region: 'us-west-2', recoveryPointArn: DR_RP, restoreJobId: 'job-dr', copyJobId: 'cj-1', status: 'passed', agreement: { equal: true } });
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/backup restore = point-in-time restore = DR-copy restore/);
  });

  it('deletes the DR scratch table in the DR region', async () => {
    happyAws();
    const r = await runDrill(dr());
    const call = ddb.commandCalls(DeleteTableCommand).find((c) => c.args[0].input.TableName === DR);
    expect(await (call?.thisValue as DynamoDBClient).config.region()).toBe('us-west-2');
    expect(messageOf(r, 'DRILL-CLEANUP')).toMatch(/\(us-west-2\)/);
    expect(deletedTables()).toEqual([SCRATCH, PITR, DR].sort());
  });

  it('fails when the DR vault holds no copy of the recovery point, and restores nothing there', async () => {
    happyAws();
    backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
    const r = await runDrill(dr());
    expect(messageOf(r, 'DRILL-DR-COPY')).toMatch(/drCopy: expected a COMPLETED copy of .*rp-2 in tablesafe-demo-dr-vault \(us-west-2\), actual none/);
    expect(drRestoreCalls()).toHaveLength(0);
    expect(pathOf(r, 'dr')?.status).toBe('failed');
    expect(statusOf(r, 'DATA-DIGEST')).toBe('pass');
  });

  it('fails when the copy the copy job made is gone from the DR vault', async () => {
    happyAws();
    backup.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: DR_VAULT }).resolves({ RecoveryPoints: [] });
    const r = await runDrill(dr());
    expect(messageOf(r, 'DRILL-DR-COPY')).toMatch(/copy job cj-1 made .*rp-2-copy, but tablesafe-demo-dr-vault \(us-west-2\) does not list it/);
  });

  it('waits for a copy job still running', async () => {
    happyAws();
    backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [{ CopyJobId: 'cj-2', SourceRecoveryPointArn: RP, DestinationBackupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${DR_VAULT}`, State: 'RUNNING' }] });
    backup.on(DescribeCopyJobCommand).resolvesOnce({ CopyJob: { CopyJobId: 'cj-2', State: 'RUNNING' } }).resolves({ CopyJob: { CopyJobId: 'cj-2', State: 'COMPLETED', DestinationRecoveryPointArn: DR_RP } });
    const r = await runDrill(dr());
    expect(failures(r)).toEqual([]);
    expect(pathOf(r, 'dr')).toMatchObject({ copyJobId: 'cj-2', recoveryPointArn: DR_RP });
  });

  it('fails naming the keys when the DR copy is corrupt', async () => {
    happyAws({ dr: atT.slice(0, 3) });
    const r = await runDrill(dr());
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/DR-copy restore differs from the backup restore in 1 key\(s\).*\{"ID":"4"\} missing from the DR-copy restore/);
    expect(pathOf(r, 'dr')?.status).toBe('failed');
    expect(pathOf(r, 'pitr')?.status).toBe('passed');
  });

  it('fails at the deadline when the restore hangs in the DR region, and deletes the DR scratch table there', async () => {
    happyAws();
    backup.on(DescribeRestoreJobCommand).callsFake(async (input) => ({ RestoreJobId: input.RestoreJobId, Status: input.RestoreJobId === 'job-dr' ? 'RUNNING' : 'COMPLETED' }));
    const r = await runDrill(dr({ timeoutMs: 1_000 }));
    expect(messageOf(r, 'DRILL-RESTORE-DR')).toMatch(/restore job job-dr in us-west-2 still RUNNING after the 1 s deadline .*tablesafe janitor --region us-west-2/);
    expect(statusOf(r, 'DRILL-RESTORE')).toBe('pass');
    expect(deletedTables()).toContain(DR);
    expect(statusOf(r, 'DRILL-CLEANUP')).toBe('pass');
  });

  it('copies a --fresh recovery point into the DR vault and restores that copy', async () => {
    happyAws();
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolves({ State: 'COMPLETED', RecoveryPointArn: RP });
    backup.on(StartCopyJobCommand).resolves({ CopyJobId: 'cj-1' });
    const r = await runDrill(dr({ fresh: true, outputs: outputs({ drVaultName: DR_VAULT, drKeyArn: DR_KEY, drVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${DR_VAULT}` }) }));
    expect(backup.commandCalls(StartCopyJobCommand)[0].args[0].input).toMatchObject({ RecoveryPointArn: RP, DestinationBackupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${DR_VAULT}`, IamRoleArn: BACKUP_ROLE_ARN });
    expect(failures(r)).toEqual([]);
  });
});

describe('restore drill: choosing paths', () => {
  it('runs only the paths asked for', async () => {
    happyAws();
    const r = await runDrill(options({ contract: withDr(), paths: ['backup'] }));
    expect(r.metrics.paths.map((p) => p.path)).toEqual(['backup']);
    expect(ddb.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
    expect(backup.commandCalls(ListCopyJobsCommand)).toHaveLength(0);
  });

  it('with the backup path alone, a live table that changed is data at risk, not a failure', async () => {
    happyAws();
    const r = await runDrill(options({ paths: ['backup'] }));
    expect(failures(r)).toEqual([]);
    expect(statusOf(r, 'DATA-DIGEST')).toBe('skip');
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/differs from the live source in 3 item\(s\), changed since the recovery point \(data at risk\), not a failure/);
    expect(statusOf(r, 'DATA-COUNT')).toBe('pass');
    expect(r.metrics.dataAtRisk?.total).toBe(3);
  });

  it('with the backup path alone, a quiescent table passes every data check', async () => {
    const world = happyAws();
    world.tables[TABLE] = atT;
    const r = await runDrill(options({ paths: ['backup'] }));
    expect(['DATA-COUNT', 'DATA-SAMPLE', 'DATA-DIGEST'].map((id) => statusOf(r, id))).toEqual(['pass', 'pass', 'pass']);
    expect(messageOf(r, 'DATA-AT-RISK')).toMatch(/^no item changed since the recovery point/);
  });
});

describe('restore drill: the backup path', () => {
  it('fails with a message when the vault has no COMPLETED recovery point, and starts no restore', async () => {
    happyAws();
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: 'arn:p', Status: 'PARTIAL', CreationDate: NOW }] });
    const r = await runDrill(options());
    expect(messageOf(r, 'DRILL-RECOVERY-POINT')).toMatch(/recoveryPoint: expected a COMPLETED recovery point .* actual none/);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
    expect(ddb.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
    expect(deletedTables()).toEqual([]);
    expect(r.metrics.paths.map((p) => p.status)).toEqual(['not-run', 'not-run']);
  });

  it('paginates recovery points', async () => {
    happyAws();
    backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [{ RecoveryPointArn: 'arn:first', Status: 'COMPLETED', CreationDate: new Date('2026-11-23T10:00:00Z') }], NextToken: 't' })
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: RP, Status: 'COMPLETED', CreationDate: T }] });
    const r = await runDrill(options());
    expect(r.metrics.recoveryPointArn).toBe(RP);
  });

  it('fails the recovery point check when the latest point is older than the RPO', async () => {
    happyAws();
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: RP, Status: 'COMPLETED', CreationDate: new Date('2026-11-21T12:00:00Z') }] });
    ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: new Date('2026-11-01T00:00:00Z'), LatestRestorableDateTime: NOW } } });
    const r = await runDrill(options());
    expect(statusOf(r, 'DRILL-RECOVERY-POINT')).toBe('fail');
    expect(messageOf(r, 'DRILL-RECOVERY-POINT')).toMatch(/recoveryPoint.ageMinutes: expected <= 1440, actual 2880/);
  });

  it('fails when the restore job FAILED, with its status message, and cleans up', async () => {
    happyAws();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'FAILED', StatusMessage: 'Access denied to KMS key' });
    const r = await runDrill(options());
    expect(messageOf(r, 'DRILL-RESTORE')).toMatch(/restore job job-1 FAILED: Access denied to KMS key/);
    expect(deletedTables()).toEqual([SCRATCH, PITR].sort());
    expect(statusOf(r, 'DRILL-CLEANUP')).toBe('pass');
    expect(r.checks.filter((c) => c.category === 'data')).toEqual([]);
  });

  it('fails when the restore stays RUNNING past the deadline, and cleans up', async () => {
    happyAws();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'RUNNING' });
    const r = await runDrill(options({ timeoutMs: 1_000 }));
    expect(messageOf(r, 'DRILL-RESTORE')).toMatch(/still RUNNING after the 1 s deadline/);
    expect(deletedTables()).toContain(SCRATCH);
  });

  it('retries throttling while polling and then succeeds', async () => {
    happyAws();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    backup.on(DescribeRestoreJobCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({ RestoreJobId: 'job-1', Status: 'COMPLETED' });
    const r = await runDrill(options());
    expect(statusOf(r, 'DRILL-RESTORE')).toBe('pass');
    expect(backup.commandCalls(DescribeRestoreJobCommand)).toHaveLength(3);
  });

  it('cleans up every path and reports one interruption when aborted', async () => {
    happyAws();
    const controller = new AbortController();
    backup.on(DescribeRestoreJobCommand).callsFake(async () => {
      controller.abort();
      return { RestoreJobId: 'job-1', Status: 'RUNNING' };
    });
    const r = await runDrill(options({ signal: controller.signal }));
    expect(r.checks.filter((c) => c.id === 'DRILL-ABORTED')).toHaveLength(1);
    expect(messageOf(r, 'DRILL-ABORTED')).toMatch(/interrupted/);
    expect(deletedTables()).toContain(SCRATCH);
    expect(r.metrics.cleanedUp).toBe(true);
  });

  it('gives two concurrent drills different scratch tables', async () => {
    const { newRunId, scratchTableName } = await import('../../../verify/drill/scratch');
    const a = scratchTableName(TABLE, newRunId(NOW));
    const b = scratchTableName(TABLE, newRunId(NOW));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^tablesafe-drill-orders-20261123t120000-[0-9a-f]{6}$/);
    expect(scratchTableName(TABLE, RUN, 'pitr')).toBe(PITR);
  });
});

describe('restore drill --fresh', () => {
  it('runs an on-demand backup first and waits for it to complete', async () => {
    happyAws();
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolvesOnce({ State: 'RUNNING' }).resolves({ State: 'COMPLETED' });
    const r = await runDrill(options({ fresh: true }));
    expect(r.metrics.backupJobId).toBe('bj-1');
    expect(statusOf(r, 'DRILL-FRESH-BACKUP')).toBe('pass');
    expect(backup.commandCalls(DescribeBackupJobCommand)).toHaveLength(2);
  });

  it('restores the point its own backup made, even when a schedule made a newer one meanwhile', async () => {
    happyAws();
    const freshPoint = 'arn:aws:backup:us-east-1:123456789012:recovery-point:fresh';
    const newer = 'arn:aws:backup:us-east-1:123456789012:recovery-point:scheduled-later';
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolves({ State: 'COMPLETED', RecoveryPointArn: freshPoint });
    backup.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: contract().backup.vaultName }).resolves({
      RecoveryPoints: [
        { RecoveryPointArn: newer, Status: 'COMPLETED', CreationDate: new Date('2026-11-23T11:59:00Z') },
        { RecoveryPointArn: freshPoint, Status: 'COMPLETED', CreationDate: new Date('2026-11-23T11:58:00Z') },
      ],
    });
    const r = await runDrill(options({ fresh: true, paths: ['backup'] }));
    expect(r.metrics.recoveryPointArn).toBe(freshPoint);
    expect(backup.commandCalls(StartRestoreJobCommand)[0].args[0].input.RecoveryPointArn).toBe(freshPoint);
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

  it('tags the on-demand recovery point with its source table, as the plan does (the drill role restores only such points)', async () => {
    happyAws();
    const { StartBackupJobCommand, DescribeBackupJobCommand } = await import('@aws-sdk/client-backup');
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolves({ State: 'COMPLETED' });
    const c = contract();
    await runDrill(options({ fresh: true, contract: c }));
    expect(backup.commandCalls(StartBackupJobCommand)[0].args[0].input.RecoveryPointTags).toEqual({ 'tablesafe:source-table': c.table.name });
  });

  it('starts no restore when the on-demand backup FAILED', async () => {
    happyAws();
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'bj-1' });
    backup.on(DescribeBackupJobCommand).resolves({ State: 'FAILED', StatusMessage: 'table busy' });
    const r = await runDrill(options({ fresh: true }));
    expect(messageOf(r, 'DRILL-FRESH-BACKUP')).toMatch(/backup job bj-1 FAILURE: backup job FAILED: table busy/);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });
});

describe('restore drill of an empty table', () => {
  it('is inconclusive, never a pass: DATA-COUNT, DATA-SAMPLE and DATA-DIGEST say nothing was validated', async () => {
    happyAws({ backup: [], pitr: [] });
    const r = await runDrill(options());
    for (const id of ['DATA-COUNT', 'DATA-SAMPLE', 'DATA-DIGEST']) {
      expect(statusOf(r, id)).toBe('inconclusive');
      expect(messageOf(r, id)).toMatch(/holds 0 items.*proves nothing about the data.*declare drill.allowEmptyTable/);
    }
    expect(statusOf(r, 'DRILL-RESTORE')).toBe('pass');
    expect(r.metrics.itemsValidated).toBe(0);
    expect(r.metrics.emptyTableAllowed).toBeUndefined();
  });

  it('says the contract allows it when it declares drill.allowEmptyTable', async () => {
    happyAws({ backup: [], pitr: [] });
    const c = contract();
    const r = await runDrill(options({ contract: { ...c, drill: { ...c.drill, allowEmptyTable: true } } }));
    expect(statusOf(r, 'DATA-DIGEST')).toBe('inconclusive');
    expect(messageOf(r, 'DATA-DIGEST')).toMatch(/the contract declares the table may be empty \(drill.allowEmptyTable\), so this does not fail the run/);
    expect(r.metrics.emptyTableAllowed).toBe(true);
  });
});

describe('DATA-SAMPLE records what it sampled', () => {
  it('lists every sampled key with the method and the seed, and titles carry no count', async () => {
    happyAws();
    const r = await runDrill(options({ sample: 2, sampleSeed: 1234 }));
    const sample = r.checks.find((c) => c.id === 'DATA-SAMPLE');
    expect(sample?.title).not.toMatch(/\d/);
    expect(r.metrics.sampling).toMatchObject({ method: 'seeded-segment-offset', seed: 1234, requested: 2, sampled: 2, keysOmitted: 0 });
    expect(r.metrics.sampling?.keys).toHaveLength(2);
    for (const k of r.metrics.sampling?.keys ?? []) expect(sample?.evidence).toContain(`sampled key ${k.key} (segment ${k.segment}, offset ${k.offset})`);
    expect(sample?.evidence).toContain('sampled 2 of 2 asked for');
    expect(sample?.message).toMatch(/^2 sampled item\(s\) equal/);
  });

  it('draws the same keys with the same seed', async () => {
    happyAws();
    const a = await runDrill(options({ sample: 2, sampleSeed: 99 }));
    ddb.reset();
    backup.reset();
    happyAws();
    const b = await runDrill(options({ sample: 2, sampleSeed: 99 }));
    expect(b.metrics.sampling?.keys).toEqual(a.metrics.sampling?.keys);
  });
});

describe('every declared check appears in every run', () => {
  const ids = (checks: readonly { id: string }[]) => checks.map((c) => c.id).sort();
  const declared = declaredDrillChecks(['backup', 'pitr'], false);
  const complete = (r: DrillResult) => completeChecks(r.checks, declared, (id) => id, 'drill skipped');

  it('a failed restore reports the same checks as a passing drill, the unreachable ones skipped with the reason', async () => {
    happyAws();
    const ok = complete(await runDrill(options()));
    backup.reset();
    ddb.reset();
    happyAws();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'FAILED', StatusMessage: 'Access denied to KMS key' });
    const failed = complete(await runDrill(options()));
    expect(ids(failed)).toEqual(ids(ok));
    expect(failed.find((c) => c.id === 'DATA-DIGEST')).toMatchObject({ status: 'skip', message: expect.stringMatching(/^not run: DRILL-RESTORE failed before it \(restore job job-1 FAILED/) });
  });

  it('a skipped drill reports them too, each skipped', () => {
    const skipped = completeChecks([], declared, (id) => id, 'drill skipped (--skip-drill): no restore tested');
    expect(skipped.map((c) => c.id)).toEqual(declared.map((d) => d.id));
    expect(skipped.every((c) => c.status === 'skip')).toBe(true);
  });

  it('a restore timeout is an error of verify, not a failure of the platform', async () => {
    happyAws();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'job-1', Status: 'RUNNING' });
    const r = await runDrill(options({ timeoutMs: 1_000 }));
    expect(r.checks.find((c) => c.id === 'DRILL-RESTORE')).toMatchObject({ status: 'fail', error: true, message: expect.stringMatching(/TS_E_RESTORE_TIMEOUT/) });
  });
});
