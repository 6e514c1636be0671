/**
 * Fidelity bar: the real Terraform AWS provider 5.100 applies a configuration with every resource
 * type tablesafe provisions against the sandbox, a second plan shows no changes, and destroy
 * leaves no table, role, trail, bucket, topic or scalable target behind.
 */
import * as path from 'node:path';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { BackupClient, ListBackupPlansCommand, ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { tempStateDir } from '../../integration/sandbox/helpers';
import { initArgs, tail, terraform, workdirFrom } from './terraform-cycle';

jest.setTimeout(600_000);

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'terraform', 'platform', 'main.tf.json');
let sandbox: Sandbox;
let stateDir: string;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  stateDir = tempStateDir();
  sandbox = await startSandbox({ stateDir, quiet: true, timeScale: 100 });
  env = { ...sandbox.env };
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  dir = workdirFrom(FIXTURE);
  const init = await terraform(dir, initArgs(), env);
  if (init.code !== 0) throw new Error(`terraform init failed:\n${tail(init)}`);
});
afterAll(async () => {
  await terraform(dir, ['destroy', '-auto-approve'], env);
  await sandbox?.stop();
});

describe('terraform against the sandbox (fixture with every platform resource type)', () => {
  it('applies', async () => {
    const run = await terraform(dir, ['apply', '-auto-approve'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run) }).toEqual({ code: 0, tail: '' });
  });

  it('plans no changes right after apply (plan -detailed-exitcode exits 0)', async () => {
    const run = await terraform(dir, ['plan', '-detailed-exitcode'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run, 80) }).toEqual({ code: 0, tail: '' });
  });

  it('still plans no changes after the sandbox restarts on the same state dir (journal replay)', async () => {
    await sandbox.stop();
    sandbox = await startSandbox({ stateDir, quiet: true, timeScale: 100 });
    env = { ...sandbox.env };
    const run = await terraform(dir, ['plan', '-detailed-exitcode'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run, 80) }).toEqual({ code: 0, tail: '' });
  });

  it('destroys', async () => {
    const run = await terraform(dir, ['destroy', '-auto-approve'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run) }).toEqual({ code: 0, tail: '' });
  });

  it('leaves no table, role, trail, bucket, topic, vault, plan or scalable target behind', async () => {
    const endpoint = sandbox.endpoint;
    const left = {
      tables: (await new DynamoDBClient({ endpoint }).send(new ListTablesCommand({}))).TableNames,
      roles: (await new IAMClient({ endpoint }).send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName).filter((n) => n?.startsWith('tablesafe-')),
      trails: (await new CloudTrailClient({ endpoint }).send(new DescribeTrailsCommand({}))).trailList,
      buckets: (await new S3Client({ endpoint, forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets ?? [],
      topics: (await new SNSClient({ endpoint }).send(new ListTopicsCommand({}))).Topics,
      vaults: (await new BackupClient({ endpoint }).send(new ListBackupVaultsCommand({}))).BackupVaultList,
      plans: (await new BackupClient({ endpoint }).send(new ListBackupPlansCommand({}))).BackupPlansList,
      targets: (await new ApplicationAutoScalingClient({ endpoint }).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }))).ScalableTargets,
    };
    expect(left).toEqual({ tables: [], roles: [], trails: [], buckets: [], topics: [], vaults: [], plans: [], targets: [] });
  });
});
