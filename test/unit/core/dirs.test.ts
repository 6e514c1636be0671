import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureWritableDir } from '../../../core/dirs';
import { thrownTablesafeError } from '../../helpers/errors';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ts-dirs-'));

const failure = thrownTablesafeError;

describe('ensureWritableDir', () => {
  it('makes missing parents and returns the absolute path', () => {
    const root = tmp();
    const dir = ensureWritableDir('a/b/c', '--out', { cwd: root });
    expect(dir).toBe(path.join(root, 'a', 'b', 'c'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts an existing writable directory and leaves no probe file', () => {
    const root = tmp();
    ensureWritableDir(root, '--out');
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a path under /proc at once instead of looping, naming the path and the cause', () => {
    const started = Date.now();
    const e = failure(() => ensureWritableDir('/proc/x', '--out'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(e.code).toBe('TS_E_OUT_DIR');
    expect(e.toLine()).toMatch(/^TS_E_OUT_DIR: --out \/proc\/x: cannot create \/proc\/x: \/proc does not accept new entries \(ENOENT\) — pass a directory on a writable file system$/);
  });

  it('refuses a deeper path under /proc too', () => {
    expect(failure(() => ensureWritableDir('/proc/x/y/z', '--state-dir')).toLine()).toMatch(/^TS_E_STATE_DIR: --state-dir \/proc\/x\/y\/z: cannot create \/proc\/x: /);
  });

  it('refuses an existing file, saying what to do', () => {
    const file = path.join(tmp(), 'notes.txt');
    writeFileSync(file, 'x');
    const e = failure(() => ensureWritableDir(file, '--state-dir'));
    expect(e.code).toBe('TS_E_STATE_DIR');
    expect(e.message).toBe(`--state-dir ${file}: ${file} is a file, not a directory`);
    expect(e.remedy).toMatch(/pass a directory path, or move .*notes.txt away/);
  });

  it('names the file when a parent of the path is one', () => {
    const file = path.join(tmp(), 'notes.txt');
    writeFileSync(file, 'x');
    expect(failure(() => ensureWritableDir(path.join(file, 'reports'), '--out')).message).toMatch(/notes.txt\/reports: .*notes.txt is a file, not a directory$/);
  });

  it('names a dangling symbolic link', () => {
    const root = tmp();
    symlinkSync(path.join(root, 'gone'), path.join(root, 'link'));
    expect(failure(() => ensureWritableDir(path.join(root, 'link', 'x'), '--out')).message).toMatch(/link is a symbolic link to a missing target$/);
  });

  it('refuses an empty path', () => {
    expect(failure(() => ensureWritableDir('', '--out')).toLine()).toBe('TS_E_OUT_DIR: --out : a directory path is required — pass --out DIR');
  });

  it('with create: false proves the directory could be made and leaves nothing behind', () => {
    const root = tmp();
    expect(ensureWritableDir('new/a/b', '--out', { cwd: root, create: false })).toBe(path.join(root, 'new', 'a', 'b'));
    expect(readdirSync(root)).toEqual([]);
  });

  it('takes an explicit code, and TS_E_DIR for other labels', () => {
    const file = path.join(tmp(), 'f');
    writeFileSync(file, '');
    expect(failure(() => ensureWritableDir(file, 'report directory')).code).toBe('TS_E_DIR');
    expect(failure(() => ensureWritableDir(file, 'x', { code: 'TS_E_X' })).code).toBe('TS_E_X');
  });

  it('keeps every message to one line', () => {
    const file = path.join(tmp(), 'f');
    writeFileSync(file, '');
    expect(failure(() => ensureWritableDir(file, '--out')).toLine()).not.toMatch(/\n/);
  });
});
