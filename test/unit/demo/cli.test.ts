import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runDemoCli } from '../../../cli/demo';

function io(env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  return { io: { stdout, stderr, env, cwd: '/nonexistent-demo-cwd' }, out: () => out, err: () => err };
}

describe('runDemoCli', () => {
  it('prints usage and exits 0 for --help', async () => {
    const t = io({});
    expect(await runDemoCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toMatch(/usage: tablesafe demo/);
  });

  it('exits 2 naming the bad option', async () => {
    const t = io({});
    expect(await runDemoCli(['--items', 'many'], t.io)).toBe(2);
    expect(t.err()).toMatch(/--items: "many" is invalid/);
  });

  it('exits 2 with one line saying what to install when terraform is missing', async () => {
    const t = io({ PATH: '/nonexistent-bin' });
    expect(await runDemoCli([], t.io)).toBe(2);
    expect(t.err().trim().split('\n')).toHaveLength(1);
    expect(t.err()).toMatch(/TS_E_NO_TERRAFORM: terraform was not found on PATH — install Terraform/);
  });
  // TABLESAFE_TERRAFORM is taken as given, so these reach the directory checks.
  const withTerraform = { TABLESAFE_TERRAFORM: '/usr/bin/true' };

  it('exits 2 at once with one line for --workdir under /proc', async () => {
    const t = io(withTerraform);
    expect(await runDemoCli(['--workdir', '/proc/x'], t.io)).toBe(2);
    expect(t.err().trim().split('\n')).toEqual([expect.stringMatching(/^tablesafe demo: TS_E_WORKDIR: --workdir \/proc\/x: cannot create \/proc\/x: .*ENOENT/)]);
  });

  it('exits 2 before the run when --out is a file, creating nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ts-demo-cli-'));
    writeFileSync(path.join(dir, 'out.txt'), '');
    const t = io(withTerraform);
    expect(await runDemoCli(['--workdir', path.join(dir, 'work'), '--out', path.join(dir, 'out.txt')], t.io)).toBe(2);
    expect(t.err()).toMatch(/^tablesafe demo: TS_E_OUT_DIR: --out .*out\.txt: .*out\.txt is a file, not a directory/);
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });
});
