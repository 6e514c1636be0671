/** `tablesafe check --iam`: the platform roles' capability matrix, printed as a table or JSON. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheckCli } from '../../../cli/check';

const CORPUS = path.join(__dirname, '../../fixtures/check/corpus');
const PROD = path.join(CORPUS, 'platform-roles.cdktf.tf.json');
const WIDE = path.join(CORPUS, 'platform-roles-wide.cdktf.tf.json');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await runCheckCli(argv), out: out.join(''), err: err.join('\n') };
  } finally {
    write.mockRestore();
    error.mockRestore();
  }
}

describe('tablesafe check --iam', () => {
  it('prints each role of the prod stack on its matrix and exits 0', async () => {
    const { code, out } = await run([PROD, '--iam']);
    expect(code).toBe(0);
    expect(out).toMatch(/^restoreDrill \(tablesafe-prod-restore-drill\): \d+ capabilities, 0 off the matrix$/m);
    expect(out).toMatch(/ok\s+must-deny\s+restore-other-recovery-point\s+otherTableBackup\s+denied \(implicit\)/);
    expect(out).toMatch(/every role matches its matrix\n$/);
  });

  it('exits 1 on the stack before the least-privilege fixes, naming what is off and by which statement', async () => {
    const { code, out } = await run([WIDE, '--iam']);
    expect(code).toBe(1);
    expect(out).toMatch(/OFF\s+must-deny\s+grant-key-to-anyone \[kms:GrantIsForAWSResource=false\]\s+key\s+allowed by use-platform-keys:UsePlatformKeys/);
    expect(out).toMatch(/OFF\s+must-deny\s+restore-other-recovery-point\s+otherTableBackup\s+allowed by restore-drill:RecoveryPoints \(ARN format asserted\)/);
  });

  it('prints the matrix as data with --format json', async () => {
    const { code, out } = await run([PROD, '--iam', '--format', 'json']);
    const matrix = JSON.parse(out);
    expect([code, matrix.schema, matrix.status, matrix.roles.map((r: { role: string }) => r.role)]).toEqual([0, 'tablesafe.iam-matrix/1', 'simulated', ['backup', 'restoreDrill', 'auditor', 'appReader', 'appWriter']]);
    expect(matrix.roles[1].rows[0]).toEqual(expect.objectContaining({ capability: expect.any(String), kind: 'must-allow', decision: 'allowed', ok: true, statement: expect.stringMatching(/^restore-drill:/) }));
  });

  it('evaluates under the organisation guardrails given', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-guardrails-'));
    const file = path.join(dir, 'no-scans.json');
    fs.writeFileSync(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoScans', Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' }] }));
    const { code, out } = await run([PROD, '--iam', '--guardrails', file]);
    expect(code).toBe(1);
    expect(out).toMatch(/OFF\s+must-allow\s+dynamodb:Scan\s+sourceTable\s+DENIED \(explicit\) by no-scans:NoScans/);
  });

  it('exits 2 on a plan that knows a policy only after apply, naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-iam-plan-'));
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: { resources: [{ address: 'aws_iam_role_policy.p', mode: 'managed', type: 'aws_iam_role_policy', name: 'p', values: { role: 'r' } }] } },
      resource_changes: [{ address: 'aws_iam_role_policy.p', mode: 'managed', type: 'aws_iam_role_policy', name: 'p', change: { actions: ['create'], before: null, after: {}, after_unknown: { policy: true } } }],
      configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } } } },
    }));
    const { code, err } = await run([file, '--iam']);
    expect([code, err]).toEqual([2, expect.stringMatching(/knows aws_iam_role_policy\.p\.policy only after apply: nothing to simulate/)]);
  });

  it('exits 2 for input without platform roles, and refuses formats other than table and json', async () => {
    expect((await run([path.join(__dirname, '../../fixtures/check/compliant.tf.json'), '--iam'])).code).toBe(2);
    const { code, err } = await run([PROD, '--iam', '--format', 'sarif']);
    expect([code, err]).toEqual([2, expect.stringMatching(/--iam prints a table or json, not sarif/)]);
  });
});
