/**
 * How rules relate resources to each other without knowing where the facts came from: a value may
 * be an ARN (live), a name, or a Terraform expression such as `${aws_kms_key.k.arn}` (synth).
 */
import { DRILL_TABLE_PREFIX } from '../../core/contract';
import type { Fact, PolicyStatement, SelectionFact, TableFact } from '../facts/types';
import { globMatch } from '../../core/glob';

const ADDRESS = /\b(?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+/g;

/** Terraform addresses (`aws_kms_key.k`) referenced by `${...}` expressions in a value. */
export function referencedAddresses(value: string): string[] {
  const out: string[] = [];
  for (const expr of value.match(/\$\{[^}]*\}/g) ?? []) out.push(...(expr.match(ADDRESS) ?? []));
  return out;
}

/** Whether `value` (ARN, name, id or expression) designates `fact`. */
export function refersTo(value: string | undefined, fact: Fact): boolean {
  if (value === undefined) return false;
  if (value === fact.id || value === fact.name || fact.refs.includes(value)) return true;
  return value.includes('${') && referencedAddresses(value).includes(fact.id);
}

export { globMatch };

export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/** Whether an Allow statement grants `action` (through Action or NotAction). */
export function allowsAction(s: PolicyStatement, action: string): boolean {
  if (s.effect !== 'Allow') return false;
  if (s.notActions && s.notActions.length > 0) return !s.notActions.some((p) => actionMatches(p, action));
  return s.actions.some((p) => actionMatches(p, action));
}

export function isAnyPrincipal(principal: string): boolean {
  return principal === '*' || principal === 'AWS:*';
}

export function isScratchTable(t: TableFact): boolean {
  return t.name.startsWith(DRILL_TABLE_PREFIX);
}

export function tableArn(t: TableFact): string | undefined {
  return t.refs.find((r) => r.startsWith('arn:') && r.includes(':table/'));
}

/**
 * Whether an ARN pattern (`*`, `arn:aws:dynamodb:*:*:table/orders*`) designates the table. When the
 * table's ARN is not known (synth), region and account are taken as matching and only the
 * service and `table/<name>` part are compared.
 */
export function arnPatternMatchesTable(pattern: string, t: TableFact): boolean {
  if (pattern === '*') return true;
  const arn = tableArn(t);
  if (arn) return globMatch(pattern, arn);
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  return globMatch(parts[2], 'dynamodb') && globMatch(parts.slice(5).join(':'), `table/${t.name}`);
}

function designatesTable(value: string, t: TableFact): boolean {
  return refersTo(value, t) || (!value.includes('${') && arnPatternMatchesTable(value, t));
}

/** Whether an AWS Backup selection picks the table (by resource, or by tag), minus exclusions. */
export function selectionCovers(sel: SelectionFact, t: TableFact): boolean {
  const byResource = sel.resources.some((r) => designatesTable(r, t));
  const byTag = sel.tagConditions.some((c) => t.tags[c.key] === c.value);
  const excluded = sel.notResources.some((r) => designatesTable(r, t));
  return (byResource || byTag) && !excluded;
}

/** Whether a CloudTrail data-event table entry (`*`, exact ARN, `prefix*`, expression) covers the table. */
export function dataEventCovers(entry: string, t: TableFact): boolean {
  return designatesTable(entry, t);
}

/** `a, b and 2 more` for evidence strings. */
export function list(values: readonly string[], max = 5): string {
  if (values.length === 0) return '(none)';
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}
