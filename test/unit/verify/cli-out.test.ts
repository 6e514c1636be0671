/** `tablesafe verify --out` onto a path that cannot hold reports: exit 2, one TS_E_OUT_DIR line, no hang. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
const sts = mockClient(STSClient);
const clients = [DynamoDBClient, BackupClient, KMSClient, IAMClient, CloudTrailClient, S3Client, ApplicationAutoScalingClient].map((c) => mockClient(c as never));

function project() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-cli-out-'));
  writeFileSync(path.join(dir, 'c.json'), JSON.stringify(contract()));
  writeFileSync(path.join(dir, 'o.json'), terraformOutputJson());
  return dir;
}

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (s: string) => sink.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream(out), stderr: stream(err), cwd }, out, err };
}

const VERIFY = ['verify', '--contract', 'c.json', '--outputs', 'o.json', '--skip-drill'];

beforeEach(() => {
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
  for (const c of clients) {
    c.reset();
    c.onAnyCommand().resolves({});
  }
});

describe('tablesafe verify --out', () => {
  it('onto an existing file: exit 2, one line naming the file and what to do, not an unexpected error', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'out.txt'), 'keep');
    const t = io(dir);
    expect(await runVerifyCli([...VERIFY, '--out', 'out.txt'], t.io)).toBe(2);
    const lines = t.err.join('').trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^tablesafe verify: TS_E_OUT_DIR: --out .*out\.txt.*: .*out\.txt is a file, not a directory — pass a directory path/);
    expect(t.err.join('')).not.toMatch(/unexpected error/);
    expect(readdirSync(dir).sort()).toEqual(['c.json', 'o.json', 'out.txt']);
  });

  it('under /proc: exit 2 at once with one TS_E_OUT_DIR line', async () => {
    const t = io(project());
    const started = Date.now();
    expect(await runVerifyCli([...VERIFY, '--out', '/proc/x'], t.io)).toBe(2);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(t.err.join('')).toMatch(/tablesafe verify: TS_E_OUT_DIR: --out \/proc\/x(\/\S+)?: cannot create \/proc\/x: \/proc does not accept new entries \(ENOENT\)/);
  });
});
