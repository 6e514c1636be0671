/** `runVerify()` as a library: contract, outputs and clients in, a report out; no argv, no files. */
import { mockClient } from 'aws-sdk-client-mock';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createClients } from '../../../core/aws/clients';
import { onDemandRetentionDays } from '../../../core/contract';
import { summaryLine } from '../../../verify/report/report';
import { renderMarkdown } from '../../../verify/report/writers';
import { runVerify } from '../../../verify/run';
import { contract, outputs } from './fixtures';

describe('runVerify', () => {
  const sts = mockClient(STSClient);
  const backup = mockClient(BackupClient);
  const ddb = mockClient(DynamoDBClient);
  const others = [ddb, ...[KMSClient, IAMClient, CloudTrailClient, S3Client, ApplicationAutoScalingClient].map((c) => mockClient(c as never))];
  const clients = () => createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });

  beforeEach(() => {
    for (const c of [sts, backup, ...others]) c.reset();
    for (const c of [backup, ...others]) c.onAnyCommand().resolves({});
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
  });

  it('returns a report with the caller, the sources and every check, writing nothing', async () => {
    const c = clients();
    const lines: string[] = [];
    const report = await runVerify({ contract: contract(), outputs: outputs(), clients: c, options: { skipDrill: true, runId: 'run-1', sources: { contract: 'c.json', outputs: 'o.json' }, log: (l) => lines.push(l) } });
    c.destroy();
    expect(report).toMatchObject({
      command: 'verify',
      runId: 'run-1',
      stack: 'demo',
      region: 'us-east-1',
      provenance: { contract: { source: 'c.json' }, outputs: { source: 'o.json' }, caller: 'arn:aws:iam::123456789012:user/ci', account: '123456789012', regions: ['us-east-1'], endpoint: 'http://127.0.0.1:9', localSandbox: true, toolVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) },
    });
    expect(report.provenance.contract.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.drill).toBeUndefined();
    // The drill's declared checks are all there, skipped with the reason; the verdict says no restore was tested.
    const drillChecks = report.checks.filter((x) => x.category === 'drill' || x.category === 'data');
    expect(drillChecks.map((x) => x.id)).toEqual(expect.arrayContaining(['DRILL-RECOVERY-POINT', 'DRILL-RESTORE', 'DATA-COUNT', 'DATA-SAMPLE', 'DATA-DIGEST', 'DRILL-CLEANUP']));
    expect(drillChecks.every((x) => x.status === 'skip' && /drill skipped \(--skip-drill\): no restore tested|nothing to delete/.test(x.message))).toBe(true);
    expect(report.restoreTested).toBe(false);
    expect(report.summary.total).toBe(report.checks.length);
    expect(report.summary.total).toBeGreaterThan(10);
    expect(lines[0]).toMatch(/^tablesafe verify demo \(run run-1\) as arn:aws:iam::123456789012:user\/ci in us-east-1$/);
  });

  it('runs only the drill for command drill, and the drill fails without a recovery point', async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
    const c = clients();
    const report = await runVerify({ contract: contract(), outputs: outputs(), clients: c, options: { command: 'drill' } });
    c.destroy();
    expect(report.command).toBe('drill');
    // Every declared check is there: the ones after the missing recovery point skipped, saying why.
    expect(report.checks.map((x) => x.id)).toEqual(['DRILL-RECOVERY-POINT', 'DRILL-RESTORE', 'DRILL-DESIGN', 'DRILL-RESTORE-PITR', 'DRILL-DESIGN-PITR', 'DRILL-REAPPLY', 'DATA-COUNT', 'DATA-SAMPLE', 'DATA-DIGEST', 'DATA-AT-RISK', 'DRILL-CLEANUP']);
    expect(report.checks.slice(1).every((x) => x.status === 'skip')).toBe(true);
    expect(report.checks.find((x) => x.id === 'DATA-COUNT')?.message).toMatch(/^not run: DRILL-RECOVERY-POINT failed before it/);
    expect(report.checks.find((x) => x.id === 'DRILL-CLEANUP')?.message).toMatch(/nothing to delete/);
    expect(report.verdict).toBe('FAILED');
    expect(report.drill?.cleanedUp).toBe(true);
  });

  it('with --fresh, BACKUP-RPO keeps judging the points from before the run; the fresh backup is a separate figure', async () => {
    // The live checks run first and see no recovery point; the drill's on-demand backup makes one.
    backup.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [] })
      .callsFake(() => ({ RecoveryPoints: [{ RecoveryPointArn: 'arn:aws:backup:us-east-1:123456789012:recovery-point:fresh', Status: 'COMPLETED', CreationDate: new Date() }] }));
    backup.on(StartBackupJobCommand).resolves({ BackupJobId: 'job-1' });
    backup.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'job-1', State: 'COMPLETED' });
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'restore-1' });
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: 'restore-1', Status: 'COMPLETED' });
    let deleted = false;
    ddb.on(DeleteTableCommand).callsFake(() => ((deleted = true), {}));
    ddb.on(DescribeTableCommand).callsFake((input) => {
      if (deleted && input.TableName !== 'orders') throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return { Table: { TableName: input.TableName, TableStatus: 'ACTIVE' } };
    });
    const c = clients();
    const report = await runVerify({ contract: contract(), outputs: outputs(), clients: c, options: { fresh: true, runId: 'run-fresh' } });
    c.destroy();
    const rpo = report.checks.find((x) => x.id === 'BACKUP-RPO');
    expect(report.checks.find((x) => x.id === 'DRILL-FRESH-BACKUP')?.status).toBe('pass');
    expect(rpo).toMatchObject({ status: 'fail', message: 'recoveryPoint.latestCompleted: expected a COMPLETED recovery point, actual none in the vault' });
    expect(report.checks.filter((x) => x.id === 'BACKUP-RPO')).toHaveLength(1);
    // The headline never shows the fresh backup's age as the RPO.
    expect(report.figures.rpo).toMatchObject({ status: 'fail', judgedBy: 'BACKUP-RPO' });
    expect(report.figures.rpo.ageMinutes).toBeUndefined();
    expect(report.figures.freshBackup).toMatchObject({ backupJobId: 'job-1', recoveryPointArn: 'arn:aws:backup:us-east-1:123456789012:recovery-point:fresh' });
    expect(summaryLine(report)).toMatch(/RPO not measured \(target 1440 min\) · fresh backup [\d.]+ min old \(not the RPO\)/);
  });

  it('rejects invalid options before calling AWS', async () => {
    const c = clients();
    await expect(runVerify({ contract: contract(), outputs: outputs(), clients: c, options: { sample: -2 } })).rejects.toMatchObject({ code: 'TS_E_USAGE', field: 'sample' });
    c.destroy();
    expect(sts.calls()).toHaveLength(0);
  });

  it('runs each phase with its own clients (the stack\'s roles) and records which identity ran which phase', async () => {
    const c = clients();
    const as = (arn: string) => ({ send: async () => ({ Account: '123456789012', Arn: arn }) }) as unknown as STSClient;
    const auditorArn = 'arn:aws:sts::123456789012:assumed-role/demo-auditor/tablesafe-audit-run-roles';
    const drillArn = 'arn:aws:sts::123456789012:assumed-role/demo-restore-drill/tablesafe-drill-run-roles';
    const drillBackupCalls: string[] = [];
    const drillBackup = { send: async (cmd: object) => (drillBackupCalls.push(cmd.constructor.name), { RecoveryPoints: [] }) } as unknown as BackupClient;
    const lines: string[] = [];
    const report = await runVerify({
      contract: contract(),
      outputs: outputs(),
      clients: c,
      phaseClients: { liveChecks: { ...c, sts: as(auditorArn) }, drill: { ...c, sts: as(drillArn), backup: drillBackup } },
      options: { runId: 'run-roles', log: (l) => lines.push(l) },
    });
    c.destroy();
    expect(report.identities).toEqual({ liveChecks: auditorArn, drill: drillArn });
    expect(report.provenance.caller).toBe('arn:aws:iam::123456789012:user/ci');
    expect(drillBackupCalls).toContain('ListRecoveryPointsByBackupVaultCommand');
    expect(lines).toEqual(expect.arrayContaining([`live checks as ${auditorArn}`, `drill as ${drillArn}`]));
    expect(renderMarkdown(report)).toContain(`Identities: live checks as \`${auditorArn}\` · drill as \`${drillArn}\``);
  });

  it('without phase clients every phase runs as the caller, and the report says so', async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
    const c = clients();
    const report = await runVerify({ contract: contract(), outputs: outputs(), clients: c, options: { runId: 'run-caller' } });
    c.destroy();
    expect(report.identities).toEqual({ liveChecks: 'arn:aws:iam::123456789012:user/ci', drill: 'arn:aws:iam::123456789012:user/ci' });
  });
});

describe('the on-demand backup keeps its recovery point within the vault lock', () => {
  it.each([
    [{ minRetentionDays: 7 }, 7],
    [{ minRetentionDays: 7, lock: { mode: 'governance' as const, minRetentionDays: 30, maxRetentionDays: 365 } }, 30],
    [{ minRetentionDays: 400, lock: { mode: 'governance' as const, minRetentionDays: 1, maxRetentionDays: 365 } }, 365],
  ])('%j → %d days (never "forever", which no lock allows)', (backup, days) => {
    expect(onDemandRetentionDays(backup)).toBe(days);
  });
});
