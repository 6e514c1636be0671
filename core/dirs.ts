/**
 * Directories a user names (`--out DIR`, `--state-dir DIR`): made and proven writable before any
 * work starts, or refused with one line naming the path, the cause and what to do.
 *
 * Node's `mkdir(dir, { recursive: true })` never returns for a path whose parent exists but
 * refuses new entries with ENOENT, as /proc does: it steps back to the parent (EEXIST), forward
 * to the child (ENOENT) and round again, forever. The walk here makes one directory at a time
 * and stops at the first refusal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TablesafeError } from './errors';

export interface WritableDirOptions {
  /**
   * Error code.
   * @default from the option name: `--out` → `TS_E_OUT_DIR`, `--state-dir` → `TS_E_STATE_DIR`,
   * `--workdir` → `TS_E_WORKDIR`, else `TS_E_DIR`
   */
  readonly code?: string;
  /** Base of a relative `dir`. @default process.cwd() */
  readonly cwd?: string;
  /**
   * `false`: only prove that the directory can be made and written, and leave the file system as
   * it was (directories made for the proof are removed again).
   * @default true
   */
  readonly create?: boolean;
}

/**
 * Makes `dir` (and its missing parents) and proves it writable by creating and removing a probe
 * file in it. Returns the absolute path. Throws a TablesafeError whose message names `option`,
 * the path and the cause, e.g.
 *
 *   `TS_E_OUT_DIR: --out /proc/x: cannot create /proc/x: /proc does not accept new entries (ENOENT) — pass a directory on a writable file system`
 *   `TS_E_STATE_DIR: --state-dir notes.txt: /home/me/notes.txt is a file, not a directory — pass a directory path, or move the file away`
 *
 * On failure, directories made by this call are removed again. Synchronous and bounded: one
 * mkdir per missing path component, never a retry loop.
 *
 * @param dir the directory as the user gave it
 * @param option how the user gave it, for the message: `--out`, `--state-dir`, `report directory`
 */
export function ensureWritableDir(dir: string, option: string, options: WritableDirOptions = {}): string {
  const code = options.code ?? codeFor(option);
  const failure = (cause: string, remedy: string, err?: unknown): TablesafeError =>
    new TablesafeError(code, `${option} ${dir}: ${cause}`, remedy, err === undefined ? undefined : { cause: err });
  if (typeof dir !== 'string' || dir.trim() === '') throw failure('a directory path is required', `pass ${option} DIR`);
  const abs = path.resolve(options.cwd ?? process.cwd(), dir);

  // Walk up to the nearest path that exists; everything below it is to be made.
  const missing: string[] = [];
  for (let cur = abs; ; ) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(cur);
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException).code;
      if (errno === 'ENOENT' || errno === 'ENOTDIR') {
        if (errno === 'ENOENT' && isSymlink(cur)) throw failure(`${cur} is a symbolic link to a missing target`, 'create its target, or pass another directory', e);
        const parent = path.dirname(cur);
        if (parent === cur) throw failure(`${cur} does not exist`, 'pass an existing directory', e);
        missing.unshift(cur);
        cur = parent;
        continue;
      }
      throw failure(describeFsError(cur, e, 'cannot read'), remedyFor(e), e);
    }
    if (!stat.isDirectory()) {
      throw stat.isFile()
        ? failure(`${cur} is a file, not a directory`, `pass a directory path, or move ${cur} away`)
        : failure(`${cur} is not a directory`, 'pass a directory path');
    }
    break;
  }

  const made: string[] = [];
  const undo = (): void => {
    for (const d of [...made].reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty or gone: leave it
      }
    }
  };
  try {
    for (const d of missing) {
      try {
        fs.mkdirSync(d);
        made.push(d);
      } catch (e) {
        const errno = (e as NodeJS.ErrnoException).code;
        if (errno === 'EEXIST' && isDirectory(d)) continue; // made meanwhile by someone else
        if (errno === 'ENOENT') throw failure(`cannot create ${d}: ${path.dirname(d)} does not accept new entries (ENOENT)`, 'pass a directory on a writable file system', e);
        throw failure(describeFsError(d, e, 'cannot create'), remedyFor(e), e);
      }
    }
    const probe = path.join(abs, `.tablesafe-write-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    try {
      fs.writeFileSync(probe, '', { flag: 'wx' });
    } catch (e) {
      throw failure(describeFsError(abs, e, 'cannot write in'), remedyFor(e), e);
    }
    fs.rmSync(probe, { force: true });
  } catch (e) {
    undo();
    throw e;
  }
  if (options.create === false) undo();
  return abs;
}

function codeFor(option: string): string {
  if (option === '--out') return 'TS_E_OUT_DIR';
  if (option === '--state-dir') return 'TS_E_STATE_DIR';
  if (option === '--workdir') return 'TS_E_WORKDIR';
  return 'TS_E_DIR';
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

/** `cannot create /x/y: permission denied (EACCES)` */
export function describeFsError(p: string, err: unknown, what: string): string {
  const errno = (err as NodeJS.ErrnoException)?.code;
  const cause = errno ? `${CAUSES[errno] ?? (err as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')} (${errno})` : String((err as Error)?.message ?? err);
  return `${what} ${p}: ${cause}`;
}

function remedyFor(err: unknown): string {
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'pass a directory you can write to, or fix its permissions';
    case 'EROFS':
      return 'pass a directory on a writable file system';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space, or pass a directory on another disk';
    default:
      return 'pass a directory you can write to';
  }
}
