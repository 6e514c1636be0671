import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compactEntries, compactJournalFile } from '../../../sandbox/compact';
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
