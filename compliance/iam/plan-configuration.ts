/**
 * A plan (`terraform show -json`) as the Terraform JSON configuration the capability matrix reads
 * (documents.ts): every planned resource with its planned values, under its provider. A plan of an
 * applied stack knows every name, ARN and policy, so the matrix is simulated from what Terraform
 * will leave in place. A plan that leaves an IAM-relevant value to be known only after apply (a
 * fresh stack: the policies name ARNs that do not exist yet) is not simulated: the reason lists
 * those values.
 */
import { fromPlanJson } from '../facts/plan';
import type { Json } from '../facts/terraform-json';

/** The attributes the matrix reads, per resource type: a policy, or what links a policy to its resource. */
const IAM_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: ['name', 'assume_role_policy', 'inline_policy', 'managed_policy_arns', 'tags'],
  aws_iam_role_policy: ['role', 'name', 'policy'],
  aws_iam_role_policy_attachment: ['role', 'policy_arn'],
  aws_iam_policy: ['name', 'path', 'policy'],
  aws_kms_key: ['policy'],
  aws_dynamodb_table: ['name', 'server_side_encryption'],
  aws_backup_vault: ['name', 'kms_key_arn'],
  aws_backup_vault_policy: ['backup_vault_name', 'policy'],
  aws_cloudtrail: ['name', 'kms_key_id', 's3_bucket_name'],
  aws_s3_bucket: ['bucket', 'object_lock_enabled'],
  aws_s3_bucket_policy: ['bucket', 'policy'],
};

/** An interpolation Terraform has not resolved (`${known_after_apply}`, `${aws_kms_key.k.arn}`); `$${` is a literal. */
const UNRESOLVED = /(^|[^$])\$\{/;

export type PlanConfiguration = { readonly tfJson: Json } | { readonly unknown: readonly string[] };

/** The plan's planned resources as a configuration, or the IAM-relevant values it does not know. */
export function configurationOfPlan(plan: Json): PlanConfiguration {
  const { config } = fromPlanJson(plan);
  const unknown: string[] = [];
  const providers = config.providers.map((p) => {
    if (typeof p.region !== 'string') unknown.push(`the region of provider aws${p.alias ? `.${p.alias}` : ''}`);
    return { ...(p.alias ? { alias: p.alias } : {}), ...(typeof p.region === 'string' ? { region: p.region } : {}) };
  });
  const resource: Record<string, Record<string, Json>> = {};
  const names = new Set<string>();
  for (const inst of config.instances) {
    if (inst.mode !== 'managed') continue;
    for (const attr of IAM_ATTRIBUTES[inst.type] ?? []) {
      const v = inst.raw[attr];
      if (v !== undefined && UNRESOLVED.test(JSON.stringify(v))) unknown.push(`${inst.address}.${attr}`);
    }
    // One name per instance (`module.m.aws_x.n["a"]` → `module_m_aws_x_n__a__`); documents.ts reads names only for messages.
    let name = inst.address.replace(/[^A-Za-z0-9_-]/g, '_');
    while (names.has(name)) name = `${name}_`;
    names.add(name);
    (resource[inst.type] ??= {})[name] = { ...inst.raw, ...(inst.providerAlias ? { provider: `aws.${inst.providerAlias}` } : {}) };
  }
  return unknown.length ? { unknown } : { tfJson: { provider: { aws: providers }, resource } };
}
