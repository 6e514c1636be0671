/**
 * How rules relate resources to each other without knowing where the facts came from: a value may
 * be an ARN (live), a name, or a reference in canonical form such as `${aws_kms_key.k.arn}` or
 * `${aws_s3_bucket.logs[0].id}` (synth, plans). References are parsed and compared by address,
 * never by prefix: `aws_kms_key.k` is not `aws_kms_key.k-2`.
 *
 * Relations over a whole FactSet (which selections cover which table, which buckets trails write
 * to) are indexed once per FactSet, so a pack over N resources costs O(N), not O(N²).
 */
import { globMatch } from '../../core/glob';
import { DRILL_TABLE_PREFIX } from '../../core/contract';
import type { BucketFact, Fact, FactSet, PolicyStatement, SelectionFact, TableFact, VaultFact } from '../facts/types';
import { leafKind } from '../facts/policy';

export type Tri = 'yes' | 'no' | 'unknown';

export interface ParsedRef {
  /** `aws_s3_bucket.logs` (with any module prefix). */
  readonly base: string;
  /** `aws_s3_bucket.logs[0]`, or the base. */
  readonly address: string;
  /** Any instance of the base (`[*]`). */
  readonly all: boolean;
  /** `.arn`, `.point_in_time_recovery[0].enabled`. */
  readonly path: string;
}

const KEY = String.raw`(?:\d+|"(?:[^"\\]|\\.)*")`;
const NAME = String.raw`[A-Za-z_][\w-]*`;
const REF = new RegExp(String.raw`^\$\{((?:module\.${NAME}(?:\[${KEY}\])?\.)*(?:data\.)?${NAME}\.${NAME})(\[(?:${KEY}|\*)\])?((?:\.${NAME}|\[${KEY}\])*)\}$`);
const PARSED = new Map<string, ParsedRef | null>();

/** `${aws_s3_bucket.logs[0].arn}` → its parts; undefined for anything that is not one whole reference. */
export function parseRef(value: string): ParsedRef | undefined {
  let r = PARSED.get(value);
  if (r === undefined) {
    const m = REF.exec(value);
    r = m ? { base: m[1], address: m[2] && m[2] !== '[*]' ? `${m[1]}${m[2]}` : m[1], all: m[2] === '[*]', path: m[3] } : null;
    if (PARSED.size > 50_000) PARSED.clear();
    PARSED.set(value, r);
  }
  return r ?? undefined;
}

/**
 * Whether `value` (ARN, name, id or reference) designates `fact`. A literal name designates a
 * resource of another region only when the caller's region is not known (`context.region`).
 */
export function refersTo(value: string | undefined, fact: Fact, context: { readonly region?: string } = {}): boolean {
  if (value === undefined || value === '') return false;
  if (value === fact.id || fact.refs.includes(value)) return true;
  if (value.includes('${')) {
    const r = parseRef(value);
    if (!r) return false;
    if (r.address === fact.id) return true;
    return (r.all || r.address === r.base) && (fact.id === r.base || fact.id.startsWith(`${r.base}[`));
  }
  if (value !== fact.name) return false;
  return !context.region || !fact.region || context.region === fact.region;
}

/** A value for messages: references by address (`aws_kms_key.k.arn`), other expressions as written. */
export function shown(value: string): string {
  return value.replace(/\$\{([^{}]*)\}/g, (_m, inner: string) => (inner === 'known_after_apply' ? '(known after apply)' : inner));
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

/** Whether a statement applies to every principal: `*`, or `NotPrincipal` (everyone but a few). */
export function appliesToEveryone(s: { readonly principals: readonly string[]; readonly notPrincipals?: readonly string[] }): boolean {
  return s.principals.some(isAnyPrincipal) || (s.notPrincipals?.length ?? 0) > 0;
}

/** Whether a statement field is not known from the source. */
export function statementUnknown(s: { readonly unknown?: readonly string[] }, ...fields: string[]): boolean {
  return fields.some((f) => s.unknown?.includes(f));
}

export function isScratchTable(t: TableFact): boolean {
  return t.name.startsWith(DRILL_TABLE_PREFIX);
}

export function tableArn(t: TableFact): string | undefined {
  return t.refs.find((r) => r.startsWith('arn:') && r.includes(':table/'));
}

/**
 * Whether an ARN pattern (`*`, `arn:aws:dynamodb:*:*:table/orders*`) designates the table. When the
 * table's ARN is not known (synth), the account is taken as matching, the region is compared when
 * the table's is known, and the service and `table/<name>` part are compared.
 */
export function arnPatternMatchesTable(pattern: string, t: TableFact): boolean {
  if (pattern === '*') return true;
  const arn = tableArn(t);
  if (arn) return globMatch(pattern, arn);
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  if (t.region && parts[3] !== '' && !globMatch(parts[3], t.region)) return false;
  return globMatch(parts[2], 'dynamodb') && globMatch(parts.slice(5).join(':'), `table/${t.name}`);
}

const NOT_RESOURCES = new Set(['var', 'local', 'data', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/** Whether a reference names a managed resource (`aws_s3_bucket.logs`, also inside a module). */
function namesManagedResource(r: ParsedRef): boolean {
  const inModule = r.base.replace(/^(?:module\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.)+/, '');
  return !NOT_RESOURCES.has(inModule.slice(0, inModule.indexOf('.')));
}

/** Whether a selection or data-event entry designates the table: yes, no, or unknown (`${var.tables}`). */
export function designatesTable(value: string, t: TableFact): Tri {
  if (refersTo(value, t)) return 'yes';
  if (!value.includes('${')) return arnPatternMatchesTable(value, t) ? 'yes' : 'no';
  const ref = parseRef(value);
  // Another managed resource is not this table; a variable, local, data source or module output
  // may hold anything until apply.
  if (ref) return namesManagedResource(ref) ? 'no' : 'unknown';
  const kind = leafKind(value);
  if (kind === 'unknown') return 'unknown';
  if (kind === 'partial') return arnPatternMatchesTable(value.replace(/\$\{[^}]*\}/g, '*'), t) ? 'unknown' : 'no';
  return 'no';
}

function any(values: readonly Tri[]): Tri {
  return values.includes('yes') ? 'yes' : values.includes('unknown') ? 'unknown' : 'no';
}

/** Whether an AWS Backup selection picks the table (by resource, or by tag), minus exclusions. */
export function selectionCoverage(sel: SelectionFact, t: TableFact): Tri {
  const byResource = any(sel.resources.map((r) => designatesTable(r, t)));
  const byTag = any(sel.tagConditions.map((c) => {
    if (leafKind(c.key) !== 'literal' || leafKind(c.value) !== 'literal') return 'unknown';
    if (c.key in t.tags) return t.tags[c.key] === c.value ? 'yes' : leafKind(t.tags[c.key]) === 'literal' ? 'no' : 'unknown';
    return t.unknown?.includes('tags') ? 'unknown' : 'no';
  }));
  let selected = any([byResource, byTag]);
  if (selected !== 'yes' && (sel.unknown?.includes('resources') || sel.unknown?.includes('tagConditions'))) selected = 'unknown';
  if (selected === 'no') return 'no';
  const excluded = any([...sel.notResources.map((r) => designatesTable(r, t)), ...(sel.unknown?.includes('notResources') ? ['unknown' as const] : [])]);
  if (excluded === 'yes') return 'no';
  return excluded === 'unknown' ? 'unknown' : selected;
}

/** `a, b and 2 more` for evidence strings; references shown by address. */
export function list(values: readonly string[], max = 5): string {
  if (values.length === 0) return '(none)';
  const shownValues = values.slice(0, max).map(shown).join(', ');
  return values.length > max ? `${shownValues} and ${values.length - max} more` : shownValues;
}

// --- Indexes over a FactSet ------------------------------------------------------------------------

function memo<T>(cache: WeakMap<FactSet, T>, facts: FactSet, build: () => T): T {
  let v = cache.get(facts);
  if (v === undefined) {
    v = build();
    cache.set(facts, v);
  }
  return v;
}

const SELECTIONS = new WeakMap<FactSet, { byAddress: Map<string, SelectionFact[]>; byBase: Map<string, SelectionFact[]>; other: SelectionFact[] }>();

/** The selections that may cover a table: those naming its address, and those that select by pattern, tag or unknown value. */
function candidateSelections(facts: FactSet, t: TableFact): SelectionFact[] {
  const index = memo(SELECTIONS, facts, () => {
    const byAddress = new Map<string, SelectionFact[]>();
    const byBase = new Map<string, SelectionFact[]>();
    const other: SelectionFact[] = [];
    const push = (m: Map<string, SelectionFact[]>, k: string, s: SelectionFact) => {
      const l = m.get(k);
      if (l) l.push(s);
      else m.set(k, [s]);
    };
    for (const s of facts.selections) {
      const exact = s.resources.every((r) => parseRef(r)) && s.tagConditions.length === 0 && !s.unknown?.includes('resources') && !s.unknown?.includes('tagConditions');
      if (!exact) {
        other.push(s);
        continue;
      }
      for (const r of s.resources) {
        const p = parseRef(r)!;
        if (p.all || p.address === p.base) push(byBase, p.base, s);
        else push(byAddress, p.address, s);
      }
    }
    return { byAddress, byBase, other };
  });
  // A base address never ends in `]`: the table's own address without its instance key is the one to look up.
  const baseOf = t.id.replace(/\[[^\]]*\]$/, '');
  const found = [...(index.byAddress.get(t.id) ?? []), ...(index.byBase.get(baseOf) ?? [])];
  // Live facts name tables by ARN: every selection is a candidate there (there are few).
  return [...new Set([...found, ...index.other])];
}

/** Selections covering the table, and whether some selection might (unknown). */
export function coveringSelections(facts: FactSet, t: TableFact): { covering: SelectionFact[]; unknown: SelectionFact[] } {
  const covering: SelectionFact[] = [];
  const unknown: SelectionFact[] = [];
  for (const s of candidateSelections(facts, t)) {
    const c = selectionCoverage(s, t);
    if (c === 'yes') covering.push(s);
    else if (c === 'unknown') unknown.push(s);
  }
  return { covering, unknown };
}

const TRAIL_BUCKETS = new WeakMap<FactSet, { refs: Set<string>; addresses: Set<string>; unknown: string[] }>();

function trailBuckets(facts: FactSet): { refs: Set<string>; addresses: Set<string>; unknown: string[] } {
  return memo(TRAIL_BUCKETS, facts, () => {
    const refs = new Set<string>();
    const addresses = new Set<string>();
    const unknown: string[] = [];
    for (const t of facts.trails) {
      if (t.unknown?.includes('bucketRef')) unknown.push(t.unknownExpressions?.bucketRef ?? `${t.id}.s3_bucket_name`);
      if (!t.bucketRef) continue;
      const p = parseRef(t.bucketRef);
      if (p) addresses.add(p.all || p.address === p.base ? `${p.base}[*]` : p.address);
      else refs.add(t.bucketRef);
    }
    return { refs, addresses, unknown };
  });
}

/** Whether the bucket is the log bucket of a trail in scope: yes, no, or unknown (a trail's bucket is `${var.bucket}`). */
export function trailBucketOf(b: BucketFact, facts: FactSet): Tri {
  const index = trailBuckets(facts);
  // `x[*]` entries come from base addresses, which never end in `]`: the bucket's address without its instance key.
  if (index.addresses.has(b.id) || index.addresses.has(`${b.id.replace(/\[[^\]]*\]$/, '')}[*]`)) return 'yes';
  if (index.refs.has(b.id) || index.refs.has(b.name) || b.refs.some((r) => index.refs.has(r))) return 'yes';
  return index.unknown.length ? 'unknown' : 'no';
}

/** Why a bucket may be a trail's log bucket, for messages. */
export function unknownTrailBuckets(facts: FactSet): readonly string[] {
  return trailBuckets(facts).unknown;
}

const VAULTS = new WeakMap<FactSet, Map<string, VaultFact[]>>();

/** The vault a reference (canonical reference, ARN or name) designates, in the caller's region for names. */
export function vaultFor(ref: string, facts: FactSet, context: { readonly region?: string } = {}): VaultFact | undefined {
  const index = memo(VAULTS, facts, () => {
    const m = new Map<string, VaultFact[]>();
    const add = (k: string, v: VaultFact) => {
      const l = m.get(k);
      if (l) l.push(v);
      else m.set(k, [v]);
    };
    for (const v of facts.vaults) {
      add(v.id, v);
      add(v.name, v);
      for (const r of v.refs) add(r, v);
    }
    return m;
  });
  // A reference is looked up as written too: a vault named `${var.vault_name}` keeps that name in
  // its refs, and a plan rule targeting `${var.vault_name}` designates it.
  const asWritten = index.get(ref) ?? [];
  const p = parseRef(ref);
  const byAddress = p ? index.get(p.address) ?? facts.vaults.filter((v) => v.id.startsWith(`${p.base}[`)) : [];
  return [...asWritten, ...byAddress].find((v) => refersTo(ref, v, context));
}
