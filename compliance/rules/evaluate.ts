import type { Fact, FactSet } from '../facts/types';
import { getPack, rulesOf } from './packs';
import type { Finding, Severity } from './rule';
import { assertValidSuppressions, Suppression, suppressionMatches } from './suppressions';

/** A finding as a pack reports it: which rule, at what severity, and whether it is suppressed. */
export interface PackFinding extends Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly controls: readonly string[];
  /** Set when a suppression matched a non-compliant finding. */
  readonly suppressedBy?: Suppression;
}

export interface ComplianceReport {
  readonly pack: string;
  readonly scope: string;
  readonly source: FactSet['source'];
  readonly rulesEvaluated: readonly { readonly id: string; readonly title: string; readonly severity: Severity; readonly controls: readonly string[] }[];
  /** Every finding of every rule on every resource it applies to. */
  readonly findings: readonly PackFinding[];
  /** Non-compliant findings a suppression covers (also in `findings`). */
  readonly suppressed: readonly PackFinding[];
  /** Error-level, non-compliant, unsuppressed: any of these fails the run. */
  readonly violations: readonly PackFinding[];
  /** Warning-level, non-compliant, unsuppressed. */
  readonly warnings: readonly PackFinding[];
  readonly suppressions: readonly Suppression[];
  /** Suppressions that matched nothing (stale exceptions worth removing). */
  readonly unusedSuppressions: readonly Suppression[];
  readonly summary: { readonly compliant: number; readonly nonCompliant: number; readonly notApplicable: number; readonly suppressed: number };
  readonly compliant: boolean;
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
  }
}

/**
 * Runs every rule of the pack over the facts. Throws TS_E_SUPPRESSION_INVALID when a suppression
 * lacks a known rule id, a resource or a reason; throws on an unknown pack name.
 */
export function evaluatePack(packName: string, facts: FactSet, suppressions: readonly Suppression[] = []): ComplianceReport {
  assertValidSuppressions(suppressions);
  const pack = getPack(packName);
  const entries = rulesOf(pack);
  const used = new Set<Suppression>();
  const findings: PackFinding[] = [];
  for (const { rule, severity } of entries) {
    for (const fact of factsOfKind(facts, rule.appliesTo)) {
      const finding: Finding = rule.evaluate(fact, facts);
      const suppressedBy = finding.status === 'non-compliant' ? suppressions.find((s) => suppressionMatches(s, rule.id, finding.resource)) : undefined;
      if (suppressedBy) used.add(suppressedBy);
      findings.push({ ruleId: rule.id, title: rule.title, severity, controls: rule.controls, ...finding, ...(suppressedBy ? { suppressedBy } : {}) });
    }
  }
  const open = findings.filter((f) => f.status === 'non-compliant' && !f.suppressedBy);
  const violations = open.filter((f) => f.severity === 'error');
  const suppressed = findings.filter((f) => f.suppressedBy);
  return {
    pack: pack.name,
    scope: facts.scope,
    source: facts.source,
    rulesEvaluated: entries.map(({ rule, severity }) => ({ id: rule.id, title: rule.title, severity, controls: rule.controls })),
    findings,
    suppressed,
    violations,
    warnings: open.filter((f) => f.severity === 'warning'),
    suppressions: [...suppressions],
    unusedSuppressions: suppressions.filter((s) => !used.has(s)),
    summary: {
      compliant: findings.filter((f) => f.status === 'compliant').length,
      nonCompliant: findings.filter((f) => f.status === 'non-compliant').length,
      notApplicable: findings.filter((f) => f.status === 'not-applicable').length,
      suppressed: suppressed.length,
    },
    compliant: violations.length === 0,
  };
}

/** `TS-DDB-001 [stack/table] point-in-time recovery is disabled — enable …`, one line per violation. */
export function describeViolation(f: PackFinding): string {
  const where = f.resource.path ?? f.resource.id;
  return `${f.ruleId} [${where}] ${f.message}${f.remedy ? ` — remedy: ${f.remedy}` : ''}`;
}
