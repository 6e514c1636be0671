/**
 * The AWS CLI v1 walk-through from the project's seed notes (001), verbatim, with only
 * `--endpoint-url` added; the output must be AWS-shaped JSON.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sandbox } from '../../../sandbox';
import { startTestSandbox } from './helpers';

const run = promisify(execFile);
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

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

  it('an error keeps the AWS error code in the CLI message', async () => {
    await expect(aws('dynamodb', 'describe-table', '--table-name', 'NoSuchTable')).rejects.toThrow(/ResourceNotFoundException/);
  });
});
