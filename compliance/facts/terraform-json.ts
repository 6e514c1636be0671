/**
 * The shapes of Terraform JSON, read the way Terraform reads them: top-level sections and the
 * levels below them as an object or an array of objects, `"//"` comments anywhere a block may
 * have them, nested blocks as an object or an array of objects. Nothing here knows about rules.
 */

export type Json = Record<string, unknown>;

const TOP_LEVEL_KEYS = ['resource', 'data', 'provider', 'terraform', 'output', 'variable', 'module', 'locals'];

export function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether a parsed JSON document looks like Terraform JSON configuration. */
export function isTerraformConfigJson(x: unknown): x is Json {
  return isObject(x) && TOP_LEVEL_KEYS.some((k) => k in x);
}

/** Whether a parsed JSON document is a plan as `terraform show -json <planfile>` prints it. */
export function isTerraformPlanJson(x: unknown): x is Json {
  return isObject(x) && typeof x.format_version === 'string' && ('planned_values' in x || 'resource_changes' in x);
}

/** Terraform JSON configuration or a Terraform JSON plan: what `tablesafe check` reads. */
export function isTerraformJson(x: unknown): x is Json {
  return isTerraformConfigJson(x) || isTerraformPlanJson(x);
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

/**
 * The entries of one level of a section (`resource`, `resource.aws_s3_bucket`, `locals`): an object
 * or an array of objects, in document order, `"//"` comments left out. `skipped` hears of entries
 * that are not objects.
 */
export function entriesOf(x: unknown): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const part of Array.isArray(x) ? x : [x]) {
    if (!isObject(part)) continue;
    for (const [k, v] of Object.entries(part)) if (k !== '//') out.push([k, v]);
  }
  return out;
}

export function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
}

export function strings(x: unknown): string[] {
  if (x === undefined || x === null) return [];
  return (Array.isArray(x) ? x : [x]).map(str).filter((s): s is string => s !== undefined);
}

export function stringMap(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(x)) for (const [k, v] of Object.entries(x)) if (v !== null && v !== undefined && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** The cdktf construct path in a block's `"//"` comment (`{ "metadata": { "path": "prod/table/table" } }`). */
export function constructPath(body: Json): string | undefined {
  for (const meta of blocks(body['//'])) {
    const m = meta.metadata;
    for (const x of blocks(m)) if (typeof x.path === 'string') return x.path;
  }
  return undefined;
}
