/**
 * Just enough IAM policy evaluation for a vault access policy to guard DeleteRecoveryPoint (and
 * friends). Simplification: the sandbox does not map access keys to IAM identities, so every
 * caller is the account root (`arn:aws:iam::<account>:root`). A Deny statement applies when its
 * Action, Resource and Principal match that caller and all its conditions hold; conditions on
 * `aws:PrincipalArn`/`aws:PrincipalAccount`/`aws:userid` are evaluated against the root, and a
 * statement with any other condition key is treated as not applying. Allows are not needed: the
 * caller owns the vault.
 */
import { globMatch as wildcard } from '../../core/glob';
export interface Caller {
  readonly accountId: string;
  readonly principalArn: string;
}

export const rootCaller = (accountId: string): Caller => ({ accountId, principalArn: `arn:aws:iam::${accountId}:root` });

type Statement = Record<string, unknown>;

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);


function principalMatches(principal: unknown, caller: Caller): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    const aws = list((principal as Record<string, unknown>).AWS);
    return aws.some((p) => p === '*' || p === caller.accountId || p === caller.principalArn);
  }
  return false;
}

function contextValue(key: string, caller: Caller): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:principalarn':
      return caller.principalArn;
    case 'aws:principalaccount':
      return caller.accountId;
    case 'aws:userid':
      return caller.accountId;
    default:
      return undefined;
  }
}

function conditionHolds(op: string, key: string, expected: string[], caller: Caller): boolean | undefined {
  const actual = contextValue(key, caller);
  if (actual === undefined) return undefined;
  const base = op.replace(/IfExists$/, '');
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !expected.includes(actual);
    case 'StringEqualsIgnoreCase':
      return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => wildcard(e, actual));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !expected.some((e) => wildcard(e, actual));
    default:
      return undefined;
  }
}

function statementApplies(st: Statement, action: string, resources: string[], caller: Caller): boolean {
  const actions = list(st.Action);
  const notActions = list(st.NotAction);
  const actionOk = st.Action !== undefined ? actions.some((a) => wildcard(a, action, true)) : notActions.length > 0 && !notActions.some((a) => wildcard(a, action, true));
  if (!actionOk) return false;
  if (st.Resource !== undefined) {
    if (!list(st.Resource).some((r) => resources.some((res) => wildcard(r, res)))) return false;
  } else if (st.NotResource !== undefined) {
    if (list(st.NotResource).some((r) => resources.some((res) => wildcard(r, res)))) return false;
  }
  if (st.Principal !== undefined) {
    if (!principalMatches(st.Principal, caller)) return false;
  } else if (st.NotPrincipal !== undefined) {
    if (principalMatches(st.NotPrincipal, caller)) return false;
  }
  const condition = st.Condition;
  if (condition && typeof condition === 'object') {
    for (const [op, clauses] of Object.entries(condition as Record<string, unknown>)) {
      if (!clauses || typeof clauses !== 'object') return false;
      for (const [key, values] of Object.entries(clauses as Record<string, unknown>)) {
        if (conditionHolds(op, key, list(values), caller) !== true) return false;
      }
    }
  }
  return true;
}

/** The Sid (or index) of the first Deny statement that applies to the caller, if any. */
export function explicitDeny(policyText: string | undefined, action: string, resources: string[], caller: Caller): string | undefined {
  if (!policyText) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(policyText);
  } catch {
    return undefined;
  }
  const raw = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).Statement : undefined;
  const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Statement[];
  for (const [i, st] of statements.entries()) {
    if (!st || typeof st !== 'object' || st.Effect !== 'Deny') continue;
    if (statementApplies(st, action, resources, caller)) return typeof st.Sid === 'string' ? st.Sid : `statement ${i}`;
  }
  return undefined;
}

/** Rejects documents that are not IAM policies, naming what is wrong (PutBackupVaultAccessPolicy). */
export function policyProblem(policyText: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(policyText);
  } catch (e) {
    return `Policy is not valid JSON: ${(e as Error).message}`;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'Policy must be a JSON object';
  const st = (doc as Record<string, unknown>).Statement;
  if (st === undefined) return 'Policy has no Statement';
  const statements = Array.isArray(st) ? st : [st];
  for (const [i, s] of statements.entries()) {
    if (!s || typeof s !== 'object') return `Policy Statement[${i}] is not an object`;
    const effect = (s as Record<string, unknown>).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return `Policy Statement[${i}].Effect must be Allow or Deny, got ${JSON.stringify(effect)}`;
  }
  return undefined;
}
