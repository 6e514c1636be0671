/**
 * A state dir the sandbox cannot use fails before moto starts (a missing moto binary proves it),
 * with one TS_E_STATE_DIR line, never a hang or a stack trace.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSandboxCli } from '../../../cli/sandbox';
import { startSandbox } from '../../../sandbox';
import { BackupStore } from '../../../sandbox/backup/store';
import { Journal } from '../../../sandbox/journal';
const tmp = () => mkdtempSync(path.join(tmpdir(), 'ts-state-dir-'));
const NO_MOTO = '/nonexistent/moto_server';

function aFile(): string {
  const file = path.join(tmp(), 'state.txt');
  writeFileSync(file, 'not a directory');
  return file;
}

describe('startSandbox state dir', () => {
  it('rejects a file with TS_E_STATE_DIR before starting moto', async () => {
    const file = aFile();
    await expect(startSandbox({ stateDir: file, motoBinary: NO_MOTO, quiet: true })).rejects.toMatchObject({
      code: 'TS_E_STATE_DIR',
      message: expect.stringMatching(/state.txt is a file, not a directory$/),
    });
  });

  it('rejects a path under /proc at once', async () => {
    const started = Date.now();
    await expect(startSandbox({ stateDir: '/proc/x', motoBinary: NO_MOTO, quiet: true })).rejects.toMatchObject({ code: 'TS_E_STATE_DIR', message: expect.stringMatching(/\/proc\/x.*ENOENT/) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('names the Backup state file when it cannot be read', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'backup-state.json'), '{ torn');
    await expect(BackupStore.open(dir)).rejects.toMatchObject({ code: 'TS_E_STATE_DIR', message: expect.stringMatching(/cannot read AWS Backup state .*backup-state.json/), remedy: expect.stringMatching(/move the file away/) });
  });

  it('rejects a journal whose directory is a file', async () => {
    await expect(Journal.open(path.join(aFile(), 'journal.jsonl'))).rejects.toMatchObject({ code: 'TS_E_STATE_DIR' });
  });
});

describe('tablesafe sandbox start --state-dir', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('exits 2 with one line naming the flag, the file and what to do', async () => {
    const file = aFile();
    expect(await runSandboxCli(['start', '--port', '0', '--state-dir', file])).toBe(2);
    expect(errors).toEqual([`tablesafe sandbox: TS_E_STATE_DIR: --state-dir ${file}: ${file} is a file, not a directory — pass a directory path, or move ${file} away`]);
  });

  it('exits 2 at once for /proc/x', async () => {
    expect(await runSandboxCli(['start', '--port', '0', '--state-dir', '/proc/x'])).toBe(2);
    expect(errors).toEqual([expect.stringMatching(/^tablesafe sandbox: TS_E_STATE_DIR: --state-dir \/proc\/x: cannot create \/proc\/x: \/proc does not accept new entries \(ENOENT\) — /)]);
  });

  it('leaves nothing behind under a state dir it refused', async () => {
    const root = tmp();
    const file = path.join(root, 'f');
    writeFileSync(file, '');
    await runSandboxCli(['start', '--port', '0', '--state-dir', path.join(file, 'sub')]);
    expect(readdirSync(root)).toEqual(['f']);
  });
});
