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

describe('tablesafe check: unknown policy, SARIF, plans', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-check-'));
  const write = (d: string, name: string, json: object) => {
    const file = path.join(d, name);
    fs.writeFileSync(file, JSON.stringify(json));
    return file;
  };
  const withVariable = { provider: { aws: { region: 'us-east-1' } }, resource: { aws_dynamodb_table: { t: { name: 't', billing_mode: 'PAY_PER_REQUEST', point_in_time_recovery: { enabled: '${var.pitr}' }, server_side_encryption: { enabled: true, kms_key_arn: 'arn:aws:kms:us-east-1:1:key/k' }, deletion_protection_enabled: true } }, aws_backup_selection: { s: { name: 's', plan_id: 'p', resources: ['${aws_dynamodb_table.t.arn}'] } } } };

  it('exits 1 on an unknown under tablesafe-strict and says so', async () => {
    const { code, out } = await run([write(dir(), 'v.tf.json', withVariable)]);
    expect([code, out]).toEqual([1, expect.stringMatching(/UNKNOWN\s+TS-DDB-001\s+aws_dynamodb_table\.t\s+cannot evaluate: point_in_time_recovery\.enabled = var\.pitr/)]);
    expect(out).toMatch(/unknown findings fail the run on error-level rules \(tablesafe-strict\)/);
  });

  it('exits 0 with --unknown warn', async () => {
    const { code, out } = await run([write(dir(), 'v.tf.json', withVariable), '--unknown', 'warn']);
    expect([code, out]).toEqual([0, expect.stringMatching(/unknown findings are warnings \(--unknown\)/)]);
  });

  it('exits 2 on an --unknown it does not know', async () => {
    const { code, err } = await run([write(dir(), 'v.tf.json', withVariable), '--unknown', 'maybe']);
    expect([code, err]).toEqual([2, expect.stringMatching(/--unknown: "maybe" is invalid: must be one of fail, warn, ignore/)]);
  });

  it('prints SARIF 2.1.0 with the rules, a result per violation and suppressions with their reason', async () => {
    const d = dir();
    const suppressions = write(d, 's.json', [{ ruleId: 'TS-DDB-002', resource: 'orders', reason: 'an AWS-owned key is accepted for this fixture' }]);
    const { code, out } = await run([path.join(FIXTURES, 'insecure-table.tf.json'), '--format', 'sarif', '--suppressions', suppressions]);
    const sarif = JSON.parse(out);
    const results = sarif.runs[0].results as { ruleId: string; level: string; kind: string; suppressions?: { justification: string }[] }[];
    expect([code, sarif.version, sarif.runs[0].tool.driver.name, sarif.runs[0].tool.driver.rules.length]).toEqual([1, '2.1.0', 'tablesafe', 28]);
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([['TS-DDB-001', 'error'], ['TS-DDB-002', 'note'], ['TS-DDB-003', 'error'], ['TS-DDB-004', 'error']]);
    expect(results[1].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'an AWS-owned key is accepted for this fixture' }]);
  });

  it('writes tablesafe.compliance.sarif to --out', async () => {
    const out = path.join(dir(), 'out');
    fs.mkdirSync(out);
    await run([path.join(FIXTURES, 'compliant.tf.json'), '--format', 'sarif', '--out', out]);
    expect(fs.readdirSync(out).sort()).toEqual(['tablesafe.compliance.json', 'tablesafe.compliance.sarif']);
  });

  it('checks a plan (terraform show -json), with the contract named by --contract', async () => {
    const d = dir();
    const plan = write(d, 'plan.json', {
      format_version: '1.2',
      planned_values: { root_module: { resources: [] } },
      resource_changes: [{ address: 'aws_dynamodb_table.t', mode: 'managed', type: 'aws_dynamodb_table', name: 't', change: { actions: ['delete'] } }],
    });
    const { code, out } = await run([plan, '--contract', path.join(d, 'missing.json')]);
    expect(code).toBe(2);
    const checked = await run([plan]);
    expect([checked.code, checked.out]).toEqual([1, expect.stringMatching(/FAIL\s+TS-PLAN-001\s+aws_dynamodb_table\.t\s+the plan destroys aws_dynamodb_table\.t/)]);
    expect(out).toBe('');
  });
});

describe('tablesafe check on input nested 100,000 levels deep', () => {
  it.each([
    ['a resource attribute', (deep: string) => `{"resource":{"aws_dynamodb_table":{"t":{"name":"t","tags":${deep},"point_in_time_recovery":{"enabled":${deep}}}}}}`],
    ['the resource section', (deep: string) => `{"resource":${deep}}`],
    ['a local value in jsonencode()', (deep: string) => `{"locals":{"p":${deep}},"resource":{"aws_kms_key":{"k":{"enable_key_rotation":true,"policy":"\${jsonencode(local.p)}"}}}}`],
  ])('answers in findings and one summary line, no stack trace: %s', async (_what, make) => {
    let deep = '{}';
    for (let i = 0; i < 100_000; i++) deep = `{"a":${deep}}`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-check-')), 'deep.tf.json');
    fs.writeFileSync(file, make(deep));
    const { code, out, err } = await run([file]);
    expect([code === 0 || code === 1, err]).toEqual([true, '']);
    expect(out).not.toMatch(/\n\s+at /);
    expect(out.trim().split('\n').pop()).toMatch(/^tablesafe-strict on deep\.tf\.json: /);
  });
});
