import { RoleTrust, TrustedPrincipals } from '../../../modules/iam/trust';
import { synthWith, Synthesized } from '../../helpers/synth';

const env = { accountId: '123456789012', partition: 'aws', region: 'us-east-1' };

function trust(trusted: TrustedPrincipals): { out: Synthesized; policies: Record<string, any> } {
  let t: RoleTrust | undefined;
  const out = synthWith((s) => {
    t = new RoleTrust(s, 'trust', { env, trusted, field: 'trustedPrincipals' });
  });
  const policies = Object.fromEntries((['auditor', 'restoreDrill', 'appReader', 'appWriter'] as const).map((r) => [r, JSON.parse(t!.policyFor(r))]));
  return { out, policies };
}

describe('RoleTrust', () => {
  it('trusts nobody by default: every assumable role denies every principal', () => {
    const { policies } = trust({});
    for (const p of Object.values(policies)) expect(p.Statement).toEqual([{ Sid: 'NobodyNamed', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]);
  });

  it('names IAM principals for the roles given, all assumable roles by default', () => {
    const { policies } = trust({ arns: ['arn:aws:iam::123456789012:role/ops'], arnRoles: ['auditor'] });
    expect(policies.auditor.Statement).toEqual([{ Sid: 'NamedPrincipals', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/ops' }, Action: 'sts:AssumeRole' }]);
    expect(policies.appWriter.Statement[0].Sid).toBe('NobodyNamed');
  });

  it('creates the GitHub OIDC provider and trusts its subjects for the verify roles', () => {
    const { out, policies } = trust({ githubActions: { subjects: ['repo:acme/tablesafe:ref:refs/heads/main'] } });
    expect(out.only('aws_iam_openid_connect_provider')).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    expect(policies.restoreDrill.Statement[0]).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/tablesafe:ref:refs/heads/main'] } },
    });
    expect(policies.appReader.Statement[0].Sid).toBe('NobodyNamed');
  });

  it('uses a given OIDC provider instead of creating one', () => {
    const { out, policies } = trust({ terraformCloud: { organization: 'acme', workspace: 'tablesafe-prod', providerArn: 'arn:aws:iam::123456789012:oidc-provider/app.terraform.io' } });
    expect(out.count('aws_iam_openid_connect_provider')).toBe(0);
    expect(policies.auditor.Statement[0].Principal).toEqual({ Federated: 'arn:aws:iam::123456789012:oidc-provider/app.terraform.io' });
  });

  it('trusts the deploying identity (its role, not its session) for the verify roles when asked', () => {
    const { out, policies } = trust({ deployer: true });
    const contexts = Object.values(out.json.data.aws_iam_session_context) as { arn: string }[];
    expect(contexts.map((c) => c.arn)).toEqual([expect.stringMatching(/^\$\{data\.aws_caller_identity\.\S+\.arn\}$/)]);
    // The principal is the session context's issuer_arn, resolved when the role is synthesized.
    expect(policies.auditor.Statement[0]).toMatchObject({ Sid: 'Deployer', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: expect.stringMatching(/TfToken/) } });
    expect(policies.appReader.Statement[0].Sid).toBe('NobodyNamed');
  });

  it.each([
    [{ arns: ['arn:aws:iam::123456789012:root'] }, /trustedPrincipals\.arns\[0\]: "arn:aws:iam::123456789012:root" is invalid: must be the ARN of an IAM role or user/],
    [{ githubActions: { subjects: ['repo:*:*'] } }, /trustedPrincipals\.githubActions\.subjects\[0\]: "repo:\*:\*" is invalid: must be repo:<owner>\/<repo>/],
    [{ githubActions: { subjects: [] } }, /trustedPrincipals\.githubActions\.subjects: \[\] is invalid: name at least one subject/],
    [{ terraformCloud: { organization: 'acme', workspace: '*' } }, /trustedPrincipals\.terraformCloud\.workspace: "\*" is invalid: .*a wildcard would trust every workspace/],
    [{ arns: ['arn:aws:iam::123456789012:role/ops'], arnRoles: ['backup' as never] }, /trustedPrincipals\.arnRoles: "backup" is invalid: must be one of auditor, restoreDrill, appReader, appWriter/],
  ])('rejects %j', (trusted, message) => {
    expect(() => trust(trusted as TrustedPrincipals)).toThrow(message);
  });
});
