/**
 * Reading Terraform JSON the way both cdktf and people write it: nested blocks as an object or an
 * array of objects, values as literals or `${...}` expressions. Nothing here knows about rules.
 */

export type Json = Record<string, unknown>;

export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `aws_dynamodb_table.orders` (data sources: `data.aws_iam_policy_document.x`). */
  readonly address: string;
  readonly body: Json;
  /** cdktf construct path from `//.metadata.path`, when present. */
  readonly path?: string;
}

const TOP_LEVEL_KEYS = ['resource', 'data', 'provider', 'terraform', 'output', 'variable', 'module', 'locals'];

export function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether a parsed JSON document looks like Terraform JSON configuration. */
export function isTerraformJson(x: unknown): x is Json {
  return isObject(x) && TOP_LEVEL_KEYS.some((k) => k in x);
}

/** A nested block given as an object or as an array of objects → the array. */
export function blocks(x: unknown): Json[] {
  if (Array.isArray(x)) return x.filter(isObject);
  return isObject(x) ? [x] : [];
}

/** The first (single) nested block. */
export function block(x: unknown): Json | undefined {
  return blocks(x)[0];
}

/** Top-level sections may themselves be arrays of objects in hand-written JSON; merge them. */
function merged(x: unknown): Json {
  return blocks(x).reduce<Json>((acc, b) => {
    for (const [k, v] of Object.entries(b)) acc[k] = isObject(acc[k]) && isObject(v) ? { ...(acc[k] as Json), ...v } : v;
    return acc;
  }, {});
}

function collect(section: unknown, prefix: string): TfResource[] {
  const out: TfResource[] = [];
  for (const [type, byName] of Object.entries(merged(section))) {
    for (const [name, raw] of Object.entries(merged(byName))) {
      const body = block(raw);
      if (!body) continue;
      const meta = block(body['//']);
      const path = isObject(meta?.metadata) && typeof meta.metadata.path === 'string' ? meta.metadata.path : undefined;
      out.push({ type, name, address: `${prefix}${type}.${name}`, body, ...(path ? { path } : {}) });
    }
  }
  return out;
}

export function resourcesOf(tf: Json): TfResource[] {
  return collect(tf.resource, '');
}

export function dataSourcesOf(tf: Json): TfResource[] {
  return collect(tf.data, 'data.');
}

export interface TfProvider {
  /** undefined for the default provider. */
  readonly alias?: string;
  readonly region?: string;
  readonly defaultTags: Record<string, string>;
}

export function awsProvidersOf(tf: Json): TfProvider[] {
  const section = merged(tf.provider);
  return blocks(section.aws).map((p) => ({
    alias: typeof p.alias === 'string' ? p.alias : undefined,
    region: typeof p.region === 'string' ? p.region : undefined,
    defaultTags: stringMap(block(p.default_tags)?.tags),
  }));
}

/** The provider a resource uses: `provider = "aws.dr"` (or `${aws.dr}`) → alias `dr`. */
export function providerAliasOf(body: Json): string | undefined {
  if (typeof body.provider !== 'string') return undefined;
  const m = /^\$?\{?aws\.([\w-]+)\}?$/.exec(body.provider);
  return m ? m[1] : undefined;
}

export function stringMap(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(x)) for (const [k, v] of Object.entries(x)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

export function isExpression(x: unknown): boolean {
  return typeof x === 'string' && x.includes('${');
}

/** A boolean attribute: its value, its default when absent, or `unknown` for an expression. */
export function bool(x: unknown, dflt: boolean): boolean | 'unknown' {
  if (x === undefined || x === null) return dflt;
  if (x === true || x === 'true') return true;
  if (x === false || x === 'false') return false;
  return 'unknown';
}

export function num(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && /^\d+(\.\d+)?$/.test(x)) return Number(x);
  return undefined;
}

export function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
}

export function strings(x: unknown): string[] {
  if (x === undefined || x === null) return [];
  return (Array.isArray(x) ? x : [x]).map(str).filter((s): s is string => s !== undefined);
}

/** Attributes equal to the resource's id in the AWS provider, so `${type.n.id}` resolves too. */
const ID_ATTRIBUTE: Record<string, string> = {
  aws_dynamodb_table: 'name',
  aws_s3_bucket: 'bucket',
  aws_backup_vault: 'name',
  aws_iam_role: 'name',
  aws_cloudtrail: 'name',
};

const REFERENCE = /\$\{((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

/**
 * Substitutes `${aws_x.n.attr}` by the literal value of that attribute when the configuration
 * states it (names, bucket names, resource ids); ARNs and other computed values stay expressions.
 */
export class References {
  private readonly byAddress: Map<string, TfResource>;

  constructor(resources: readonly TfResource[]) {
    this.byAddress = new Map(resources.map((r) => [r.address, r]));
  }

  get(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  resolve(value: string | undefined, depth = 0): string | undefined {
    if (value === undefined || !value.includes('${') || depth > 4) return value;
    return value.replace(REFERENCE, (whole, address: string, attr: string) => {
      const r = this.byAddress.get(address);
      if (!r) return whole;
      const key = attr === 'id' ? ID_ATTRIBUTE[r.type] ?? attr : attr;
      const literal = str(r.body[key]);
      return literal === undefined ? whole : this.resolve(literal, depth + 1) ?? whole;
    });
  }
}
