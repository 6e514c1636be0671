import { Construct } from 'constructs';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';

/**
 * Account and partition of the stack, read once per stack and provider from data sources that
 * the provider answers from its own configuration (caller identity comes from STS, so a sandbox
 * run gets the sandbox's account id, never a skipped placeholder).
 */
export interface AwsEnvironment {
  readonly accountId: string;
  readonly partition: string;
  /** Literal region name (constructs that need it take it from the platform config). */
  readonly region: string;
}

/**
 * Construct context key: a literal account id to use instead of asking STS at plan time
 * (PlatformStack sets it from TABLESAFE_ACCOUNT_ID).
 */
export const ACCOUNT_ID_CONTEXT = 'tablesafe:accountId';

const cache = new WeakMap<TerraformStack, Map<string, { accountId: string; partition: string }>>();

export function awsEnvironment(scope: Construct, region: string, provider?: TerraformProvider): AwsEnvironment {
  const stack = TerraformStack.of(scope);
  let perProvider = cache.get(stack);
  if (!perProvider) cache.set(stack, (perProvider = new Map()));
  const key = provider ? provider.node.id : 'default';
  let found = perProvider.get(key);
  if (!found) {
    const suffix = provider ? `-${provider.node.id}` : '';
    const pinned = stack.node.tryGetContext(ACCOUNT_ID_CONTEXT) as string | undefined;
    const accountId = pinned ?? new DataAwsCallerIdentity(stack, `caller-identity${suffix}`, { provider }).accountId;
    const partition = new DataAwsPartition(stack, `partition${suffix}`, { provider });
    found = { accountId, partition: partition.partition };
    perProvider.set(key, found);
  }
  return { ...found, region };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` with the stack's tokens. */
export function arn(env: AwsEnvironment, service: string, resource: string, { global = false } = {}): string {
  return `arn:${env.partition}:${service}:${global ? '' : env.region}:${env.accountId}:${resource}`;
}
