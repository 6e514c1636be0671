/**
 * One process per directory: a PID file that a second process finds and refuses to share while
 * the first is alive. A file left by a process that died is taken over. Used by the sandbox (one
 * per state dir: two journals appending to one file would corrupt it) and the demo (one per
 * workdir: two would share terraform state).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { TablesafeError } from './errors';

/** Whether a process with this id exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes this process's id to `file` unless a live other process holds it, in which case it throws
 * `busy(pid)`. Returns the unlock function, which removes the file. The file's directory must exist.
 */
export function acquirePidLock(file: string, busy: (pid: number) => TablesafeError): () => void {
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && pidAlive(pid)) throw busy(pid);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
