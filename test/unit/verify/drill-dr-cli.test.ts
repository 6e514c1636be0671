/**
 * DR-region faults through `tablesafe drill`, with AWS mocked (the sandbox has no DR stack to copy
 * into yet): a DR copy that is missing, a corrupt one, a restore that hangs in the DR region. Each
 * exits 1 with a complete report and every scratch table the drill created deleted, in its region.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeRestoreJobCommand, ListCopyJobsCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { DeleteTableCommand, RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { runVerifyCli } from '../../../cli/verify';
import type { Report } from '../../../verify/report/report';
import { atT, backup, ddb, DR_KEY, DR_VAULT, happyAws, withDr } from './drill-world';
import { ACCOUNT, outputs, terraformOutputJson } from './fixtures';

jest.setTimeout(30_000);
const sts = mockClient(STSClient);

beforeEach(() => {
  ddb.reset();
  backup.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci` });
});

async function drill(...extra: string[]): Promise<{ code: number; report: Report; dir: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'ts-dr-'));
  writeFileSync(path.join(cwd, 'c.json'), JSON.stringify(withDr()));
  writeFileSync(path.join(cwd, 'o.json'), terraformOutputJson(outputs({ drVaultName: DR_VAULT, drKeyArn: DR_KEY, drVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${DR_VAULT}` })));
  const out: string[] = [];
  const sink = (lines: string[]) => ({ write: (s: string) => lines.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await runVerifyCli(['drill', '--contract', 'c.json', '--outputs', 'o.json', '--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1', ...extra], { stdout: sink(out), stderr: sink([]), cwd });
  const dir = /reports: (.*)/.exec(out.join(''))?.[1]?.trim() ?? '';
  return { code, dir, report: JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report };
}

/** Every scratch table a restore was started into has been deleted (each in its own region). */
async function expectEveryScratchTableDeleted(): Promise<string[]> {
  const created = [
    ...backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input.Metadata?.targetTableName),
    ...ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input.TargetTableName),
  ];
  const deleted = ddb.commandCalls(DeleteTableCommand);
  for (const table of created) expect(deleted.map((c) => c.args[0].input.TableName)).toContain(table);
  const dr = deleted.find((c) => c.args[0].input.TableName?.includes('-dr-'));
  if (dr) expect(await (dr.thisValue as { config: { region: () => Promise<string> } }).config.region()).toBe('us-west-2');
  return created as string[];
}

function expectCompleteReport(dir: string): void {
  for (const f of ['report.json', 'junit.xml', 'report.md', 'report.html', 'SHA256SUMS']) expect(existsSync(path.join(dir, f))).toBe(true);
  expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toMatch(/\| dr \(failed\) \| us-west-2 \|/);
}

test('a DR copy that is missing: exit 1, DRILL-DR-COPY fails, full report, no scratch table left', async () => {
  happyAws();
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  const { code, report, dir } = await drill();
  expect(code).toBe(1);
  expect(report.checks.find((c) => c.id === 'DRILL-DR-COPY')).toMatchObject({ status: 'fail', message: expect.stringMatching(/actual none: no copy job copied it there/) });
  expectCompleteReport(dir);
  expect(await expectEveryScratchTableDeleted()).toHaveLength(2);
  expect(report.drill?.cleanedUp).toBe(true);
});

test('a DR copy that is corrupt: exit 1, DATA-DIGEST names the keys, full report, no scratch table left in either region', async () => {
  happyAws({ dr: atT.slice(1) });
  const { code, report, dir } = await drill();
  expect(code).toBe(1);
  expect(report.checks.find((c) => c.id === 'DATA-DIGEST')?.message).toMatch(/DR-copy restore differs from the backup restore in 1 key\(s\).*\{"ID":"1"\} missing from the DR-copy restore/);
  expectCompleteReport(dir);
  expect(await expectEveryScratchTableDeleted()).toHaveLength(3);
});

test('a restore that hangs in the DR region: exit 1 at the deadline, full report, the DR scratch table deleted there', async () => {
  happyAws();
  backup.on(DescribeRestoreJobCommand).callsFake(async (input) => ({ RestoreJobId: input.RestoreJobId, Status: input.RestoreJobId === 'job-dr' ? 'RUNNING' : 'COMPLETED' }));
  const { code, report, dir } = await drill('--timeout', '2s');
  expect(code).toBe(1);
  expect(report.checks.find((c) => c.id === 'DRILL-RESTORE-DR')?.message).toMatch(/restore job job-dr in us-west-2 still RUNNING after the 2 s deadline/);
  expectCompleteReport(dir);
  expect(await expectEveryScratchTableDeleted()).toHaveLength(3);
});
