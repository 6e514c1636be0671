/** `tablesafe check` on `terraform show -json` plans: planned values, after_unknown, configuration references, resource changes. */
import { runCheck } from '../../../compliance';
import type { CheckReport } from '../../../compliance';
import { factsFromTerraform } from '../../../compliance/facts/from-terraform';
import { PLAN_UNKNOWN_REMEDY, UNKNOWN_REMEDY } from '../../../compliance/rules/rule';

const AWS = 'registry.terraform.io/hashicorp/aws';
const resource = (type: string, name: string, values: object, extra: object = {}) => ({ address: `${type}.${name}`, mode: 'managed', type, name, provider_name: AWS, values, ...extra });
const change = (type: string, name: string, actions: string[], afterUnknown: object = {}, extra: object = {}) => ({ address: `${type}.${name}`, mode: 'managed', type, name, provider_name: AWS, change: { actions, before: null, after: {}, after_unknown: afterUnknown }, ...extra });

function plan(resources: object[], changes: object[], configResources: object[] = [], providers: object = { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } } }) {
  return { format_version: '1.2', terraform_version: '1.11.4', planned_values: { root_module: { resources } }, resource_changes: changes, configuration: { provider_config: providers, root_module: { resources: configResources } } };
}
const status = (r: CheckReport, ruleId: string, id: string) => r.compliance.findings.find((f) => f.ruleId === ruleId && f.resource.id === id)?.status;

describe('check on a plan', () => {
  it('reads planned values: a variable that turned PITR off is a violation there', () => {
    const r = runCheck({ terraform: plan([resource('aws_dynamodb_table', 't', { name: 't', point_in_time_recovery: [{ enabled: false }] })], [change('aws_dynamodb_table', 't', ['create'])]) });
    expect([r.input, status(r, 'TS-DDB-001', 'aws_dynamodb_table.t')]).toEqual(['plan', 'non-compliant']);
  });

  it('takes a value known only after apply from the configuration\'s reference', () => {
    const r = runCheck({
      terraform: plan(
        [resource('aws_kms_key', 'k', { enable_key_rotation: true }), resource('aws_dynamodb_table', 't', { name: 't', server_side_encryption: [{ enabled: true }] })],
        [change('aws_kms_key', 'k', ['create'], { arn: true }), change('aws_dynamodb_table', 't', ['create'], { server_side_encryption: [{ kms_key_arn: true }] })],
        [{ address: 'aws_dynamodb_table.t', type: 'aws_dynamodb_table', name: 't', provider_config_key: 'aws', expressions: { server_side_encryption: [{ enabled: { constant_value: true }, kms_key_arn: { references: ['aws_kms_key.k.arn', 'aws_kms_key.k'] } }] } }],
      ),
    });
    expect(r.compliance.findings.find((f) => f.ruleId === 'TS-DDB-002')).toMatchObject({ status: 'compliant', evidence: { actual: 'CUSTOMER_MANAGED (aws_kms_key.k.arn)' } });
  });

  it('judges a value known only after apply, without a configuration reference, unknown', () => {
    const r = runCheck({ terraform: plan([resource('aws_kms_key', 'k', {})], [change('aws_kms_key', 'k', ['create'], { enable_key_rotation: true })], [{ address: 'aws_kms_key.k', type: 'aws_kms_key', name: 'k', expressions: { enable_key_rotation: { references: ['aws_ssm_parameter.a.value', 'aws_ssm_parameter.b.value'] } } }]) });
    expect(r.compliance.findings.find((f) => f.ruleId === 'TS-KMS-001')).toMatchObject({ status: 'unknown', message: expect.stringMatching(/enable_key_rotation = \(known after apply\)/) });
  });

  it('reads a lifecycle value of 0 as not set, as the AWS provider does (a plan of an applied stack shows 0 for cold_storage_after never set)', () => {
    const lifecycle = (coldStorageAfter: number, deleteAfter: number) => ({ name: 'p', rule: [{ rule_name: 'daily', target_vault_name: 'v', schedule: 'cron(0 5 ? * * *)', lifecycle: [{ cold_storage_after: coldStorageAfter, delete_after: deleteAfter, opt_in_to_archive_for_supported_resources: false }], copy_action: [] }] });
    const applied = runCheck({ terraform: plan([resource('aws_backup_plan', 'p', lifecycle(0, 7))], [change('aws_backup_plan', 'p', ['no-op'])]) });
    expect(applied.compliance.findings.find((f) => f.ruleId === 'TS-BAK-005')).toMatchObject({ status: 'compliant', evidence: { actual: 'rule daily: cold never, delete 7' } });
    const facts = factsFromTerraform(plan([resource('aws_backup_plan', 'p', lifecycle(0, 0))], []));
    expect([facts.plans[0].rules[0].deleteAfterDays, facts.plans[0].rules[0].coldStorageAfterDays]).toEqual([undefined, undefined]);
    const cold = runCheck({ terraform: plan([resource('aws_backup_plan', 'p', lifecycle(30, 100))], [change('aws_backup_plan', 'p', ['no-op'])]) });
    expect(cold.compliance.findings.find((f) => f.ruleId === 'TS-BAK-005')).toMatchObject({ status: 'non-compliant', message: 'rule daily: delete_after 100 < cold_storage_after 30 + 90' });
  });

  it('judges the key AWS fills in for a vault or table configured without one as AWS-managed, not as a key the configuration chose', () => {
    const awsBackupKey = 'arn:aws:kms:us-east-1:123456789012:key/aws-backup-default';
    const awsDynamoKey = 'arn:aws:kms:us-east-1:123456789012:key/aws-dynamodb-default';
    const vault = resource('aws_backup_vault', 'v', { name: 'v', kms_key_arn: awsBackupKey });
    const table = resource('aws_dynamodb_table', 't', { name: 't', hash_key: 'id', server_side_encryption: [{ enabled: true, kms_key_arn: awsDynamoKey }] });
    const applied = (vaultExpressions: object, tableExpressions: object) => runCheck({ terraform: plan([vault, table], [change('aws_backup_vault', 'v', ['no-op']), change('aws_dynamodb_table', 't', ['no-op'])], [
      { address: 'aws_backup_vault.v', mode: 'managed', type: 'aws_backup_vault', name: 'v', expressions: { name: { constant_value: 'v' }, ...vaultExpressions } },
      { address: 'aws_dynamodb_table.t', mode: 'managed', type: 'aws_dynamodb_table', name: 't', expressions: { name: { constant_value: 't' }, ...tableExpressions } },
    ]) });
    const defaults = applied({}, { server_side_encryption: [{ enabled: { constant_value: true } }] });
    expect([status(defaults, 'TS-BAK-001', 'aws_backup_vault.v'), status(defaults, 'TS-DDB-002', 'aws_dynamodb_table.t')]).toEqual(['non-compliant', 'non-compliant']);
    const chosen = applied({ kms_key_arn: { constant_value: awsBackupKey } }, { server_side_encryption: [{ enabled: { constant_value: true }, kms_key_arn: { constant_value: awsDynamoKey } }] });
    expect([status(chosen, 'TS-BAK-001', 'aws_backup_vault.v'), status(chosen, 'TS-DDB-002', 'aws_dynamodb_table.t')]).toEqual(['compliant', 'compliant']);
    // Encryption from a `dynamic` block is not in the plan's configuration: the planned key stands.
    expect(status(applied({ kms_key_arn: { references: ['var.key'] } }, {}), 'TS-DDB-002', 'aws_dynamodb_table.t')).toBe('compliant');
  });

  it('tells what to do about a value known only after apply (verify the applied stack), not to check the plan', () => {
    const r = runCheck({ terraform: plan([resource('aws_kms_key', 'k', {})], [change('aws_kms_key', 'k', ['create'], { enable_key_rotation: true })]) });
    expect(r.compliance.findings.find((f) => f.ruleId === 'TS-KMS-001')).toMatchObject({ status: 'unknown', remedy: PLAN_UNKNOWN_REMEDY });
    const config = runCheck({ terraform: { resource: { aws_kms_key: { k: { enable_key_rotation: '${var.rotate}' } } } } });
    expect(config.compliance.findings.find((f) => f.ruleId === 'TS-KMS-001')).toMatchObject({ status: 'unknown', remedy: UNKNOWN_REMEDY });
  });

  it('matches set-ordered nested blocks to their configuration by content, not position', () => {
    const facts = factsFromTerraform(plan(
      [resource('aws_cloudtrail', 't', { name: 't', advanced_event_selector: [{ field_selector: [{ field: 'resources.ARN' }, { field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] }] }] })],
      [change('aws_cloudtrail', 't', ['create'], { advanced_event_selector: [{ field_selector: [{ equals: true }, {}, {}] }] })],
      [{ address: 'aws_cloudtrail.t', type: 'aws_cloudtrail', name: 't', expressions: { advanced_event_selector: [{ field_selector: [
        { field: { constant_value: 'eventCategory' }, equals: { constant_value: ['Data'] } },
        { field: { constant_value: 'resources.type' }, equals: { constant_value: ['AWS::DynamoDB::Table'] } },
        { field: { constant_value: 'resources.ARN' }, equals: { references: ['aws_dynamodb_table.orders.arn', 'aws_dynamodb_table.orders'] } },
      ] }] } }],
    ));
    expect(facts.trails[0].dynamoDbDataEventTables).toEqual(['${aws_dynamodb_table.orders.arn}']);
  });

  it('takes the provider region from the configuration: same-named vaults in two regions stay apart', () => {
    const deny = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }] });
    const r = runCheck({
      terraform: plan(
        [resource('aws_backup_vault', 'a', { name: 'v' }), resource('aws_backup_vault', 'b', { name: 'v' }), resource('aws_backup_vault_policy', 'b', { backup_vault_name: 'v', policy: deny })],
        [],
        [
          { address: 'aws_backup_vault.b', type: 'aws_backup_vault', name: 'b', provider_config_key: 'aws.dr' },
          { address: 'aws_backup_vault_policy.b', type: 'aws_backup_vault_policy', name: 'b', provider_config_key: 'aws.dr' },
        ],
        { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } }, 'aws.dr': { name: 'aws', alias: 'dr', expressions: { region: { constant_value: 'us-west-2' } } } },
      ),
    });
    expect([status(r, 'TS-BAK-002', 'aws_backup_vault.a'), status(r, 'TS-BAK-002', 'aws_backup_vault.b')]).toEqual(['non-compliant', 'compliant']);
  });

  it('reports a plan that destroys a table (error under tablesafe-strict, warning under baseline)', () => {
    const p = plan([], [change('aws_dynamodb_table', 'orders', ['delete'], {}, { action_reason: 'delete_because_no_resource_config' })]);
    const strict = runCheck({ terraform: p });
    const baseline = runCheck({ terraform: p }, { pack: 'tablesafe-baseline' });
    expect([strict.exitCode, strict.compliance.violations[0]?.message, baseline.exitCode, baseline.compliance.warnings[0]?.ruleId]).toEqual([
      1, expect.stringMatching(/^the plan destroys aws_dynamodb_table\.orders: the table and its point-in-time recovery history would be lost \(reason: delete_because_no_resource_config\)/), 0, 'TS-PLAN-001',
    ]);
  });

  it('reports a replacement naming the attribute that forces it', () => {
    const r = runCheck({ terraform: plan([resource('aws_kms_key', 'k', { enable_key_rotation: true })], [{ ...change('aws_kms_key', 'k', ['delete', 'create']), change: { actions: ['delete', 'create'], after_unknown: {}, replace_paths: [['customer_master_key_spec']] } }]) });
    expect(r.compliance.violations.map((f) => f.message)).toEqual([expect.stringMatching(/the plan replaces aws_kms_key\.k: .* \(forced by customer_master_key_spec\)/)]);
  });

  it('reads resources of child modules with their module address', () => {
    const p = plan([], []);
    (p.planned_values.root_module as Record<string, unknown>).child_modules = [{ address: 'module.data', resources: [{ ...resource('aws_dynamodb_table', 't', { name: 't' }), address: 'module.data.aws_dynamodb_table.t' }] }];
    expect(status(runCheck({ terraform: p }), 'TS-DDB-001', 'module.data.aws_dynamodb_table.t')).toBe('non-compliant');
  });

  it('keeps a literal ${...} in a planned value literal', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: 'arn:aws:kms:*:1:key/${aws:username}' }] });
    const r = runCheck({ terraform: plan([resource('aws_kms_key', 'k', { enable_key_rotation: true, policy })], []) });
    expect(status(r, 'TS-KMS-002', 'aws_kms_key.k')).toBe('compliant');
  });
});
