/**
 * A Terraform configuration as the rules' fact builder sees it: resource and data-source
 * *instances* (a `count` or `for_each` with a literal value expands to `aws_x.n[0]`,
 * `aws_x.n["a"]`), each with its provider (alias and region are part of its identity), its
 * cdktf construct path, and its body evaluated on demand (templates, references, locals,
 * `dynamic` blocks with a literal `for_each` expanded).
 *
 * Built from Terraform JSON configuration (`fromConfigJson`) or from a plan (`plan.ts`), the same
 * way. Everything is indexed once (by type, address and base address), so building facts is
 * linear in the size of the input.
 */
import {
  Computed, EMPTY_SCOPE, evalJson, EvalContext, instanceAddress, isComputed, isObjectValue, MAX_EXPANSION, MAX_VALUE_DEPTH, Ref,
  refText, Scope, setOwn, settle, unknown, Value,
} from './eval';
import { block, blocks, constructPath, entriesOf, isObject, Json } from './terraform-json';
import { isPlainString } from './hcl';

export type Mode = 'managed' | 'data';

/** One resource block of the input, before expansion. */
export interface RawResource {
  readonly mode: Mode;
  readonly type: string;
  readonly name: string;
  /** `module.a.` / `module.a[0].` for resources of child modules (plans); '' at the root. */
  readonly module: string;
  readonly body: Json;
  /** Plans: the instance key Terraform gives; configurations: from `count` / `for_each`. */
  readonly instance?: { readonly key: string | number | undefined };
  /** Provider alias (`dr` of `aws.dr`); undefined for the default provider. */
  readonly providerAlias?: string;
  readonly path?: string;
}

const EVALUATING = Symbol('evaluating');

/** One resource instance: `aws_s3_bucket.logs`, `aws_s3_bucket.logs[0]`, `aws_x.n["a"]`. */
export class Instance {
  /** Evaluated attributes, filled on demand; EVALUATING while one is being evaluated (a reference cycle then reads nothing). */
  values: Record<string, Value | undefined | typeof EVALUATING> | undefined;
  /** The attributes as an object (from-terraform's view), made once. */
  view: unknown;

  constructor(
    readonly mode: Mode,
    readonly type: string,
    readonly name: string,
    /** `module.a.` / `module.a[0].` for resources of child modules (plans); '' at the root. */
    readonly module: string,
    /** `aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`, with the module prefix. */
    readonly base: string,
    /** `aws_s3_bucket.logs[0]`, or the base for a single (or unexpanded) instance. */
    readonly address: string,
    readonly raw: Json,
    readonly scope: Scope,
    readonly providerAlias: string | undefined,
    readonly path: string | undefined,
    /** Position in the input, for a stable order. */
    readonly order: number,
    /** Set when `count` / `for_each` could not be expanded: the expression, for messages. */
    readonly unexpanded?: string,
  ) {}
}

export interface ProviderConfig {
  readonly alias?: string;
  readonly region: Value;
  readonly defaultTags: Value;
}

/** Meta-arguments of a resource block: not attributes. */
const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', '//']);
/** Map attributes whose keys are data (a tag may be called `dynamic` or `//`). */
const MAP_ATTRIBUTES = new Set(['tags', 'tags_all', 'variables', 'environment']);
/** Attributes equal to the resource's id in the AWS provider, so `${type.n.id}` resolves too. */
const ID_ATTRIBUTE: Record<string, string> = {
  aws_dynamodb_table: 'name',
  aws_s3_bucket: 'bucket',
  aws_backup_vault: 'name',
  aws_iam_role: 'name',
  aws_iam_policy: 'arn',
  aws_cloudtrail: 'name',
  aws_kms_alias: 'name',
};
/** How deep one reference may lead through others (locals → resources → locals …). */
const MAX_RESOLUTION_DEPTH = 20;
const MAX_NOTES = 20;

export class TerraformConfig {
  readonly instances: Instance[] = [];
  readonly providers: ProviderConfig[];
  /** Things of the input that were skipped, in words (`resource.aws_s3_bucket.x is a number, not a block`). */
  readonly notes: string[] = [];
  private notesDropped = 0;
  private readonly byType = new Map<string, Instance[]>();
  private readonly byAddress = new Map<string, Instance>();
  /** Instances of expanded resources (`count`, `for_each`) by base address; a single instance is found by its address. */
  private readonly byBase = new Map<string, Instance[]>();
  private readonly inProgress = new Set<unknown>();
  private readonly localValues = new Map<string, Value>();
  private resolutionDepth = 0;
  private readonly ctxByModule = new Map<string, EvalContext>();

  constructor(
    raws: readonly RawResource[],
    providers: readonly { alias?: string; region?: unknown; defaultTags?: unknown }[],
    private readonly locals: ReadonlyMap<string, unknown> = new Map(),
    notes: readonly string[] = [],
  ) {
    for (const n of notes) this.note(n);
    this.providers = providers.map((p) => ({
      alias: p.alias,
      region: p.region === undefined ? null : evalJson(p.region, EMPTY_SCOPE, this.context('')),
      defaultTags: p.defaultTags === undefined ? {} : evalJson(p.defaultTags, EMPTY_SCOPE, this.context('')),
    }));
    for (const raw of raws) this.expand(raw);
  }

  note(text: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(text);
    else this.notesDropped++;
  }

  /** The notes, with how many more were left out. */
  allNotes(): string[] {
    return this.notesDropped ? [...this.notes, `… and ${this.notesDropped} more`] : [...this.notes];
  }

  ofType(type: string): readonly Instance[] {
    return this.byType.get(type) ?? [];
  }

  get(address: string): Instance | undefined {
    return this.byAddress.get(address);
  }

  instancesOf(base: string): readonly Instance[] {
    const single = this.byAddress.get(base);
    if (single) return [single];
    return this.byBase.get(base) ?? [];
  }

  private add(inst: Instance): void {
    if (this.byAddress.has(inst.address)) {
      this.note(`${inst.address} is declared twice; the first declaration is checked`);
      return;
    }
    this.instances.push(inst);
    this.byAddress.set(inst.address, inst);
    const t = inst.mode === 'data' ? `data.${inst.type}` : inst.type;
    let list = this.byType.get(t);
    if (!list) this.byType.set(t, (list = []));
    list.push(inst);
    if (inst.address !== inst.base) {
      let bases = this.byBase.get(inst.base);
      if (!bases) this.byBase.set(inst.base, (bases = []));
      bases.push(inst);
    }
  }

  private expand(raw: RawResource): void {
    const base = `${raw.module}${raw.mode === 'data' ? 'data.' : ''}${raw.type}.${raw.name}`;
    const order = this.instances.length;
    const make = (address: string, scope: Scope, unexpanded?: string) =>
      this.add(new Instance(raw.mode, raw.type, raw.name, raw.module, base, address, raw.body, scope, raw.providerAlias, raw.path, order, unexpanded));
    if (raw.instance) {
      make(instanceAddress(base, raw.instance.key), EMPTY_SCOPE);
      return;
    }
    if (raw.body.count !== undefined && raw.body.count !== null) {
      const n = settle(evalJson(raw.body.count, EMPTY_SCOPE, this.context(raw.module)));
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_EXPANSION) {
        for (let i = 0; i < n; i++) make(instanceAddress(base, i), new Map([['count', { index: i }]]));
        return;
      }
      make(base, EMPTY_SCOPE, `count = ${display(n)}`);
      return;
    }
    if (raw.body.for_each !== undefined && raw.body.for_each !== null) {
      const coll = settle(evalJson(raw.body.for_each, EMPTY_SCOPE, this.context(raw.module)));
      const entries = forEachEntries(coll);
      if (entries && entries.length <= MAX_EXPANSION) {
        for (const [key, value] of entries) make(instanceAddress(base, key), new Map([['each', { key, value }]]));
        return;
      }
      make(base, EMPTY_SCOPE, `for_each = ${display(coll)}`);
      return;
    }
    make(base, EMPTY_SCOPE);
  }

  /** The provider configuration of an instance (`provider = "aws.dr"` → alias dr). */
  provider(inst: Instance): ProviderConfig | undefined {
    return this.providers.find((p) => p.alias === inst.providerAlias);
  }

  /** The region an instance lives in, when the configuration states it. */
  region(inst: Instance): string | undefined {
    const own = settle(this.attr(inst, 'region') ?? null);
    if (typeof own === 'string' && own !== '') return own;
    const r = settle(this.provider(inst)?.region ?? null);
    return typeof r === 'string' && r !== '' ? r : undefined;
  }

  /**
   * What makes two regional names the same resource: the region when known, else the provider
   * configuration (two aliases may stand for two regions).
   */
  regionKey(inst: Instance): string {
    return this.region(inst) ?? `provider:${inst.providerAlias ?? '(default)'}`;
  }

  /**
   * One attribute or nested block of an instance, evaluated on first use (`dynamic` blocks of that
   * name expanded); undefined when the input does not set it.
   */
  attr(inst: Instance, key: string): Value | undefined {
    const raw = inst.raw[key];
    const dynamic = inst.raw.dynamic;
    if (dynamic === undefined) {
      if (raw === undefined) return undefined;
      // Literals need neither evaluation nor a memo (most attributes are literals).
      if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null || (typeof raw === 'string' && isPlainString(raw))) return META.has(key) ? undefined : (raw as Value);
    }
    const values = (inst.values ??= {});
    const done = values[key];
    if (done === EVALUATING) return undefined;
    if (done !== undefined || key in values) return done;
    if (META.has(key) || this.resolutionDepth > MAX_RESOLUTION_DEPTH) return undefined;
    values[key] = EVALUATING;
    this.resolutionDepth++;
    let v: Value | undefined;
    try {
      const ctx = this.context(inst.module);
      if (key === 'dynamic' && isDynamicSpec(dynamic)) v = undefined;
      else if (raw !== undefined) v = this.evalAttribute(key, raw, inst.scope, ctx, 1);
      if (dynamic !== undefined && key !== 'dynamic' && isDynamicSpec(dynamic)) v = this.withDynamic(v, key, dynamic, inst.scope, ctx, 1);
    } catch (e) {
      // Input deep enough to exhaust the stack through references: the attribute is not evaluated.
      if (!(e instanceof RangeError)) throw e;
      this.note(`${inst.address}.${key} is nested too deeply to evaluate`);
      v = unknown('(nested too deep)', [], 'nested too deeply to evaluate');
    } finally {
      this.resolutionDepth--;
    }
    values[key] = v;
    return v;
  }

  /** Every attribute and block of the instance, evaluated (memoized per attribute). */
  body(inst: Instance): { [key: string]: Value } {
    const out: { [key: string]: Value } = {};
    const keys = new Set(Object.keys(inst.raw));
    if (isDynamicSpec(inst.raw.dynamic)) for (const [label] of entriesOf(inst.raw.dynamic)) keys.add(label);
    for (const k of keys) {
      if (k === '//' || k === 'dynamic' && isDynamicSpec(inst.raw.dynamic) || META.has(k)) continue;
      const v = this.attr(inst, k);
      if (v !== undefined) setOwn(out, k, v);
    }
    return out;
  }

  private evalAttribute(key: string, v: unknown, scope: Scope, ctx: EvalContext, depth: number): Value {
    if (!MAP_ATTRIBUTES.has(key) && isBlockish(v)) {
      return Array.isArray(v) ? v.map((b) => this.evalBlock(b as Json, scope, ctx, depth + 1)) : this.evalBlock(v as Json, scope, ctx, depth + 1);
    }
    return evalJson(v, scope, ctx, depth);
  }

  private withDynamic(current: Value | undefined, label: string, dynamic: unknown, scope: Scope, ctx: EvalContext, depth: number): Value | undefined {
    let out = current;
    for (const [l, specs] of entriesOf(dynamic)) {
      if (l !== label) continue;
      for (const spec of blocks(specs)) {
        const expanded = this.expandDynamic(label, spec, scope, ctx, depth);
        if (isComputed(expanded) || isComputed(out)) out = isComputed(out) ? out : expanded;
        else out = [...(out === undefined || out === null ? [] : Array.isArray(out) ? out : [out]), ...expanded];
      }
    }
    return out;
  }

  /** A nested block body: attributes evaluated, nested blocks recursively, `dynamic` blocks expanded. */
  private evalBlock(obj: Json, scope: Scope, ctx: EvalContext, depth: number): Value {
    if (depth > MAX_VALUE_DEPTH) return unknown('(nested too deep)', [], `nested deeper than ${MAX_VALUE_DEPTH} levels`);
    const out: { [key: string]: Value } = {};
    const dynamic = isDynamicSpec(obj.dynamic) ? obj.dynamic : undefined;
    for (const k in obj) {
      if (k === '//' || (k === 'dynamic' && dynamic !== undefined)) continue;
      setOwn(out, k, this.evalAttribute(k, obj[k], scope, ctx, depth + 1));
    }
    if (dynamic !== undefined) {
      for (const [label] of entriesOf(dynamic)) {
        const v = this.withDynamic(out[label], label, dynamic, scope, ctx, depth);
        if (v !== undefined) out[label] = v;
      }
    }
    return out;
  }

  private expandDynamic(label: string, spec: Json, scope: Scope, ctx: EvalContext, depth: number): Value[] | Computed {
    const coll = settle(evalJson(spec.for_each ?? null, scope, ctx, depth + 1));
    const entries = forEachEntries(coll, true);
    const forEachText = typeof spec.for_each === 'string' ? spec.for_each : JSON.stringify(spec.for_each ?? null) ?? 'null';
    if (!entries || entries.length > MAX_EXPANSION) {
      return new Computed(`dynamic "${label}" for_each = ${forEachText.replace(/^\$\{([\s\S]*)\}$/, '$1')}`, isComputed(coll) ? coll.refs : [], { reason: 'dynamic block with an unknown for_each' });
    }
    const iterator = typeof spec.iterator === 'string' && spec.iterator !== '' ? spec.iterator : label;
    const content = block(spec.content) ?? {};
    return entries.map(([key, value]) => {
      const inner = new Map(scope);
      inner.set(iterator, { key, value });
      return this.evalBlock(content, inner, ctx, depth + 1);
    });
  }

  /** The evaluation context for a module: references resolve inside that module. */
  context(module: string): EvalContext {
    let ctx = this.ctxByModule.get(module);
    if (!ctx) {
      ctx = module === ''
        ? { local: (name) => this.local(module, name), resource: (base, index, path) => this.resource(base, index, path) }
        : { local: (name) => this.local(module, name), resource: (base, index, path) => this.resource(`${module}${base}`, index, path) };
      this.ctxByModule.set(module, ctx);
    }
    return ctx;
  }

  private local(module: string, name: string): Value {
    const key = `${module}local.${name}`;
    const done = this.localValues.get(key);
    if (done !== undefined) return done;
    const raw = module === '' ? this.locals.get(name) : undefined;
    if (raw === undefined) return unknown(`\${local.${name}}`, [], 'local value not in this input');
    if (this.inProgress.has(key) || this.resolutionDepth > MAX_RESOLUTION_DEPTH) return unknown(`\${local.${name}}`, [], 'local values refer to each other in a cycle');
    this.inProgress.add(key);
    this.resolutionDepth++;
    try {
      let v: Value;
      try {
        v = evalJson(raw, EMPTY_SCOPE, this.context(module));
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        v = unknown(`\${local.${name}}`, [], 'nested too deeply to evaluate');
      }
      this.localValues.set(key, v);
      return v;
    } finally {
      this.inProgress.delete(key);
      this.resolutionDepth--;
    }
  }

  /** `aws_s3_bucket.logs[0].arn` → a Computed with the exact reference, and the configured literal when there is one. */
  private resource(base: string, index: Value | '*' | undefined, path: readonly (string | number)[]): Value {
    const single = this.byAddress.get(base);
    const instances = single ? [single] : this.byBase.get(base) ?? [];
    let target: Instance | undefined;
    let address = base;
    let all = false;
    if (index === '*' || isComputed(index)) all = true;
    else if (index === undefined) {
      if (single) target = single;
      else if (instances.length === 1) {
        target = instances[0];
        address = target.address;
      } else if (instances.length > 1) all = true;
    } else if (typeof index === 'number' || typeof index === 'string') {
      address = instanceAddress(base, index);
      target = this.byAddress.get(address);
      if (!target && instances.length === 1 && instances[0].unexpanded) {
        target = instances[0];
        address = target.address;
      }
    } else all = true;
    const ref: Ref = { base, address: all ? base : address, path, all };
    let known: Value | undefined;
    if (target && !all && path.length > 0) {
      const first = path[0];
      const attr = first === 'id' && ID_ATTRIBUTE[target.type] ? ID_ATTRIBUTE[target.type] : first;
      const head = typeof attr === 'string' ? this.attr(target, attr) : undefined;
      const found = head === undefined ? undefined : path.length === 1 ? head : navigate(head, path.slice(1));
      // A value the target itself does not know adds nothing, and would hide which resource this is.
      const s = found === undefined ? undefined : settle(found);
      if (s !== undefined && !(isComputed(s) && (s.options.reason === 'known only after apply' || !isStableText(s.text)))) known = found;
    }
    return new Computed(refText(ref), [ref], known !== undefined ? { exact: ref, known } : { exact: ref });
  }
}

function isStableText(text: string): boolean {
  return !/\$\{[^}]*\b(count\.index|each\.|uuid\(|timestamp\(|known_after_apply)/.test(text);
}

function navigate(v: Value, path: readonly (string | number)[]): Value | undefined {
  let x: Value | undefined = v;
  for (const p of path) {
    const s: Value | undefined = x === undefined ? undefined : settle(x);
    if (s === undefined || s === null || isComputed(s)) return undefined;
    if (typeof p === 'number') {
      if (Array.isArray(s)) x = s[p];
      else if (isObjectValue(s) && p === 0) x = s;
      else return undefined;
    } else if (isObjectValue(s)) x = Object.prototype.hasOwnProperty.call(s, p) ? s[p] : undefined;
    else if (Array.isArray(s) && s.length === 1 && isObjectValue(s[0])) x = Object.prototype.hasOwnProperty.call(s[0], p) ? s[0][p] : undefined;
    else return undefined;
  }
  return x;
}

function isBlockish(v: unknown): boolean {
  if (isObject(v)) return true;
  return Array.isArray(v) && v.length > 0 && v.every(isObject);
}

/** `dynamic` holds `{ label: { for_each, content } }` (objects or arrays of them). */
function isDynamicSpec(v: unknown): boolean {
  const entries = entriesOf(v);
  return entries.length > 0 && entries.every(([, spec]) => blocks(spec).length > 0 && blocks(spec).every((s) => 'content' in s || 'for_each' in s));
}

/** The (key, value) pairs `for_each` iterates: a map's entries, a set of strings' elements. */
function forEachEntries(coll: Value, listsByIndex = false): [string | number, Value][] | undefined {
  if (isComputed(coll)) return undefined;
  if (isObjectValue(coll)) return Object.entries(coll);
  if (Array.isArray(coll)) {
    if (listsByIndex) return coll.map((v, i) => [i, v]);
    const out: [string, Value][] = [];
    for (const v of coll) {
      const s = settle(v);
      if (typeof s !== 'string') return undefined;
      out.push([s, s]);
    }
    return out;
  }
  return coll === null ? [] : undefined;
}

/** A value for messages: `var.enabled`, `aws_kms_key.k.arn`, `"text"`. */
export function display(v: Value | undefined): string {
  if (v === undefined) return '(unset)';
  if (isComputed(v)) {
    const t = v.exact ? refText(v.exact) : v.text;
    if (t === '${known_after_apply}') return '(known after apply)';
    const m = /^\$\{([\s\S]*)\}$/.exec(t);
    const shown = m && !m[1].includes('${') ? m[1] : t;
    return shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
  }
  if (typeof v === 'string') return JSON.stringify(v.length > 200 ? `${v.slice(0, 197)}...` : v);
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    return '(value)';
  }
}

// --- Terraform JSON configuration -------------------------------------------------------------

/** `aws.dr` / `${aws.dr}` → { provider: 'aws', alias: 'dr' }. */
export function providerRef(x: unknown): { provider: string; alias?: string } | undefined {
  if (typeof x !== 'string') return undefined;
  const m = /^\s*(?:\$\{\s*)?([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?\s*\}?\s*$/.exec(x);
  return m ? { provider: m[1], ...(m[2] ? { alias: m[2] } : {}) } : undefined;
}

function rawResources(section: unknown, mode: Mode, notes: string[]): RawResource[] {
  const out: RawResource[] = [];
  const where = mode === 'data' ? 'data' : 'resource';
  if (section !== undefined && !isObject(section) && !Array.isArray(section)) notes.push(`${where} is ${kindOf(section)}, not an object: skipped`);
  if (Array.isArray(section) && section.some((x) => !isObject(x))) notes.push(`${where} holds ${section.filter((x) => !isObject(x)).length} element(s) that are not objects: skipped`);
  forEachEntry(section, (type, byName) => {
    if (!isObject(byName) && !Array.isArray(byName)) {
      notes.push(`${where}.${type} is ${kindOf(byName)}, not an object: skipped`);
      return;
    }
    forEachEntry(byName, (name, rawBody) => {
      const body = isObject(rawBody) ? rawBody : blocks(rawBody)[0];
      if (body === undefined) {
        notes.push(`${where}.${type}.${name} is ${kindOf(rawBody)}, not a block: skipped`);
        return;
      }
      if (Array.isArray(rawBody) && blocks(rawBody).length > 1) notes.push(`${where}.${type}.${name} has ${blocks(rawBody).length} blocks; the first is checked`);
      const p = body.provider === undefined ? undefined : providerRef(body.provider);
      const path = body['//'] === undefined ? undefined : constructPath(body);
      out.push({ mode, type, name, module: '', body, providerAlias: p?.alias, path });
    });
  });
  return out;
}

/** entriesOf without the pairs: the resource section of a large input has hundreds of thousands of entries. */
function forEachEntry(x: unknown, f: (key: string, value: unknown) => void): void {
  for (const part of Array.isArray(x) ? x : [x]) {
    if (!isObject(part)) continue;
    for (const k in part) if (k !== '//') f(k, part[k]);
  }
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/** Terraform JSON configuration (cdktf's `cdk.tf.json` or any `*.tf.json`) → its model. */
export function fromConfigJson(tf: Json): TerraformConfig {
  const notes: string[] = [];
  const raws = [...rawResources(tf.resource, 'managed', notes), ...rawResources(tf.data, 'data', notes)];
  const providers: { alias?: string; region?: unknown; defaultTags?: unknown }[] = [];
  for (const [name, configs] of entriesOf(tf.provider)) {
    if (name !== 'aws') continue;
    for (const p of blocks(configs)) {
      providers.push({
        ...(typeof p.alias === 'string' ? { alias: p.alias } : {}),
        region: p.region,
        defaultTags: block(p.default_tags)?.tags,
      });
    }
  }
  const locals = new Map<string, unknown>();
  for (const [k, v] of entriesOf(tf.locals)) if (!locals.has(k)) locals.set(k, v);
  if (entriesOf(tf.module).length > 0) notes.push(`module calls are not followed: resources of ${entriesOf(tf.module).map(([m]) => `module.${m}`).slice(0, 5).join(', ')} are not checked (check the plan to include them)`);
  return new TerraformConfig(raws, providers, locals, notes);
}
