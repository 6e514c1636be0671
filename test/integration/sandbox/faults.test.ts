/** Each fault kind, posted over HTTP on the sandbox port, is observable exactly as configured. */
import { DynamoDBClient, ListTablesCommand, ScanCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../../sandbox';
import { postFault, startTestSandbox } from './helpers';

let sandbox: Sandbox;
let endpoint: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = sandbox.endpoint;
  await new DynamoDBClient({ endpoint }).send(new CreateTableCommand({
    TableName: 'faulty', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'ID', AttributeType: 'S' }],
  }));
});
afterAll(() => sandbox?.stop());
afterEach(() => fetch(`${endpoint}/_sandbox/faults`, { method: 'DELETE' }));

const ddb = () => new DynamoDBClient({ endpoint, maxAttempts: 1 });
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: Error & { $metadata?: { httpStatusCode?: number } }) => `${e.name}:${e.$metadata?.httpStatusCode}`);

describe('fault injection', () => {
  it('answers GET /_sandbox/health with {"ok":true}', async () => {
    expect(await (await fetch(`${endpoint}/_sandbox/health`)).json()).toEqual({ ok: true });
  });

  it('fails exactly `count` matching calls with the configured error and status', async () => {
    await postFault(endpoint, { service: 'dynamodb', operation: 'Scan', error: 'ProvisionedThroughputExceededException', status: 400, count: 2 });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await outcome(ddb().send(new ScanCommand({ TableName: 'faulty' }))));
    expect(results).toEqual(['ProvisionedThroughputExceededException:400', 'ProvisionedThroughputExceededException:400', 'ok']);
  });

  it('leaves other operations of the service alone', async () => {
    await postFault(endpoint, { service: 'dynamodb', operation: 'Scan', error: 'ThrottlingException' });
    expect(await outcome(ddb().send(new ListTablesCommand({})))).toBe('ok');
  });

  it('answers a 5xx fault with that status', async () => {
    await postFault(endpoint, { service: 'dynamodb', operation: 'ListTables', error: 'InternalServerError', status: 500 });
    expect(await outcome(ddb().send(new ListTablesCommand({})))).toBe('InternalServerError:500');
  });

  it('renders query-protocol faults as an ErrorResponse the IAM SDK parses', async () => {
    await postFault(endpoint, { service: 'iam', operation: 'GetRole', error: 'NoSuchEntity', status: 404, message: 'injected' });
    await expect(new IAMClient({ endpoint, maxAttempts: 1 }).send(new GetRoleCommand({ RoleName: 'x' }))).rejects.toThrow(/injected/);
  });

  it('renders S3 faults as an Error document the S3 SDK parses', async () => {
    await postFault(endpoint, { service: 's3', operation: 'ListBuckets', error: 'SlowDown', status: 503 });
    expect(await outcome(new S3Client({ endpoint, maxAttempts: 1, forcePathStyle: true }).send(new ListBucketsCommand({})))).toBe('SlowDown:503');
  });

  it('fails an AWS Backup operation named in the fault, in Backup\'s restJson error shape', async () => {
    const { BackupClient, ListBackupVaultsCommand } = await import('@aws-sdk/client-backup');
    await postFault(endpoint, { service: 'backup', operation: 'ListBackupVaults', error: 'ServiceUnavailableException', status: 503, message: 'injected outage' });
    const err = await new BackupClient({ endpoint, maxAttempts: 1 }).send(new ListBackupVaultsCommand({})).catch((e: Error) => e);
    expect([(err as Error).name, (err as Error).message]).toEqual(['ServiceUnavailableException', 'injected outage']);
  });

  it('delays a call by delayMs without failing it', async () => {
    await postFault(endpoint, { service: 'dynamodb', operation: 'ListTables', delayMs: 300 });
    const started = Date.now();
    await ddb().send(new ListTablesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('lists registered faults and clears them all', async () => {
    await postFault(endpoint, [{ service: 'kms', error: 'X' }, { job: 'restore', outcome: 'HANG' }]);
    const listed = (await (await fetch(`${endpoint}/_sandbox/faults`)).json()) as { faults: unknown[] };
    const cleared = (await (await fetch(`${endpoint}/_sandbox/faults`, { method: 'DELETE' })).json()) as { cleared: number };
    const after = (await (await fetch(`${endpoint}/_sandbox/faults`)).json()) as { faults: unknown[] };
    expect([listed.faults.length, cleared.cleared, after.faults.length]).toEqual([2, 2, 0]);
  });

  it('hands job faults to the Backup service through the fault source', async () => {
    await postFault(endpoint, { job: 'restore', outcome: 'FAILED', message: 'restore exploded' });
    expect(sandbox.faults.takeJobFault('restore')).toEqual({ job: 'restore', outcome: 'FAILED', message: 'restore exploded' });
  });

  it('hands corruption faults to the Backup service through the fault source', async () => {
    await postFault(endpoint, { recoveryPoint: 'corrupt', dropItems: 2 });
    expect(sandbox.faults.takeCorruption()).toEqual({ dropItems: 2 });
  });

  it('reports HANG as not cleared until DELETE /_sandbox/faults', async () => {
    await postFault(endpoint, { job: 'backup', outcome: 'HANG' });
    const before = sandbox.faults.isHangCleared('backup');
    await fetch(`${endpoint}/_sandbox/faults`, { method: 'DELETE' });
    expect([before, sandbox.faults.isHangCleared('backup')]).toEqual([false, true]);
  });

  it('refuses an invalid fault with 400 naming the field', async () => {
    const res = await postFault(endpoint, { service: 'dynamodb', error: 'X', count: -1 });
    expect([res.status, ((await res.json()) as { message: string }).message]).toEqual([400, expect.stringMatching(/count: -1 is invalid/)]);
  });
});
