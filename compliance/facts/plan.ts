/**
 * A Terraform plan (`terraform show -json <planfile>`) → the same configuration model as
 * Terraform JSON (config.ts), so the same fact builder and rules judge it:
 *
 * - resources come from `planned_values` (root and child modules), with their planned values;
 * - a value Terraform knows only after apply (`after_unknown`) becomes the expression the
 *   configuration gives it (`${aws_kms_key.k.arn}`, from `configuration`), so links stay exact;
 *   without one it is unknown ("known after apply");
 * - the provider of each resource (alias, region) comes from `configuration`;
 * - `resource_changes` give the planned action of every resource (delete, replace, …).
 */
import { TerraformConfig, RawResource } from './config';
import { MAX_VALUE_DEPTH } from './eval';
import { blocks, isObject, Json } from './terraform-json';

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode: 'managed' | 'data';
  readonly actions: readonly string[];
  readonly reason?: string;
  readonly replacePaths: readonly string[];
  readonly providerAlias?: string;
}

export interface PlanModel {
  readonly config: TerraformConfig;
  readonly changes: readonly PlannedChange[];
}

/** A known string of a plan is a literal: `${` in it must not read as an interpolation. */
function escapeLiterals(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return v.includes('${') || v.includes('%{') ? v.replace(/([$%])\{/g, '$1$1{') : v;
  if (depth > MAX_VALUE_DEPTH || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const e = escapeLiterals(x, depth + 1);
      if (e !== x) (out ??= v.slice())[i] = e;
    });
    return out ?? v;
  }
  let out: Json | undefined;
  for (const [k, x] of Object.entries(v as Json)) {
    const e = escapeLiterals(x, depth + 1);
    if (e !== x) (out ??= { ...(v as Json) })[k] = e;
  }
  return out ?? v;
}

type Expressions = Json;

/** The attribute references of a configuration expression (`aws_kms_key.k.arn`, not the bare `aws_kms_key.k`). */
function attributeReferences(refs: unknown): string[] {
  const out: string[] = [];
  for (const r of Array.isArray(refs) ? refs : []) {
    if (typeof r !== 'string') continue;
    const segments = r.replace(/\[[^\]]*\]/g, '').split('.');
    if (/^(var|local|each|count|self|path|terraform|module)$/.test(segments[0])) continue;
    if (segments.length < (segments[0] === 'data' ? 4 : 3)) continue;
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/** Where a planned value stands in the configuration: under an expression, in a block body, not set, or not found. */
type Conf =
  | { readonly kind: 'expr'; readonly node: Json; readonly rest: readonly (string | number)[] }
  | { readonly kind: 'body'; readonly node: unknown }
  | { readonly kind: 'absent' }
  | { readonly kind: 'lost' };

const isExpression = (x: unknown): x is Json => isObject(x) && ('constant_value' in x || 'references' in x);

/**
 * The configuration block that stands for the planned block `planned[index]`. Nested blocks may be
 * sets, which a plan orders its own way: the block whose literal attributes agree with the
 * planned one's is chosen, the one at the same index when several do.
 */
function blockFor(config: readonly unknown[], index: number, planned: unknown): Conf {
  const p = Array.isArray(planned) ? planned[index] : undefined;
  const agrees = (c: unknown) => {
    if (!isObject(c) || !isObject(p)) return false;
    for (const [k, e] of Object.entries(c)) {
      if (!isObject(e) || !('constant_value' in e)) continue;
      const v = e.constant_value;
      if ((typeof v === 'string' && !v.includes('${')) || typeof v === 'number' || typeof v === 'boolean') {
        if (k in p && p[k] !== v) return false;
      }
    }
    return true;
  };
  const chosen = agrees(config[index]) ? config[index] : config.find(agrees) ?? config[index];
  return chosen === undefined ? { kind: 'lost' } : { kind: 'body', node: chosen };
}

function childConf(conf: Conf, key: string | number, plannedParent: unknown): Conf {
  if (conf.kind === 'expr') return { ...conf, rest: [...conf.rest, key] };
  if (conf.kind !== 'body') return conf;
  const node = conf.node;
  if (typeof key === 'number') return Array.isArray(node) ? blockFor(node, key, plannedParent) : { kind: 'lost' };
  if (!isObject(node)) return { kind: 'lost' };
  const x = node[key];
  if (x === undefined) return { kind: 'absent' };
  return isExpression(x) ? { kind: 'expr', node: x, rest: [] } : { kind: 'body', node: x };
}

/** The expression a configuration gives a value, as a template; undefined when it is not one reference or template. */
function templateOf(conf: Conf): string | undefined {
  if (conf.kind !== 'expr') return undefined;
  const { node, rest } = conf;
  // JSON-syntax configurations (cdktf) keep the template text as the constant value.
  let constant: unknown = node.constant_value;
  for (const seg of rest) constant = Array.isArray(constant) || isObject(constant) ? (constant as Record<string, unknown>)[String(seg)] : undefined;
  if (typeof constant === 'string' && constant.includes('${')) return constant;
  const refs = attributeReferences(node.references);
  const at = rest.length === 1 && typeof rest[0] === 'number' ? rest[0] : undefined;
  if (at !== undefined && refs.length > at && refs.length > 1) return `\${${refs[at]}}`;
  if (refs.length === 1) return `\${${refs[0]}}`;
  return undefined;
}

const AFTER_APPLY = '${known_after_apply}';

/**
 * Planned values with every value known only after apply replaced by its configuration
 * expression; a value the configuration does not set (the provider computes it) stays as planned.
 */
function withUnknowns(values: unknown, afterUnknown: unknown, conf: Conf, depth = 0): unknown {
  if (afterUnknown === true) return conf.kind === 'absent' ? values : templateOf(conf) ?? AFTER_APPLY;
  if (depth > MAX_VALUE_DEPTH) return values;
  if (Array.isArray(afterUnknown)) {
    const out = Array.isArray(values) ? values.slice() : [];
    afterUnknown.forEach((u, i) => {
      if (u === false || u === null || u === undefined) return;
      out[i] = withUnknowns(out[i], u, childConf(conf, i, values), depth + 1);
    });
    return out;
  }
  if (isObject(afterUnknown)) {
    const out: Json = isObject(values) ? { ...values } : {};
    for (const [k, u] of Object.entries(afterUnknown)) {
      if (u === false || u === null || u === undefined) continue;
      if (isObject(u) && Object.keys(u).length === 0) continue;
      if (Array.isArray(u) && u.length === 0) continue;
      const v = withUnknowns(out[k], u, childConf(conf, k, values), depth + 1);
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  }
  return values;
}

/**
 * Key attributes the provider fills in when the configuration names no key: AWS Backup and
 * DynamoDB then encrypt with AWS's managed key (aws/backup, aws/dynamodb), and a plan of an applied
 * stack shows that key's ARN as if it had been chosen. Dropped when the configuration sets no key,
 * so the rules judge the key as configured: AWS-managed. A table whose encryption block is not in
 * the configuration at all (none, or a `dynamic` block, which the plan's configuration omits) keeps
 * its planned values.
 */
function withoutDefaultKeys(type: string, body: Json, expressions: Expressions | undefined): Json {
  if (!expressions) return body;
  if (type === 'aws_backup_vault' && !('kms_key_arn' in expressions) && 'kms_key_arn' in body) {
    const { kms_key_arn: _default, ...rest } = body;
    return rest;
  }
  if (type === 'aws_dynamodb_table' && Array.isArray(body.server_side_encryption)) {
    const configured = blocks(expressions.server_side_encryption)[0];
    if (configured && !('kms_key_arn' in configured)) {
      return { ...body, server_side_encryption: body.server_side_encryption.map((b) => (isObject(b) ? (({ kms_key_arn: _default, ...rest }) => rest)(b) : b)) };
    }
  }
  return body;
}

interface ConfigResource {
  readonly expressions?: Expressions;
  readonly providerConfigKey?: string;
}

/** `module.a[0].module.b["x"].` → `module.a.module.b.` (the configuration has no instance keys). */
function moduleConfigPath(prefix: string): string {
  return prefix.replace(/\[[^\]]*\]/g, '');
}

function configResources(module: unknown, prefix: string, out: Map<string, ConfigResource>, depth = 0): void {
  if (!isObject(module) || depth > 50) return;
  for (const r of blocks(module.resources)) {
    if (typeof r.address !== 'string') continue;
    out.set(`${prefix}${r.address}`, {
      ...(isObject(r.expressions) ? { expressions: r.expressions } : {}),
      ...(typeof r.provider_config_key === 'string' ? { providerConfigKey: r.provider_config_key } : {}),
    });
  }
  if (isObject(module.module_calls)) {
    for (const [name, call] of Object.entries(module.module_calls)) if (isObject(call)) configResources(call.module, `${prefix}module.${name}.`, out, depth + 1);
  }
}

/** `aws.dr`, `module.m:aws.dr` → dr; `aws` → undefined. */
function aliasOfKey(key: string | undefined): string | undefined {
  if (!key) return undefined;
  const local = key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : key;
  const dot = local.indexOf('.');
  return dot >= 0 ? local.slice(dot + 1) : undefined;
}

function providerConfigs(plan: Json): { alias?: string; region?: unknown; defaultTags?: unknown }[] {
  const configuration = isObject(plan.configuration) ? plan.configuration : {};
  const out: { alias?: string; region?: unknown; defaultTags?: unknown }[] = [];
  if (!isObject(configuration.provider_config)) return out;
  for (const [key, p] of Object.entries(configuration.provider_config)) {
    if (!isObject(p) || p.name !== 'aws' || key.includes(':')) continue;
    const e = isObject(p.expressions) ? p.expressions : {};
    const expr = (x: unknown): unknown => {
      if (!isObject(x)) return undefined;
      if ('constant_value' in x) return escapeLiterals(x.constant_value);
      const refs = Array.isArray(x.references) ? x.references.filter((r): r is string => typeof r === 'string') : [];
      return refs.length ? `\${${refs[0]}}` : AFTER_APPLY;
    };
    const defaultTags = blocks(e.default_tags)[0];
    out.push({
      ...(aliasOfKey(key) ? { alias: aliasOfKey(key) } : typeof p.alias === 'string' ? { alias: p.alias } : {}),
      region: expr(e.region),
      defaultTags: defaultTags ? expr(defaultTags.tags) : undefined,
    });
  }
  return out;
}

/** The plan → its configuration model and the planned changes. */
export function fromPlanJson(plan: Json): PlanModel {
  const notes: string[] = [];
  const configuration = isObject(plan.configuration) ? plan.configuration : {};
  const config = new Map<string, ConfigResource>();
  configResources(configuration.root_module, '', config);
  const afterUnknown = new Map<string, unknown>();
  const changes: PlannedChange[] = [];
  for (const rc of blocks(plan.resource_changes)) {
    if (typeof rc.address !== 'string') continue;
    const change = isObject(rc.change) ? rc.change : {};
    afterUnknown.set(rc.address, change.after_unknown);
    if (typeof rc.type !== 'string' || typeof rc.name !== 'string') continue;
    const module = typeof rc.module_address === 'string' ? `${rc.module_address}.` : '';
    const conf = config.get(`${moduleConfigPath(module)}${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}`);
    const alias = aliasOfKey(conf?.providerConfigKey);
    changes.push({
      address: rc.address,
      type: rc.type,
      name: rc.name,
      mode: rc.mode === 'data' ? 'data' : 'managed',
      actions: Array.isArray(change.actions) ? change.actions.filter((a): a is string => typeof a === 'string') : [],
      ...(typeof rc.action_reason === 'string' ? { reason: rc.action_reason } : {}),
      replacePaths: (Array.isArray(change.replace_paths) ? change.replace_paths : []).map((p) => (Array.isArray(p) ? p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('').replace(/^\./, '') : String(p))),
      ...(alias ? { providerAlias: alias } : {}),
    });
  }
  const raws: RawResource[] = [];
  const walk = (module: unknown, depth: number): void => {
    if (!isObject(module) || depth > 50) return;
    const prefix = typeof module.address === 'string' && module.address !== '' ? `${module.address}.` : '';
    for (const r of blocks(module.resources)) {
      if (typeof r.type !== 'string' || typeof r.name !== 'string' || typeof r.address !== 'string') {
        notes.push('a planned resource without address, type or name: skipped');
        continue;
      }
      const mode = r.mode === 'data' ? 'data' : 'managed';
      const conf = config.get(`${moduleConfigPath(prefix)}${mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`);
      const values = escapeLiterals(isObject(r.values) ? r.values : {}) as Json;
      const body = withoutDefaultKeys(r.type, withUnknowns(values, afterUnknown.get(r.address), conf?.expressions ? { kind: 'body', node: conf.expressions } : { kind: 'lost' }) as Json, conf?.expressions);
      const key = typeof r.index === 'number' || typeof r.index === 'string' ? r.index : undefined;
      const alias = aliasOfKey(conf?.providerConfigKey);
      raws.push({ mode, type: r.type, name: r.name, module: prefix, body, instance: { key }, ...(alias ? { providerAlias: alias } : {}) });
    }
    for (const child of blocks(module.child_modules)) walk(child, depth + 1);
  };
  const planned = isObject(plan.planned_values) ? plan.planned_values : {};
  walk(planned.root_module, 0);
  if (!isObject(plan.planned_values)) notes.push('the plan has no planned_values: only its resource changes are checked');
  return { config: new TerraformConfig(raws, providerConfigs(plan), new Map(), notes), changes };
}
