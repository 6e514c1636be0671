/**
 * Fidelity bar for global tables: the Terraform AWS provider 5.100 applies an aws_dynamodb_table
 * with a `replica` block in us-west-2 (its own KMS key, point-in-time recovery) against the
 * sandbox, a second plan shows no changes, the replica really exists and takes writes, and
 * destroy removes the replica and the table in both regions.
 */
import * as path from 'node:path';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { tempStateDir } from '../../integration/sandbox/helpers';
import { initArgs, tail, terraform, workdirFrom } from './terraform-cycle';

jest.setTimeout(600_000);

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'terraform', 'global-table', 'main.tf.json');
let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ stateDir: tempStateDir(), quiet: true, timeScale: 100 });
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

const client = (region: string) => new DynamoDBClient({ endpoint: sandbox.endpoint, region });

describe('terraform: aws_dynamodb_table with a replica', () => {
  it('applies', async () => {
    const run = await terraform(dir, ['apply', '-auto-approve'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run) }).toEqual({ code: 0, tail: '' });
  });

  it('plans no changes right after apply (plan -detailed-exitcode exits 0)', async () => {
    const run = await terraform(dir, ['plan', '-detailed-exitcode'], env);
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run, 80) }).toEqual({ code: 0, tail: '' });
  });

  it('made a replica in us-west-2 under its own key, with point-in-time recovery, that receives writes', async () => {
    const east = client('us-east-1');
    const west = client('us-west-2');
    const described = (await east.send(new DescribeTableCommand({ TableName: 'tablesafe-global' }))).Table!;
    const replica = (await west.send(new DescribeTableCommand({ TableName: 'tablesafe-global' }))).Table!;
    const pitr = await west.send(new DescribeContinuousBackupsCommand({ TableName: 'tablesafe-global' }));
    await east.send(new PutItemCommand({ TableName: 'tablesafe-global', Item: { ID: { S: 'replicated' } } }));
    let found: unknown;
    for (let i = 0; i < 100 && !found; i++) {
      found = (await west.send(new GetItemCommand({ TableName: 'tablesafe-global', Key: { ID: { S: 'replicated' } } }))).Item;
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    expect({
      replicas: described.Replicas?.map((r) => [r.RegionName, r.ReplicaStatus]),
      replicaKey: replica.SSEDescription?.KMSMasterKeyArn,
      pitr: pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
      found: Boolean(found),
    }).toEqual({ replicas: [['us-west-2', 'ACTIVE']], replicaKey: expect.stringMatching(/^arn:aws:kms:us-west-2:123456789012:key\//), pitr: 'ENABLED', found: true });
  });

  it('destroys the table and its replica', async () => {
    const run = await terraform(dir, ['destroy', '-auto-approve'], env);
    const left = await Promise.all(['us-east-1', 'us-west-2'].map(async (r) => (await client(r).send(new ListTablesCommand({}))).TableNames));
    expect({ code: run.code, tail: run.code === 0 ? '' : tail(run), left }).toEqual({ code: 0, tail: '', left: [[], []] });
  });
});
