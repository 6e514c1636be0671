/**
 * Whether a role's trust policy lets a principal assume it: an AWS service (`backup.amazonaws.com`
 * for AWS Backup's jobs) or an IAM identity (STS AssumeRole). Used by the STS fix and by our AWS
 * Backup before it starts a job with a role.
 *
 * Deliberately lenient where AWS's rules are context-dependent: a condition on a key the sandbox
 * cannot know (aws:SourceArn, aws:MultiFactorAuthPresent, …) counts as met; conditions on
 * aws:SourceAccount and aws:PrincipalAccount are checked against the account.
 */
import { globMatch } from '../core/glob';
import { xmlText } from './fix-kit';

export interface TrustPrincipal {
  /** Service principal, e.g. `backup.amazonaws.com`. */
  readonly service?: string;
  /** The caller's identity ARN (`arn:aws:iam::123456789012:user/alice`, an assumed-role session ARN). */
  readonly arn?: string;
  readonly accountId: string;
}

type Statement = Record<string, unknown>;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The IAM role ARN an assumed-role session ARN stands for (`…:assumed-role/R/S` → `…:role/R`), by name. */
function sessionRoleName(arn: string): string | undefined {
  return /^arn:aws[\w-]*:sts::\d+:assumed-role\/([^/]+)\//.exec(arn)?.[1];
}

function awsPrincipalMatches(p: string, who: TrustPrincipal): boolean {
  if (p === '*' || p === who.accountId || p === `arn:aws:iam::${who.accountId}:root`) return true;
  if (!who.arn) return false;
  if (p === who.arn) return true;
  const role = sessionRoleName(who.arn);
  return role !== undefined && new RegExp(`^arn:aws[\\w-]*:iam::${who.accountId}:role/(.*/)?${role.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(p);
}

function principalMatches(principal: unknown, who: TrustPrincipal): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  if (who.service && list(p.Service).includes(who.service)) return true;
  if (!who.service && list(p.AWS).some((a) => awsPrincipalMatches(a, who))) return true;
  return false;
}

function conditionsHold(condition: unknown, who: TrustPrincipal): boolean {
  if (!condition || typeof condition !== 'object') return true;
  for (const [op, clauses] of Object.entries(condition as Record<string, unknown>)) {
    if (!clauses || typeof clauses !== 'object') continue;
    for (const [key, values] of Object.entries(clauses as Record<string, unknown>)) {
      const k = key.toLowerCase();
      if (k !== 'aws:sourceaccount' && k !== 'aws:principalaccount') continue;
      const expected = list(values);
      const base = op.replace(/IfExists$/, '');
      const holds = base === 'StringEquals' ? expected.includes(who.accountId)
        : base === 'StringLike' ? expected.some((e) => globMatch(e, who.accountId))
          : base === 'StringNotEquals' ? !expected.includes(who.accountId)
            : true;
      if (!holds) return false;
    }
  }
  return true;
}

function actionMatches(st: Statement): boolean {
  return list(st.Action).some((a) => globMatch(a, 'sts:AssumeRole', true));
}

/** True when the trust policy allows `who` to assume the role (and no Deny statement stops it). */
export function trustAllows(policyText: string | undefined, who: TrustPrincipal): boolean {
  if (!policyText) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(policyText);
  } catch {
    return false;
  }
  const raw = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).Statement : undefined;
  const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((s): s is Statement => !!s && typeof s === 'object');
  const applies = (st: Statement) => actionMatches(st) && principalMatches(st.Principal, who) && conditionsHold(st.Condition, who);
  if (statements.some((st) => String(st.Effect).toLowerCase() === 'deny' && applies(st))) return false;
  return statements.some((st) => String(st.Effect).toLowerCase() === 'allow' && applies(st));
}

/** `name` from `arn:aws:iam::123456789012:role/path/name`; undefined when it is not a role ARN. */
export function roleNameOf(roleArn: string): string | undefined {
  return /^arn:aws[\w-]*:iam::\d{12}:role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn)?.[1];
}

/**
 * The role in an IAM GetRole answer (query XML), if it is the one asked for: its ARN and its trust
 * policy, URL-decoded (IAM answers the document URL-encoded).
 */
export function roleFromGetRole(xml: string, roleArn: string): { arn: string; trustPolicy: string } | undefined {
  const arn = xmlText(xml, 'Arn');
  const doc = xmlText(xml, 'AssumeRolePolicyDocument') ?? '';
  let trustPolicy = doc;
  try {
    trustPolicy = doc.trimStart().startsWith('%') ? decodeURIComponent(doc) : doc;
  } catch {
    // keep it as sent
  }
  return arn === roleArn ? { arn, trustPolicy } : undefined;
}
