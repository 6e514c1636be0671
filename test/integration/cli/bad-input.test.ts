/**
 * Bad input to the real processes (`bin/tablesafe.js`, the `cdktf synth` entry main.ts): an exit
 * code, one line on stderr, never a hang, a stack trace or a file left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'tablesafe.js');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'ts-cli-bad-'));

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = tmp()): { code: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}
const tablesafe = (args: string[], env?: NodeJS.ProcessEnv) => run([BIN, ...args], env);
const synth = (env: NodeJS.ProcessEnv) => run(['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'main.ts')], env, ROOT);
const lines = (s: string) => s.trim().split('\n').filter(Boolean);

describe('tablesafe sandbox start --state-dir', () => {
  it('/proc/x: exit 2 at once with one TS_E_STATE_DIR line', () => {
    const r = tablesafe(['sandbox', 'start', '--port', '0', '--state-dir', '/proc/x']);
    expect({ code: r.code, stdout: r.stdout, stderr: lines(r.stderr) }).toEqual({
      code: 2,
      stdout: '',
      stderr: [expect.stringMatching(/^tablesafe sandbox: TS_E_STATE_DIR: --state-dir \/proc\/x: cannot create \/proc\/x: .*ENOENT/)],
    });
    expect(r.ms).toBeLessThan(15_000);
  });

  it('a file: exit 2 with one line naming it, and the file untouched', () => {
    const dir = tmp();
    const file = path.join(dir, 'state');
    writeFileSync(file, 'mine');
    const r = tablesafe(['sandbox', 'start', '--port', '0', '--state-dir', file]);
    expect({ code: r.code, stderr: lines(r.stderr) }).toEqual({ code: 2, stderr: [expect.stringMatching(/^tablesafe sandbox: TS_E_STATE_DIR: .*state is a file, not a directory — /)] });
    expect(readdirSync(dir)).toEqual(['state']);
  });
});

describe('tablesafe sandbox start --port', () => {
  it('a port in use: exit 2 with one line, and the process ends (moto and the Backup service stopped)', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--port', String(port), '--state-dir', tmp(), '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stderr });
        });
      });
      expect({ code: r.code, stderr: lines(r.stderr) }).toEqual({ code: 2, stderr: [`tablesafe sandbox: TS_E_SANDBOX_PORT: port: ${port} is already in use on 127.0.0.1 — pick another --port, or 0 for a free one`] });
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('cdktf synth entry (main.ts)', () => {
  it('TABLESAFE_STACKS=nosuch: exit 1, one line naming the stacks, nothing written', () => {
    const out = path.join(tmp(), 'cdktf.out');
    const r = synth({ TABLESAFE_STACKS: 'nosuch', CDKTF_OUTDIR: out });
    expect({ code: r.code, stderr: lines(r.stderr) }).toEqual({ code: 1, stderr: [expect.stringMatching(/"nosuch" is not a stack: the stacks are demo, dev, prod/)] });
    expect(existsSync(out)).toBe(false);
  });

  it('an invalid setting: exit 1, the message once, no stack frames', () => {
    const r = synth({ TABLESAFE_STACKS: 'demo', TABLESAFE_BACKEND: 'bogus', CDKTF_OUTDIR: path.join(tmp(), 'cdktf.out') });
    expect({ code: r.code, stderr: lines(r.stderr) }).toEqual({ code: 1, stderr: ['tablesafe synth: TS_E_INVALID_ENV: TABLESAFE_BACKEND: "bogus" is invalid: must be local, s3 or cloud'] });
  });
});

describe('AWS SDK Node notice', () => {
  it('is not printed by a command that loads the SDK', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const r = spawnSync(process.execPath, [BIN, 'janitor', '--region', 'us-east-1', '--endpoint', 'http://127.0.0.1:1'], { env, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
    expect({ code: r.status, stderr: lines(r.stderr) }).toEqual({ code: 2, stderr: [expect.stringMatching(/^tablesafe janitor: TS_E_AWS_UNREACHABLE: /)] });
  });
});

describe('tablesafe --version', () => {
  it('prints three lines', () => {
    const r = tablesafe(['--version']);
    expect({ code: r.code, lines: lines(r.stdout).length, stderr: r.stderr }).toEqual({ code: 0, lines: 3, stderr: '' });
  });
});
