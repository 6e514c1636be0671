import { iamDocumentsFromTerraform, STAND_IN_ACCOUNT } from '../../../../compliance/iam/documents';

const policy = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

const tf = {
  provider: { aws: [{ region: 'eu-west-1' }, { alias: 'dr', region: 'eu-central-1' }] },
  data: { aws_caller_identity: { me: {} } },
  resource: {
    aws_dynamodb_table: { orders: { name: 'orders', server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.k.arn}' } } },
    aws_kms_key: { k: { policy: policy([{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }, Action: 'kms:DescribeKey', Resource: '*' }]) } },
    aws_backup_vault: { dr: { name: 'dr-vault', provider: 'aws.dr' } },
    aws_iam_policy: { shared: { name: 'shared-read', policy: policy([{ Sid: 'Read', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '${aws_dynamodb_table.orders.arn}' }]) } },
    aws_iam_role: {
      app: {
        name: 'app',
        assume_role_policy: policy([{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]),
        tags: { 'tablesafe:role': 'app-reader' },
        inline_policy: [{ name: 'inline', policy: policy([{ Sid: 'Scan', Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '${aws_dynamodb_table.orders.arn}' }]) }],
      },
    },
    aws_iam_role_policy_attachment: {
      shared: { role: '${aws_iam_role.app.name}', policy_arn: '${aws_iam_policy.shared.arn}' },
      backup: { role: '${aws_iam_role.app.name}', policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' },
      other: { role: '${aws_iam_role.app.name}', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    },
  },
};

describe('iamDocumentsFromTerraform', () => {
  const docs = iamDocumentsFromTerraform(tf);

  it('resolves references to the ARNs the resources will have, in their provider region', () => {
    expect(docs.tables[0]).toMatchObject({ arn: `arn:aws:dynamodb:eu-west-1:${STAND_IN_ACCOUNT}:table/orders`, keyArn: docs.keys[0].arn });
    expect(docs.vaults[0]).toMatchObject({ arn: `arn:aws:backup:eu-central-1:${STAND_IN_ACCOUNT}:backup-vault:dr-vault`, region: 'eu-central-1' });
    expect(JSON.stringify(docs.keys[0].policy)).toContain(`arn:aws:iam::${STAND_IN_ACCOUNT}:root`);
    expect(docs.notes).toEqual([]);
  });

  it("collects a role's inline, customer managed and vendored AWS managed policies, and lists the rest", () => {
    const [role] = docs.roles;
    expect([role.kind, role.policies.map((p) => p.name)]).toEqual(['app-reader', ['inline', 'shared-read', 'service-role/AWSBackupServiceRolePolicyForBackup']]);
    expect(role.unevaluatedManagedPolicies).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  it('uses the account a configuration names literally, and says what it cannot resolve', () => {
    const named = iamDocumentsFromTerraform({ resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: policy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Principal: { Service: '${var.service}' }, Action: 'sts:AssumeRole' }]) } } } });
    expect(named.account).toBe('444455556666');
    expect(named.notes).toEqual(['aws_iam_role.r: ${var.service} is not resolved']);
  });
});
