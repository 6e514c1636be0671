/** `tablesafe sandbox start` in the foreground: one endpoint line, the env, a clean stop on SIGTERM/SIGINT. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { tempStateDir } from './helpers';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'tablesafe.js');

async function startCli(): Promise<{ child: ReturnType<typeof spawn>; lines: string[]; ready: Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--port', '0', '--state-dir', tempStateDir(), '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffer = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.some((l) => l.startsWith('export AWS_SECRET_ACCESS_KEY='))) resolve();
    });
  });
  return { child, lines, ready };
}

describe('tablesafe sandbox start', () => {
  it('prints `endpoint http://127.0.0.1:PORT` as its first line, then export lines', async () => {
    const { child, lines, ready } = await startCli();
    await ready;
    child.kill('SIGTERM');
    expect([lines[0], lines.slice(1).every((l) => /^export [A-Z_]+=\S+$/.test(l))]).toEqual([expect.stringMatching(/^endpoint http:\/\/127\.0\.0\.1:\d+$/), true]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s and the endpoint stops answering', async (signal) => {
    const { child, lines, ready } = await startCli();
    await ready;
    const endpoint = lines[0].split(' ')[1];
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    const code = await exited;
    const answer = await fetch(`${endpoint}/_sandbox/health`).then(() => 'answered', () => 'refused');
    expect([code, answer]).toEqual([0, 'refused']);
  });

  it('refuses a bad option with exit code 2 and a message naming it', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--port', 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect([code, stderr]).toEqual([2, expect.stringMatching(/--port: "nope" is invalid/)]);
  });
});
