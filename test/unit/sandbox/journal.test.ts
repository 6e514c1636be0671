import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Journal, readJournal, type JournalEntry } from '../../../sandbox/journal';

const entry = (seq: number): JournalEntry => ({
  seq, service: 'dynamodb', region: 'us-east-1', operation: 'PutItem', method: 'POST', url: '/', headers: {}, body: '',
});

const fresh = () => path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'journal.jsonl');

describe('Journal', () => {
  it('reads back what was appended, in order', async () => {
    const file = fresh();
    const { journal } = await Journal.open(file);
    await journal.append(entry(journal.reserveSeq()));
    await journal.append(entry(journal.reserveSeq()));
    await journal.close();
    expect(readJournal(file).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('writes every concurrent append (group commit)', async () => {
    const file = fresh();
    const { journal } = await Journal.open(file);
    await Promise.all(Array.from({ length: 50 }, () => journal.append(entry(journal.reserveSeq()))));
    await journal.close();
    expect(readJournal(file)).toHaveLength(50);
  });

  it('continues the sequence after the entries already on disk', async () => {
    const file = fresh();
    const first = await Journal.open(file);
    await first.journal.append(entry(first.journal.reserveSeq()));
    await first.journal.close();
    const second = await Journal.open(file);
    expect(second.journal.reserveSeq()).toBe(2);
    await second.journal.close();
  });

  it('drops a torn last line and appends after the last whole entry', async () => {
    const file = fresh();
    const first = await Journal.open(file);
    await first.journal.append(entry(first.journal.reserveSeq()));
    await first.journal.close();
    appendFileSync(file, '{"seq":2,"serv');
    const second = await Journal.open(file);
    expect(second.entries).toHaveLength(1);
    await second.journal.append(entry(second.journal.reserveSeq()));
    await second.journal.close();
    expect(readFileSync(file, 'utf8')).not.toMatch(/"serv\n|"serv\{/);
    expect(readJournal(file).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses appends after close', async () => {
    const { journal } = await Journal.open(fresh());
    await journal.close();
    await expect(journal.append(entry(1))).rejects.toThrow(/journal .* is closed/);
  });
});
