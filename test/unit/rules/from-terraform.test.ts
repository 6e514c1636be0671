import * as fs from 'node:fs';
import * as path from 'node:path';
import { factsFromTerraform } from '../../../compliance/facts/from-terraform';

const compliant = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/check/compliant.tf.json'), 'utf8'));
const tf = (resource: object, extra: object = {}) => ({ provider: { aws: { region: 'us-east-1' } }, resource, ...extra });

describe('factsFromTerraform', () => {
  it('rejects JSON that is not Terraform', () => {
    expect(() => factsFromTerraform({ hello: 'world' })).toThrow(/not Terraform JSON/);
  });
  it('reads PITR and SSE from blocks given as arrays', () => {
    const facts = factsFromTerraform(tf({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: [{ enabled: true }], server_side_encryption: [{ enabled: true }] } } }));
    expect([facts.tables[0].pitrEnabled, facts.tables[0].sse.keyType]).toEqual([true, 'AWS_MANAGED']);
  });
  it('defaults a table to PITR off, AWS-owned key, provisioned', () => {
    const t = factsFromTerraform(tf({ aws_dynamodb_table: { t: { name: 't' } } })).tables[0];
    expect([t.pitrEnabled, t.sse.keyType, t.billingMode, t.deletionProtection]).toEqual([false, 'AWS_OWNED', 'PROVISIONED', false]);
  });
  it('marks an expression-valued flag unknown', () => {
    const t = factsFromTerraform(tf({ aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: '${var.pitr}' } } } })).tables[0];
    expect(t.unknown).toEqual(['pitrEnabled']);
  });
  it('uses the cdktf construct path', () => {
    const t = factsFromTerraform(tf({ aws_dynamodb_table: { t: { name: 't', '//': { metadata: { path: 'dev/data/table' } } } } })).tables[0];
    expect(t.path).toBe('dev/data/table');
  });
  it('merges provider default tags into resource tags', () => {
    expect(factsFromTerraform(compliant).tables[0].tags).toEqual({ owner: 'data-platform' });
  });
  it('finds autoscaling targets and policies through references', () => {
    const facts = factsFromTerraform(tf({
      aws_dynamodb_table: { t: { name: 'orders', billing_mode: 'PROVISIONED', global_secondary_index: [{ name: 'byDate' }] } },
      aws_appautoscaling_target: {
        r: { service_namespace: 'dynamodb', resource_id: 'table/${aws_dynamodb_table.t.name}', scalable_dimension: 'dynamodb:table:ReadCapacityUnits' },
        w: { service_namespace: 'dynamodb', resource_id: 'table/orders', scalable_dimension: 'dynamodb:table:WriteCapacityUnits' },
      },
      aws_appautoscaling_policy: {
        r: { resource_id: '${aws_appautoscaling_target.r.resource_id}', scalable_dimension: '${aws_appautoscaling_target.r.scalable_dimension}' },
        w: { resource_id: 'table/orders', scalable_dimension: 'dynamodb:table:WriteCapacityUnits' },
      },
    }));
    expect(facts.tables[0].autoscaling).toEqual({ read: true, write: true, indexesWithout: ['byDate'] });
  });
  it('resolves a key policy from a data.aws_iam_policy_document', () => {
    expect(factsFromTerraform(compliant).keys[0].policy?.[0].principals).toEqual(['AWS:arn:aws:iam::111122223333:root']);
  });
  it('evaluates a jsonencode() policy of a literal object', () => {
    const k = factsFromTerraform(tf({ aws_kms_key: { k: { policy: '${jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "kms:*", Resource = "*"}]})}' } } })).keys[0];
    expect(k.policy?.map((s) => [s.effect, s.principals, s.hasCondition])).toEqual([['Allow', ['*'], false]]);
  });
  it('leaves a jsonencode() of a variable unknown, with the expression', () => {
    const k = factsFromTerraform(tf({ aws_kms_key: { k: { policy: '${jsonencode(var.policy)}' } } })).keys[0];
    expect([k.policy, k.unknown, k.unknownExpressions?.policy]).toEqual([undefined, ['policy'], 'policy = jsonencode(var.policy)']);
  });
  it('names a key by its alias', () => {
    expect(factsFromTerraform(compliant).keys[0].name).toBe('alias/orders-data');
  });
  it('attaches the vault policy and lock by vault name', () => {
    const v = factsFromTerraform(tf({
      aws_backup_vault: { v: { name: 'vault' } },
      aws_backup_vault_lock_configuration: { l: { backup_vault_name: '${aws_backup_vault.v.name}', min_retention_days: 7, changeable_for_days: 3 } },
    })).vaults[0];
    expect([v.kmsKeyType, v.lock]).toEqual(['AWS_MANAGED', { minRetentionDays: 7, changeableForDays: 3 }]);
  });
  it('marks a vault behind an aliased provider in another region as DR', () => {
    const v = factsFromTerraform({
      provider: { aws: [{ region: 'us-east-1' }, { alias: 'dr', region: 'us-west-2' }] },
      resource: { aws_backup_vault: { dr: { name: 'dr', provider: 'aws.dr' } } },
    }).vaults[0];
    expect([v.isDrVault, v.region]).toEqual([true, 'us-west-2']);
  });
  it('reads plan rules with lifecycle and copy actions', () => {
    const p = factsFromTerraform(tf({ aws_backup_plan: { p: { name: 'p', rule: { rule_name: 'r', target_vault_name: 'v', schedule: 'cron(0 5 ? * * *)', lifecycle: { delete_after: 120, cold_storage_after: 30 }, copy_action: [{ destination_vault_arn: '${aws_backup_vault.dr.arn}' }] } } } })).plans[0];
    expect(p.rules[0]).toEqual({ name: 'r', schedule: 'cron(0 5 ? * * *)', targetVaultRef: 'v', deleteAfterDays: 120, coldStorageAfterDays: 30, continuousBackup: false, copyActions: [{ destinationVaultRef: '${aws_backup_vault.dr.arn}' }] });
  });
  it('reads selection tags from selection_tag and condition blocks', () => {
    const s = factsFromTerraform(tf({ aws_backup_selection: { s: { name: 's', plan_id: 'p', selection_tag: [{ type: 'STRINGEQUALS', key: 'backup', value: 'daily' }], condition: { string_equals: [{ key: 'aws:ResourceTag/env', value: 'prod' }] } } } })).selections[0];
    expect(s.tagConditions).toEqual([{ key: 'backup', value: 'daily' }, { key: 'env', value: 'prod' }]);
  });
  it('reads legacy event selectors for all DynamoDB tables', () => {
    const t = factsFromTerraform(tf({ aws_cloudtrail: { t: { name: 't', s3_bucket_name: 'b', event_selector: [{ include_management_events: true, data_resource: [{ type: 'AWS::DynamoDB::Table', values: ['arn:aws:dynamodb'] }] }] } } })).trails[0];
    expect([t.managementEvents, t.dynamoDbDataEventTables, t.multiRegion]).toEqual([true, ['*'], false]);
  });
  it('reads advanced event selectors with ARN references', () => {
    expect(factsFromTerraform(compliant).trails[0].dynamoDbDataEventTables).toEqual(['${aws_dynamodb_table.orders.arn}']);
  });
  it('derives TLS-only, versioning and public access block of a bucket', () => {
    const b = factsFromTerraform(compliant).buckets[0];
    expect([b.tlsOnly, b.versioning, Object.values(b.publicAccessBlocked)]).toEqual([true, true, [true, true, true, true]]);
  });
  it('links a trail to a bucket whose name holds an expression', () => {
    const facts = factsFromTerraform(tf({
      aws_s3_bucket: { b: { bucket: 'logs-${data.aws_caller_identity.c.account_id}' } },
      aws_s3_bucket_versioning: { v: { bucket: '${aws_s3_bucket.b.id}', versioning_configuration: { status: 'Enabled' } } },
      aws_cloudtrail: { t: { name: 't', s3_bucket_name: '${aws_s3_bucket.b.id}' } },
    }));
    expect([facts.trails[0].bucketRef, facts.buckets[0].refs[0], facts.buckets[0].versioning]).toEqual(['${aws_s3_bucket.b.id}', 'logs-${data.aws_caller_identity.c.account_id}', true]);
  });
  it('collects role statements from inline, role-policy and attached customer policies', () => {
    const r = factsFromTerraform(tf({
      aws_iam_role: { r: { name: 'r', tags: { 'tablesafe:role': 'restore-drill' }, inline_policy: [{ name: 'inline', policy: '{"Statement":{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"}}' }] } },
      aws_iam_role_policy: { p: { role: '${aws_iam_role.r.name}', name: 'rp', policy: '{"Statement":[{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"*"}]}' } },
      aws_iam_policy: { c: { name: 'custom', policy: '{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}' } },
      aws_iam_role_policy_attachment: {
        a: { role: '${aws_iam_role.r.name}', policy_arn: '${aws_iam_policy.c.arn}' },
        m: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      },
    })).roles[0];
    expect([r.statements.map((s) => s.policyName), r.managedPolicyArns, r.roleKind]).toEqual([['inline', 'rp', 'custom'], ['arn:aws:iam::aws:policy/ReadOnlyAccess'], 'restore-drill']);
  });
  it('marks role statements unknown for an unresolvable policy', () => {
    const r = factsFromTerraform(tf({ aws_iam_role: { r: { name: 'r', inline_policy: { name: 'x', policy: '${jsonencode(local.p)}' } } } })).roles[0];
    expect(r.unknown).toEqual(['statements']);
  });
});
