/**
 * IAM-style policy documents (JSON text, `jsonencode({...})`, `data.aws_iam_policy_document`
 * blocks) → normalized statements. Shared by key, vault, bucket and role facts, at synth and live.
 *
 * Parsing never throws. A document AWS would reject (`"Condition": {"Bool": null}`, an Effect
 * that is neither Allow nor Deny) is *malformed*, with the first problem in words; a document or
 * a statement field whose value is not known from the configuration (`${var.principal}`) is
 * *unknown*, with the expression; rules judge both unknown, never compliant.
 */
import type { KeyPolicyStatement, PolicyStatement } from './types';
import { isObject, Json, str, strings } from './terraform-json';
import { isPlainString, Node, parseTemplate } from './hcl';

type Condition = Record<string, Record<string, unknown>>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface ParsedPolicy {
  readonly statements: readonly PolicyStatement[];
  /** Why AWS would reject the document; statements are then not to be judged. @default none */
  readonly malformed?: string;
  /** The document as written when it is not known (`var.policy`); statements are empty. @default none */
  readonly unknown?: string;
}

/** How a string of a policy reads: a literal, a reference to a resource (an ARN, an id), a template with literal parts, or unknown. */
export type LeafKind = 'literal' | 'reference' | 'partial' | 'unknown';

const TEMPLATE_KINDS = new Map<string, LeafKind>();

/**
 * `arn:aws:s3:::logs` → literal; `${aws_s3_bucket.logs.arn}` → reference; `arn:aws:iam::${var.a}:root`
 * → partial; `${var.principal}` → unknown. IAM policy variables (`${aws:username}`) are literal.
 */
export function leafKind(text: string): LeafKind {
  if (isPlainString(text)) return 'literal';
  let kind = TEMPLATE_KINDS.get(text);
  if (kind) return kind;
  kind = classify(text);
  if (TEMPLATE_KINDS.size > 20_000) TEMPLATE_KINDS.clear();
  TEMPLATE_KINDS.set(text, kind);
  return kind;
}

function classify(text: string): LeafKind {
  let node: Node;
  try {
    node = parseTemplate(text);
  } catch {
    // parseTemplate throws ParseError only: text Terraform cannot parse is no expression.
    return 'literal';
  }
  if (node.t !== 'tpl') return 'unknown';
  if (node.directive) return 'unknown';
  const exprs = node.parts.filter((p): p is Node => typeof p !== 'string');
  if (exprs.length === 0) return 'literal';
  if (exprs.length < node.parts.length) return 'partial';
  if (exprs.length === 1 && isResourceTraversal(exprs[0])) return 'reference';
  return 'unknown';
}

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'self', 'path', 'terraform', 'module', 'known_after_apply']);

function isResourceTraversal(n: Node): boolean {
  let x = n;
  let steps = 0;
  while (x.t === 'get' || x.t === 'index' || x.t === 'splat') {
    x = x.obj;
    steps++;
  }
  return x.t === 'var' && !NOT_RESOURCES.has(x.name) && steps >= 2;
}

function conditionKeys(condition: Condition | undefined): string[] {
  return condition ? Object.values(condition).flatMap((byKey) => (isObject(byKey) ? Object.keys(byKey) : [])) : [];
}

class StatementReader {
  readonly problems: string[] = [];
  readonly unknown = new Set<string>();

  constructor(private readonly where: string) {}

  problem(text: string): void {
    this.problems.push(`${this.where}.${text}`);
  }

  /** A string or list of strings (Action, Resource, …). */
  list(s: Json, key: string, field: string, partialIsUnknown: boolean): string[] {
    const x = s[key];
    if (x === undefined) return [];
    const items = Array.isArray(x) ? x : [x];
    const out: string[] = [];
    for (const item of items) {
      if (typeof item !== 'string') {
        this.problem(`${key} holds ${describe(item)}, not a string`);
        continue;
      }
      const kind = leafKind(item);
      if (kind === 'unknown' || (kind === 'partial' && partialIsUnknown)) this.unknown.add(field);
      out.push(item);
    }
    return out;
  }

  principals(s: Json, key: string, field: string): string[] {
    const x = s[key];
    if (x === undefined) return [];
    if (typeof x === 'string') {
      const kind = leafKind(x);
      if (kind === 'unknown') this.unknown.add(field);
      if (x !== '*' && kind === 'literal') this.problem(`${key} ${JSON.stringify(x)} must be "*" or an object such as {"AWS": …}`);
      return [x === '*' ? '*' : `AWS:${x}`];
    }
    if (!isObject(x)) {
      this.problem(`${key} is ${describe(x)}, not "*" or an object`);
      return [];
    }
    const out: string[] = [];
    for (const [type, ids] of Object.entries(x)) {
      for (const id of Array.isArray(ids) ? ids : [ids]) {
        if (typeof id !== 'string') {
          this.problem(`${key}.${type} holds ${describe(id)}, not a string`);
          continue;
        }
        if (leafKind(id) === 'unknown') this.unknown.add(field);
        out.push(`${type}:${id}`);
      }
    }
    return out;
  }

  condition(s: Json): Condition | undefined {
    const c = s.Condition;
    if (c === undefined) return undefined;
    if (typeof c === 'string' && leafKind(c) !== 'literal') {
      this.unknown.add('condition');
      return { '(unknown)': { [c]: c } };
    }
    if (!isObject(c)) {
      this.problem(`Condition is ${describe(c)}, not an object`);
      return undefined;
    }
    const out: Condition = {};
    for (const [op, byKey] of Object.entries(c)) {
      if (!isObject(byKey)) {
        this.problem(`Condition.${op} is ${describe(byKey)}, not an object of condition keys`);
        continue;
      }
      for (const [k, v] of Object.entries(byKey)) {
        const values = Array.isArray(v) ? v : [v];
        for (const value of values) {
          if (typeof value === 'object') this.problem(`Condition.${op}.${k} holds ${describe(value)}, not a string`);
          else if (typeof value === 'string' && leafKind(value) !== 'literal') this.unknown.add('condition');
        }
        if (leafKind(k) !== 'literal') this.unknown.add('condition');
      }
      out[op] = byKey;
    }
    return out;
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 37)}...` : x);
  return `${typeof x} ${String(x)}`;
}

function readStatement(s: unknown, where: string): { statement?: PolicyStatement; problems: string[] } {
  if (!isObject(s)) return { problems: [`${where} is ${describe(s)}, not an object`] };
  const r = new StatementReader(where);
  let effect: 'Allow' | 'Deny' = 'Allow';
  if (s.Effect === 'Allow' || s.Effect === 'Deny') effect = s.Effect;
  else if (typeof s.Effect === 'string' && leafKind(s.Effect) !== 'literal') r.unknown.add('effect');
  else r.problem(`Effect ${s.Effect === undefined ? 'is missing' : `${describe(s.Effect)} is not "Allow" or "Deny"`}`);
  const principals = r.principals(s, 'Principal', 'principals');
  const notPrincipals = r.principals(s, 'NotPrincipal', 'notPrincipals');
  const actions = r.list(s, 'Action', 'actions', true);
  const notActions = r.list(s, 'NotAction', 'notActions', true);
  const resources = r.list(s, 'Resource', 'resources', false);
  const notResources = r.list(s, 'NotResource', 'notResources', false);
  if (s.Action === undefined && s.NotAction === undefined) r.problem('Action is missing (and no NotAction)');
  const condition = r.condition(s);
  const keys = conditionKeys(condition);
  // Assigned field by field (no spreads): policies are read by the thousand.
  const statement: Mutable<PolicyStatement> = { effect, principals, actions, resources, conditionKeys: keys };
  if (typeof s.Sid === 'string' && s.Sid !== '') statement.sid = s.Sid;
  if (notActions.length) statement.notActions = notActions;
  if (notResources.length) statement.notResources = notResources;
  if (keys.length) statement.condition = condition; // keys come from a condition
  if (notPrincipals.length) statement.notPrincipals = notPrincipals;
  if (r.unknown.size) statement.unknown = [...r.unknown];
  return { statement, problems: r.problems };
}

/** A parsed JSON policy document (object) → statements, or the first reason it is malformed. */
export function policyFromDocument(doc: unknown): ParsedPolicy {
  if (typeof doc === 'string' && leafKind(doc) === 'unknown') return { statements: [], unknown: doc.replace(/^\$\{([\s\S]*)\}$/, '$1') };
  if (isObject(doc) && typeof doc.Statement === 'string' && leafKind(doc.Statement) === 'unknown') return { statements: [], unknown: `Statement = ${doc.Statement.replace(/^\$\{([\s\S]*)\}$/, '$1')}` };
  if (!isObject(doc)) return { statements: [], malformed: `the policy is ${describe(doc)}, not a JSON object` };
  if (doc.Statement === undefined) return { statements: [], malformed: 'the policy has no Statement' };
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const statements: PolicyStatement[] = [];
  const problems: string[] = [];
  const unknownStatement = list.find((s) => typeof s === 'string' && leafKind(s) === 'unknown') as string | undefined;
  if (unknownStatement) return { statements: [], unknown: `a statement = ${unknownStatement.replace(/^\$\{([\s\S]*)\}$/, '$1')}` };
  list.forEach((s, i) => {
    const r = readStatement(s, Array.isArray(doc.Statement) ? `Statement[${i}]` : 'Statement');
    if (r.statement) statements.push(r.statement);
    problems.push(...r.problems);
  });
  return problems.length ? { statements, malformed: problems.length > 1 ? `${problems[0]} (and ${problems.length - 1} more problem(s))` : problems[0] } : { statements };
}

/** JSON policy text → statements; malformed when it is not JSON or not a policy. */
export function policyFromText(text: string): ParsedPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { statements: [], malformed: `the policy is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 80)})` };
  }
  return policyFromDocument(doc);
}

/** One statement of a JSON policy document. Lenient: what cannot be read is left out. */
export function statementFromJson(s: Json): PolicyStatement {
  const r = readStatement(s, 'Statement');
  return r.statement ?? { effect: 'Allow', principals: [], actions: [], resources: [], conditionKeys: [] };
}

/** The statements of a JSON policy document (string or parsed), or undefined when it is not one. */
export function statementsFromJson(doc: unknown): PolicyStatement[] | undefined {
  let parsed = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!isObject(parsed)) return undefined;
  const list = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return list.filter(isObject).map(statementFromJson);
}

/** Statements of a `data.aws_iam_policy_document`, already turned into plain JSON-like statements. */
export interface DocumentStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly string[];
  readonly notPrincipals: readonly string[];
  readonly condition: Condition;
  readonly unknown: readonly string[];
}

export function statementFromDocument(d: DocumentStatement): PolicyStatement {
  const keys = conditionKeys(d.condition);
  return {
    ...(d.sid ? { sid: d.sid } : {}),
    effect: d.effect === 'Deny' ? 'Deny' : 'Allow',
    principals: d.principals,
    actions: d.actions,
    ...(d.notActions.length ? { notActions: d.notActions } : {}),
    resources: d.resources,
    ...(d.notResources.length ? { notResources: d.notResources } : {}),
    conditionKeys: keys,
    ...(keys.length ? { condition: d.condition } : {}),
    ...(d.notPrincipals.length ? { notPrincipals: d.notPrincipals } : {}),
    ...(d.unknown.length ? { unknown: d.unknown } : {}),
  };
}

export function toKeyPolicyStatement(s: PolicyStatement): KeyPolicyStatement {
  const k: Mutable<KeyPolicyStatement> = { effect: s.effect, principals: s.principals, actions: s.actions, resources: s.resources, hasCondition: s.conditionKeys.length > 0, conditionKeys: s.conditionKeys };
  if (s.sid) k.sid = s.sid;
  if (s.notActions) k.notActions = s.notActions;
  if (s.notPrincipals) k.notPrincipals = s.notPrincipals;
  if (s.unknown) k.unknown = s.unknown;
  return k;
}

const ANY_PRINCIPAL = (p: string) => p === '*' || p === 'AWS:*';

/**
 * Whether the statements deny every request without TLS (`aws:SecureTransport` = false):
 * true, false, or 'unknown' when a statement that could be that Deny has an unknown part.
 */
export function tlsDenial(statements: readonly PolicyStatement[]): boolean | 'unknown' {
  let unknown = false;
  for (const s of statements) {
    const u = new Set(s.unknown ?? []);
    if (s.effect !== 'Deny' && !u.has('effect')) continue;
    const everyone = s.principals.some(ANY_PRINCIPAL) || (s.notPrincipals?.length ?? 0) > 0;
    if (!everyone && !u.has('principals')) continue;
    if (!s.actions.some((a) => a === '*' || a.toLowerCase() === 's3:*') && !u.has('actions')) continue;
    const bool = s.condition?.Bool ?? s.condition?.bool;
    const value = isObject(bool) ? bool['aws:SecureTransport'] : undefined;
    const values = strings(Array.isArray(value) ? value : [value]);
    const denies = values.some((v) => v.toLowerCase() === 'false');
    if (denies && u.size === 0) return true;
    if (denies || u.has('condition')) unknown = true;
  }
  return unknown ? 'unknown' : false;
}

/** Whether the statements deny every request without TLS (`aws:SecureTransport` = false). */
export function deniesInsecureTransport(statements: readonly PolicyStatement[]): boolean {
  return tlsDenial(statements) === true;
}

export { str };
