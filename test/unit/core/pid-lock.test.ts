import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TablesafeError } from '../../../core/errors';
import { acquirePidLock, pidAlive } from '../../../core/pid-lock';

const busy = (pid: number) => new TablesafeError('TS_E_TEST_BUSY', `held by ${pid}`);
const lockFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'ts-lock-')), 'x.pid');
/** No process has this id (above any kernel's pid_max). */
const DEAD_PID = 2_147_483_646;

describe('acquirePidLock', () => {
  it('writes this process id and removes the file on unlock', () => {
    const file = lockFile();
    const unlock = acquirePidLock(file, busy);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    unlock();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a file held by another live process with the caller\'s error', () => {
    const file = lockFile();
    writeFileSync(file, String(process.ppid));
    expect(() => acquirePidLock(file, busy)).toThrow(expect.objectContaining({ code: 'TS_E_TEST_BUSY', message: `held by ${process.ppid}` }));
    expect(readFileSync(file, 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a file left by a process that died', () => {
    const file = lockFile();
    writeFileSync(file, String(DEAD_PID));
    acquirePidLock(file, busy);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
  });

  it('takes over its own file', () => {
    const file = lockFile();
    writeFileSync(file, String(process.pid));
    expect(() => acquirePidLock(file, busy)).not.toThrow();
  });
});

describe('pidAlive', () => {
  it('knows this process and not a dead one', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(DEAD_PID)).toBe(false);
  });
});
