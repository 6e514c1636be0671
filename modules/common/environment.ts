import { Construct } from 'constructs';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';

/**
 * Account and partition of the stack. The account id is read once per stack and provider from
 * the caller-identity data source (STS, so a sandbox run gets the sandbox's account id, never a
 * skipped placeholder) unless pinned; the partition follows from the region.
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

/**
 * The partition a region belongs to. Known at synth, so ARNs (and the contract) carry it literally
 * instead of as a value Terraform fills in at apply.
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

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
    found = { accountId, partition: partitionOf(region) };
    perProvider.set(key, found);
  }
  return { ...found, region };
}
