/** The sandbox's item history: what a table held at any acknowledged moment, and its PITR window. */
import { partiqlTables, PointInTime } from '../../../sandbox/pitr';

const body = (o: unknown) => ({ request: { body: Buffer.from(JSON.stringify(o)) } });
const call = (operation: string, input: unknown) => ({ region: 'us-east-1', operation, ...body(input) });

function history(now = { t: 1_000_000 }) {
  const moto: Record<string, Record<string, unknown>[]> = { t: [] };
  const pitr = new PointInTime({ now: () => now.t, timeScale: 100 });
  pitr.attach(async (_region, op, input) => {
    if (op === 'Scan') return { Items: moto[String(input.TableName)] };
    if (op === 'DescribeTable') return { Table: { TableName: input.TableName, KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] } };
    return {};
  });
  return { pitr, moto, now };
}

const ids = (items: Record<string, unknown>[] | undefined) => items?.map((i) => `${(i.ID as { S: string }).S}=${(i.v as { S: string } | undefined)?.S ?? ''}`);

describe('point-in-time history', () => {
  it('gives each key its last version at or before the time asked for', async () => {
    const { pitr } = history();
    await pitr.observe(call('CreateTable', { TableName: 't', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), undefined, 100);
    await pitr.observe(call('PutItem', { TableName: 't', Item: { ID: { S: 'a' }, v: { S: '1' } } }), undefined, 110);
    await pitr.observe(call('BatchWriteItem', { RequestItems: { t: [{ PutRequest: { Item: { ID: { S: 'b' }, v: { S: '1' } } } }, { PutRequest: { Item: { ID: { S: 'c' }, v: { S: '1' } } } }] } }),
      Buffer.from(JSON.stringify({ UnprocessedItems: { t: [{ PutRequest: { Item: { ID: { S: 'c' }, v: { S: '1' } } } }] } })), 120);
    await pitr.observe(call('PutItem', { TableName: 't', Item: { ID: { S: 'a' }, v: { S: '2' } } }), undefined, 130);
    await pitr.observe(call('DeleteItem', { TableName: 't', Key: { ID: { S: 'b' } } }), undefined, 140);
    expect(pitr.itemsAt('us-east-1', 't', 99)).toBeUndefined();
    expect(ids(pitr.itemsAt('us-east-1', 't', 125))).toEqual(['a=1', 'b=1']);
    expect(ids(pitr.itemsAt('us-east-1', 't', 130))).toEqual(['a=2', 'b=1']);
    expect(ids(pitr.itemsAt('us-east-1', 't', 200))).toEqual(['a=2']);
  });

  it('takes a compacted entry\'s earlier versions before its own write, so times before it still read them', async () => {
    const { pitr } = history();
    await pitr.observe(call('CreateTable', { TableName: 't', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), undefined, 100);
    await pitr.addVersions('us-east-1', 't', { ID: { S: 'a' }, v: { S: '3' } }, [{ at: 110, item: { ID: { S: 'a' }, v: { S: '1' } } }, { at: 120, item: null }]);
    await pitr.observe(call('PutItem', { TableName: 't', Item: { ID: { S: 'a' }, v: { S: '3' } } }), undefined, 130);
    expect([115, 125, 135].map((t) => ids(pitr.itemsAt('us-east-1', 't', t)))).toEqual([['a=1'], [], ['a=3']]);
  });

  it('logs, and does not throw, when a compacted entry\'s table cannot be read on replay', async () => {
    const lines: string[] = [];
    const pitr = new PointInTime({ now: () => 1_000_000, log: (l) => lines.push(l) });
    pitr.attach(async () => {
      const err = new Error('Requested resource not found');
      err.name = 'ResourceNotFoundException';
      throw err;
    });
    await expect(pitr.addVersions('us-east-1', 'gone', { ID: { S: 'a' } }, [{ at: 1, item: null }])).resolves.toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/history of us-east-1\/gone not restored from the journal: Requested resource not found/)]);
  });

  it('catches up with a PartiQL write by scanning the table', async () => {
    const { pitr, moto } = history();
    await pitr.observe(call('CreateTable', { TableName: 't', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), undefined, 100);
    await pitr.observe(call('PutItem', { TableName: 't', Item: { ID: { S: 'a' } } }), undefined, 110);
    moto.t = [{ ID: { S: 'z' } }];
    await pitr.observe(call('ExecuteStatement', { Statement: 'DELETE FROM "t" WHERE ID = \'a\'' }), undefined, 120);
    expect(ids(pitr.itemsAt('us-east-1', 't', 115))).toEqual(['a=']);
    expect(ids(pitr.itemsAt('us-east-1', 't', 120))).toEqual(['z=']);
  });

  it('forgets a deleted table', async () => {
    const { pitr } = history();
    await pitr.observe(call('CreateTable', { TableName: 't', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), undefined, 100);
    await pitr.observe(call('DeleteTable', { TableName: 't' }), undefined, 110);
    expect(pitr.itemsAt('us-east-1', 't', 105)).toBeUndefined();
  });

  it('opens the window when PITR is enabled, trailing now by five minutes over the time scale', async () => {
    const { pitr, now } = history();
    await pitr.observe(call('CreateTable', { TableName: 't', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), undefined, 100);
    expect(pitr.window('us-east-1', 't')).toBeUndefined();
    await pitr.observe(call('UpdateContinuousBackups', { TableName: 't', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }), undefined, 500);
    now.t = 100_000;
    expect(pitr.window('us-east-1', 't')).toEqual({ earliest: 500, latest: 100_000 - 3_000 });
    await pitr.observe(call('UpdateContinuousBackups', { TableName: 't', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }), undefined, 600);
    expect(pitr.window('us-east-1', 't')).toBeUndefined();
  });
});

describe('partiqlTables', () => {
  it('names the tables INSERT, UPDATE and DELETE statements write', () => {
    expect(partiqlTables('INSERT INTO "orders" VALUE {\'ID\': 1}')).toEqual(['orders']);
    expect(partiqlTables('UPDATE orders SET a = 1 WHERE ID = 2')).toEqual(['orders']);
    expect(partiqlTables('SELECT * FROM orders')).toEqual([]);
  });
});
