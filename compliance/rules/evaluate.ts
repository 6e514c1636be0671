import type { Fact, FactSet } from '../facts/types';
import type { CapabilityMatrix } from '../iam/matrix';
import { getPack, rulesOf } from './packs';
import { PLAN_UNKNOWN_REMEDY, UNKNOWN_REMEDY } from './rule';
import type { Finding, Severity } from './rule';
import { assertValidSuppressions, Suppression, suppressionMatches } from './suppressions';
import { TablesafeError } from '../../core/errors';

/**
 * What an `unknown` finding does to a run:
 * - `fail`: an unknown on a setting an error-level rule needs fails the run, like a violation;
 * - `warn`: it is reported as a warning;
 * - `ignore`: it is only counted.
 */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type UnknownPolicy = 'fail' | 'warn' | 'ignore';
export const UNKNOWN_POLICIES: readonly UnknownPolicy[] = ['fail', 'warn', 'ignore'];

/** A finding as a pack reports it: which rule, at what severity, and whether it is suppressed. */
export interface PackFinding extends Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly controls: readonly string[];
  /** Set when a suppression matched a non-compliant or unknown finding. */
  readonly suppressedBy?: Suppression;
}

export interface ComplianceReport {
  /**
   * The platform roles' capability matrix the facts carried (TS-IAM-005): per role, each
   * capability's decision and deciding statement. Shape: CapabilityMatrix (compliance/iam/matrix.ts),
   * schema `tablesafe.iam-matrix/1`. @default absent when the input has no platform roles
   */
  readonly iamMatrix?: CapabilityMatrix;
  readonly pack: string;
  readonly scope: string;
  readonly source: FactSet['source'];
  readonly rulesEvaluated: readonly { readonly id: string; readonly title: string; readonly severity: Severity; readonly controls: readonly string[] }[];
  /** Every finding of every rule on every resource it applies to. */
  readonly findings: readonly PackFinding[];
  /** Non-compliant and unknown findings a suppression covers (also in `findings`). */
  readonly suppressed: readonly PackFinding[];
  /**
   * Everything that fails the run, unsuppressed: error-level non-compliant findings, and
   * error-level unknown findings when the unknown policy is `fail`.
   */
  readonly violations: readonly PackFinding[];
  /** Reported, never failing: warning-level non-compliant findings, and unknown ones under `warn` (or of warning-level rules under `fail`). */
  readonly warnings: readonly PackFinding[];
  /** Unsuppressed unknown findings, whatever the policy did with them. */
  readonly unknowns: readonly PackFinding[];
  /** How unknown findings were treated, and who said so (the pack, or an explicit option). */
  readonly unknownPolicy: { readonly policy: UnknownPolicy; readonly from: 'pack' | 'option' };
  readonly suppressions: readonly Suppression[];
  /** Suppressions that matched nothing (stale exceptions worth removing). */
  readonly unusedSuppressions: readonly Suppression[];
  /** How many resources the pack's rules apply to; 0 = nothing in scope (no table, key, vault, … in the input). */
  readonly resourcesInScope: number;
  /** What the source skipped or could not read (module calls, malformed blocks). */
  readonly notes: readonly string[];
  readonly summary: {
    readonly compliant: number;
    readonly nonCompliant: number;
    readonly unknown: number;
    readonly notApplicable: number;
    readonly suppressed: number;
  };
  readonly compliant: boolean;
}

export interface EvaluateOptions {
  /** What unknown findings do to the run. @default the pack's policy (tablesafe-strict: fail; tablesafe-baseline: warn) */
  readonly unknown?: UnknownPolicy;
  /**
   * Whether the facts come from a plan (`terraform show -json`): an unknown there is a value known
   * only after apply, so its remedy says so instead of "check the plan".
   * @default false
   */
  readonly plan?: boolean;
}

function factsOfKind(facts: FactSet, kind: Fact['kind']): readonly Fact[] {
  switch (kind) {
    case 'table': return facts.tables;
    case 'key': return facts.keys;
    case 'vault': return facts.vaults;
    case 'plan': return facts.plans;
    case 'selection': return facts.selections;
    case 'trail': return facts.trails;
    case 'bucket': return facts.buckets;
    case 'role': return facts.roles;
    case 'change': return facts.changes ?? [];
  }
}

/**
 * Runs every rule of the pack over the facts. Throws TS_E_SUPPRESSION_INVALID when a suppression
 * lacks a known rule id, a resource or a reason; throws on an unknown pack name or unknown policy.
 */
export function evaluatePack(packName: string, facts: FactSet, suppressions: readonly Suppression[] = [], options: EvaluateOptions = {}): ComplianceReport {
  assertValidSuppressions(suppressions);
  const pack = getPack(packName);
  if (options.unknown !== undefined && !UNKNOWN_POLICIES.includes(options.unknown)) {
    throw new TablesafeError('TS_E_UNKNOWN_POLICY', `unknown policy "${String(options.unknown)}" is not one of ${UNKNOWN_POLICIES.join(', ')}`, `use one of ${UNKNOWN_POLICIES.join(', ')}`, { field: 'unknown' });
  }
  const policy: UnknownPolicy = options.unknown ?? pack.unknown ?? 'warn';
  const entries = rulesOf(pack);
  const used = new Set<Suppression>();
  const findings: PackFinding[] = [];
  const kinds = new Set<Fact['kind']>();
  for (const { rule, severity } of entries) {
    kinds.add(rule.appliesTo);
    for (const fact of factsOfKind(facts, rule.appliesTo)) {
      const finding: Finding = rule.evaluate(fact, facts);
      const open = finding.status === 'non-compliant' || finding.status === 'unknown';
      const suppressedBy = open && suppressions.length ? suppressions.find((s) => suppressionMatches(s, rule.id, finding.resource)) : undefined;
      if (suppressedBy) used.add(suppressedBy);
      // Built field by field: a pack over a large input makes hundreds of thousands of these.
      const f: Mutable<PackFinding> = { ruleId: rule.id, title: rule.title, severity, controls: rule.controls, status: finding.status, resource: finding.resource, message: finding.message };
      if (finding.evidence) f.evidence = finding.evidence;
      if (finding.remedy) f.remedy = options.plan && finding.remedy === UNKNOWN_REMEDY ? PLAN_UNKNOWN_REMEDY : finding.remedy;
      if (suppressedBy) f.suppressedBy = suppressedBy;
      findings.push(f);
    }
  }
  let resourcesInScope = 0;
  for (const kind of kinds) resourcesInScope += factsOfKind(facts, kind).length;
  const violations: PackFinding[] = [];
  const warnings: PackFinding[] = [];
  const unknowns: PackFinding[] = [];
  const suppressed: PackFinding[] = [];
  const summary = { compliant: 0, nonCompliant: 0, unknown: 0, notApplicable: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressedBy) suppressed.push(f);
    switch (f.status) {
      case 'compliant':
        summary.compliant++;
        break;
      case 'not-applicable':
        summary.notApplicable++;
        break;
      case 'non-compliant':
        summary.nonCompliant++;
        if (!f.suppressedBy) (f.severity === 'error' ? violations : warnings).push(f);
        break;
      case 'unknown':
        summary.unknown++;
        if (f.suppressedBy) break;
        unknowns.push(f);
        if (policy === 'fail' && f.severity === 'error' && !(options.unknown === undefined && pack.unknownWarns?.includes(f.ruleId))) violations.push(f);
        else if (policy !== 'ignore') warnings.push(f);
        break;
    }
  }
  summary.suppressed = suppressed.length;
  return {
    pack: pack.name,
    scope: facts.scope,
    source: facts.source,
    rulesEvaluated: entries.map(({ rule, severity }) => ({ id: rule.id, title: rule.title, severity, controls: rule.controls })),
    findings,
    suppressed,
    violations,
    warnings,
    unknowns,
    unknownPolicy: { policy, from: options.unknown !== undefined ? 'option' : 'pack' },
    suppressions: [...suppressions],
    unusedSuppressions: suppressions.filter((s) => !used.has(s)),
    resourcesInScope,
    notes: [...(facts.notes ?? [])],
    summary,
    compliant: violations.length === 0,
    ...(facts.iamMatrix ? { iamMatrix: facts.iamMatrix } : {}),
  };
}

/** `TS-DDB-001 [stack/table] point-in-time recovery is disabled — remedy: …`, one line per violation. */
export function describeViolation(f: PackFinding): string {
  const where = f.resource.path ?? f.resource.id;
  return `${f.ruleId} [${where}] ${f.status === 'unknown' ? 'unknown: ' : ''}${f.message}${f.remedy ? ` — remedy: ${f.remedy}` : ''}`;
}
