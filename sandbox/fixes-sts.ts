/**
 * STS differences between moto 5.2.1 and AWS: moto hands out credentials for any RoleArn, even a
 * role that does not exist or whose trust policy does not name the caller. AWS answers AccessDenied.
 * And moto names an IAM user caller `arn:aws:sts::<account>:user/<name>`; AWS answers the user's IAM
 * ARN, `arn:aws:iam::<account>:user/<name>`, which is what a trust policy names.
 */
import { motoQuery, queryError, xmlText, type Fix, type FixContext } from './fix-kit';
import { roleFromGetRole, roleNameOf, trustAllows } from './trust';

/** The role's ARN and trust policy (JSON text) from IAM GetRole; undefined when there is no such role. */
export async function roleOf(ctx: FixContext, roleArn: string): Promise<{ arn: string; trustPolicy: string } | undefined> {
  const name = roleNameOf(roleArn);
  if (!name) return undefined;
  const res = await motoQuery(ctx, 'iam', { Action: 'GetRole', RoleName: name });
  return res.status === 200 ? roleFromGetRole(res.xml, roleArn) : undefined;
}

/** moto's `arn:aws:sts::<account>:user/<name>` for an IAM user, as AWS names it: `arn:aws:iam::<account>:user/<name>`. */
export function iamUserArn(arn: string): string {
  return arn.replace(/arn:(aws[\w-]*):sts::(\d+):user\//g, 'arn:$1:iam::$2:user/');
}

/** The caller as an IAM principal ARN. */
async function callerOf(ctx: FixContext): Promise<{ arn: string; accountId: string }> {
  const res = await motoQuery(ctx, 'sts', { Action: 'GetCallerIdentity' });
  const arn = xmlText(res.xml, 'Arn') ?? 'arn:aws:iam::123456789012:root';
  const accountId = xmlText(res.xml, 'Account') ?? '123456789012';
  return { arn: iamUserArn(arn), accountId };
}

function paramsOf(ctx: FixContext): URLSearchParams {
  const fromBody = new URLSearchParams(ctx.request.body.toString('utf8'));
  const q = ctx.request.url.indexOf('?');
  return fromBody.has('RoleArn') || q < 0 ? fromBody : new URLSearchParams(ctx.request.url.slice(q + 1));
}

const stsAssumeRole: Fix = {
  service: 'sts',
  operations: ['AssumeRole'],
  difference: 'AssumeRole of a role that does not exist, or whose trust policy does not allow the caller, is AccessDenied (moto returns credentials)',
  apply: async (ctx) => {
    const roleArn = paramsOf(ctx).get('RoleArn');
    if (!roleArn) return ctx.forward();
    const [role, caller] = await Promise.all([roleOf(ctx, roleArn), callerOf(ctx)]);
    if (!role || !trustAllows(role.trustPolicy, { arn: caller.arn, accountId: caller.accountId })) {
      return queryError('sts', 'AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }
    return ctx.forward();
  },
};

const stsCallerIdentity: Fix = {
  service: 'sts',
  operations: ['GetCallerIdentity'],
  difference: "GetCallerIdentity of an IAM user answers the user's IAM ARN (moto answers an sts ARN no policy can name)",
  apply: async (ctx) => {
    const res = await ctx.forward();
    if (res.status !== 200) return res;
    const body = res.body.toString('utf8');
    const fixed = iamUserArn(body);
    return fixed === body ? res : { ...res, body: Buffer.from(fixed) };
  },
};

export const STS_FIXES: ReadonlyArray<Fix> = [stsAssumeRole, stsCallerIdentity];
