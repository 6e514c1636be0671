/**
 * IAM differences between moto 5.2.1 and AWS: moto stores any text as a role's trust policy; IAM
 * refuses a document that is not a policy with MalformedPolicyDocument.
 */
import type { BufferedResponse } from './forward';
import { queryError, type Fix, type FixContext } from './fix-kit';

/** Why a trust policy document is not one IAM accepts; undefined when it is. */
export function trustPolicyProblem(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'This policy contains invalid Json';
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'This policy contains invalid Json';
  const statements = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  for (const st of list) {
    if (!st || typeof st !== 'object') return 'Syntax errors in policy.';
    const s = st as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return 'Syntax errors in policy.';
    if (s.Action === undefined && s.NotAction === undefined) return 'Syntax errors in policy.';
    if (s.Principal === undefined && s.NotPrincipal === undefined) return 'Missing required field Principal';
  }
  return undefined;
}

function params(ctx: FixContext): URLSearchParams {
  const q = ctx.request.url.indexOf('?');
  const form = new URLSearchParams(ctx.request.body.toString('utf8'));
  return form.has('Action') || q < 0 ? form : new URLSearchParams(ctx.request.url.slice(q + 1));
}

const iamTrustPolicyDocument: Fix = {
  service: 'iam',
  operations: ['CreateRole', 'UpdateAssumeRolePolicy'],
  difference: 'a trust policy that is not a policy document is MalformedPolicyDocument (moto stores it)',
  apply: async (ctx): Promise<BufferedResponse> => {
    const doc = params(ctx).get(ctx.operation === 'CreateRole' ? 'AssumeRolePolicyDocument' : 'PolicyDocument');
    const problem = doc === null ? undefined : trustPolicyProblem(doc);
    return problem ? queryError('iam', 'MalformedPolicyDocument', problem, 400) : ctx.forward();
  },
};

export const IAM_FIXES: ReadonlyArray<Fix> = [iamTrustPolicyDocument];
