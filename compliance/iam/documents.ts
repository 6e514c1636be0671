/**
 * The IAM documents of a synthesized stack, resolved to concrete ARNs so a policy evaluator can
 * read them: roles (trust policy, inline policies, vendored AWS managed policies), key policies,
 * vault access policies and bucket policies, with the stack's tables, keys, vaults, plans, trails
 * and buckets.
 *
 * Terraform references (`${aws_dynamodb_table.t.arn}`, `${data.aws_caller_identity.c.account_id}`)
 * are replaced by the value they will have: ARNs are built from the resource's name and region
 * (its provider's region), ids AWS assigns at apply (key ids, plan ids) are stable stand-ins
 * derived from the Terraform address, and the account is `account` (a stand-in by default). An
 * input that carries the ARNs and ids themselves (a plan of an applied stack) is taken at its word.
 * A reference this file cannot resolve is left as `<unresolved:...>` and listed in `notes`.
 */
import { createHash } from 'node:crypto';
import type { NamedPolicy } from './simulator';
import type { IamPolicyDocument } from './policy-document';
import { managedPolicyDocument } from './managed-policies';

/** The account the ARNs use when none is given: documentation's example account. */
export const STAND_IN_ACCOUNT = '111122223333';

export interface ResolvedRole {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  /** The `tablesafe:role` tag (`restore-drill`, ...), when set. */
  readonly kind?: string;
  readonly trustPolicy: NamedPolicy;
  /** Inline policies (by their name) and vendored AWS managed policies (by their managed name). */
  readonly policies: readonly NamedPolicy[];
  /** Attached managed policies tablesafe has not vendored (not evaluated; listed in the matrix notes). */
  readonly unevaluatedManagedPolicies: readonly string[];
}

export interface ResolvedResource {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly policy?: NamedPolicy;
}

export interface StackIamDocuments {
  readonly partition: string;
  readonly account: string;
  /** The default provider's region. */
  readonly region: string;
  readonly roles: readonly ResolvedRole[];
  readonly tables: readonly (ResolvedResource & { readonly keyArn?: string })[];
  /** Keys, with their usage (`SIGN_VERIFY` for the evidence signing key). */
  readonly keys: readonly (ResolvedResource & { readonly usage?: string })[];
  readonly vaults: readonly (ResolvedResource & { readonly keyArn?: string })[];
  readonly plans: readonly ResolvedResource[];
  readonly trails: readonly (ResolvedResource & { readonly keyArn?: string; readonly bucket?: string })[];
  /** Buckets; `objectLock` for the Object Lock (evidence) bucket. */
  readonly buckets: readonly (ResolvedResource & { readonly objectLock?: boolean })[];
  readonly notes: readonly string[];
}

export interface IamDocumentsOptions {
  /** @default STAND_IN_ACCOUNT */
  readonly account?: string;
  /** @default "aws" */
  readonly partition?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A stable UUID-shaped stand-in for an id AWS assigns at apply. */
function standInId(address: string): string {
  const h = createHash('sha256').update(address).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The account a configuration names literally (a stack synthesized with a known account id writes
 * it into its ARNs): the most frequent account in its ARNs, or undefined when it names none.
 */
function literalAccount(tfJson: unknown): string | undefined {
  const counts = new Map<string, number>();
  for (const m of JSON.stringify(tfJson ?? null).matchAll(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export function iamDocumentsFromTerraform(tfJson: unknown, options: IamDocumentsOptions = {}): StackIamDocuments {
  const root = obj(tfJson);
  const resources = obj(root.resource);
  const account = options.account ?? literalAccount(tfJson) ?? STAND_IN_ACCOUNT;
  const partition = options.partition ?? 'aws';
  const notes: string[] = [];

  // Provider regions: `aws` (default) and `aws.<alias>`.
  const regions = new Map<string, string>();
  const providers = obj(root.provider).aws;
  for (const p of Array.isArray(providers) ? providers : providers ? [providers] : []) {
    const region = str(obj(p).region) ?? 'us-east-1';
    const alias = str(obj(p).alias);
    regions.set(alias ? `aws.${alias}` : 'aws', region);
  }
  const region = regions.get('aws') ?? 'us-east-1';
  const regionOf = (block: Json) => regions.get(str(block.provider) ?? 'aws') ?? region;
  const blocks = (type: string): [string, Json][] => Object.entries(obj(resources[type])).map(([name, b]) => [`${type}.${name}`, obj(b)]);

  // Attribute values of every resource a policy may refer to, computed before any policy is read.
  const values = new Map<string, string>();
  const set = (address: string, attrs: Record<string, string>) => {
    for (const [k, v] of Object.entries(attrs)) values.set(`${address}.${k}`, v);
  };
  const arn = (service: string, r: string, rest: string) => `arn:${partition}:${service}:${r}:${account}:${rest}`;
  // A name may interpolate data sources (`logs-${data.aws_caller_identity.c.account_id}`), set first.
  // A plan of an applied stack (plan-configuration.ts) carries the ARNs and ids AWS assigned; a
  // configuration cannot set them, so there they are built from names.
  const known = (v: unknown) => {
    const s = str(v);
    return s && !s.includes('${') ? s : undefined;
  };
  const literal = (v: unknown, fallback: string) => {
    const s = str(v);
    if (!s) return fallback;
    const resolved = s.replace(/\$\{([^}]+)\}/g, (whole, expr: string) => values.get(expr.trim()) ?? whole);
    return resolved.includes('${') ? fallback : resolved;
  };

  for (const name of Object.keys(obj(obj(root.data).aws_caller_identity))) set(`data.aws_caller_identity.${name}`, { account_id: account, id: account, arn: `arn:${partition}:iam::${account}:root` });
  // The deploying identity (trustedPrincipals.deployer): a stand-in role the matrix can name.
  for (const name of Object.keys(obj(obj(root.data).aws_iam_session_context))) set(`data.aws_iam_session_context.${name}`, { issuer_arn: `arn:${partition}:iam::${account}:role/tablesafe-deployer`, issuer_name: 'tablesafe-deployer' });
  for (const name of Object.keys(obj(obj(root.data).aws_partition))) set(`data.aws_partition.${name}`, { partition, id: partition, dns_suffix: 'amazonaws.com' });
  for (const [name, b] of Object.entries(obj(obj(root.data).aws_region))) {
    const r = regionOf(obj(b));
    set(`data.aws_region.${name}`, { name: r, region: r, id: r });
  }

  for (const [address, b] of blocks('aws_dynamodb_table')) {
    const name = literal(b.name, address);
    const a = known(b.arn) ?? arn('dynamodb', regionOf(b), `table/${name}`);
    set(address, { arn: a, name, id: name, stream_arn: `${a}/stream/2026-01-01T00:00:00.000` });
  }
  for (const [address, b] of blocks('aws_kms_key')) {
    const id = known(b.key_id) ?? standInId(address);
    set(address, { arn: known(b.arn) ?? arn('kms', regionOf(b), `key/${id}`), key_id: id, id });
  }
  for (const [address, b] of blocks('aws_kms_alias')) {
    const name = literal(b.name, 'alias/unknown');
    set(address, { arn: arn('kms', regionOf(b), name), name, id: name });
  }
  for (const [address, b] of blocks('aws_iam_role')) {
    const name = literal(b.name, address);
    set(address, { arn: known(b.arn) ?? `arn:${partition}:iam::${account}:role/${name}`, name, id: name, unique_id: `AROA${standInId(address).replace(/-/g, '').slice(0, 17).toUpperCase()}` });
  }
  for (const [address, b] of blocks('aws_iam_policy')) {
    const name = literal(b.name, address);
    set(address, { arn: `arn:${partition}:iam::${account}:policy${literal(b.path, '/')}${name}`, name, id: `arn:${partition}:iam::${account}:policy${literal(b.path, '/')}${name}` });
  }
  for (const [address, b] of blocks('aws_backup_vault')) {
    const name = literal(b.name, address);
    set(address, { arn: known(b.arn) ?? arn('backup', regionOf(b), `backup-vault:${name}`), name, id: name });
  }
  for (const [address, b] of blocks('aws_backup_plan')) {
    const id = known(b.id) ?? standInId(address);
    set(address, { arn: known(b.arn) ?? arn('backup', regionOf(b), `backup-plan:${id}`), id });
  }
  for (const [address, b] of blocks('aws_cloudtrail')) {
    const name = literal(b.name, address);
    const a = known(b.arn) ?? arn('cloudtrail', regionOf(b), `trail/${name}`);
    set(address, { arn: a, name, id: a });
  }
  for (const [address, b] of blocks('aws_s3_bucket')) {
    const name = literal(b.bucket, address);
    set(address, { arn: `arn:${partition}:s3:::${name}`, bucket: name, id: name });
  }
  for (const [address, b] of blocks('aws_sns_topic')) {
    const name = literal(b.name, address);
    const a = arn('sns', regionOf(b), name);
    set(address, { arn: a, name, id: a });
  }
  for (const [address, b] of blocks('aws_cloudwatch_log_group')) {
    const name = literal(b.name, address);
    set(address, { arn: arn('logs', regionOf(b), `log-group:${name}`), name, id: name });
  }
  for (const [address, b] of blocks('aws_iam_openid_connect_provider')) {
    const url = literal(b.url, address).replace(/^https:\/\//, '');
    set(address, { arn: `arn:${partition}:iam::${account}:oidc-provider/${url}`, id: `arn:${partition}:iam::${account}:oidc-provider/${url}`, url });
  }
  const resolve = (text: string, where: string): string =>
    text.replace(/\$\{([^}]+)\}/g, (whole, expr: string) => {
      const v = values.get(expr.trim());
      if (v !== undefined) return v;
      notes.push(`${where}: ${whole} is not resolved`);
      return `<unresolved:${expr.trim()}>`;
    });
  const document = (raw: unknown, where: string): IamPolicyDocument | undefined => {
    const text = str(raw);
    if (!text) return undefined;
    try {
      return JSON.parse(resolve(text, where)) as IamPolicyDocument;
    } catch (e) {
      notes.push(`${where}: the policy is not JSON after resolving references (${(e as Error).message})`);
      return undefined;
    }
  };
  const value = (raw: unknown, where: string) => (str(raw) !== undefined ? resolve(str(raw)!, where) : undefined);

  const roles: ResolvedRole[] = blocks('aws_iam_role').map(([address, b]) => {
    const name = values.get(`${address}.name`)!;
    const refersToRole = (ref: unknown) => {
      const s = str(ref) ?? '';
      return s === name || s === `\${${address}.name}` || s === `\${${address}.id}`;
    };
    const policies: NamedPolicy[] = [];
    for (const [pa, p] of blocks('aws_iam_role_policy').filter(([, p]) => refersToRole(p.role))) {
      const doc = document(p.policy, pa);
      if (doc) policies.push({ name: literal(p.name, pa), document: doc });
    }
    for (const [i, inline] of (Array.isArray(b.inline_policy) ? b.inline_policy : []).entries()) {
      const doc = document(obj(inline).policy, `${address}.inline_policy[${i}]`);
      if (doc) policies.push({ name: literal(obj(inline).name, `inline-${i}`), document: doc });
    }
    const unevaluated: string[] = [];
    const attach = (policyArn: string, where: string) => {
      const doc = managedPolicyDocument(policyArn);
      if (doc) return void policies.push({ name: policyArn.replace(/^arn:[^:]+:iam::aws:policy\//, ''), document: doc });
      // A customer managed policy of the same configuration.
      const own = blocks('aws_iam_policy').find(([pa]) => values.get(`${pa}.arn`) === policyArn);
      const ownDoc = own ? document(own[1].policy, own[0]) : undefined;
      if (ownDoc) policies.push({ name: values.get(`${own![0]}.name`) ?? own![0], document: ownDoc });
      else unevaluated.push(policyArn || where);
    };
    for (const [pa, p] of blocks('aws_iam_role_policy_attachment').filter(([, p]) => refersToRole(p.role))) attach(value(p.policy_arn, pa) ?? '', pa);
    for (const raw of Array.isArray(b.managed_policy_arns) ? b.managed_policy_arns : []) attach(value(raw, address) ?? '', address);
    const tags = obj(b.tags);
    const trust = document(b.assume_role_policy, address) ?? { Version: '2012-10-17' as const, Statement: [] };
    return { address, name, arn: values.get(`${address}.arn`)!, kind: str(tags['tablesafe:role']), trustPolicy: { name: 'trust-policy', document: trust }, policies, unevaluatedManagedPolicies: unevaluated };
  });

  const policyOf = (type: string, field: string, owner: (b: Json) => unknown, matches: (ref: string) => boolean, name: string): NamedPolicy | undefined => {
    const hit = blocks(type).find(([, b]) => matches(str(owner(b)) ?? ''));
    if (!hit) return undefined;
    const doc = document(hit[1][field], hit[0]);
    return doc ? { name, document: doc } : undefined;
  };
  const refTo = (address: string, attrs: string[], literalValue?: string) => (ref: string) => attrs.some((a) => ref === `\${${address}.${a}}`) || (literalValue !== undefined && ref === literalValue);

  const keys = blocks('aws_kms_key').map(([address, b]) => ({
    address,
    name: address,
    arn: values.get(`${address}.arn`)!,
    region: regionOf(b),
    policy: b.policy !== undefined ? { name: 'key-policy', document: document(b.policy, address)! } : undefined,
    usage: typeof b.key_usage === 'string' ? b.key_usage : undefined,
  }));
  const tables = blocks('aws_dynamodb_table').map(([address, b]) => ({
    address,
    name: values.get(`${address}.name`)!,
    arn: values.get(`${address}.arn`)!,
    region: regionOf(b),
    keyArn: value(obj(Array.isArray(b.server_side_encryption) ? b.server_side_encryption[0] : b.server_side_encryption).kms_key_arn, address),
  }));
  const vaults = blocks('aws_backup_vault').map(([address, b]) => ({
    address,
    name: values.get(`${address}.name`)!,
    arn: values.get(`${address}.arn`)!,
    region: regionOf(b),
    keyArn: value(b.kms_key_arn, address),
    policy: policyOf('aws_backup_vault_policy', 'policy', (p) => p.backup_vault_name, refTo(address, ['name', 'id'], values.get(`${address}.name`)), 'vault-access-policy'),
  }));
  const plans = blocks('aws_backup_plan').map(([address, b]) => ({ address, name: literal(b.name, address), arn: values.get(`${address}.arn`)!, region: regionOf(b) }));
  const trails = blocks('aws_cloudtrail').map(([address, b]) => ({
    address,
    name: values.get(`${address}.name`)!,
    arn: values.get(`${address}.arn`)!,
    region: regionOf(b),
    keyArn: value(b.kms_key_id, address),
    bucket: value(b.s3_bucket_name, address),
  }));
  const buckets = blocks('aws_s3_bucket').map(([address, b]) => ({
    address,
    name: values.get(`${address}.bucket`)!,
    arn: values.get(`${address}.arn`)!,
    region: regionOf(b),
    policy: policyOf('aws_s3_bucket_policy', 'policy', (p) => p.bucket, refTo(address, ['id', 'bucket'], values.get(`${address}.bucket`)), 'bucket-policy'),
    objectLock: b.object_lock_enabled === true,
  }));
  return { partition, account, region, roles, tables, keys, vaults, plans, trails, buckets, notes: [...new Set(notes)] };
}
