/**
 * Terraform JSON (cdktf's `cdk.tf.json`, any hand-written `*.tf.json`) or a Terraform plan
 * (`terraform show -json`) → FactSet.
 *
 * Identity is exact: a resource is its address (`aws_kms_key.k-2`, `aws_s3_bucket.logs[0]`), a
 * reference is parsed (config.ts, eval.ts) and designates one address, and a literal name designates
 * the resource of that type with that name *in the same region* where names are regional (vaults,
 * tables). Every index is built once, so the builder is linear in the size of the input.
 *
 * A setting the input does not determine (`${var.x}`, a `dynamic` block over a variable, a value
 * known only after apply) is listed in the fact's `unknown`, with the expression; defaults are the
 * AWS provider's (a table without `point_in_time_recovery` has PITR off).
 */
import type {
  BucketFact, ChangeFact, FactSet, KeyFact, KeyType, PlanFact, PlanRuleFact, PolicyStatement, Requirements, RoleFact,
  SelectionFact, TableFact, TrailFact, VaultFact,
} from './types';
import { DEFAULT_REQUIREMENTS } from './types';
import { TablesafeError } from '../../core/errors';
import { display, fromConfigJson, Instance, TerraformConfig } from './config';
import { Computed, isComputed, isObjectValue, refText, setOwn, settle, textOf, toJsonWithTemplates, Value } from './eval';
import { fromPlanJson, PlannedChange } from './plan';
import {
  DocumentStatement, leafKind, ParsedPolicy, policyFromDocument, policyFromText, statementFromDocument, tlsDenial, toKeyPolicyStatement,
} from './policy';
import { block, isObject, isTerraformConfigJson, isTerraformJson, isTerraformPlanJson, Json, str } from './terraform-json';

export { isTerraformJson, isTerraformPlanJson } from './terraform-json';

export interface FromTerraformOptions {
  /** Stack or file name shown in reports. @default the cdktf stack name in the JSON, else `terraform` */
  readonly scope?: string;
  /** Environment requirements the rules hold the facts against. @default DEFAULT_REQUIREMENTS */
  readonly requirements?: Requirements;
}

type Obj = { [key: string]: Value };

const ROLE_KINDS = ['app-reader', 'app-writer', 'backup', 'restore-drill', 'auditor'] as const;
const DEFAULT_KEY_POLICY: PolicyStatement = {
  sid: 'default key policy',
  effect: 'Allow',
  principals: ['AWS:arn:aws:iam::<account>:root'],
  actions: ['kms:*'],
  resources: ['*'],
  conditionKeys: [],
};
/** Resource types a plan must not delete or replace: their loss loses data or recovery points. */
const GUARDED_TYPES = new Set(['aws_dynamodb_table', 'aws_backup_vault', 'aws_kms_key']);
const KEY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key', 'aws_kms_alias']);

// --- Values -------------------------------------------------------------------------------------

/** Unknown settings of one fact, with the expression each one has. */
class Unknowns {
  private readonly fields: string[] = [];
  private readonly expressions: Record<string, string> = {};

  add(field: string, attribute: string, v: Value | string): void {
    if (this.fields.includes(field)) return;
    this.fields.push(field);
    this.expressions[field] = `${attribute} = ${typeof v === 'string' ? v : display(v)}`;
  }

  has(field: string): boolean {
    return this.fields.includes(field);
  }

  /** Last in a fact literal. */
  spread(): { unknown?: string[]; unknownExpressions?: Record<string, string> } {
    return this.fields.length ? { unknown: [...this.fields], unknownExpressions: { ...this.expressions } } : {};
  }
}

/** Nested blocks: a list of block bodies, or the Computed that stands for them (a `dynamic` block over a variable). */
function blocksOf(v: Value | undefined): Obj[] | Computed {
  if (v === undefined) return [];
  const s = settle(v);
  if (s === null) return [];
  if (isComputed(s)) return s;
  if (isObjectValue(s)) return [s];
  if (!Array.isArray(s)) return [];
  const out: Obj[] = [];
  for (const x of s) {
    const e = settle(x);
    if (isComputed(e)) return e;
    if (isObjectValue(e)) out.push(e);
  }
  return out;
}

function blockOf(v: Value | undefined): Obj | undefined | Computed {
  const b = blocksOf(v);
  return isComputed(b) ? b : b[0];
}

function boolOf(v: Value | undefined, dflt: boolean): boolean | Computed {
  if (v === undefined) return dflt;
  const s = settle(v);
  if (s === null) return dflt;
  if (s === true || s === 'true') return true;
  if (s === false || s === 'false') return false;
  if (isComputed(s)) return s;
  return new Computed(display(s), [], { reason: 'not a boolean' });
}

function numOf(v: Value | undefined): number | undefined | Computed {
  if (v === undefined) return undefined;
  const s = settle(v);
  if (s === null) return undefined;
  if (typeof s === 'number') return s;
  if (typeof s === 'string' && /^-?\d+(\.\d+)?$/.test(s.trim())) return Number(s);
  if (isComputed(s)) return s;
  return new Computed(display(s), [], { reason: 'not a number' });
}

/** A value as text: literals as they are, references canonical (`${aws_kms_key.k.arn}`), other Computed as their text. */
function textOfValue(v: Value | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (isComputed(v) && v.exact && settle(v) === v) return refText(v.exact);
  const s = settle(v);
  if (isComputed(s) && s.exact) return refText(s.exact);
  return textOf(s);
}

/** A string or list of strings as texts; `unknown` when some element is not known (`var.x`, or a partial template where `partialIsUnknown`). */
function textsOf(v: Value | undefined, partialIsUnknown = true): { items: string[]; unknown?: Value } {
  if (v === undefined) return { items: [] };
  const s = settle(v);
  if (s === null) return { items: [] };
  if (isComputed(s)) return s.exact ? { items: [refText(s.exact)] } : { items: [s.text], unknown: s };
  const items: string[] = [];
  let unknown: Value | undefined;
  for (const x of Array.isArray(s) ? s : [s]) {
    const t = textOfValue(x);
    if (t === undefined) continue;
    const kind = leafKind(t);
    if (kind === 'unknown' || (kind === 'partial' && partialIsUnknown)) unknown ??= x;
    items.push(t);
  }
  return { items, ...(unknown !== undefined ? { unknown } : {}) };
}

function baseParts(base: string): { type: string; data: boolean } | undefined {
  const m = /(?:^|\.)(data\.)?([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)$/.exec(base.replace(/\[[^\]]*\]/g, ''));
  return m ? { type: m[2], data: !!m[1] } : undefined;
}

/** Texts that may differ between two places that read the same (`uuid()`, `count.index` left unexpanded). */
function isStableName(text: string): boolean {
  return !/\$\{[^}]*\b(count\.index|each\.|uuid\(|timestamp\(|known_after_apply)/.test(text);
}

// --- The builder ----------------------------------------------------------------------------------

class Builder {
  private readonly nameIndexes = new Map<string, Map<string, Instance[]>>();
  private readonly attachmentMaps = new Map<string, Map<string, Instance[]>>();
  private readonly docs = new Map<Instance, ParsedPolicy>();
  private readonly docsInProgress = new Set<Instance>();
  readonly primaryRegion: string | undefined;

  constructor(readonly cfg: TerraformConfig) {
    const r = settle(cfg.providers.find((p) => p.alias === undefined)?.region ?? null);
    this.primaryRegion = typeof r === 'string' ? r : undefined;
  }

  /** The instance's attributes, each evaluated when first read. */
  body(inst: Instance): Obj {
    inst.view ??= new Proxy(inst, this.viewHandler);
    return inst.view as Obj;
  }

  /** One handler for every instance's view: `view.x` is `cfg.attr(instance, 'x')`. */
  private readonly viewHandler: ProxyHandler<Instance> = {
    get: (inst, key) => (typeof key === 'string' ? this.cfg.attr(inst, key) : undefined),
    has: (inst, key) => typeof key === 'string' && this.cfg.attr(inst, key) !== undefined,
  };

  tags(inst: Instance, u: Unknowns): Record<string, string> {
    const out: Record<string, string> = {};
    const add = (v: Value | undefined, attribute: string) => {
      if (v === undefined) return;
      const s = settle(v);
      if (isComputed(s)) {
        u.add('tags', attribute, s);
        if (s.options.partial) add(s.options.partial, attribute);
        return;
      }
      if (!isObjectValue(s)) return;
      for (const [k, x] of Object.entries(s)) {
        const t = textOfValue(x);
        if (t !== undefined) setOwn(out, k, t);
        else if (settle(x) !== null) setOwn(out, k, display(x));
      }
    };
    add(this.cfg.provider(inst)?.defaultTags, 'provider default_tags');
    // Plans carry the merged tags in tags_all.
    add(this.body(inst).tags_all ?? this.body(inst).tags, 'tags');
    return out;
  }

  /** Literal or canonical name text of an instance's name attribute. */
  nameText(inst: Instance, attr: string): string | undefined {
    return textOfValue(this.body(inst)[attr]);
  }

  private nameIndex(type: string, attr: string, regional: boolean): Map<string, Instance[]> {
    const key = `${type}|${attr}|${regional}`;
    let index = this.nameIndexes.get(key);
    if (index) return index;
    index = new Map();
    for (const inst of this.cfg.ofType(type)) {
      const name = this.nameText(inst, attr);
      if (name === undefined || !isStableName(name)) continue;
      const k = regional ? `${this.cfg.regionKey(inst)}|${name}` : name;
      const list = index.get(k);
      if (list) list.push(inst);
      else index.set(k, [inst]);
    }
    this.nameIndexes.set(key, index);
    return index;
  }

  /**
   * The instances of `type` a value designates: by exact reference, or by its literal name
   * (`nameAttr`) in the region of `from` where names are regional, or by an ARN naming region and name.
   */
  designated(value: Value | undefined, type: string, nameAttr: string | undefined, from: Instance | undefined, regional: boolean): Instance[] {
    if (value === undefined) return [];
    const exact = isComputed(value) ? value.exact : undefined;
    if (exact) {
      const parts = baseParts(exact.base);
      if (parts && parts.type === type && !parts.data) {
        if (exact.all) return [...this.cfg.instancesOf(exact.base)];
        const inst = this.cfg.get(exact.address);
        return inst ? [inst] : [];
      }
    }
    if (!nameAttr) return [];
    const text = textOfValue(value);
    if (text === undefined || text === '' || !isStableName(text)) return [];
    if (text.startsWith('arn:') && !text.includes('${')) {
      const parts = text.split(':');
      const name = parts.slice(6).join(':') || parts[5]?.split('/').slice(1).join('/');
      if (!name) return [];
      return (regional ? this.nameIndex(type, nameAttr, true).get(`${parts[3]}|${name}`) : this.nameIndex(type, nameAttr, false).get(name)) ?? [];
    }
    if (regional) return from ? this.nameIndex(type, nameAttr, true).get(`${this.cfg.regionKey(from)}|${text}`) ?? [] : [];
    return this.nameIndex(type, nameAttr, false).get(text) ?? [];
  }

  /** For every instance of `targetType`, the `aboutType` instances whose `attr` designates it (built once). */
  attached(aboutType: string, attr: string, targetType: string, nameAttr: string | undefined, regional: boolean): Map<string, Instance[]> {
    const key = `${aboutType}|${attr}|${targetType}`;
    let map = this.attachmentMaps.get(key);
    if (map) return map;
    map = new Map();
    for (const about of this.cfg.ofType(aboutType)) {
      const v = this.body(about)[attr];
      const values = attr === 'roles' ? (Array.isArray(settle(v ?? null)) ? (settle(v!) as Value[]) : [v]) : [v];
      for (const x of values) {
        for (const target of this.designated(x, targetType, nameAttr, about, regional)) {
          const list = map.get(target.address);
          if (list) {
            if (!list.includes(about)) list.push(about);
          } else map.set(target.address, [about]);
        }
      }
    }
    this.attachmentMaps.set(key, map);
    return map;
  }

  /** A reference to a resource of `type` in canonical form when it designates exactly one in the input; the text otherwise. */
  canonical(value: Value | undefined, type: string, nameAttr: string | undefined, attr: string, from: Instance | undefined, regional: boolean): string | undefined {
    const text = textOfValue(value);
    if (text === undefined) return undefined;
    const targets = this.designated(value, type, nameAttr, from, regional);
    if (targets.length === 1) return refText({ base: targets[0].base, address: targets[0].address, path: [attr], all: false });
    return text;
  }

  /**
   * The policy in attribute `key` of an instance. A JSON document whose interpolations all sit
   * inside strings and name resources (`"Resource": "${aws_s3_bucket.b.arn}"`, as cdktf writes
   * them) is read as it is; anything else is evaluated first.
   */
  policyOf(inst: Instance, key: string): ParsedPolicy | undefined {
    const raw = inst.raw[key];
    if (typeof raw === 'string' && inst.scope.size === 0 && raw.includes('${') && !raw.includes('$${') && !raw.includes('%{') && /^\s*\{/.test(raw)) {
      let doc: unknown;
      try {
        doc = JSON.parse(raw);
      } catch {
        doc = undefined;
      }
      if (doc !== undefined) {
        const parsed = policyFromDocument(doc);
        if (!parsed.malformed && !parsed.unknown && parsed.statements.every((s) => !s.unknown)) return parsed;
      }
    }
    return this.policy(this.cfg.attr(inst, key));
  }

  /** A policy attribute → statements, malformed, unknown, or undefined when absent. */
  policy(v: Value | undefined): ParsedPolicy | undefined {
    if (v === undefined) return undefined;
    const exact = isComputed(v) ? v.exact : undefined;
    if (exact && /(^|\.)data\.aws_iam_policy_document\./.test(exact.base) && (exact.path[0] === 'json' || exact.path[0] === 'minified_json')) {
      const inst = this.cfg.get(exact.address);
      if (inst) return this.document(inst);
    }
    const s = settle(v);
    if (s === null || s === '') return undefined;
    if (typeof s === 'string') return policyFromText(s);
    if (isComputed(s)) {
      try {
        return policyFromDocument(JSON.parse(s.text));
      } catch {
        return { statements: [], unknown: display(s) };
      }
    }
    if (isObjectValue(s)) return policyFromDocument(toJsonWithTemplates(s));
    return { statements: [], malformed: `the policy is ${Array.isArray(s) ? 'a list' : `a ${typeof s}`}, not a JSON document` };
  }

  /** The statements of a `data.aws_iam_policy_document`, with its source and override documents. */
  document(inst: Instance): ParsedPolicy {
    const done = this.docs.get(inst);
    if (done) return done;
    if (this.docsInProgress.has(inst)) return { statements: [], unknown: `${inst.address} (refers to itself)` };
    this.docsInProgress.add(inst);
    try {
      const body = this.body(inst);
      const statements: PolicyStatement[] = [];
      let unknown: string | undefined;
      let malformed: string | undefined;
      const include = (v: Value | undefined, attribute: string) => {
        const s = v === undefined ? [] : settle(v);
        if (isComputed(s)) {
          unknown ??= `${attribute} = ${display(s)}`;
          return;
        }
        for (const x of Array.isArray(s) ? s : [s]) {
          const p = this.policy(x);
          if (!p) continue;
          statements.push(...p.statements);
          unknown ??= p.unknown;
          malformed ??= p.malformed;
        }
      };
      include(body.source_policy_documents, `${inst.address}.source_policy_documents`);
      include(body.source_json, `${inst.address}.source_json`);
      const own = blocksOf(body.statement);
      if (isComputed(own)) unknown ??= `${inst.address}.statement: ${display(own)}`;
      else for (const s of own) statements.push(statementFromDocument(documentStatement(s)));
      include(body.override_policy_documents, `${inst.address}.override_policy_documents`);
      include(body.override_json, `${inst.address}.override_json`);
      const parsed: ParsedPolicy = { statements, ...(malformed ? { malformed } : {}), ...(unknown ? { unknown } : {}) };
      this.docs.set(inst, parsed);
      return parsed;
    } finally {
      this.docsInProgress.delete(inst);
    }
  }

  /** What kind of key a key reference names: AWS managed (`alias/aws/...`), customer managed, or unknown. */
  keyType(v: Value | undefined, absent: KeyType): { keyType: KeyType; ref?: string; unknown?: Value } {
    if (v === undefined) return { keyType: absent };
    const s = settle(v);
    if (s === null || s === '') return { keyType: absent };
    const ref = textOfValue(v);
    if (typeof s === 'string') return { keyType: /alias\/aws\//.test(s) ? 'AWS_MANAGED' : 'CUSTOMER_MANAGED', ref: s };
    if (!isComputed(s)) return { keyType: absent, unknown: s };
    const exact = isComputed(v) && v.exact ? v.exact : s.exact;
    if (exact) {
      const parts = baseParts(exact.base);
      if (parts && !parts.data && KEY_TYPES.has(parts.type)) return { keyType: 'CUSTOMER_MANAGED', ref };
      if (parts && parts.data && (parts.type === 'aws_kms_key' || parts.type === 'aws_kms_alias')) {
        const inst = this.cfg.get(exact.address);
        const named = inst ? settle(this.body(inst)[parts.type === 'aws_kms_key' ? 'key_id' : 'name'] ?? null) : null;
        if (typeof named === 'string') return { keyType: /^alias\/aws\/|:alias\/aws\//.test(named) ? 'AWS_MANAGED' : 'CUSTOMER_MANAGED', ref };
      }
    }
    if (/alias\/aws\//.test(s.text)) return { keyType: 'AWS_MANAGED', ref };
    return { keyType: 'CUSTOMER_MANAGED', ref, unknown: s };
  }

  region(inst: Instance): string | undefined {
    return this.cfg.region(inst);
  }
}

function documentStatement(s: Obj): DocumentStatement {
  const unknown = new Set<string>();
  const list = (v: Value | undefined, field: string, partialIsUnknown: boolean) => {
    const r = textsOf(v, partialIsUnknown);
    if (r.unknown !== undefined) unknown.add(field);
    return r.items;
  };
  const principalsOf = (v: Value | undefined, field: string) => {
    const bs = blocksOf(v);
    if (isComputed(bs)) {
      unknown.add(field);
      return [bs.text];
    }
    return bs.flatMap((p) => {
      const type = textOfValue(p.type) ?? 'AWS';
      if (leafKind(type) !== 'literal') unknown.add(field);
      return list(p.identifiers, field, false).map((id) => (type === '*' && id === '*' ? '*' : `${type}:${id}`));
    });
  };
  const condition: Record<string, Record<string, unknown>> = {};
  const conditions = blocksOf(s.condition);
  if (isComputed(conditions)) {
    unknown.add('condition');
    condition['(unknown)'] = { [conditions.text]: conditions.text };
  } else {
    for (const c of conditions) {
      const test = textOfValue(c.test);
      const variable = textOfValue(c.variable);
      if (!test || !variable) continue;
      if (leafKind(test) !== 'literal' || leafKind(variable) !== 'literal') unknown.add('condition');
      condition[test] = { ...(condition[test] ?? {}), [variable]: list(c.values, 'condition', true) };
    }
  }
  const effect = settle(s.effect ?? 'Allow');
  if (isComputed(effect)) unknown.add('effect');
  return {
    ...(textOfValue(s.sid) ? { sid: textOfValue(s.sid) } : {}),
    effect: typeof effect === 'string' ? effect : 'Allow',
    actions: list(s.actions, 'actions', true),
    notActions: list(s.not_actions, 'notActions', true),
    resources: list(s.resources, 'resources', false),
    notResources: list(s.not_resources, 'notResources', false),
    principals: principalsOf(s.principals, 'principals'),
    notPrincipals: principalsOf(s.not_principals, 'notPrincipals'),
    condition,
    unknown: [...unknown],
  };
}

function base(b: Builder, inst: Instance, name: string | undefined): { id: string; name: string; refs: string[]; path?: string; region?: string } {
  const region = b.region(inst);
  return {
    id: inst.address,
    name: name && !name.includes('${') ? name : inst.address,
    refs: name ? [name] : [],
    ...(inst.path ? { path: inst.path } : {}),
    ...(region ? { region } : {}),
  };
}

/** A policy into a fact: statements, or the unknown field with why. */
function policyInto(p: ParsedPolicy | undefined, u: Unknowns, field: string, attribute: string): PolicyStatement[] | undefined {
  if (!p) return undefined;
  if (p.malformed) {
    u.add(field, attribute, `malformed: ${p.malformed}`);
    return undefined;
  }
  if (p.unknown) {
    u.add(field, attribute, p.unknown);
    return undefined;
  }
  return [...p.statements];
}

function boolInto(v: Value | undefined, dflt: boolean, u: Unknowns, field: string, attribute: string): boolean {
  const b = boolOf(v, dflt);
  if (isComputed(b)) {
    u.add(field, attribute, b);
    return false;
  }
  return b;
}

/** A nested block's boolean: `point_in_time_recovery.enabled`. */
function blockBoolInto(blockValue: Value | undefined, key: string, dflt: boolean, u: Unknowns, field: string, attribute: string): boolean {
  const blk = blockOf(blockValue);
  if (isComputed(blk)) {
    u.add(field, attribute, blk);
    return false;
  }
  return boolInto(blk?.[key], dflt, u, field, `${attribute}.${key}`);
}

// --- DynamoDB ---------------------------------------------------------------------------------

const DIMENSIONS = { read: 'ReadCapacityUnits', write: 'WriteCapacityUnits' };

interface Scaling {
  readonly scaled: Set<string>;
  /** Targets or policies whose resource or dimension is not known: they may scale any table. */
  readonly unresolved: string[];
}

function scaling(b: Builder): Scaling {
  const unresolved: string[] = [];
  const keys = (type: string) => {
    const out = new Set<string>();
    for (const inst of b.cfg.ofType(type)) {
      const body = b.body(inst);
      const ns = settle(body.service_namespace ?? null);
      if (ns !== null && ns !== 'dynamodb') {
        if (isComputed(ns)) unresolved.push(`${inst.address}.service_namespace = ${display(ns)}`);
        continue;
      }
      const id = textOfValue(body.resource_id);
      const dim = textOfValue(body.scalable_dimension);
      if (id === undefined || dim === undefined) continue;
      if (leafKind(id) === 'unknown' || leafKind(dim) !== 'literal') unresolved.push(`${inst.address} = ${display(body.resource_id)} ${display(body.scalable_dimension)}`);
      else out.add(`${id}|${dim}`);
    }
    return out;
  };
  const targets = keys('aws_appautoscaling_target');
  const policies = keys('aws_appautoscaling_policy');
  return { scaled: new Set([...policies].filter((k) => targets.has(k))), unresolved };
}

function tableFact(b: Builder, inst: Instance, scale: Scaling): TableFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const name = b.nameText(inst, 'name');
  const pitr = blockBoolInto(body.point_in_time_recovery, 'enabled', false, u, 'pitrEnabled', 'point_in_time_recovery');
  const sseBlock = blockOf(body.server_side_encryption);
  let sse: TableFact['sse'] = { keyType: 'AWS_OWNED' };
  if (isComputed(sseBlock)) u.add('sse', 'server_side_encryption', sseBlock);
  else if (boolInto(sseBlock?.enabled, false, u, 'sse', 'server_side_encryption.enabled')) {
    const k = b.keyType(sseBlock?.kms_key_arn, 'AWS_MANAGED');
    if (k.unknown !== undefined) u.add('sse', 'server_side_encryption.kms_key_arn', k.unknown);
    sse = { keyType: k.keyType, ...(k.ref ? { kmsKeyRef: k.ref } : {}) };
  }
  const billingValue = settle(body.billing_mode ?? null);
  const billing = billingValue === null ? 'PROVISIONED' : billingValue;
  if (billing !== 'PROVISIONED' && billing !== 'PAY_PER_REQUEST') u.add('autoscaling', 'billing_mode', body.billing_mode!);
  const tableId = `table/${name ?? inst.address}`;
  const has = (id: string, dim: 'read' | 'write', scope: 'table' | 'index') => scale.scaled.has(`${id}|dynamodb:${scope}:${DIMENSIONS[dim]}`);
  const gsis = blocksOf(body.global_secondary_index);
  if (isComputed(gsis)) u.add('autoscaling', 'global_secondary_index', gsis);
  const indexes = isComputed(gsis) ? [] : gsis.map((g) => textOfValue(g.name)).filter((n): n is string => !!n);
  const autoscaling = {
    read: has(tableId, 'read', 'table'),
    write: has(tableId, 'write', 'table'),
    indexesWithout: indexes.filter((i) => !has(`${tableId}/index/${i}`, 'read', 'index') || !has(`${tableId}/index/${i}`, 'write', 'index')),
  };
  if ((!autoscaling.read || !autoscaling.write || autoscaling.indexesWithout.length) && scale.unresolved.length) u.add('autoscaling', 'aws_appautoscaling_target/policy', scale.unresolved[0]);
  const replicas = blocksOf(body.replica);
  const tags = b.tags(inst, u);
  return {
    kind: 'table',
    ...base(b, inst, name),
    tags,
    pitrEnabled: pitr,
    sse,
    deletionProtection: boolInto(body.deletion_protection_enabled, false, u, 'deletionProtection', 'deletion_protection_enabled'),
    billingMode: billing === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    autoscaling,
    replicaRegions: isComputed(replicas) ? [] : replicas.map((x) => textOfValue(x.region_name)).filter((x): x is string => !!x),
    ...u.spread(),
  };
}

// --- KMS ----------------------------------------------------------------------------------------

function keyFact(b: Builder, inst: Instance): KeyFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const aliases = (b.attached('aws_kms_alias', 'target_key_id', 'aws_kms_key', undefined, false).get(inst.address) ?? [])
    .map((a) => b.nameText(a, 'name'))
    .filter((n): n is string => !!n && !n.includes('${'));
  const separate = b.attached('aws_kms_key_policy', 'key_id', 'aws_kms_key', undefined, false).get(inst.address)?.[0];
  const parsed = separate ? b.policyOf(separate, 'policy') : b.policyOf(inst, 'policy');
  const statements = parsed === undefined ? [DEFAULT_KEY_POLICY] : policyInto(parsed, u, 'policy', separate ? `${separate.address}.policy` : 'policy');
  const enabled = boolOf(body.is_enabled, true);
  if (isComputed(enabled)) u.add('enabled', 'is_enabled', enabled);
  const spec = settle(body.customer_master_key_spec ?? body.key_spec ?? null);
  if (isComputed(spec)) u.add('keySpec', 'customer_master_key_spec', spec);
  return {
    kind: 'key',
    ...base(b, inst, aliases[0]),
    refs: [...aliases, ...aliases.map((a) => a.replace(/^alias\//, ''))],
    tags: b.tags(inst, u),
    rotationEnabled: boolInto(body.enable_key_rotation, false, u, 'rotationEnabled', 'enable_key_rotation'),
    enabled: enabled !== false,
    keySpec: typeof spec === 'string' ? spec : 'SYMMETRIC_DEFAULT',
    ...(statements ? { policy: statements.map(toKeyPolicyStatement) } : {}),
    ...u.spread(),
  };
}

// --- AWS Backup ---------------------------------------------------------------------------------

function vaultFact(b: Builder, inst: Instance): VaultFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const name = b.nameText(inst, 'name');
  const k = b.keyType(body.kms_key_arn, 'AWS_MANAGED');
  if (k.unknown !== undefined) u.add('kmsKeyType', 'kms_key_arn', k.unknown);
  const policyResource = b.attached('aws_backup_vault_policy', 'backup_vault_name', 'aws_backup_vault', 'name', true).get(inst.address)?.[0];
  const accessPolicy = policyResource ? policyInto(b.policyOf(policyResource, 'policy'), u, 'accessPolicy', `${policyResource.address}.policy`) : undefined;
  const lockResource = b.attached('aws_backup_vault_lock_configuration', 'backup_vault_name', 'aws_backup_vault', 'name', true).get(inst.address)?.[0];
  let lock: VaultFact['lock'];
  if (lockResource) {
    const l = b.body(lockResource);
    const n = (attr: string, field: string) => {
      const v = numOf(l[attr]);
      if (isComputed(v)) {
        u.add('lock', `${lockResource.address}.${attr}`, v);
        return {};
      }
      return v === undefined ? {} : { [field]: v };
    };
    lock = { ...n('min_retention_days', 'minRetentionDays'), ...n('max_retention_days', 'maxRetentionDays'), ...n('changeable_for_days', 'changeableForDays') };
  }
  const region = b.region(inst);
  const tags = b.tags(inst, u);
  return {
    kind: 'vault',
    ...base(b, inst, name),
    refs: name && name.includes('${') ? [name] : [],
    tags,
    ...(k.ref ? { kmsKeyRef: k.ref } : {}),
    kmsKeyType: k.keyType,
    ...(accessPolicy ? { accessPolicy } : {}),
    ...(lock ? { lock } : {}),
    isDrVault: inst.providerAlias !== undefined && region !== undefined && b.primaryRegion !== undefined && region !== b.primaryRegion,
    ...u.spread(),
  };
}

function lifecycleOf(v: Value | undefined, u: Unknowns, where: string): { deleteAfterDays?: number; coldStorageAfterDays?: number } {
  const l = blockOf(v);
  if (isComputed(l)) {
    u.add('retention', `${where}.lifecycle`, l);
    return {};
  }
  const out: { deleteAfterDays?: number; coldStorageAfterDays?: number } = {};
  const d = numOf(l?.delete_after);
  const c = numOf(l?.cold_storage_after);
  // The AWS provider sends no value for 0 (the attribute's default, and what a plan of an applied
  // stack shows for one never set): 0 means "not set" — never deleted, never moved to cold storage.
  if (isComputed(d)) u.add('retention', `${where}.lifecycle.delete_after`, d);
  else if (d !== undefined && d !== 0) out.deleteAfterDays = d;
  if (isComputed(c)) u.add('retention', `${where}.lifecycle.cold_storage_after`, c);
  else if (c !== undefined && c !== 0) out.coldStorageAfterDays = c;
  return out;
}

function planFact(b: Builder, inst: Instance): PlanFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const ruleBlocks = blocksOf(body.rule);
  if (isComputed(ruleBlocks)) u.add('rules', 'rule', ruleBlocks);
  const rules: PlanRuleFact[] = (isComputed(ruleBlocks) ? [] : ruleBlocks).map((x, i) => {
    const ruleName = textOfValue(x.rule_name) ?? `rule ${i + 1}`;
    const where = `rule[${ruleName}]`;
    const schedule = settle(x.schedule ?? null);
    if (isComputed(schedule)) u.add('schedule', `${where}.schedule`, schedule);
    const num = (attr: string, field: string) => {
      const v = numOf(x[attr]);
      return typeof v === 'number' ? { [field]: v } : {};
    };
    const continuous = boolOf(x.enable_continuous_backup, false);
    if (isComputed(continuous)) u.add('retention', `${where}.enable_continuous_backup`, continuous);
    const copies = blocksOf(x.copy_action);
    if (isComputed(copies)) u.add('copyActions', `${where}.copy_action`, copies);
    return {
      name: ruleName,
      ...(typeof schedule === 'string' ? { schedule } : {}),
      targetVaultRef: b.canonical(x.target_vault_name, 'aws_backup_vault', 'name', 'name', inst, true) ?? '',
      ...num('start_window', 'startWindowMinutes'),
      ...num('completion_window', 'completionWindowMinutes'),
      ...lifecycleOf(x.lifecycle, u, where),
      continuousBackup: continuous === true,
      copyActions: (isComputed(copies) ? [] : copies).map((c) => {
        const dest = b.canonical(c.destination_vault_arn, 'aws_backup_vault', 'name', 'arn', inst, true) ?? '';
        if (dest && leafKind(dest) === 'unknown') u.add('copyActions', `${where}.copy_action.destination_vault_arn`, c.destination_vault_arn!);
        return { destinationVaultRef: dest, ...lifecycleOf(c.lifecycle, u, `${where}.copy_action`) };
      }),
    };
  });
  const tags = b.tags(inst, u);
  return { kind: 'plan', ...base(b, inst, b.nameText(inst, 'name')), tags, rules, ...u.spread() };
}

function selectionFact(b: Builder, inst: Instance): SelectionFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const listInto = (attr: string, field: string) => {
    const r = textsOf(body[attr], false);
    if (r.unknown !== undefined) u.add(field, attr, r.unknown);
    return r.items;
  };
  const tagConditions: { key: string; value: string }[] = [];
  const tagBlocks = blocksOf(body.selection_tag);
  if (isComputed(tagBlocks)) u.add('tagConditions', 'selection_tag', tagBlocks);
  else for (const t of tagBlocks) tagConditions.push({ key: textOfValue(t.key) ?? '', value: textOfValue(t.value) ?? '' });
  const conditions = blocksOf(body.condition);
  if (isComputed(conditions)) u.add('tagConditions', 'condition', conditions);
  else {
    for (const c of conditions) {
      const eq = blocksOf(c.string_equals);
      if (isComputed(eq)) {
        u.add('tagConditions', 'condition.string_equals', eq);
        continue;
      }
      for (const t of eq) tagConditions.push({ key: (textOfValue(t.key) ?? '').replace(/^aws:ResourceTag\//, ''), value: textOfValue(t.value) ?? '' });
    }
  }
  if (tagConditions.some((c) => leafKind(c.key) !== 'literal' || leafKind(c.value) !== 'literal')) u.add('tagConditions', 'selection_tag', tagConditions.map((c) => `${c.key}=${c.value}`).join(', '));
  return {
    kind: 'selection',
    ...base(b, inst, b.nameText(inst, 'name')),
    tags: {},
    planRef: b.canonical(body.plan_id, 'aws_backup_plan', undefined, 'id', inst, false) ?? '',
    resources: listInto('resources', 'resources'),
    notResources: listInto('not_resources', 'notResources'),
    tagConditions,
    ...u.spread(),
  };
}

// --- CloudTrail -----------------------------------------------------------------------------------

const DDB_TABLE = 'AWS::DynamoDB::Table';

function trailEvents(body: Obj, u: Unknowns): { management: boolean; tables: string[] } {
  const basic = blocksOf(body.event_selector);
  const advanced = blocksOf(body.advanced_event_selector);
  if (isComputed(basic)) u.add('dataEvents', 'event_selector', basic);
  if (isComputed(advanced)) u.add('dataEvents', 'advanced_event_selector', advanced);
  if (isComputed(basic) || isComputed(advanced)) u.add('managementEvents', isComputed(basic) ? 'event_selector' : 'advanced_event_selector', isComputed(basic) ? basic : (advanced as Computed));
  const b = isComputed(basic) ? [] : basic;
  const a = isComputed(advanced) ? [] : advanced;
  if (b.length === 0 && a.length === 0) return { management: !u.has('managementEvents'), tables: [] };
  let management = false;
  const tables: string[] = [];
  for (const s of b) {
    const m = boolOf(s.include_management_events, true);
    if (isComputed(m)) u.add('managementEvents', 'event_selector.include_management_events', m);
    else if (m) management = true;
    const data = blocksOf(s.data_resource);
    if (isComputed(data)) {
      u.add('dataEvents', 'event_selector.data_resource', data);
      continue;
    }
    for (const d of data) {
      const type = textOfValue(d.type);
      if (type === undefined) continue;
      if (leafKind(type) !== 'literal') u.add('dataEvents', 'event_selector.data_resource.type', d.type!);
      if (type !== DDB_TABLE) continue;
      const values = textsOf(d.values, false);
      if (values.unknown !== undefined) u.add('dataEvents', 'event_selector.data_resource.values', values.unknown);
      for (const v of values.items) tables.push(v === 'arn:aws:dynamodb' ? '*' : v);
    }
  }
  for (const s of a) {
    const fields = blocksOf(s.field_selector);
    if (isComputed(fields)) {
      u.add('dataEvents', 'advanced_event_selector.field_selector', fields);
      continue;
    }
    const byField = new Map<string, Obj[]>();
    for (const f of fields) {
      const name = textOfValue(f.field);
      if (name === undefined) continue;
      const l = byField.get(name);
      if (l) l.push(f);
      else byField.set(name, [f]);
    }
    const values = (field: string, attr: string) => (byField.get(field) ?? []).flatMap((f) => {
      const r = textsOf(f[attr], false);
      if (r.unknown !== undefined) u.add('dataEvents', `advanced_event_selector.field_selector[${field}].${attr}`, r.unknown);
      return r.items;
    });
    if (values('eventCategory', 'equals').includes('Management')) management = true;
    if (!values('eventCategory', 'equals').includes('Data') || !values('resources.type', 'equals').includes(DDB_TABLE)) continue;
    const arnFields = byField.get('resources.ARN') ?? [];
    const arns = [...values('resources.ARN', 'equals'), ...values('resources.ARN', 'starts_with').map((p) => `${p}*`)];
    tables.push(...(arnFields.length === 0 ? ['*'] : arns));
  }
  return { management, tables };
}

function trailFact(b: Builder, inst: Instance): TrailFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const events = trailEvents(body, u);
  const kms = settle(body.kms_key_id ?? null);
  let kmsKeyRef: string | undefined;
  if (isComputed(kms) && !kms.exact && leafKind(kms.text) === 'unknown') u.add('kmsKeyRef', 'kms_key_id', kms);
  else if (kms !== null && kms !== '') kmsKeyRef = textOfValue(body.kms_key_id);
  const logging = boolOf(body.enable_logging, true);
  const bucket = body.s3_bucket_name;
  const bucketRef = b.canonical(bucket, 'aws_s3_bucket', 'bucket', 'id', inst, false) ?? '';
  if (bucketRef && leafKind(bucketRef) === 'unknown' && b.designated(bucket, 'aws_s3_bucket', 'bucket', inst, false).length === 0) u.add('bucketRef', 's3_bucket_name', bucket!);
  return {
    kind: 'trail',
    ...base(b, inst, b.nameText(inst, 'name')),
    tags: b.tags(inst, u),
    multiRegion: boolInto(body.is_multi_region_trail, false, u, 'multiRegion', 'is_multi_region_trail'),
    logFileValidation: boolInto(body.enable_log_file_validation, false, u, 'logFileValidation', 'enable_log_file_validation'),
    ...(kmsKeyRef ? { kmsKeyRef } : {}),
    ...(logging === false ? { logging: false } : {}),
    bucketRef,
    managementEvents: events.management,
    dynamoDbDataEventTables: events.tables,
    ...u.spread(),
  };
}

// --- S3 -----------------------------------------------------------------------------------------

function bucketFact(b: Builder, inst: Instance): BucketFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const about = (type: string) => b.attached(type, 'bucket', 'aws_s3_bucket', 'bucket', false).get(inst.address)?.[0];
  const pab = about('aws_s3_bucket_public_access_block');
  const pabBody = pab ? b.body(pab) : {};
  const flag = (k: string) => boolInto(pabBody[k], false, u, 'publicAccessBlocked', pab ? `${pab.address}.${k}` : k);
  const versioningResource = about('aws_s3_bucket_versioning');
  let versioning = false;
  if (versioningResource) {
    const conf = blockOf(b.body(versioningResource).versioning_configuration);
    const status = isComputed(conf) ? conf : settle(conf?.status ?? null);
    if (isComputed(status)) u.add('versioning', `${versioningResource.address}.versioning_configuration.status`, status);
    else versioning = status === 'Enabled';
  } else versioning = blockBoolInto(body.versioning, 'enabled', false, u, 'versioning', 'versioning');
  const policyResource = about('aws_s3_bucket_policy');
  const parsed = policyResource ? b.policyOf(policyResource, 'policy') : b.policyOf(inst, 'policy');
  const policy = policyInto(parsed, u, 'tlsOnly', policyResource ? `${policyResource.address}.policy` : 'policy');
  let tlsOnly = false;
  if (policy) {
    const t = tlsDenial(policy);
    if (t === 'unknown') u.add('tlsOnly', policyResource ? `${policyResource.address}.policy` : 'policy', 'a Deny statement with an unknown part');
    else tlsOnly = t;
  }
  const sse = about('aws_s3_bucket_server_side_encryption_configuration');
  const rules = sse ? blocksOf(b.body(sse).rule) : [];
  const sseDefault = isComputed(rules) ? undefined : rules.map((x) => blockOf(x.apply_server_side_encryption_by_default)).find((x): x is Obj => isObjectValue(x));
  const sseKmsKeyRef = textOfValue(sseDefault?.kms_master_key_id);
  const objectLock = objectLockOf(b, inst, u, about('aws_s3_bucket_object_lock_configuration'));
  const name = b.nameText(inst, 'bucket');
  const publicAccessBlocked = { blockPublicAcls: flag('block_public_acls'), blockPublicPolicy: flag('block_public_policy'), ignorePublicAcls: flag('ignore_public_acls'), restrictPublicBuckets: flag('restrict_public_buckets') };
  return {
    kind: 'bucket',
    ...base(b, inst, name),
    refs: name ? [name, `arn:aws:s3:::${name}`] : [],
    tags: b.tags(inst, u),
    publicAccessBlocked,
    versioning,
    tlsOnly,
    ...(sseKmsKeyRef ? { sseKmsKeyRef } : {}),
    ...(policy ? { policy } : {}),
    objectLock,
    ...u.spread(),
  };
}

/** Object Lock from `object_lock_enabled` (or the legacy inline block) and an attached aws_s3_bucket_object_lock_configuration. */
function objectLockOf(b: Builder, inst: Instance, u: Unknowns, config: Instance | undefined): NonNullable<BucketFact['objectLock']> {
  const body = b.body(inst);
  const legacy = blockOf(body.object_lock_configuration);
  const legacyEnabled = !isComputed(legacy) && legacy ? settle(legacy.object_lock_enabled ?? null) === 'Enabled' : false;
  const enabled = boolInto(body.object_lock_enabled, false, u, 'objectLock', 'object_lock_enabled') || legacyEnabled;
  const source = config ? b.body(config) : !isComputed(legacy) ? legacy : undefined;
  const rule = source ? blockOf(source.rule) : undefined;
  const retention = rule && !isComputed(rule) ? blockOf(rule.default_retention) : undefined;
  if (isComputed(rule) || isComputed(retention)) {
    u.add('objectLock', config ? `${config.address}.rule` : 'object_lock_configuration.rule', (rule ?? retention) as Computed);
    return { enabled };
  }
  if (!retention) return { enabled };
  const mode = settle(retention.mode ?? null);
  const days = numOf(retention.days);
  const years = numOf(retention.years);
  if (isComputed(mode) || isComputed(days) || isComputed(years)) {
    u.add('objectLock', `${config?.address ?? 'object_lock_configuration'}.rule.default_retention`, 'a value known only after apply');
    return { enabled };
  }
  const total = (typeof days === 'number' ? days : 0) + (typeof years === 'number' ? years * 365 : 0);
  return { enabled, ...(typeof mode === 'string' ? { mode } : {}), ...(total > 0 ? { days: total } : {}) };
}

// --- IAM ------------------------------------------------------------------------------------------

function roleFact(b: Builder, inst: Instance): RoleFact {
  const u = new Unknowns();
  const body = b.body(inst);
  const statements: (PolicyStatement & { policyName: string })[] = [];
  const addParsed = (policyName: string, policy: ParsedPolicy | undefined, attribute: string) => {
    const parsed = policyInto(policy, u, 'statements', attribute);
    if (parsed) for (const s of parsed) statements.push({ ...s, policyName });
  };
  const add = (policyName: string, raw: Value | undefined, attribute: string) => addParsed(policyName, b.policy(raw), attribute);
  const inline = blocksOf(body.inline_policy);
  if (isComputed(inline)) u.add('statements', 'inline_policy', inline);
  else for (const p of inline) if (p.policy !== undefined) add(textOfValue(p.name) ?? 'inline', p.policy, `inline_policy[${textOfValue(p.name) ?? ''}].policy`);
  for (const p of b.attached('aws_iam_role_policy', 'role', 'aws_iam_role', 'name', false).get(inst.address) ?? []) {
    addParsed(b.nameText(p, 'name') ?? p.address, b.policyOf(p, 'policy'), `${p.address}.policy`);
  }
  const managedArns = textsOf(body.managed_policy_arns, false);
  if (managedArns.unknown !== undefined) u.add('statements', 'managed_policy_arns', managedArns.unknown);
  const attachedArns: Value[] = [
    ...(b.attached('aws_iam_role_policy_attachment', 'role', 'aws_iam_role', 'name', false).get(inst.address) ?? []).map((a) => b.body(a).policy_arn ?? null),
    ...(b.attached('aws_iam_policy_attachment', 'roles', 'aws_iam_role', 'name', false).get(inst.address) ?? []).map((a) => b.body(a).policy_arn ?? null),
  ];
  const managed: string[] = [];
  const customer = new Set<string>();
  for (const arn of [...attachedArns, ...managedArns.items]) {
    const policy = b.designated(arn, 'aws_iam_policy', 'arn', undefined, false)[0];
    if (policy) {
      if (customer.has(policy.address)) continue;
      customer.add(policy.address);
      addParsed(b.nameText(policy, 'name') ?? policy.address, b.policyOf(policy, 'policy'), `${policy.address}.policy`);
      continue;
    }
    const text = textOfValue(arn);
    if (!text) continue;
    if (leafKind(text) === 'unknown') u.add('statements', 'policy_arn', arn);
    managed.push(text);
  }
  const trust = b.policyOf(inst, 'assume_role_policy')?.statements ?? [];
  const trustedServices = trust.filter((s) => s.effect === 'Allow').flatMap((s) => s.principals).filter((p) => p.startsWith('Service:')).map((p) => p.slice('Service:'.length));
  const tags = b.tags(inst, u);
  const roleKind = ROLE_KINDS.find((k) => k === tags['tablesafe:role']);
  return {
    kind: 'role',
    ...base(b, inst, b.nameText(inst, 'name')),
    tags,
    statements,
    managedPolicyArns: [...new Set(managed)],
    trustedServices,
    ...(roleKind ? { roleKind } : {}),
    ...u.spread(),
  };
}

// --- Plans ----------------------------------------------------------------------------------------

function changeFacts(b: Builder, changes: readonly PlannedChange[]): ChangeFact[] {
  const out: ChangeFact[] = [];
  for (const c of changes) {
    if (c.mode !== 'managed' || !GUARDED_TYPES.has(c.type)) continue;
    const region = settle(b.cfg.providers.find((p) => p.alias === c.providerAlias)?.region ?? null);
    out.push({
      kind: 'change',
      id: c.address,
      name: c.address,
      refs: [],
      tags: {},
      ...(typeof region === 'string' ? { region } : {}),
      resourceType: c.type,
      actions: c.actions,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.replacePaths.length ? { replacePaths: c.replacePaths } : {}),
    });
  }
  return out;
}

// --- Entry point ------------------------------------------------------------------------------------

/**
 * Builds the FactSet of one Terraform JSON configuration or plan. Throws TS_E_NOT_TERRAFORM_JSON
 * when the input is neither.
 */
export function factsFromTerraform(tfJson: unknown, options: FromTerraformOptions = {}): FactSet {
  if (!isTerraformJson(tfJson)) {
    throw new TablesafeError('TS_E_NOT_TERRAFORM_JSON', 'not Terraform JSON: expected an object with resource, data, provider or terraform blocks, or a plan (terraform show -json)', 'pass the cdk.tf.json of a synthesized stack (cdktf.out/stacks/<stack>/) or `terraform show -json <planfile>`');
  }
  let cfg: TerraformConfig;
  let changes: readonly PlannedChange[] = [];
  let stackName: string | undefined;
  if (isTerraformPlanJson(tfJson) && !isTerraformConfigJson(tfJson)) {
    const plan = fromPlanJson(tfJson);
    cfg = plan.config;
    changes = plan.changes;
  } else {
    cfg = fromConfigJson(tfJson as Json);
    const meta = block((tfJson as Json)['//']);
    stackName = isObject(meta?.metadata) ? str(meta.metadata.stackName) : undefined;
  }
  return buildFacts(tfJson as Json, cfg, changes, stackName, options);
}

function buildFacts(tfJson: Json, cfg: TerraformConfig, changes: readonly PlannedChange[], stackName: string | undefined, options: FromTerraformOptions): FactSet {
  const b = new Builder(cfg);
  const scale = scaling(b);
  const map = <T>(type: string, f: (i: Instance) => T) => cfg.ofType(type).map(f);
  const facts: FactSet = {
    source: 'terraform',
    scope: options.scope ?? stackName ?? 'terraform',
    tables: map('aws_dynamodb_table', (i) => tableFact(b, i, scale)),
    keys: map('aws_kms_key', (i) => keyFact(b, i)),
    vaults: map('aws_backup_vault', (i) => vaultFact(b, i)),
    plans: map('aws_backup_plan', (i) => planFact(b, i)),
    selections: map('aws_backup_selection', (i) => selectionFact(b, i)),
    trails: map('aws_cloudtrail', (i) => trailFact(b, i)),
    buckets: map('aws_s3_bucket', (i) => bucketFact(b, i)),
    roles: map('aws_iam_role', (i) => roleFact(b, i)),
    ...(isTerraformPlanJson(tfJson) ? { changes: changeFacts(b, changes) } : {}),
    requirements: options.requirements ?? DEFAULT_REQUIREMENTS,
  };
  const notes = cfg.allNotes();
  for (const i of cfg.instances) if (i.unexpanded && GUARDED_OR_CHECKED.has(i.type)) notes.push(`${i.base}: ${i.unexpanded} is not known; checked as one instance`);
  return notes.length ? { ...facts, notes } : facts;
}

const GUARDED_OR_CHECKED = new Set(['aws_dynamodb_table', 'aws_kms_key', 'aws_backup_vault', 'aws_backup_plan', 'aws_backup_selection', 'aws_cloudtrail', 'aws_s3_bucket', 'aws_iam_role']);
