/**
 * The capability matrix of a plan: a plan of an applied stack knows every policy, name and ARN, so
 * its planned values are simulated as a configuration; a plan that knows an IAM-relevant value only
 * after apply is not simulated, and says which values.
 */
import { runCheck } from '../../../../compliance';
import { configurationOfPlan } from '../../../../compliance/iam/plan-configuration';
import { iamDocumentsFromTerraform } from '../../../../compliance/iam/documents';

const AWS = 'registry.terraform.io/hashicorp/aws';
const ACCOUNT = '210987654321';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/5f0c7d6e-1111-4222-8333-444455556666`;
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });

const planned = (address: string, type: string, name: string, values: object, extra: object = {}) => ({ address, mode: 'managed', type, name, provider_name: AWS, values, ...extra });

/** A plan of an applied stack: a reader role, its inline policy on the table, the table and its key. */
function appliedPlan(policy: string = doc({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN }, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN })) {
  return {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          planned('aws_iam_role.reader', 'aws_iam_role', 'reader', { name: 'orders-reader', arn: `arn:aws:iam::${ACCOUNT}:role/orders-reader`, assume_role_policy: trust, tags: { 'tablesafe:role': 'app-reader' } }),
          planned('aws_iam_role_policy.read', 'aws_iam_role_policy', 'read', { name: 'read-orders', role: 'orders-reader', policy }),
          planned('aws_kms_key.k', 'aws_kms_key', 'k', { arn: KEY_ARN, key_id: '5f0c7d6e-1111-4222-8333-444455556666', enable_key_rotation: true, policy: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }) }),
          planned('aws_dynamodb_table.t', 'aws_dynamodb_table', 't', { name: 'orders', arn: TABLE_ARN, server_side_encryption: [{ enabled: true, kms_key_arn: KEY_ARN }] }),
        ],
        child_modules: [{ address: 'module.m', resources: [planned('module.m.aws_iam_role.x["a"]', 'aws_iam_role', 'x', { name: 'other-a', assume_role_policy: trust }, { index: 'a' })] }],
      },
    },
    resource_changes: [],
    configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'eu-west-1' } } } } },
  };
}

describe('configurationOfPlan', () => {
  it('turns a plan of an applied stack into a configuration: one resource per instance, under its provider and region', () => {
    const c = configurationOfPlan(appliedPlan());
    expect('tfJson' in c && c.tfJson).toMatchObject({
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: {
        aws_iam_role: { aws_iam_role_reader: { name: 'orders-reader' }, module_m_aws_iam_role_x__a__: { name: 'other-a' } },
        aws_iam_role_policy: { aws_iam_role_policy_read: { role: 'orders-reader' } },
      },
    });
  });

  it('takes the ARNs and ids AWS assigned at their word, and the account from them', () => {
    const c = configurationOfPlan(appliedPlan());
    const docs = iamDocumentsFromTerraform('tfJson' in c ? c.tfJson : {});
    expect(docs.account).toBe(ACCOUNT);
    expect(docs.keys.map((k) => k.arn)).toEqual([KEY_ARN]);
    expect(docs.tables.map((t) => [t.arn, t.keyArn])).toEqual([[TABLE_ARN, KEY_ARN]]);
    expect(docs.roles.find((r) => r.name === 'orders-reader')?.policies.map((p) => p.name)).toEqual(['read-orders']);
  });

  it('lists the IAM-relevant values a plan knows only after apply', () => {
    const fresh = appliedPlan();
    const [role, inline] = fresh.planned_values.root_module.resources;
    (inline.values as { policy: string }).policy = undefined as unknown as string;
    fresh.resource_changes = [
      { address: inline.address, mode: 'managed', type: inline.type, name: inline.name, change: { actions: ['create'], before: null, after: {}, after_unknown: { policy: true } } },
      { address: role.address, mode: 'managed', type: role.type, name: role.name, change: { actions: ['create'], before: null, after: {}, after_unknown: { arn: true } } },
    ] as never;
    expect(configurationOfPlan(fresh)).toEqual({ unknown: ['aws_iam_role_policy.read.policy'] });
  });

  it('lists a provider region the plan does not know', () => {
    const p = appliedPlan();
    p.configuration.provider_config.aws.expressions = { region: { references: ['var.region'] } } as never;
    expect(configurationOfPlan(p)).toEqual({ unknown: ['the region of provider aws'] });
  });
});

describe('TS-IAM-005 on a plan', () => {
  it('is unknown on a plan that knows a policy only after apply, naming it, with what to check instead', () => {
    const fresh = appliedPlan();
    fresh.resource_changes = [{ address: 'aws_iam_role_policy.read', mode: 'managed', type: 'aws_iam_role_policy', name: 'read', change: { actions: ['create'], before: null, after: {}, after_unknown: { policy: true } } }] as never;
    const f = runCheck({ terraform: fresh }).compliance.findings.find((x) => x.ruleId === 'TS-IAM-005' && x.resource.id === 'aws_iam_role.reader');
    expect(f).toMatchObject({
      status: 'unknown',
      message: 'cannot evaluate: the capability matrix was not simulated: the plan knows aws_iam_role_policy.read.policy only after apply',
      remedy: 'check the stack directory (tablesafe check <stack-dir>), or a plan of the applied stack',
    });
  });

  it('is simulated on a plan that knows every policy, on the ARNs the plan names', () => {
    const f = runCheck({ terraform: appliedPlan() }).compliance.findings.find((x) => x.ruleId === 'TS-IAM-005' && x.resource.id === 'aws_iam_role.reader');
    // The reader's planned policy misses Scan, grants kms:Decrypt outside DynamoDB, and its trust names the account root.
    expect(f?.status).toBe('non-compliant');
    expect(f?.message).toContain(`dynamodb:Scan on ${TABLE_ARN} (made by application-read) is implicitly denied`);
    expect(f?.message).toContain(`decrypt-directly (kms:Decrypt on ${KEY_ARN}) is allowed by read-orders:#2`);
    expect(f?.message).toContain(`assume-by-unnamed-principal (sts:AssumeRole on arn:aws:iam::${ACCOUNT}:role/orders-reader)`);
  });
});
