import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthStacks } from '../../../demo/synth';
import { Terraform } from '../../../demo/terraform';

/**
 * Real terraform on every synthesized stack: init (offline from TF_PLUGIN_DIR when set),
 * validate, and plan with fake credentials and the provider's skip flags (TABLESAFE_OFFLINE).
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-plan-'));
const env = {
  ...process.env,
  TABLESAFE_OFFLINE: '1',
  TABLESAFE_ACCOUNT_ID: '123456789012',
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-for-offline-plan',
  AWS_ENDPOINT_URL: undefined,
  TABLESAFE_BACKEND: undefined,
};
const dirs = synthStacks({ outdir, env });

/** Planned creations per resource type, from `terraform plan` output lines `# aws_x.name will be created`. */
function plannedTypes(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of output.matchAll(/# (?:module\.\S+\.)?(aws_[a-z0-9_]+)\.\S+ will be created/g)) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  return counts;
}

const expected: Record<string, { total: number; types: Record<string, number> }> = {
  // Each stack has the data key and the audit trail's own key (with their aliases).
  demo: { total: 33, types: { aws_dynamodb_table: 1, aws_kms_key: 2, aws_backup_vault: 1, aws_backup_plan: 1, aws_backup_selection: 1, aws_cloudtrail: 1, aws_iam_role: 5, aws_appautoscaling_target: 0 } },
  dev: { total: 33, types: { aws_dynamodb_table: 1, aws_kms_key: 2, aws_backup_vault: 1, aws_cloudtrail: 1, aws_iam_role: 5 } },
  prod: { total: 48, types: { aws_dynamodb_table: 1, aws_kms_key: 3, aws_backup_vault: 2, aws_backup_vault_lock_configuration: 2, aws_backup_region_settings: 2, aws_appautoscaling_target: 4, aws_appautoscaling_policy: 4, aws_iam_role: 5 } },
};

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe.each(Object.keys(expected))('terraform on the %s stack', (stack) => {
  const tf = new Terraform({ cwd: dirs[stack], env });

  it('initializes and validates', async () => {
    await tf.init();
    const result = await tf.validate();
    expect(result.output).toMatch(/The configuration is valid/);
  }, 120_000);

  it('plans the expected resources offline', async () => {
    const result = await tf.plan(['-refresh=false']);
    expect(result.exitCode).toBe(2);
    const total = Number(/Plan: (\d+) to add, 0 to change, 0 to destroy/.exec(result.output)?.[1]);
    expect(total).toBe(expected[stack].total);
    const types = plannedTypes(result.output);
    for (const [type, count] of Object.entries(expected[stack].types)) expect({ type, count: types[type] ?? 0 }).toEqual({ type, count });
  }, 180_000);
});
