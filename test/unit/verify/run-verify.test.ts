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
    expect(report).toMatchObject({ command: 'verify', runId: 'run-1', stack: 'demo', region: 'us-east-1', inputs: { contract: 'c.json', outputs: 'o.json', caller: 'arn:aws:iam::123456789012:user/ci' } });
    expect(report.drill).toBeUndefined();
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
    expect(report.checks.map((x) => x.id)).toEqual(['DRILL-RECOVERY-POINT']);
    expect(report.verdict).toBe('FAILED');
    expect(report.drill?.cleanedUp).toBe(true);
  });

  it('with --fresh, BACKUP-RPO is judged with the recovery point the drill restored, and says what the drill measured', async () => {
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
    expect(rpo).toMatchObject({ status: 'pass', message: `latest recovery point is ${report.drill?.rpoMeasuredMinutes} min old (RPO 1440 min)` });
    expect(report.checks.filter((x) => x.id === 'BACKUP-RPO')).toHaveLength(1);
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
    expect(report.inputs.caller).toBe('arn:aws:iam::123456789012:user/ci');
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
