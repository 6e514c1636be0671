import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runVerifyCli } from '../../../verify/cli';
import { contract } from './fixtures';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (s: string) => sink.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream(out), stderr: stream(err), cwd }, out, err };
}

describe('tablesafe verify exit code 2', () => {
  it('says to run cdktf synth when the contract is missing', async () => {
    const t = io(mkdtempSync(path.join(tmpdir(), 'ts-cli-')));
    expect(await runVerifyCli(['verify', '--stack', 'demo'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/^tablesafe verify: TS_E_CONTRACT_MISSING: contract .* does not exist — run `npx cdktf synth` first/);
  });

  it('says the stack is not applied when the outputs file is empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-cli-'));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify(contract()));
    writeFileSync(path.join(dir, 'o.json'), '{}');
    const t = io(dir);
    expect(await runVerifyCli(['verify', '--contract', 'c.json', '--outputs', 'o.json'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/TS_E_NOT_APPLIED: .*o.json has no outputs — stack not applied/);
  });

  it('rejects an unknown option naming it', async () => {
    const t = io(tmpdir());
    expect(await runVerifyCli(['verify', '--frsh'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/unknown option "--frsh"/);
  });

  it('rejects an invalid --older-than naming the value and the rule, before any AWS call', async () => {
    const t = io(tmpdir());
    expect(await runVerifyCli(['janitor', '--older-than', 'soon', '--region', 'us-east-1', '--endpoint', 'http://127.0.0.1:9'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/--older-than is "soon"; use a duration such as 90s, 30m, 2h or 1d/);
  });

  it('prints usage with --help and exits 0', async () => {
    const t = io(tmpdir());
    expect(await runVerifyCli(['drill', '--help'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/tablesafe drill/);
  });
});
