import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { runVerifyCli } from '../../../cli/verify';
import { contract, terraformOutputJson } from './fixtures';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (s: string) => sink.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream(out), stderr: stream(err), cwd }, out, err };
}

describe('tablesafe verify exit code 2', () => {
  it('says to run cdktf synth when the contract is missing', async () => {
    const t = io(mkdtempSync(path.join(tmpdir(), 'ts-cli-')));
    expect(await runVerifyCli(['verify', '--stack', 'demo'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/^tablesafe verify: TS_E_CONTRACT_MISSING: contract .* does not exist — run `npx cdktf synth` first/);
  });

  it('says the stack is not applied when the outputs file is empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-cli-'));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify(contract()));
    writeFileSync(path.join(dir, 'o.json'), '{}');
    const t = io(dir);
    expect(await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/TS_E_NOT_APPLIED: .*o.json has no outputs — stack not applied/);
  });

  it('rejects an unknown option naming it', async () => {
    const t = io(tmpdir());
    expect(await runVerifyCli(['verify', '--frsh'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/--frsh: unknown option \(see tablesafe verify --help\)/);
  });

  it('rejects an invalid --older-than naming the value and the rule, before any AWS call', async () => {
    const t = io(tmpdir());
    expect(await runVerifyCli(['janitor', '--older-than', 'soon', '--region', 'us-east-1', '--endpoint', 'http://127.0.0.1:9'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/--older-than: "soon" is invalid: use a duration such as 90s, 30m, 2h or 1d/);
  });

  it('prints usage with --help and exits 0', async () => {
    const t = io(tmpdir());
    expect(await runVerifyCli(['drill', '--help'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/tablesafe drill/);
  });
});

describe('tablesafe verify against mocked AWS', () => {
  const sts = mockClient(STSClient);
  const clients = [DynamoDBClient, BackupClient, KMSClient, IAMClient, CloudTrailClient, S3Client, ApplicationAutoScalingClient].map((c) => mockClient(c as never));

  function project() {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-cli-'));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify(contract()));
    writeFileSync(path.join(dir, 'o.json'), terraformOutputJson());
    return dir;
  }

  beforeEach(() => {
    sts.reset();
    for (const c of clients) {
      c.reset();
      c.onAnyCommand().resolves({});
    }
  });

  it('exits 2 with how to configure credentials when there are none', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const t = io(project());
    expect(await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json', '--skip-drill'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/TS_E_NO_CREDENTIALS: no AWS credentials: Could not load credentials .* — set AWS_PROFILE \(run `aws sso login` for SSO\)/);
  });

  it('exits 1 with a complete report when checks fail', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
    const dir = project();
    const t = io(dir);
    expect(await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json', '--skip-drill', '--out', 'out'], t.io)).toBe(1);
    const reportDir = /reports: (.*)/.exec(t.out.join(''))![1].trim();
    expect(reportDir.startsWith(path.join(dir, 'out'))).toBe(true);
    for (const f of ['report.json', 'junit.xml', 'report.md', 'report.html', 'SHA256SUMS']) expect(existsSync(path.join(reportDir, f))).toBe(true);
    expect(t.out.join('')).toMatch(/^FAILED: \d+ passed, \d+ failed, \d+ skipped · RPO not measured \(target \d+ min\) · drill skipped/);
  });

  it('prints the report as JSON with --json', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
    const t = io(project());
    await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json', '--skip-drill', '--json'], t.io);
    expect(JSON.parse(t.out.join(''))).toMatchObject({ schemaVersion: 2, tool: 'tablesafe', command: 'verify', verdict: 'FAILED' });
  });

  it('stamps the report with the tool version, the contract file\'s SHA-256, the CI run and --no-strict', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
    const dir = project();
    const t = io(dir);
    const saved = { ...process.env };
    Object.assign(process.env, { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '77', GITHUB_SHA: 'abc123', GITHUB_REPOSITORY: 'acme/p' });
    try {
      await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json', '--skip-drill', '--no-strict', '--json'], t.io);
    } finally {
      for (const k of ['GITHUB_ACTIONS', 'GITHUB_RUN_ID', 'GITHUB_SHA', 'GITHUB_REPOSITORY']) if (saved[k] === undefined) delete process.env[k];
    }
    const report = JSON.parse(t.out.join(''));
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    expect(report.strict).toBe(false);
    expect(report.provenance).toMatchObject({
      toolVersion: pkg.version,
      contract: { source: path.join(dir, 'c.json'), sha256: createHash('sha256').update(readFileSync(path.join(dir, 'c.json'))).digest('hex') },
      ci: { provider: 'github-actions', runId: '77', commit: 'abc123', repository: 'acme/p' },
    });
  });

  it('rejects a --sample-seed that is no 32-bit whole number, naming it', async () => {
    const t = io(project());
    expect(await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json', '--sample-seed', '-3'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/--sample-seed/);
  });
});
