import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthStacks } from '../../../demo/synth';
import { Terraform } from '../../../demo/terraform';
import { offlinePlanEnv } from '../../helpers/offline-plan';

/**
 * Real terraform on every synthesized stack: init (offline from TF_PLUGIN_DIR when set),
 * validate, and plan with fake credentials and the provider's skip flags (TABLESAFE_OFFLINE).
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tablesafe-plan-'));
const env = offlinePlanEnv();
const dirs = synthStacks({ outdir, env });

/** Planned creations per resource type, from `terraform plan` output lines `# aws_x.name will be created`. */
function plannedTypes(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of output.matchAll(/# (?:module\.\S+\.)?(aws_[a-z0-9_]+)\.\S+ will be created/g)) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  return counts;
}

const expected: Record<string, { total: number; types: Record<string, number> }> = {
  // Each stack has the data key and the audit trail's own key (with their aliases).
  // Evidence store in every stack: signing and storage keys with aliases, the Object Lock bucket and its
  // six settings, and four role policies (sign, upload, verify, read): 15 resources.
  demo: { total: 49, types: { aws_dynamodb_table: 1, aws_kms_key: 4, aws_backup_vault: 1, aws_backup_plan: 1, aws_backup_selection: 1, aws_cloudtrail: 1, aws_iam_role: 5, aws_appautoscaling_target: 0, aws_s3_bucket_object_lock_configuration: 1 } },
  dev: { total: 49, types: { aws_dynamodb_table: 1, aws_kms_key: 4, aws_backup_vault: 1, aws_cloudtrail: 1, aws_iam_role: 5, aws_s3_bucket_object_lock_configuration: 1 } },
  prod: { total: 64, types: { aws_dynamodb_table: 1, aws_kms_key: 5, aws_backup_vault: 2, aws_backup_vault_lock_configuration: 2, aws_backup_region_settings: 2, aws_appautoscaling_target: 4, aws_appautoscaling_policy: 4, aws_iam_role: 5, aws_s3_bucket_object_lock_configuration: 1 } },
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
