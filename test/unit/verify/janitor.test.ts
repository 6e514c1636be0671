import { mockClient } from 'aws-sdk-client-mock';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseDuration } from '../../../core/args';
import { runVerifyCli } from '../../../cli/verify';
import { formatAge, formatJanitorResult, runJanitor } from '../../../verify/drill/janitor';

const ddb = mockClient(DynamoDBClient);
const NOW = new Date('2026-11-23T12:00:00Z');
const OLD = 'tablesafe-drill-orders-20261123t080000-aaaaaa';
const YOUNG = 'tablesafe-drill-orders-20261123t115900-bbbbbb';
const UNTAGGED_OTHER = 'tablesafe-drill-something';
const created: Record<string, Date> = { [OLD]: new Date('2026-11-23T08:00:00Z'), [YOUNG]: new Date('2026-11-23T11:59:00Z'), [UNTAGGED_OTHER]: new Date('2026-11-20T00:00:00Z') };

function fakeTables() {
  const deleted = new Set<string>();
  ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', OLD, YOUNG, UNTAGGED_OTHER] });
  ddb.on(DescribeTableCommand).callsFake(async ({ TableName }) => {
    if (deleted.has(TableName)) throw Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' });
    return { Table: { TableName, TableArn: `arn:aws:dynamodb:us-east-1:1:table/${TableName}`, CreationDateTime: created[TableName], TableStatus: 'ACTIVE' } };
  });
  ddb.on(ListTagsOfResourceCommand).callsFake(async ({ ResourceArn }) => ({ Tags: ResourceArn.endsWith(UNTAGGED_OTHER) ? [] : [{ Key: 'tablesafe:drill', Value: 'true' }] }));
  ddb.on(DeleteTableCommand).callsFake(async ({ TableName }) => {
    deleted.add(TableName);
    return {};
  });
}

beforeEach(() => ddb.reset());

describe('janitor', () => {
  const poll = { maxWaitMs: 1_000, minDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };

  it('deletes only tagged drill tables older than the limit', async () => {
    fakeTables();
    const r = await runJanitor(new DynamoDBClient({ region: 'us-east-1' }), 2 * 3_600_000, NOW, poll);
    expect(r.deleted).toEqual([OLD]);
    expect(ddb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).toEqual([OLD]);
  });

  it('keeps an untagged table without a run id in its name, saying why', async () => {
    fakeTables();
    const r = await runJanitor(new DynamoDBClient({ region: 'us-east-1' }), 2 * 3_600_000, NOW, poll);
    expect(r.kept).toContainEqual({ table: UNTAGGED_OTHER, reason: 'no tablesafe:drill=true tag and no drill run id in its name' });
  });

  it('keeps a table younger than the limit, saying its age and the limit', async () => {
    fakeTables();
    const r = await runJanitor(new DynamoDBClient({ region: 'us-east-1' }), 2 * 3_600_000, NOW, poll);
    expect(r.kept).toContainEqual({ table: YOUNG, reason: 'created 1 min ago, younger than the 2 h limit (--older-than)' });
  });

  it('prints a summary line, then each table with what happened and why', async () => {
    fakeTables();
    const r = await runJanitor(new DynamoDBClient({ region: 'us-east-1' }), 2 * 3_600_000, NOW, poll);
    expect(formatJanitorResult(r).split('\n')).toEqual([
      'janitor: deleted 1, kept 2, failed 0',
      `  deleted  ${OLD}`,
      `  kept     ${YOUNG}: created 1 min ago, younger than the 2 h limit (--older-than)`,
      `  kept     ${UNTAGGED_OTHER}: no tablesafe:drill=true tag and no drill run id in its name`,
    ]);
  });

  it('prints failed deletions with their error', () => {
    expect(formatJanitorResult({ deleted: [], kept: [], failed: [{ table: 't', reason: 'AccessDeniedException: no' }] })).toBe('janitor: deleted 0, kept 0, failed 1\n  failed   t: AccessDeniedException: no');
  });

  it('never looks at tables outside the drill prefix', async () => {
    fakeTables();
    await runJanitor(new DynamoDBClient({ region: 'us-east-1' }), 1, NOW, poll);
    expect(ddb.commandCalls(DescribeTableCommand).map((c) => c.args[0].input.TableName)).not.toContain('orders');
  });
});

describe('formatAge', () => {
  it('reads as a person would say it', () => {
    expect([formatAge(42_000), formatAge(12 * 60_000), formatAge(2 * 3_600_000), formatAge(5_400_000 * 2), formatAge(3 * 86_400_000)]).toEqual(['42 s', '12 min', '2 h', '3 h', '3 d']);
  });
});

describe('parseDuration', () => {
  it('reads units', () => {
    expect([parseDuration('2h', 'x'), parseDuration('90s', 'x'), parseDuration('15', 'x')]).toEqual([7_200_000, 90_000, 900_000]);
  });

  it('rejects text naming the field and the value', () => {
    expect(() => parseDuration('soon', '--timeout')).toThrow(/--timeout: "soon" is invalid: use a duration such as 90s/);
  });
});

describe('tablesafe janitor --region with the DR region', () => {
  const sts = mockClient(STSClient);
  beforeEach(() => {
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/ci' });
  });

  it('cleans every region listed, each with a client in that region', async () => {
    fakeTables();
    const out: string[] = [];
    const stream = { write: (s: string) => out.push(s) > 0, isTTY: false } as unknown as NodeJS.WriteStream;
    const code = await runVerifyCli(['janitor', '--region', 'us-east-1,us-west-2', '--older-than', '1ms', '--endpoint', 'http://127.0.0.1:9'], { stdout: stream, stderr: stream, cwd: '/' });
    expect(code).toBe(0);
    const regions = await Promise.all(ddb.commandCalls(ListTablesCommand).map((c) => (c.thisValue as DynamoDBClient).config.region()));
    expect(regions.sort()).toEqual(['us-east-1', 'us-west-2']);
    expect(out.join('')).toMatch(/us-east-1: janitor: deleted 2[\s\S]*us-west-2: janitor:/);
  });
});
