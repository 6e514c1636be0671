/** Stacks deployed to the sandbox trust its operator for the roles verify assumes. */
import { sandboxEnvironments } from '../../../demo/synth';
import { SANDBOX_OPERATOR_ARN } from '../../../sandbox/index';
import { ENVIRONMENTS } from '../../../stacks/config';

describe('sandboxEnvironments', () => {
  it('adds the sandbox operator as a trusted principal of the auditor and drill roles of every environment', () => {
    const envs = sandboxEnvironments();
    expect(envs.map((c) => c.environment)).toEqual(ENVIRONMENTS.map((c) => c.environment));
    for (const c of envs) expect(c.trustedPrincipals).toMatchObject({ arns: expect.arrayContaining([SANDBOX_OPERATOR_ARN]) });
  });

  it("keeps an environment's own principals and roles, adding the verify roles to a narrower list", () => {
    const [base] = ENVIRONMENTS;
    const own = 'arn:aws:iam::123456789012:role/ci';
    const [narrow] = sandboxEnvironments([{ ...base, trustedPrincipals: { arns: [own], arnRoles: ['appReader'] } }]);
    expect(narrow.trustedPrincipals).toEqual({ arns: [own, SANDBOX_OPERATOR_ARN], arnRoles: ['appReader', 'auditor', 'restoreDrill'] });
    const [all] = sandboxEnvironments([{ ...base, trustedPrincipals: { arns: [own] } }]);
    expect(all.trustedPrincipals).toEqual({ arns: [own, SANDBOX_OPERATOR_ARN], arnRoles: undefined });
  });
});
