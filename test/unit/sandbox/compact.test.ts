import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compactEntries, compactJournalFile, foldItemWrites } from '../../../sandbox/compact';
import type { JournalEntry } from '../../../sandbox/journal';

let seq = 0;
function entry(operation: string, body: unknown, region = 'us-east-1', service = 'dynamodb'): JournalEntry {
  seq += 1;
  return { seq, service, region, operation, method: 'POST', url: '/', headers: {}, body: Buffer.from(JSON.stringify(body)).toString('base64') };
}
const create = (t: string, region?: string) => entry('CreateTable', { TableName: t }, region);
const drop = (t: string, region?: string) => entry('DeleteTable', { TableName: t }, region);
const put = (t: string, id: string, region?: string) => entry('PutItem', { TableName: t, Item: { ID: { S: id } } }, region);
const ops = (entries: JournalEntry[]) => compactEntries(entries).kept.map((e) => `${e.operation}:${JSON.parse(Buffer.from(e.body, 'base64').toString()).TableName ?? ''}`);

describe('compactEntries', () => {
  it('drops item writes to a table deleted later, keeping every control-plane entry', () => {
    const entries = [
      create('scratch'), put('scratch', 'a'), entry('UpdateItem', { TableName: 'scratch', Key: { ID: { S: 'a' } } }),
      entry('DeleteItem', { TableName: 'scratch', Key: { ID: { S: 'a' } } }),
      entry('BatchWriteItem', { RequestItems: { scratch: [{ PutRequest: { Item: { ID: { S: 'b' } } } }] } }), drop('scratch'),
    ];
    expect({ kept: ops(entries), dropped: compactEntries(entries).dropped }).toEqual({ kept: ['CreateTable:scratch', 'DeleteTable:scratch'], dropped: 4 });
  });

  it('keeps writes to tables that still exist', () => {
    const entries = [create('orders'), put('orders', 'a'), create('scratch'), put('scratch', 'b'), drop('scratch')];
    expect(ops(entries)).toEqual(['CreateTable:orders', 'PutItem:orders', 'CreateTable:scratch', 'DeleteTable:scratch']);
  });

  it('keeps writes made before anything that names the table (a backup may have read them)', () => {
    const entries = [create('t'), put('t', 'before'), entry('CreateBackup', { TableName: 't', BackupName: 'b' }), put('t', 'after'), drop('t')];
    expect(ops(entries)).toEqual(['CreateTable:t', 'PutItem:t', 'CreateBackup:t', 'DeleteTable:t']);
  });

  it('drops an old incarnation\'s items but keeps those of the table re-created under the same name', () => {
    const entries = [create('t'), put('t', 'old'), drop('t'), create('t'), put('t', 'new')];
    const kept = compactEntries(entries).kept.map((e) => Buffer.from(e.body, 'base64').toString());
    expect(kept.filter((b) => b.includes('"Item"'))).toEqual([expect.stringContaining('"new"')]);
  });

  it('keeps a batch that also writes a live table', () => {
    const entries = [create('live'), create('scratch'),
      entry('BatchWriteItem', { RequestItems: { live: [{ PutRequest: { Item: { ID: { S: 'x' } } } }], scratch: [{ PutRequest: { Item: { ID: { S: 'y' } } } }] } }), drop('scratch')];
    expect(compactEntries(entries).dropped).toBe(0);
  });

  it('keeps writes to a same-named table in another region', () => {
    const entries = [create('t', 'eu-west-1'), put('t', 'a', 'eu-west-1'), create('t'), put('t', 'b'), drop('t')];
    expect(compactEntries(entries).kept.filter((e) => e.operation === 'PutItem').map((e) => e.region)).toEqual(['eu-west-1']);
  });

  it('never drops a transaction, and counts it as reading the tables it names', () => {
    const entries = [create('t'), put('t', 'a'), entry('TransactWriteItems', { TransactItems: [{ Put: { TableName: 't', Item: { ID: { S: 'b' } } } }] }), drop('t')];
    expect(ops(entries)).toEqual(['CreateTable:t', 'PutItem:t', 'TransactWriteItems:', 'DeleteTable:t']);
  });

  it('recognises a table named by its ARN', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/scratch';
    const entries = [create('scratch'), put(arn, 'a'), entry('DeleteTable', { TableName: arn })];
    expect(compactEntries(entries).dropped).toBe(1);
  });

  it('leaves other services alone', () => {
    const entries = [entry('PutObject', {}, 'us-east-1', 's3'), create('t'), put('t', 'a'), drop('t')];
    expect(compactEntries(entries).kept.map((e) => e.service)).toEqual(['s3', 'dynamodb', 'dynamodb']);
  });
});

describe('compactJournalFile', () => {
  const write = (entries: JournalEntry[]) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tablesafe-compact-')), 'journal.jsonl');
    writeFileSync(file, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return file;
  };

  it('rewrites the journal with only the entries replay needs, seq and seed unchanged', async () => {
    const first = { ...create('t'), seed: 7 };
    const file = write([first, put('t', 'a'), drop('t')]);
    const result = await compactJournalFile(file);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    expect({ result, seqs: lines.map((e) => e.seq), seed: lines[0].seed }).toEqual({ result: { before: 3, after: 2 }, seqs: [first.seq, first.seq + 2], seed: 7 });
  });

  it('does not touch a journal with nothing to drop', async () => {
    const file = write([create('t'), put('t', 'a')]);
    const before = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect({ result: await compactJournalFile(file), mtime: statSync(file).mtimeMs }).toEqual({ result: { before: 2, after: 2 }, mtime: before });
  });

  it('treats a missing journal as empty', async () => {
    await expect(compactJournalFile(path.join(mkdtempSync(path.join(tmpdir(), 'tablesafe-compact-')), 'journal.jsonl'))).resolves.toEqual({ before: 0, after: 0 });
  });
});

describe('foldItemWrites (live state)', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const MIN = 60_000;
  let n = 0;
  const at = (e: JournalEntry, time: number, extra: Partial<JournalEntry> = {}): JournalEntry => ({ ...e, at: time, ...extra });
  const table = (t: string) => at(entry('CreateTable', { TableName: t, KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), NOW - 10 * MIN);
  const putV = (t: string, id: string, v: number, time = NOW - 5 * MIN + n++) => at(entry('PutItem', { TableName: t, Item: { ID: { S: id }, v: { N: String(v) } } }), time);
  const body = (e: JournalEntry) => JSON.parse(Buffer.from(e.body, 'base64').toString()) as Record<string, any>;
  const writes = (entries: JournalEntry[]) => entries.filter((e) => e.operation !== 'CreateTable' && e.operation !== 'DeleteTable');

  it('folds 10,000 overwrites of 100 items into one write per item, with the final image and every earlier version', () => {
    const entries = [table('t')];
    for (let round = 0; round < 100; round++) for (let i = 0; i < 100; i++) entries.push(putV('t', `item-${i}`, round));
    const folded = foldItemWrites(entries, NOW);
    const w = writes(folded);
    expect({
      total: folded.length,
      ops: [...new Set(w.map((e) => e.operation))],
      finals: [...new Set(w.map((e) => body(e).Item.v.N))],
      history: [...new Set(w.map((e) => e.history!.length))],
      firstVersion: w[0].history![0].item,
    }).toEqual({ total: 101, ops: ['PutItem'], finals: ['99'], history: [99], firstVersion: { ID: { S: 'item-0' }, v: { N: '0' } } });
  });

  it('folds an update into the image the front door recorded, and a delete into a DeleteItem', () => {
    const entries = [
      table('t'), putV('t', 'a', 1),
      at(entry('UpdateItem', { TableName: 't', Key: { ID: { S: 'a' } }, UpdateExpression: 'ADD v :one', ConditionExpression: 'attribute_exists(ID)' }), NOW - MIN, { after: { ID: { S: 'a' }, v: { N: '2' } } }),
      putV('t', 'b', 1), at(entry('DeleteItem', { TableName: 't', Key: { ID: { S: 'b' } } }), NOW - MIN + 1),
    ];
    const w = writes(foldItemWrites(entries, NOW));
    expect(w.map((e) => [e.operation, body(e), e.history?.length, e.headers['x-amz-target']])).toEqual([
      ['PutItem', { TableName: 't', Item: { ID: { S: 'a' }, v: { N: '2' } } }, 1, 'DynamoDB_20120810.PutItem'],
      ['DeleteItem', { TableName: 't', Key: { ID: { S: 'b' } } }, 1, 'DynamoDB_20120810.DeleteItem'],
    ]);
  });

  it('keeps an update whose image was not recorded, and every write to its table up to it', () => {
    const entries = [table('t'), putV('t', 'a', 1), putV('t', 'a', 2), at(entry('UpdateItem', { TableName: 't', Key: { ID: { S: 'a' } }, UpdateExpression: 'ADD v :one' }), NOW - MIN), putV('t', 'a', 3), putV('t', 'a', 4)];
    const w = writes(foldItemWrites(entries, NOW));
    expect(w.map((e) => `${e.operation}:${e.operation === 'PutItem' ? body(e).Item.v.N : ''}`)).toEqual(['PutItem:2', 'UpdateItem:', 'PutItem:4']);
  });

  it('ends a run at anything that names the table (a transaction, a backup), so no write crosses it', () => {
    const txn = entry('TransactWriteItems', { TransactItems: [{ ConditionCheck: { TableName: 't', Key: { ID: { S: 'a' } }, ConditionExpression: 'v = :two' } }] });
    const entries = [table('t'), putV('t', 'a', 1), putV('t', 'a', 2), at(txn, NOW - 2 * MIN), putV('t', 'a', 3), putV('t', 'a', 4)];
    const folded = foldItemWrites(entries, NOW);
    expect(folded.map((e) => (e.operation === 'PutItem' ? `Put:${body(e).Item.v.N}` : e.operation))).toEqual(['CreateTable', 'Put:2', 'TransactWriteItems', 'Put:4']);
  });

  it('splits a single-table batch into per-item writes and leaves a batch over two tables alone', () => {
    const batch = (tables: string[], id: string, v: number) => at(entry('BatchWriteItem', {
      RequestItems: Object.fromEntries(tables.map((t) => [t, [{ PutRequest: { Item: { ID: { S: id }, v: { N: String(v) } } } }, { DeleteRequest: { Key: { ID: { S: `${id}-gone` } } } }]])),
    }), NOW - MIN + n++);
    const single = writes(foldItemWrites([table('t'), batch(['t'], 'a', 1), batch(['t'], 'a', 2)], NOW));
    const multi = foldItemWrites([table('t'), table('u'), batch(['t', 'u'], 'a', 1), batch(['t', 'u'], 'a', 2)], NOW);
    expect({ single: single.map((e) => `${e.operation}:${JSON.stringify(body(e).Item?.v ?? body(e).Key)}`), multi: writes(multi).length }).toEqual({
      single: ['PutItem:{"N":"2"}', 'DeleteItem:{"ID":{"S":"a-gone"}}'],
      multi: 2,
    });
  });

  it('leaves a journal in which no item was written twice untouched', () => {
    const entries = [table('t'), putV('t', 'a', 1), putV('t', 'b', 1)];
    const folded = foldItemWrites(entries, NOW);
    expect(folded.every((e, i) => e === entries[i]) && folded.length === entries.length).toBe(true);
  });

  it('forgets versions superseded before the 35-day point-in-time window, keeping the one still visible at its start', () => {
    const day = 86_400_000;
    const entries = [table('t'), putV('t', 'a', 1, NOW - 50 * day), putV('t', 'a', 2, NOW - 40 * day), putV('t', 'a', 3, NOW - 10 * day), putV('t', 'a', 4, NOW - day)];
    const [w] = writes(foldItemWrites(entries, NOW));
    expect({ final: body(w).Item.v.N, history: w.history!.map((v) => v.item!.v) }).toEqual({ final: '4', history: [{ N: '2' }, { N: '3' }] });
  });

  it('folds an already compacted entry again without losing its history', () => {
    const entries = [table('t'), putV('t', 'a', 1), putV('t', 'a', 2)];
    const once = foldItemWrites(entries, NOW);
    const twice = foldItemWrites([...once, putV('t', 'a', 3)], NOW);
    expect(writes(twice).map((e) => [body(e).Item.v.N, e.history!.map((v) => (v.item!.v as { N: string }).N)])).toEqual([['3', ['1', '2']]]);
  });

  it('leaves writes without an acknowledgement time (older journals) and tables of unknown key schema as they are', () => {
    const old = [table('t'), entry('PutItem', { TableName: 't', Item: { ID: { S: 'a' } } }), entry('PutItem', { TableName: 't', Item: { ID: { S: 'a' } } })];
    const unknown = [create('u'), putV('u', 'a', 1), putV('u', 'a', 2)];
    expect([foldItemWrites(old, NOW).length, foldItemWrites(unknown, NOW).length]).toEqual([3, 3]);
  });
});

describe('compactJournalFile folding', () => {
  it('rewrites a journal of overwrites to one write per item', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tablesafe-compact-')), 'journal.jsonl');
    const now = Date.now();
    const lines = [{ ...entry('CreateTable', { TableName: 't', KeySchema: [{ AttributeName: 'ID', KeyType: 'HASH' }] }), at: now - 1000 }];
    for (let i = 0; i < 50; i++) lines.push({ ...entry('PutItem', { TableName: 't', Item: { ID: { S: `k${i % 5}` } } }), at: now - 900 + i });
    writeFileSync(file, lines.map((e) => `${JSON.stringify(e)}\n`).join(''));
    expect(await compactJournalFile(file, now)).toEqual({ before: 51, after: 6 });
  });
});
