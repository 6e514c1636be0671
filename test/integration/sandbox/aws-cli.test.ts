/**
 * The AWS CLI v1 walk-through from the project's seed notes (001), verbatim, with only
 * `--endpoint-url` added; the output must be AWS-shaped JSON.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sandbox } from '../../../sandbox';
import { BACKUP_TRUST_POLICY, startTestSandbox } from './helpers';

const run = promisify(execFile);
jest.setTimeout(60_000);
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function aws(...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run('aws', ['--endpoint-url', sandbox.endpoint, '--output', 'json', ...args], {
    env: { ...process.env, ...sandbox.env, AWS_PAGER: '' },
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

describe('aws CLI walk-through (seed 001)', () => {
  it('create-table answers a TableDescription with the key schema and throughput', async () => {
    const out = await aws('dynamodb', 'create-table',
      '--table-name', 'DynamoDBForgeTable',
      '--attribute-definitions', 'AttributeName=ID,AttributeType=S',
      '--key-schema', 'AttributeName=ID,KeyType=HASH',
      '--provisioned-throughput', 'ReadCapacityUnits=5,WriteCapacityUnits=5');
    expect(out.TableDescription).toMatchObject({
      TableName: 'DynamoDBForgeTable',
      KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/DynamoDBForgeTable',
    });
  });

  it('put-item succeeds with an empty answer', async () => {
    const out = await aws('dynamodb', 'put-item',
      '--table-name', 'DynamoDBForgeTable',
      '--item', '{"ID": {"S": "1"}, "Name": {"S": "Arkan"}, "Role": {"S": "Developer"}}');
    expect(out).toEqual({});
  });

  it('get-item returns the item', async () => {
    const out = await aws('dynamodb', 'get-item', '--table-name', 'DynamoDBForgeTable', '--key', '{"ID": {"S": "1"}}');
    expect(out.Item).toEqual({ ID: { S: '1' }, Name: { S: 'Arkan' }, Role: { S: 'Developer' } });
  });

  it('update-item as written in the seed is refused like AWS refuses it: Role is a reserved word', async () => {
    await expect(aws('dynamodb', 'update-item',
      '--table-name', 'DynamoDBForgeTable',
      '--key', '{"ID": {"S": "1"}}',
      '--update-expression', 'SET Role = :r',
      '--expression-attribute-values', '{":r": {"S": "Senior Developer"}}')).rejects.toThrow(/ValidationException.*reserved keyword: Role/);
  });

  it('update-item with an expression attribute name for Role changes the attribute', async () => {
    await aws('dynamodb', 'update-item',
      '--table-name', 'DynamoDBForgeTable',
      '--key', '{"ID": {"S": "1"}}',
      '--update-expression', 'SET #r = :r',
      '--expression-attribute-names', '{"#r": "Role"}',
      '--expression-attribute-values', '{":r": {"S": "Senior Developer"}}');
    const out = await aws('dynamodb', 'get-item', '--table-name', 'DynamoDBForgeTable', '--key', '{"ID": {"S": "1"}}');
    expect(out.Item.Role).toEqual({ S: 'Senior Developer' });
  });

  it('delete-item removes the item', async () => {
    await aws('dynamodb', 'delete-item', '--table-name', 'DynamoDBForgeTable', '--key', '{"ID": {"S": "1"}}');
    const out = await aws('dynamodb', 'get-item', '--table-name', 'DynamoDBForgeTable', '--key', '{"ID": {"S": "1"}}');
    expect(out.Item).toBeUndefined();
  });

  it('create-backup and restore-table-from-backup bring the items back', async () => {
    await aws('dynamodb', 'put-item', '--table-name', 'DynamoDBForgeTable', '--item', '{"ID": {"S": "2"}, "Name": {"S": "Kept"}}');
    const backup = await aws('dynamodb', 'create-backup', '--table-name', 'DynamoDBForgeTable', '--backup-name', 'seed-backup');
    expect(backup.BackupDetails.BackupArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/DynamoDBForgeTable\/backup\//);
    await aws('dynamodb', 'restore-table-from-backup', '--target-table-name', 'DynamoDBForgeTableRestored', '--backup-arn', backup.BackupDetails.BackupArn);
    const out = await aws('dynamodb', 'get-item', '--table-name', 'DynamoDBForgeTableRestored', '--key', '{"ID": {"S": "2"}}');
    expect(out.Item.Name).toEqual({ S: 'Kept' });
  });

  it('aws backup start-backup-job, start-restore-job and describe-restore-job restore the table', async () => {
    const created = await aws('iam', 'create-role', '--role-name', 'tablesafe-cli-backup', '--assume-role-policy-document', BACKUP_TRUST_POLICY);
    const role = created.Role.Arn as string;
    await aws('backup', 'create-backup-vault', '--backup-vault-name', 'cli-vault');
    const table = await aws('dynamodb', 'describe-table', '--table-name', 'DynamoDBForgeTable');
    const job = await aws('backup', 'start-backup-job', '--backup-vault-name', 'cli-vault', '--resource-arn', table.Table.TableArn, '--iam-role-arn', role);
    const backup = await until(() => aws('backup', 'describe-backup-job', '--backup-job-id', job.BackupJobId), (j) => j.State === 'COMPLETED' || j.State === 'FAILED');
    expect(backup.State).toBe('COMPLETED');
    const restore = await aws('backup', 'start-restore-job', '--recovery-point-arn', backup.RecoveryPointArn, '--iam-role-arn', role,
      '--metadata', 'targetTableName=DynamoDBForgeTableFromBackup');
    const done = await until(() => aws('backup', 'describe-restore-job', '--restore-job-id', restore.RestoreJobId), (j) => j.Status === 'COMPLETED' || j.Status === 'FAILED');
    expect(done.Status).toBe('COMPLETED');
    const out = await aws('dynamodb', 'get-item', '--table-name', 'DynamoDBForgeTableFromBackup', '--key', '{"ID": {"S": "2"}}');
    expect(out.Item.Name).toEqual({ S: 'Kept' });
  });

  it('an error keeps the AWS error code in the CLI message', async () => {
    await expect(aws('dynamodb', 'describe-table', '--table-name', 'NoSuchTable')).rejects.toThrow(/ResourceNotFoundException/);
  });
});
