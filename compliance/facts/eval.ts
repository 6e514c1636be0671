/**
 * Evaluating Terraform JSON values the way Terraform would, as far as the configuration alone
 * allows. A value is a literal (string, number, boolean, null, list, object) or a `Computed`: a
 * value the configuration does not state (`var.x`, an ARN known only after apply, `uuid()`).
 *
 * A Computed keeps what a rule needs to judge it anyway:
 * - `text`: the value as a template (`${aws_kms_key.k.arn}`, `logs-${data.aws_caller_identity.c.account_id}`),
 *   shown in messages and compared for "same name";
 * - `refs`: every resource it refers to, parsed (never found by prefix matching);
 * - `exact`: set when the whole value *is* one resource attribute (`aws_s3_bucket.logs.id`,
 *   `aws_s3_bucket.logs[0].arn`), so links between resources are exact;
 * - `known`: the literal the referenced attribute has in the configuration (a bucket's `bucket`);
 * - `partial`: for objects, the keys known to be present (`merge(var.tags, { owner = "x" })`).
 *
 * Evaluation is total: any input yields a Value; nothing recurses deeper than MAX_VALUE_DEPTH.
 */
import { isPlainString, MAX_DEPTH, Node, Op, ParseError, parseTemplate } from './hcl';

export interface Ref {
  /** `aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`, `module.m`. */
  readonly base: string;
  /** The instance: `aws_s3_bucket.logs[0]`, `aws_s3_bucket.logs["a"]`, or the base. */
  readonly address: string;
  /** The attribute path after the address: `['arn']`, `['point_in_time_recovery', 0, 'enabled']`. */
  readonly path: readonly (string | number)[];
  /** A splat (`[*]`) or an index not known from the configuration: any instance of `base`. */
  readonly all: boolean;
}

export interface ComputedOptions {
  readonly exact?: Ref;
  readonly known?: Value;
  readonly partial?: Readonly<Record<string, Value>>;
  /** Why it is not known: `variable`, `known after apply`, `cannot parse: …`. */
  readonly reason?: string;
}

export class Computed implements ComputedOptions {
  readonly exact?: Ref;
  readonly known?: Value;
  readonly partial?: Readonly<Record<string, Value>>;
  readonly reason?: string;

  constructor(
    readonly text: string,
    readonly refs: readonly Ref[],
    options?: ComputedOptions,
  ) {
    if (options) {
      if (options.exact !== undefined) this.exact = options.exact;
      if (options.known !== undefined) this.known = options.known;
      if (options.partial !== undefined) this.partial = options.partial;
      if (options.reason !== undefined) this.reason = options.reason;
    }
  }

  /** The options it was made with (its own fields). */
  get options(): ComputedOptions {
    return this;
  }
}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | Computed;
export type Scope = ReadonlyMap<string, Value>;

export const EMPTY_SCOPE: Scope = new Map();

/** Deepest nesting of JSON values (blocks, lists, objects) evaluated; deeper is a Computed. */
export const MAX_VALUE_DEPTH = 100;
/** Largest collection a `for` expression, `count` or `for_each` is expanded over. */
export const MAX_EXPANSION = 10_000;

/** What evaluation asks of the configuration: locals and resource attributes. */
export interface EvalContext {
  local(name: string): Value;
  resource(base: string, index: Value | '*' | undefined, path: readonly (string | number)[]): Value;
}

/** `obj[key] = value`, also for a key called `__proto__` (an own property, as JSON.parse makes it). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isComputed(v: unknown): v is Computed {
  return v instanceof Computed;
}

export function isObjectValue(v: unknown): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Computed);
}

/** The literal behind a Computed that the configuration states; the value itself otherwise. */
export function settle(v: Value): Value {
  let x = v;
  for (let i = 0; i < 8 && x instanceof Computed && x.options.known !== undefined; i++) x = x.options.known;
  return x;
}

/** A value's text as a template: literals as they are, Computed as its text. */
export function textOf(v: Value): string | undefined {
  const s = settle(v);
  if (typeof s === 'string') return s;
  if (typeof s === 'number' || typeof s === 'boolean') return String(s);
  if (s instanceof Computed) return s.text;
  return undefined;
}

function refsOf(values: readonly Value[]): Ref[] {
  const out: Ref[] = [];
  for (const v of values) if (v instanceof Computed) for (const r of v.refs) out.push(r);
  return out;
}

/** Collects the refs inside a (possibly nested) value. */
export function refsIn(v: Value, depth = 0): Ref[] {
  if (v instanceof Computed) return [...v.refs];
  if (depth > MAX_VALUE_DEPTH) return [];
  if (Array.isArray(v)) return v.flatMap((x) => refsIn(x, depth + 1));
  if (isObjectValue(v)) return Object.values(v).flatMap((x) => refsIn(x, depth + 1));
  return [];
}

export function unknown(text: string, refs: readonly Ref[] = [], reason?: string): Computed {
  return new Computed(text, refs, reason ? { reason } : {});
}

/** The canonical text of a reference: `${aws_s3_bucket.logs[0].arn}`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function refText(ref: Ref): string {
  let text = `\${${ref.all ? `${ref.base}[*]` : ref.address}`;
  for (const p of ref.path) text += typeof p === 'number' ? `[${p}]` : NAME.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return `${text}}`;
}

export function instanceAddress(base: string, key: string | number | undefined): string {
  return key === undefined ? base : `${base}[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
}

// --- Templates -------------------------------------------------------------------------------

/**
 * Templates are parsed where they are met, not cached: most texts of an input are unique (they
 * name the resource they refer to), and a cache of them would only keep parse trees alive long
 * enough for the garbage collector to copy them into the old generation.
 */
function parsed(text: string): Node | ParseError {
  try {
    return parseTemplate(text);
  } catch (e) {
    return e instanceof ParseError ? e : new ParseError(String(e));
  }
}

/** A JSON string of the configuration → its value. */
export function evalString(text: string, scope: Scope, ctx: EvalContext): Value {
  if (isPlainString(text)) return text.includes('$${') || text.includes('%%{') ? text.replace(/([$%])\1\{/g, '$1{') : text;
  const node = parsed(text);
  if (node instanceof ParseError) return unknown(text, [], `cannot parse: ${node.message}`);
  return new Evaluator(scope, ctx).eval(node);
}

/**
 * A JSON value of the configuration (strings are templates) → its value. Lists and objects
 * without a template are returned as they are (never copied).
 */
export function evalJson(raw: unknown, scope: Scope, ctx: EvalContext, depth = 0): Value {
  if (typeof raw === 'string') return evalString(raw, scope, ctx);
  if (raw === null || typeof raw === 'boolean' || typeof raw === 'number') return raw;
  if (depth > MAX_VALUE_DEPTH) return unknown('(nested too deep)', [], `nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (Array.isArray(raw)) {
    let out: Value[] | undefined;
    for (let i = 0; i < raw.length; i++) {
      const v = evalJson(raw[i], scope, ctx, depth + 1);
      if (out) out.push(v);
      else if (v !== raw[i]) {
        out = raw.slice(0, i) as Value[];
        out.push(v);
      }
    }
    return out ?? (raw as Value[]);
  }
  if (typeof raw === 'object') {
    let out: { [key: string]: Value } | undefined;
    for (const k in raw as Record<string, unknown>) {
      const x = (raw as Record<string, unknown>)[k];
      const v = evalJson(x, scope, ctx, depth + 1);
      if (out) setOwn(out, k, v);
      else if (v !== x) {
        out = {};
        for (const j in raw as Record<string, unknown>) {
          if (j === k) break;
          setOwn(out, j, (raw as Record<string, Value>)[j]);
        }
        setOwn(out, k, v);
      }
    }
    return out ?? (raw as { [key: string]: Value });
  }
  return null;
}

// --- Expressions -----------------------------------------------------------------------------

const RESERVED_ROOTS = new Set(['var', 'local', 'data', 'module', 'count', 'each', 'self', 'path', 'terraform']);

interface Traversal {
  readonly root: string;
  readonly ops: readonly (Op | { readonly splat: readonly Op[] })[];
}

function traversalOf(node: Node): Traversal | undefined {
  const ops: (Op | { splat: readonly Op[] })[] = [];
  let n: Node = node;
  for (let i = 0; i <= MAX_DEPTH; i++) {
    if (n.t === 'var') return { root: n.name, ops: ops.reverse() };
    if (n.t === 'get') ops.push({ get: n.key });
    else if (n.t === 'index') ops.push({ index: n.key });
    else if (n.t === 'splat') ops.push({ splat: n.each });
    else return undefined;
    n = n.obj;
  }
  return undefined;
}

class Evaluator {
  private depth = 0;

  constructor(
    private readonly scope: Scope,
    private readonly ctx: EvalContext,
  ) {}

  private with(name: string, value: Value, more?: [string, Value]): Evaluator {
    const scope = new Map(this.scope);
    scope.set(name, value);
    if (more) scope.set(more[0], more[1]);
    const e = new Evaluator(scope, this.ctx);
    e.depth = this.depth;
    return e;
  }

  eval(node: Node): Value {
    if (++this.depth > MAX_DEPTH * 2) {
      this.depth--;
      return unknown(`\${${node.src}}`, [], 'nested too deep');
    }
    try {
      return this.evalNode(node);
    } finally {
      this.depth--;
    }
  }

  private opaque(node: Node, refs: readonly Ref[], reason?: string): Computed {
    return new Computed(`\${${node.src}}`, refs, reason ? { reason } : {});
  }

  private evalNode(node: Node): Value {
    switch (node.t) {
      case 'lit': return node.v;
      case 'paren': return this.eval(node.e);
      case 'tpl': return this.template(node);
      case 'var':
      case 'get':
      case 'index':
      case 'splat': return this.traversal(node);
      case 'tuple': return node.items.map((i) => this.eval(i));
      case 'object': {
        const out: { [key: string]: Value } = {};
        const refs: Ref[] = [];
        let unknownKey = false;
        for (const { key, value } of node.items) {
          const k = settle(this.eval(key));
          const v = this.eval(value);
          if (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') out[String(k)] = v;
          else {
            unknownKey = true;
            refs.push(...refsIn(v), ...(k instanceof Computed ? k.refs : []));
          }
        }
        return unknownKey ? new Computed(`\${${node.src}}`, [...refs, ...refsIn(out)], { partial: out }) : out;
      }
      case 'cond': {
        const c = settle(this.eval(node.c));
        if (c === true || c === 'true') return this.eval(node.a);
        if (c === false || c === 'false') return this.eval(node.b);
        const a = this.eval(node.a);
        const b = this.eval(node.b);
        if (!(a instanceof Computed) && !(b instanceof Computed) && sameValue(a, b)) return a;
        return this.opaque(node, [...(c instanceof Computed ? c.refs : []), ...refsIn(a), ...refsIn(b)]);
      }
      case 'un': {
        const v = settle(this.eval(node.e));
        if (node.op === '!' && typeof v === 'boolean') return !v;
        if (node.op === '-' && typeof v === 'number') return -v;
        return this.opaque(node, refsIn(v));
      }
      case 'bin': return this.binary(node);
      case 'call': return this.call(node);
      case 'for': return this.forExpr(node);
    }
  }

  private template(node: Extract<Node, { t: 'tpl' }>): Value {
    if (node.directive) return this.opaque({ ...node, src: node.src }, refsIn(node.parts.filter((p): p is Node => typeof p !== 'string').map((p) => this.eval(p))), 'template directive');
    if (node.parts.length === 1 && typeof node.parts[0] !== 'string') return this.eval(node.parts[0]);
    let text = '';
    let allKnown = true;
    const refs: Ref[] = [];
    for (const part of node.parts) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      const v = settle(this.eval(part));
      if (typeof v === 'string') text += v;
      else if (typeof v === 'number' || typeof v === 'boolean') text += String(v);
      else if (v instanceof Computed) {
        allKnown = false;
        text += v.exact ? refText(v.exact) : v.text;
        refs.push(...v.refs);
      } else {
        // null, lists and objects cannot be interpolated: Terraform rejects the configuration.
        allKnown = false;
        text += `\${${part.src}}`;
      }
    }
    return allKnown ? text : new Computed(text, refs);
  }

  private binary(node: Extract<Node, { t: 'bin' }>): Value {
    const l = settle(this.eval(node.l));
    if (node.op === '&&' && l === false) return false;
    if (node.op === '||' && l === true) return true;
    const r = settle(this.eval(node.r));
    if (l instanceof Computed || r instanceof Computed) {
      if (node.op === '&&' && r === false) return false;
      if (node.op === '||' && r === true) return true;
      return this.opaque(node, [...refsIn(l), ...refsIn(r)]);
    }
    switch (node.op) {
      case '==': return sameValue(l, r);
      case '!=': return !sameValue(l, r);
      case '&&': if (typeof l === 'boolean' && typeof r === 'boolean') return l && r; break;
      case '||': if (typeof l === 'boolean' && typeof r === 'boolean') return l || r; break;
      default: {
        const a = toNumber(l);
        const b = toNumber(r);
        if (a === undefined || b === undefined) break;
        switch (node.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': return b === 0 ? this.opaque(node, []) : a / b;
          case '%': return b === 0 ? this.opaque(node, []) : a % b;
          case '<': return a < b;
          case '>': return a > b;
          case '<=': return a <= b;
          case '>=': return a >= b;
        }
      }
    }
    return this.opaque(node, [], 'invalid operands');
  }

  private traversal(node: Node): Value {
    const tr = traversalOf(node);
    if (!tr) {
      // `(expr).a`, `func()[0]`: evaluate the object, then apply the operations.
      if (node.t === 'get') return this.apply(this.eval(node.obj), [{ get: node.key }], node);
      if (node.t === 'index') return this.apply(this.eval(node.obj), [{ index: node.key }], node);
      if (node.t === 'splat') return this.splatValue(this.eval(node.obj), node.each, node);
      return this.opaque(node, []);
    }
    const { root, ops } = tr;
    if (this.scope.has(root)) return this.applyAll(this.scope.get(root)!, ops, node);
    if (root === 'var') return this.opaque(node, [], 'variable');
    if (root === 'known_after_apply') return this.opaque(node, [], 'known only after apply');
    if (root === 'local') {
      const first = ops[0];
      if (!first || !('get' in first)) return this.opaque(node, []);
      return this.applyAll(this.ctx.local(first.get), ops.slice(1), node);
    }
    if (root === 'module') {
      const first = ops[0];
      const base = first && 'get' in first ? `module.${first.get}` : 'module';
      return this.opaque(node, [{ base, address: base, path: [], all: true }], 'module output');
    }
    if (RESERVED_ROOTS.has(root) && root !== 'data') return this.opaque(node, [], `${root} is not known here`);
    return this.resourceReference(node, root, ops);
  }

  /** `aws_x.n[0].attr`, `data.t.n.attr` → the context's value for that resource attribute. */
  private resourceReference(node: Node, root: string, ops: Traversal['ops']): Value {
    let rest = ops;
    let base: string;
    if (root === 'data') {
      const [t, n] = ops;
      if (!t || !n || !('get' in t) || !('get' in n)) return this.opaque(node, []);
      base = `data.${t.get}.${n.get}`;
      rest = ops.slice(2);
    } else {
      const n = ops[0];
      if (!n || !('get' in n)) return this.opaque(node, [], `${root} is not known here`);
      base = `${root}.${n.get}`;
      rest = ops.slice(1);
    }
    let index: Value | '*' | undefined;
    const first = rest[0];
    if (first && 'index' in first) {
      index = settle(this.eval(first.index));
      rest = rest.slice(1);
    } else if (first && 'splat' in first) {
      index = '*';
      rest = first.splat;
    }
    const path: (string | number)[] = [];
    for (const op of rest) {
      if ('get' in op) path.push(op.get);
      else if ('index' in op) {
        const k = settle(this.eval(op.index));
        if (typeof k === 'string' || typeof k === 'number') path.push(k);
        else return this.opaque(node, [{ base, address: base, path: [], all: true }]);
      } else return this.opaque(node, [{ base, address: base, path: [], all: true }]);
    }
    return this.ctx.resource(base, index, path);
  }

  private applyAll(value: Value, ops: Traversal['ops'], node: Node): Value {
    let v = value;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if ('splat' in op) return this.splatValue(v, [...op.splat, ...(ops.slice(i + 1) as Op[])], node);
      v = this.apply(v, [op], node);
    }
    return v;
  }

  private apply(value: Value, ops: readonly Op[], node: Node): Value {
    let v = value;
    for (const op of ops) {
      const s = settle(v);
      if (s instanceof Computed) {
        if ('get' in op && s.options.partial && op.get in s.options.partial) {
          v = s.options.partial[op.get];
          continue;
        }
        return new Computed(`\${${node.src}}`, s.refs, s.options.reason ? { reason: s.options.reason } : {});
      }
      const key = 'get' in op ? op.get : settle(this.eval(op.index));
      if (key instanceof Computed) return new Computed(`\${${node.src}}`, [...key.refs, ...refsIn(s)]);
      if (Array.isArray(s) && typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < s.length) v = s[key];
      else if (Array.isArray(s) && typeof key === 'string' && /^\d+$/.test(key) && Number(key) < s.length) v = s[Number(key)];
      else if (isObjectValue(s) && (typeof key === 'string' || typeof key === 'number') && Object.prototype.hasOwnProperty.call(s, String(key))) v = s[String(key)];
      else return this.opaque(node, refsIn(s), 'no such attribute or element');
    }
    return v;
  }

  private splatValue(value: Value, each: readonly Op[], node: Node): Value {
    const s = settle(value);
    if (s instanceof Computed) return new Computed(`\${${node.src}}`, s.refs);
    const list = s === null ? [] : Array.isArray(s) ? s : [s];
    return list.map((x) => this.apply(x, each, node));
  }

  private forExpr(node: Extract<Node, { t: 'for' }>): Value {
    const coll = settle(this.eval(node.coll));
    if (coll instanceof Computed) return this.opaque(node, coll.refs);
    const entries: [Value, Value][] = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : isObjectValue(coll) ? Object.entries(coll) : [];
    if (entries.length > MAX_EXPANSION) return this.opaque(node, [], 'collection too large');
    const tuple: Value[] = [];
    const object: { [key: string]: Value } = {};
    const refs: Ref[] = [];
    let unknownKeys = false;
    for (const [k, v] of entries) {
      const e = node.keyVar ? this.with(node.keyVar, k, [node.valueVar, v]) : this.with(node.valueVar, v);
      if (node.cond) {
        const c = settle(e.eval(node.cond));
        if (c === false) continue;
        if (c !== true) return this.opaque(node, refsIn(c));
      }
      const value = e.eval(node.valueExpr);
      if (node.kind === 'tuple') tuple.push(value);
      else {
        const key = settle(e.eval(node.keyExpr!));
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
          unknownKeys = true;
          refs.push(...refsIn(key), ...refsIn(value));
          continue;
        }
        const name = String(key);
        if (node.group) object[name] = [...((object[name] as Value[] | undefined) ?? []), value];
        else object[name] = value;
      }
    }
    if (node.kind === 'tuple') return tuple;
    return unknownKeys ? new Computed(`\${${node.src}}`, refs, { partial: object }) : object;
  }

  private call(node: Extract<Node, { t: 'call' }>): Value {
    const fn = FUNCTIONS[node.name];
    let args = node.args.map((a) => this.eval(a));
    if (node.expand && args.length > 0) {
      const last = settle(args[args.length - 1]);
      if (!Array.isArray(last)) return this.opaque(node, refsOf(args));
      args = [...args.slice(0, -1), ...last];
    }
    if (!fn) return this.opaque(node, refsIn(args), `${node.name}() is not evaluated`);
    try {
      const result = fn(args, node);
      return result === undefined ? this.opaque(node, refsIn(args)) : result;
    } catch {
      return this.opaque(node, refsIn(args), `${node.name}() failed`);
    }
  }
}

// --- Functions ---------------------------------------------------------------------------------

function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

export function sameValue(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_VALUE_DEPTH || a instanceof Computed || b instanceof Computed) return false;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  if (isObjectValue(a) && isObjectValue(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k], b[k], depth + 1));
  }
  return false;
}

/** Whether a value holds no Computed anywhere (after settling references to literals). */
function deepKnown(v: Value, depth = 0): boolean {
  const s = settle(v);
  if (s instanceof Computed) return false;
  if (depth > MAX_VALUE_DEPTH) return false;
  if (Array.isArray(s)) return s.every((x) => deepKnown(x, depth + 1));
  if (isObjectValue(s)) return Object.values(s).every((x) => deepKnown(x, depth + 1));
  return true;
}

/** Values → plain JSON, with every Computed written as its text (a `${...}` string). */
export function toJsonWithTemplates(v: Value, depth = 0): unknown {
  const s = settle(v);
  if (s instanceof Computed) return s.text;
  if (depth > MAX_VALUE_DEPTH) return '${(nested too deep)}';
  if (Array.isArray(s)) return s.map((x) => toJsonWithTemplates(x, depth + 1));
  if (isObjectValue(s)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(s)) out[k] = toJsonWithTemplates(x, depth + 1);
    return out;
  }
  return s;
}

function fromJson(x: unknown, depth = 0): Value {
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (depth > MAX_VALUE_DEPTH) return unknown('(nested too deep)', [], 'nested too deep');
  if (Array.isArray(x)) return x.map((e) => fromJson(e, depth + 1));
  if (typeof x === 'object') {
    const out: { [key: string]: Value } = {};
    for (const [k, e] of Object.entries(x as Record<string, unknown>)) out[k] = fromJson(e, depth + 1);
    return out;
  }
  return null;
}

type Fn = (args: Value[], node: Extract<Node, { t: 'call' }>) => Value | undefined;

const known = (args: Value[]): Value[] | undefined => {
  const out = args.map(settle);
  return out.every((a) => deepKnown(a)) ? out : undefined;
};
const str = (v: Value): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const list = (v: Value): Value[] | undefined => (Array.isArray(v) ? v : undefined);

function stringFn(f: (...s: string[]) => Value): Fn {
  return (args) => {
    const k = known(args);
    if (!k) return undefined;
    const s = k.map(str);
    return s.every((x): x is string => x !== undefined) ? f(...s) : undefined;
  };
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: (args) => {
    if (args.length !== 1) return undefined;
    if (settle(args[0]) instanceof Computed) return undefined;
    const json = JSON.stringify(toJsonWithTemplates(args[0]));
    if (deepKnown(args[0])) return json;
    // The encoding with every unknown part as its `${...}` text: a policy stays readable statement by statement.
    return new Computed(json, refsIn(args[0]));
  },
  jsondecode: (args) => {
    const [s] = args.map(settle);
    if (typeof s !== 'string') return undefined;
    return fromJson(JSON.parse(s));
  },
  tostring: (args) => {
    const v = args[0];
    if (v instanceof Computed) return v;
    const s = str(settle(v));
    return s === undefined && settle(v) !== null ? undefined : (s ?? null);
  },
  tonumber: (args) => {
    const v = settle(args[0]);
    if (v === null) return null;
    return toNumber(v);
  },
  tobool: (args) => {
    const v = settle(args[0]);
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    return v === null ? null : undefined;
  },
  tolist: (args) => list(settle(args[0])),
  toset: (args) => {
    const l = list(settle(args[0]));
    if (!l) return undefined;
    if (!l.every((x) => deepKnown(x))) return l;
    const out: Value[] = [];
    for (const x of l) if (!out.some((y) => sameValue(x, y))) out.push(x);
    return out;
  },
  tomap: (args) => (isObjectValue(settle(args[0])) ? settle(args[0]) : undefined),
  concat: (args) => {
    const lists = args.map(settle);
    return lists.every(Array.isArray) ? (lists as Value[][]).flat() : undefined;
  },
  merge: (args) => {
    const out: { [key: string]: Value } = {};
    let unknownBefore = false;
    const refs: Ref[] = [];
    for (const a of args.map(settle)) {
      if (a === null) continue;
      if (a instanceof Computed) {
        unknownBefore = true;
        refs.push(...a.refs);
        // Keys known in an earlier partial object may be overridden by this unknown one.
        for (const k of Object.keys(out)) delete out[k];
        if (a.options.partial) Object.assign(out, a.options.partial);
        continue;
      }
      if (!isObjectValue(a)) return undefined;
      Object.assign(out, a);
    }
    if (!unknownBefore) return out;
    return new Computed('${merge(...)}', [...refs, ...refsIn(out)], { partial: out });
  },
  lower: stringFn((s) => s.toLowerCase()),
  upper: stringFn((s) => s.toUpperCase()),
  trimspace: stringFn((s) => s.trim()),
  join: (args) => {
    const k = known(args);
    if (!k || k.length < 2) return undefined;
    const sep = str(k[0]);
    const items = k.slice(1).flatMap((l) => (Array.isArray(l) ? l : [])).map(str);
    return sep !== undefined && items.every((x): x is string => x !== undefined) ? items.join(sep) : undefined;
  },
  split: stringFn((sep, s) => s.split(sep)),
  length: (args) => {
    const v = settle(args[0]);
    if (Array.isArray(v)) return v.length;
    if (typeof v === 'string') return [...v].length;
    if (isObjectValue(v)) return Object.keys(v).length;
    return undefined;
  },
  lookup: (args) => {
    const m = settle(args[0]);
    const k = str(settle(args[1]));
    if (isObjectValue(m) && k !== undefined) return k in m ? m[k] : args.length > 2 ? args[2] : undefined;
    if (m instanceof Computed && m.options.partial && k !== undefined && k in m.options.partial) return m.options.partial[k];
    return undefined;
  },
  element: (args) => {
    const l = list(settle(args[0]));
    const i = toNumber(settle(args[1]));
    return l && l.length > 0 && i !== undefined ? l[((Math.floor(i) % l.length) + l.length) % l.length] : undefined;
  },
  coalesce: (args) => {
    for (const a of args) {
      const s = settle(a);
      if (s instanceof Computed) return undefined;
      if (s !== null && s !== '') return a;
    }
    return undefined;
  },
  compact: (args) => {
    const l = list(settle(args[0]));
    return l && l.every((x) => !(settle(x) instanceof Computed)) ? l.filter((x) => settle(x) !== null && settle(x) !== '') : undefined;
  },
  flatten: (args) => {
    const flat = (v: Value, depth: number): Value[] | undefined => {
      const s = settle(v);
      if (!Array.isArray(s)) return [v];
      if (depth > MAX_VALUE_DEPTH) return undefined;
      const out: Value[] = [];
      for (const x of s) {
        if (settle(x) instanceof Computed) return undefined;
        const f = flat(x, depth + 1);
        if (!f) return undefined;
        out.push(...f);
      }
      return out;
    };
    return Array.isArray(settle(args[0])) ? flat(args[0], 0) : undefined;
  },
  distinct: (args) => FUNCTIONS.toset(args, undefined as never),
  keys: (args) => (isObjectValue(settle(args[0])) ? Object.keys(settle(args[0]) as object) : undefined),
  values: (args) => (isObjectValue(settle(args[0])) ? Object.values(settle(args[0]) as { [key: string]: Value }) : undefined),
  contains: (args) => {
    const k = known(args);
    const l = k && list(k[0]);
    return l ? l.some((x) => sameValue(x, k[1])) : undefined;
  },
  one: (args) => {
    const l = list(settle(args[0]));
    if (!l || l.length > 1) return undefined;
    return l.length === 0 ? null : l[0];
  },
  try: (args) => {
    for (const a of args) {
      if (a instanceof Computed && !a.exact && a.options.reason === 'no such attribute or element') continue;
      return a;
    }
    return undefined;
  },
  format: (args) => {
    const k = known(args);
    if (!k) return undefined;
    const f = str(k[0]);
    if (f === undefined) return undefined;
    let i = 1;
    let bad = false;
    const out = f.replace(/%(%|[sdv])/g, (_m, c: string) => {
      if (c === '%') return '%';
      const v = str(k[i++]);
      if (v === undefined) bad = true;
      return v ?? '';
    });
    return bad || /%[^%sdv]/.test(f) ? undefined : out;
  },
  replace: (args) => {
    const k = known(args);
    if (!k) return undefined;
    const [s, a, b] = k.map(str);
    if (s === undefined || a === undefined || b === undefined || (a.startsWith('/') && a.endsWith('/') && a.length > 1)) return undefined;
    return a === '' ? s : s.split(a).join(b);
  },
  zipmap: (args) => {
    const [k, v] = args.map(settle);
    if (!Array.isArray(k) || !Array.isArray(v) || k.length !== v.length) return undefined;
    const ks = k.map((x) => str(settle(x)));
    if (!ks.every((x): x is string => x !== undefined)) return undefined;
    return Object.fromEntries(ks.map((x, i) => [x, v[i]]));
  },
};
