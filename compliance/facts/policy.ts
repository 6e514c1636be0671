/**
 * IAM-style policy documents (JSON or `data.aws_iam_policy_document` blocks) → normalized
 * statements. Shared by key, vault, bucket and role facts, at synth and live.
 */
import type { KeyPolicyStatement, PolicyStatement } from './types';
import { blocks, isObject, Json, str, strings } from './terraform-json';

function asList(x: unknown): string[] {
  return strings(x);
}

/** `"*"` → `*`; `{ AWS: "*" }` → `AWS:*`; `{ Service: ["a", "b"] }` → `Service:a`, `Service:b`. */
export function flattenPrincipals(principal: unknown): string[] {
  if (principal === undefined || principal === null) return [];
  if (typeof principal === 'string') return [principal === '*' ? '*' : `AWS:${principal}`];
  if (!isObject(principal)) return [];
  return Object.entries(principal).flatMap(([type, ids]) => asList(ids).map((id) => `${type}:${id}`));
}

type Condition = Record<string, Record<string, unknown>>;

function conditionKeys(condition: Condition | undefined): string[] {
  return condition ? Object.values(condition).flatMap((byKey) => Object.keys(byKey)) : [];
}

/** One statement of a JSON policy document. */
export function statementFromJson(s: Json): PolicyStatement {
  const condition = isObject(s.Condition) ? (s.Condition as Condition) : undefined;
  const notActions = asList(s.NotAction);
  const notResources = asList(s.NotResource);
  return {
    ...(typeof s.Sid === 'string' && s.Sid !== '' ? { sid: s.Sid } : {}),
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    principals: flattenPrincipals(s.Principal),
    actions: asList(s.Action),
    ...(notActions.length ? { notActions } : {}),
    resources: asList(s.Resource),
    ...(notResources.length ? { notResources } : {}),
    conditionKeys: conditionKeys(condition),
    ...(condition ? { condition } : {}),
  };
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
  return blocks(parsed.Statement).map(statementFromJson);
}

/** The statements of a `data.aws_iam_policy_document` block (principals/condition blocks). */
export function statementsFromPolicyDocument(body: Json): PolicyStatement[] {
  return blocks(body.statement).map((s) => {
    const principals = blocks(s.principals).flatMap((p) => {
      const type = str(p.type) ?? 'AWS';
      return strings(p.identifiers).map((id) => (type === '*' && id === '*' ? '*' : `${type}:${id}`));
    });
    const condition: Condition = {};
    for (const c of blocks(s.condition)) {
      const test = str(c.test);
      const variable = str(c.variable);
      if (!test || !variable) continue;
      condition[test] = { ...(condition[test] ?? {}), [variable]: strings(c.values) };
    }
    const hasCondition = Object.keys(condition).length > 0;
    const notActions = strings(s.not_actions);
    const notResources = strings(s.not_resources);
    return {
      ...(str(s.sid) ? { sid: str(s.sid) } : {}),
      effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
      principals,
      actions: strings(s.actions),
      ...(notActions.length ? { notActions } : {}),
      resources: strings(s.resources),
      ...(notResources.length ? { notResources } : {}),
      conditionKeys: conditionKeys(hasCondition ? condition : undefined),
      ...(hasCondition ? { condition } : {}),
    } satisfies PolicyStatement;
  });
}

export function toKeyPolicyStatement(s: PolicyStatement): KeyPolicyStatement {
  return {
    ...(s.sid ? { sid: s.sid } : {}),
    effect: s.effect,
    principals: s.principals,
    actions: s.actions,
    ...(s.notActions ? { notActions: s.notActions } : {}),
    resources: s.resources,
    hasCondition: s.conditionKeys.length > 0,
    conditionKeys: s.conditionKeys,
  };
}

/** Whether the statements deny every request without TLS (`aws:SecureTransport` = false). */
export function deniesInsecureTransport(statements: readonly PolicyStatement[]): boolean {
  return statements.some((s) => {
    if (s.effect !== 'Deny' || !s.principals.some((p) => p === '*' || p === 'AWS:*')) return false;
    if (!s.actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')) return false;
    const bool = s.condition?.Bool ?? s.condition?.bool;
    const value = bool?.['aws:SecureTransport'];
    return strings(Array.isArray(value) ? value : [value]).some((v) => v.toLowerCase() === 'false');
  });
}
