/**
 * Fidelity bar 1: the real `demo` and `prod` stacks, synthesized with TABLESAFE_ENDPOINT pointing
 * at the sandbox, apply; a plan right after shows no changes; destroy succeeds and leaves no table,
 * vault, plan, role, trail or bucket behind (keys pending deletion are fine).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BackupClient, ListBackupPlansCommand, ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, DescribeTrailsCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { DeleteObjectCommand, ListBucketsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { synthStacks } from '../../../demo/synth';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { tempStateDir } from '../../integration/sandbox/helpers';
import { initArgs, tail, terraform } from './terraform-cycle';

jest.setTimeout(900_000);

async function leftovers(endpoint: string, regions: string[]) {
  const found: Record<string, unknown[]> = {};
  for (const region of regions) {
    const tables = (await new DynamoDBClient({ endpoint, region }).send(new ListTablesCommand({}))).TableNames ?? [];
    const vaults = (await new BackupClient({ endpoint, region }).send(new ListBackupVaultsCommand({}))).BackupVaultList ?? [];
    const plans = (await new BackupClient({ endpoint, region }).send(new ListBackupPlansCommand({}))).BackupPlansList ?? [];
    const trails = (await new CloudTrailClient({ endpoint, region }).send(new DescribeTrailsCommand({}))).trailList ?? [];
    for (const [kind, list] of Object.entries({ tables, vaults, plans, trails })) if (list.length) found[`${region} ${kind}`] = list;
  }
  const roles = ((await new IAMClient({ endpoint }).send(new ListRolesCommand({}))).Roles ?? []).filter((r) => r.RoleName?.startsWith('tablesafe-'));
  const buckets = (await new S3Client({ endpoint, forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets ?? [];
  if (roles.length) found.roles = roles.map((r) => r.RoleName);
  if (buckets.length) found.buckets = buckets.map((b) => b.Name);
  return found;
}

/**
 * prod tables have deletion protection (as they should); an operator lifts it before a teardown,
 * and so does this test, outside Terraform, exactly as `aws dynamodb update-table` would.
 */
async function liftDeletionProtection(endpoint: string, regions: string[]): Promise<void> {
  for (const region of regions) {
    const ddb = new DynamoDBClient({ endpoint, region });
    for (const name of (await ddb.send(new ListTablesCommand({}))).TableNames ?? []) {
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
      if (Table?.DeletionProtectionEnabled) await ddb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    }
  }
}

/**
 * prod keeps its audit logs: the trail bucket has no force_destroy (as it should), and the trail
 * delivers log files into it, so destroy would stop at BucketNotEmpty, as on AWS. An operator stops
 * the trail, lets its last delivery land, and empties the bucket before a teardown; so does this test.
 */
async function emptyBuckets(endpoint: string, regions: string[], deliveryMs: number): Promise<void> {
  for (const region of regions) {
    const trails = new CloudTrailClient({ endpoint, region });
    for (const t of (await trails.send(new DescribeTrailsCommand({}))).trailList ?? []) if (t.HomeRegion === region) await trails.send(new StopLoggingCommand({ Name: t.TrailARN }));
    trails.destroy();
  }
  await new Promise((r) => setTimeout(r, deliveryMs));
  const s3 = new S3Client({ endpoint, forcePathStyle: true });
  for (const { Name: Bucket } of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) await s3.send(new DeleteObjectCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
  }
  s3.destroy();
}

describe.each([
  ['demo', ['us-east-1']],
  ['prod', ['us-east-1', 'us-west-2']],
])('the %s stack against the sandbox', (stack, regions) => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startSandbox({ stateDir: tempStateDir(), quiet: true, timeScale: 100 });
    env = { ...sandbox.env };
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const outdir = mkdtempSync(path.join(tmpdir(), `tablesafe-synth-${stack}-`));
    dir = synthStacks({ outdir, stacks: [stack], env: { ...process.env, TABLESAFE_ENDPOINT: sandbox.endpoint, TABLESAFE_BACKEND: 'local', TABLESAFE_OFFLINE: undefined, TABLESAFE_ACCOUNT_ID: undefined } })[stack];
    const init = await terraform(dir, initArgs(), env);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${tail(init)}`);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('applies', async () => {
    const run = await terraform(dir, ['apply', '-auto-approve'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run) }).toEqual({ code: 0, tail: '' });
  });

  it('plans no changes right after apply', async () => {
    const run = await terraform(dir, ['plan', '-detailed-exitcode'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run, 80) }).toEqual({ code: 0, tail: '' });
  });

  it('destroys and leaves no table, vault, plan, role, trail or bucket behind', async () => {
    await liftDeletionProtection(sandbox.endpoint, regions);
    // Log files go out every 5 minutes of sandbox time: 3 s at time scale 100.
    await emptyBuckets(sandbox.endpoint, regions, 4_000);
    const run = await terraform(dir, ['destroy', '-auto-approve'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run), left: await leftovers(sandbox.endpoint, regions) }).toEqual({ code: 0, tail: '', left: {} });
  });
});
