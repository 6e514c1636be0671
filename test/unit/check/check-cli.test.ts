import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheckCli } from '../../../cli/check';

const FIXTURES = path.join(__dirname, '../../fixtures/check');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await runCheckCli(argv), out: out.join(''), err: err.join('\n') };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}

describe('tablesafe check', () => {
  it('exits 1 on the insecure table fixture', async () => {
    expect((await run([path.join(FIXTURES, 'insecure-table.tf.json')])).code).toBe(1);
  });
  it('prints a table row per failed rule', async () => {
    const { out } = await run([path.join(FIXTURES, 'insecure-table.tf.json')]);
    expect(out).toMatch(/FAIL\s+TS-DDB-001\s+aws_dynamodb_table\.orders\s+point-in-time recovery is disabled/);
  });
  it('exits 0 on the compliant fixture', async () => {
    expect((await run([path.join(FIXTURES, 'compliant.tf.json')])).code).toBe(0);
  });
  it('exits 2 with one line on invalid JSON', async () => {
    const { code, err } = await run([path.join(FIXTURES, 'garbage.tf.json')]);
    expect([code, err.split('\n').length]).toEqual([2, 1]);
    expect(err).toMatch(/garbage\.tf\.json is not valid JSON/);
  });
  it('exits 2 on JSON that is not Terraform', async () => {
    const { code, err } = await run([path.join(FIXTURES, 'not-terraform.json')]);
    expect(code).toBe(2);
    expect(err).toMatch(/not-terraform\.json is not Terraform JSON/);
  });
  it('exits 2 on a missing file', async () => {
    const { code, err } = await run([path.join(FIXTURES, 'missing.tf.json')]);
    expect(code).toBe(2);
    expect(err).toMatch(/cannot read Terraform JSON .*missing\.tf\.json: ENOENT/);
  });
  it('exits 2 on an unknown pack', async () => {
    const { code, err } = await run([path.join(FIXTURES, 'compliant.tf.json'), '--pack', 'loose']);
    expect(code).toBe(2);
    expect(err).toMatch(/--pack: "loose" is invalid: must be one of tablesafe-baseline, tablesafe-strict/);
  });
  it('prints JUnit with one failure per violation', async () => {
    const { out } = await run([path.join(FIXTURES, 'insecure-table.tf.json'), '--format', 'junit']);
    expect(out.match(/<failure /g)).toHaveLength(4);
  });
  it('honours a suppressions file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-check-'));
    const file = path.join(dir, 'suppressions.json');
    fs.writeFileSync(file, JSON.stringify(['TS-DDB-001', 'TS-DDB-002', 'TS-DDB-003', 'TS-DDB-004'].map((ruleId) => ({ ruleId, resource: 'orders', reason: 'fixture of an insecure table' }))));
    expect((await run([path.join(FIXTURES, 'insecure-table.tf.json'), '--suppressions', file])).code).toBe(0);
  });
  it('reads a stack dir and writes the report to --out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-check-'));
    fs.copyFileSync(path.join(FIXTURES, 'compliant.tf.json'), path.join(dir, 'cdk.tf.json'));
    const out = path.join(dir, 'out');
    await run([dir, '--format', 'md', '--out', out]);
    expect(fs.readdirSync(out).sort()).toEqual(['tablesafe.compliance.json', 'tablesafe.compliance.md']);
  });
});

describe('tablesafe check --out that cannot be written', () => {
  const input = path.join(FIXTURES, 'compliant.tf.json');

  it('exits 2 with one line naming the path, the cause and the remedy when --out is an existing file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-check-')), 'report.txt');
    fs.writeFileSync(file, 'not a directory');
    const { code, out, err } = await run([input, '--out', file]);
    expect([code, err.split('\n').length, out]).toEqual([2, 1, '']);
    expect(err).toMatch(/TS_E_OUT_DIR: --out .*report\.txt: .*report\.txt is a file, not a directory — pass a directory path, or move .*report\.txt away/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('exits 2 when --out lies below a file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-check-')), 'report.txt');
    fs.writeFileSync(file, '');
    const { code, err } = await run([input, '--out', path.join(file, 'sub')]);
    expect(code).toBe(2);
    expect(err).toMatch(/report\.txt is a file, not a directory/);
  });

  it('exits 2 without hanging on /proc/x', async () => {
    const { code, out, err } = await run([input, '--out', '/proc/x']);
    expect([code, err.split('\n').length, out]).toEqual([2, 1, '']);
    expect(err).toMatch(/--out \/proc\/x: cannot create \/proc\/x: \/proc does not accept new entries \(ENOENT\)/);
  }, 5_000);
});
