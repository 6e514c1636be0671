import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { demoItem, demoItems, seedItems } from '../../../demo/items';

describe('demo items', () => {
  it('starts with seed 001\'s first record', () => {
    expect(demoItem(1)).toMatchObject({ ID: { S: '1' }, Name: { S: 'Arkan' }, Role: { S: 'Developer' } });
  });

  it('gives the five seed items distinct IDs 1..5 and names', () => {
    const items = demoItems(5);
    expect(items.map((i) => i.ID.S)).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(items.map((i) => i.Name.S)).size).toBe(5);
  });

  it('generates further items in the same shape', () => {
    expect(Object.keys(demoItem(42)).sort()).toEqual(Object.keys(demoItem(1)).sort());
    expect(demoItem(42).Name.S).toBe('User 42');
  });

  it('is deterministic, so a restore can be compared with it', () => {
    expect(demoItems(30)).toEqual(demoItems(30));
  });

  it('rejects item numbers below 1 naming the value', () => {
    expect(() => demoItem(0)).toThrow(/item: 0 is invalid: must be an integer ≥ 1/);
  });
});

describe('seedItems', () => {
  const ddb = mockClient(DynamoDBClient);
  afterEach(() => ddb.reset());

  it('writes in batches of 25 and reports progress', async () => {
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
    const progress: number[] = [];
    const written = await seedItems({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 't', items: demoItems(60), concurrency: 1, onProgress: (w) => progress.push(w) });
    expect(written).toBe(60);
    expect(ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems?.t.length)).toEqual([25, 25, 10]);
    expect(progress).toEqual([25, 50, 60]);
  });

  it('retries unprocessed items until they are written', async () => {
    const items = demoItems(3);
    ddb.on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: items[2] } }] } })
      .resolves({ UnprocessedItems: {} });
    const written = await seedItems({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 't', items, sleep: async () => undefined });
    expect(written).toBe(3);
    expect(ddb.commandCalls(BatchWriteItemCommand)[1].args[0].input.RequestItems?.t).toHaveLength(1);
  });

  it('gives up with advice when items stay unprocessed', async () => {
    const items = demoItems(1);
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { t: [{ PutRequest: { Item: items[0] } }] } });
    await expect(seedItems({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 't', items, maxAttempts: 2, sleep: async () => undefined }))
      .rejects.toThrow(/left 1 items unprocessed after 2 attempts on t/);
  });
});
