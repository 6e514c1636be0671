/**
 * Every option of verify/drill is checked before any work starts: a bad value exits 2 naming the
 * option, even with --skip-drill (where the drill's options would otherwise never be read), and
 * before the contract is read or AWS is called.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runVerifyCli } from '../../../cli/verify';
import { TablesafeError } from '../../../core/errors';
import { validateVerifyOptions } from '../../../verify/run';
import { contract, terraformOutputJson } from './fixtures';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (s: string) => sink.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream(out), stderr: stream(err), cwd }, out, err };
}

/** A real contract and outputs pointing at a closed port: any AWS call would fail differently. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-opts-'));
  writeFileSync(path.join(dir, 'c.json'), JSON.stringify(contract()));
  writeFileSync(path.join(dir, 'o.json'), terraformOutputJson());
  return dir;
}

const base = ['--contract', 'c.json', '--outputs', 'o.json', '--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1'];

describe.each([
  [['--timeout', 'abc'], /--timeout: "abc" is invalid: use a duration/],
  [['--timeout', '0'], /--timeout: "0" is invalid: must be greater than zero/],
  [['--sample=-1'], /--sample: "-1" is invalid: must be a whole number >= 0/],
  [['--tolerance', '1.5'], /--tolerance: "1.5" is invalid: must be a whole number >= 0/],
  [['--digest', '--no-digest'], /--digest: "--no-digest" is invalid: give --digest or --no-digest, not both/],
  [['--older-than', '2h'], /--older-than: not an option of tablesafe verify/],
  [['--paths', 'backup,tape'], /--paths: "backup,tape" is invalid: must list restore paths among backup, pitr, dr/],
  [['--paths', 'pitr'], /--paths: "pitr" is invalid: must include backup/],
  [['--max-keys', '-1'], /--max-keys: "-1" is invalid: must be a whole number >= 0/],
  [['--sign', '--no-sign'], /--sign: "--no-sign" is invalid: give --sign or --no-sign, not both/],
  [['--upload', '--no-upload'], /--upload: "--no-upload" is invalid: give --upload or --no-upload, not both/],
])('tablesafe verify %j', (extra, message) => {
  it.each([[[]], [['--skip-drill']]])('exits 2 with one line naming the option (also with %j), before reading inputs or calling AWS', async (skip) => {
    const t = io(project());
    expect(await runVerifyCli(['verify', ...base, ...skip, ...extra], t.io)).toBe(2);
    const lines = t.err.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(t.out).toEqual([]);
  });
});

it('tablesafe drill refuses --paths the contract cannot run, naming the path and why, before calling AWS', async () => {
  const t = io(project());
  expect(await runVerifyCli(['drill', ...base, '--paths', 'backup,dr'], t.io)).toBe(2);
  expect(t.err.join('')).toMatch(/^tablesafe drill: paths: "backup,dr" is invalid: dr needs a DR vault \(backup.drRegion\)/);
});

it('tablesafe drill rejects --skip-drill, which only verify takes', async () => {
  const t = io(project());
  expect(await runVerifyCli(['drill', ...base, '--skip-drill'], t.io)).toBe(2);
  expect(t.err.join('')).toMatch(/--skip-drill: not an option of tablesafe drill/);
});

describe('validateVerifyOptions (the library form)', () => {
  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs', /timeoutMs: 0 is invalid/],
    [{ timeoutMs: Number.NaN }, 'timeoutMs', /timeoutMs: null is invalid/],
    [{ sample: -1 }, 'sample', /sample: -1 is invalid: must be a whole number >= 0/],
    [{ tolerance: 1.5 }, 'tolerance', /tolerance: 1.5 is invalid/],
    [{ command: 'janitor' as never }, 'command', /command: "janitor" is invalid: must be verify or drill/],
    [{ maxKeys: -3 }, 'maxKeys', /maxKeys: -3 is invalid: must be a whole number >= 0/],
  ])('rejects %j naming the field', (options, field, message) => {
    let thrown: unknown;
    try {
      validateVerifyOptions(options);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TablesafeError);
    expect((thrown as TablesafeError).code).toBe('TS_E_USAGE');
    expect((thrown as TablesafeError).field).toBe(field);
    expect((thrown as TablesafeError).message).toMatch(message);
  });

  it('accepts the defaults and sensible values', () => {
    expect(() => validateVerifyOptions({})).not.toThrow();
    expect(() => validateVerifyOptions({ command: 'drill', timeoutMs: 1, sample: 0, tolerance: 3, digest: false })).not.toThrow();
  });
});
