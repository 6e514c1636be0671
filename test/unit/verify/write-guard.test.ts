import { BackupClient, ListBackupJobsCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { DeleteTableCommand, DynamoDBClient, ExecuteStatementCommand, GetItemCommand, PutItemCommand, TagResourceCommand, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { assertAllowedDynamoDbCommand, backupWriteGuard, dynamoDbWriteGuard } from '../../../core/aws/write-guard';
import { Readable } from 'node:stream';
import { createClients } from '../../../core/aws/clients';

/** A request handler that records requests and answers `{}`: no network. */
function recordingHandler() {
  const requests: string[] = [];
  return {
    requests,
    handler: {
      handle: async (req: { headers: Record<string, string> }) => {
        requests.push(req.headers['x-amz-target'] ?? 'request');
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from('{}')]) } };
      },
    },
  };
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function guardedDynamoDb() {
  const rec = recordingHandler();
  const client = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9', requestHandler: rec.handler as never, maxAttempts: 1 });
  client.middlewareStack.use(dynamoDbWriteGuard());
  return { client, requests: rec.requests };
}

describe('DynamoDB write guard middleware', () => {
  it('refuses DeleteTable on a non-scratch table before any request is sent', async () => {
    const { client, requests } = guardedDynamoDb();
    await expect(client.send(new DeleteTableCommand({ TableName: 'orders' }))).rejects.toThrow(/refused DeleteTable on orders: only tables starting with "tablesafe-drill-"/);
    expect(requests).toHaveLength(0);
  });

  it('refuses PutItem on the source table', async () => {
    const { client } = guardedDynamoDb();
    await expect(client.send(new PutItemCommand({ TableName: 'orders', Item: { ID: { S: '1' } } }))).rejects.toThrow(/TS_E_WRITE_GUARD|refused PutItem on orders/);
  });

  it('refuses a BatchWriteItem that mixes a scratch table with a real one', async () => {
    const { client } = guardedDynamoDb();
    const RequestItems = { 'tablesafe-drill-orders-1': [], orders: [] };
    await expect(client.send(new BatchWriteItemCommand({ RequestItems }))).rejects.toThrow(/refused BatchWriteItem on orders/);
  });

  it('refuses TagResource addressed by the ARN of a non-scratch table', async () => {
    const { client } = guardedDynamoDb();
    const ResourceArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
    await expect(client.send(new TagResourceCommand({ ResourceArn, Tags: [] }))).rejects.toThrow(/refused TagResource on orders/);
  });

  it('refuses every PartiQL statement', async () => {
    const { client } = guardedDynamoDb();
    await expect(client.send(new ExecuteStatementCommand({ Statement: 'DELETE FROM orders' }))).rejects.toThrow(/refused ExecuteStatement.*PartiQL/);
  });

  it('lets DeleteTable on a scratch table through to the network', async () => {
    const { client, requests } = guardedDynamoDb();
    await client.send(new DeleteTableCommand({ TableName: 'tablesafe-drill-orders-abc' }));
    expect(requests).toEqual(['DynamoDB_20120810.DeleteTable']);
  });

  it('lets reads of the source table through', async () => {
    const { client, requests } = guardedDynamoDb();
    await client.send(new GetItemCommand({ TableName: 'orders', Key: { ID: { S: '1' } } }));
    expect(requests).toEqual(['DynamoDB_20120810.GetItem']);
  });

  it('lets a point-in-time restore of the source into a scratch table through, and refuses one into any other table', () => {
    expect(() => assertAllowedDynamoDbCommand('RestoreTableToPointInTimeCommand', { SourceTableName: 'orders', TargetTableName: 'tablesafe-drill-orders-abc' })).not.toThrow();
    expect(() => assertAllowedDynamoDbCommand('RestoreTableToPointInTimeCommand', { SourceTableName: 'orders', TargetTableName: 'orders-copy' })).toThrow(/refused RestoreTableToPointInTime on orders-copy/);
  });

  it('refuses the bare prefix as a table name', () => {
    expect(() => assertAllowedDynamoDbCommand('DeleteTableCommand', { TableName: 'tablesafe-drill-' })).toThrow(/refused DeleteTable on tablesafe-drill-/);
  });
});

describe('AWS Backup write guard middleware', () => {
  function guardedBackup() {
    const rec = recordingHandler();
    const client = new BackupClient({ region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9', requestHandler: rec.handler as never, maxAttempts: 1 });
    client.middlewareStack.use(backupWriteGuard());
    return { client, requests: rec.requests };
  }

  it('refuses a restore whose target is not a scratch table', async () => {
    const { client, requests } = guardedBackup();
    const cmd = new StartRestoreJobCommand({ RecoveryPointArn: 'arn:rp', IamRoleArn: 'arn:role', Metadata: { targetTableName: 'orders' } });
    await expect(client.send(cmd)).rejects.toThrow(/refused StartRestoreJob on orders/);
    expect(requests).toHaveLength(0);
  });

  it('refuses deleting a recovery point', () => {
    const { assertAllowedBackupCommand } = jest.requireActual('../../../core/aws/write-guard');
    expect(() => assertAllowedBackupCommand('DeleteRecoveryPointCommand', {})).toThrow(/refused DeleteRecoveryPoint.*only starts backup, copy and restore jobs/);
  });

  it('lets list calls through', async () => {
    const { client, requests } = guardedBackup();
    await client.send(new ListBackupJobsCommand({}));
    expect(requests).toHaveLength(1);
  });
});

describe('createClients', () => {
  it('installs the write guard on the DynamoDB client of another region too', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const dr = clients.dynamodbIn('us-west-2');
    expect(clients.dynamodbIn('us-west-2')).toBe(dr);
    expect(await dr.config.region()).toBe('us-west-2');
    await expect(dr.send(new DeleteTableCommand({ TableName: 'orders' }))).rejects.toThrow(/refused DeleteTable on orders/);
    clients.destroy();
  });

  it('installs the write guard on the DynamoDB client it builds', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    await expect(clients.dynamodb.send(new DeleteTableCommand({ TableName: 'orders' }))).rejects.toThrow(/refused DeleteTable on orders/);
    clients.destroy();
  });
});

describe('retry configuration', () => {
  it('retries throttling and 5xx in adaptive mode with 8 attempts by default', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    expect(await clients.dynamodb.config.maxAttempts()).toBe(8);
    expect(((await clients.backup.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
    clients.destroy();
  });
});
