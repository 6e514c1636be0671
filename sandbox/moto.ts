/**
 * The moto server child process: found, started on a private loopback port, awaited, stopped.
 *
 * moto must never outlive the sandbox. It runs under a tiny `sh` guard in its own process group:
 * the guard holds a pipe from us on stdin, and when that pipe closes (we exited, even by
 * `kill -9`) it kills moto. A graceful stop signals the whole group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { TablesafeError } from '../core/errors';

export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';

export interface MotoOptions {
  /**
   * Path of the `moto_server` executable.
   * @default env TABLESAFE_MOTO_SERVER, else `moto_server` found on PATH
   */
  readonly binary?: string;
  /**
   * How long to wait for moto to answer before giving up, in milliseconds.
   * @default 30000
   */
  readonly readyTimeoutMs?: number;
  /** Receives moto's stderr lines. @default discarded */
  readonly onLog?: (line: string) => void;
}

export interface MotoProcess {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** Resolves once moto and its guard have exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Resolves the moto_server binary or throws a one-line error that says how to install it. */
export function findMotoServer(explicit?: string): string {
  const wanted = explicit ?? process.env.TABLESAFE_MOTO_SERVER;
  if (wanted) {
    if (!existsSync(wanted)) {
      throw new TablesafeError('TS_E_MOTO_MISSING', `moto_server not found at TABLESAFE_MOTO_SERVER=${wanted}`, `point TABLESAFE_MOTO_SERVER at moto_server, or install it: ${MOTO_INSTALL_HINT}`);
    }
    return wanted;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'moto_server');
    if (existsSync(candidate)) return candidate;
  }
  throw new TablesafeError('TS_E_MOTO_MISSING', 'moto_server is not on PATH', `install it with: ${MOTO_INSTALL_HINT} (or set TABLESAFE_MOTO_SERVER)`);
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// $0 = moto binary, $1 = port. Runs moto in the background and kills it when stdin closes.
const GUARD = '"$0" -H 127.0.0.1 -p "$1" & m=$!; trap \'kill $m 2>/dev/null; wait $m; exit 0\' TERM INT HUP; cat >/dev/null; kill $m 2>/dev/null; wait $m';

/** Every guard we started, so a process exit kills them even without stop(). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoProcess> {
  const binary = findMotoServer(options.binary);
  const port = await freePort();
  const child = spawn('sh', ['-c', GUARD, binary, String(port)], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
    // AWS managed policies (e.g. AWSBackupServiceRolePolicyForBackup) exist in every account; moto loads them only when asked.
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  installExitHook();
  live.add(child);
  // The guard must not keep our event loop alive, and its stdin pipe must stay open until we go.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  const tail: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLog?.(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      // moto itself may still be winding down in the group; make sure it is gone.
      killGroup(child, 'SIGKILL');
    }
  };
  try {
    await waitUntilReady(port, options.readyTimeoutMs ?? 30_000, exited, () => tail.join('\n'));
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid ?? -1, stop };
}

async function waitUntilReady(port: number, timeoutMs: number, exited: Promise<void>, logTail: () => string): Promise<void> {
  let dead = false;
  void exited.then(() => { dead = true; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) {
      throw new TablesafeError('TS_E_MOTO_START', `moto_server exited during start-up: ${logTail().split('\n').slice(-3).join(' | ') || 'no output'}`, `check the moto installation (${MOTO_INSTALL_HINT})`);
    }
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new TablesafeError('TS_E_MOTO_START', `moto_server did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`, 'retry; if it persists, run moto_server by hand to see its error');
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/moto-api/data.json', timeout: 1000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}
