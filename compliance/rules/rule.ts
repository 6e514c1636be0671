import type { Fact, FactKind, FactSet } from '../facts/types';

/**
 * Severity scheme: two levels, as in cdk-nag's errors and warnings.
 * - `error`: a violation fails synth and makes `tablesafe check` / verify exit 1 unless suppressed.
 * - `warning`: reported everywhere, never fails a run.
 * A rule declares its default severity; a pack may raise or lower it per rule.
 */
export type Severity = 'error' | 'warning';

export type FindingStatus = 'compliant' | 'non-compliant' | 'not-applicable';

/** What was looked at and why it is (not) compliant, in words an auditor can check. */
export interface Evidence {
  /** The resource id the values were read from (Terraform address or ARN). */
  readonly resource: string;
  readonly expected: string;
  readonly actual: string;
}

export interface FindingResource {
  readonly kind: FactKind;
  readonly id: string;
  readonly name: string;
  readonly path?: string;
}

export interface Finding {
  readonly status: FindingStatus;
  readonly resource: FindingResource;
  readonly message: string;
  readonly evidence?: Evidence;
  /** What to change; set on non-compliant findings. */
  readonly remedy?: string;
}

export type FactOfKind<K extends FactKind> = Extract<Fact, { kind: K }>;

/** One compliance rule: a pure function of one fact (and the rest of the stack's facts). */
export interface Rule<F extends Fact = Fact> {
  /** Stable id, e.g. `TS-DDB-001`; never reused for another meaning. */
  readonly id: string;
  readonly title: string;
  /** Default severity; packs may override. */
  readonly severity: Severity;
  /** Controls the rule implements (Security Hub, checkov, AWS Backup Audit Manager, AWS Config). */
  readonly controls: readonly string[];
  /** Why the rule exists, one or two sentences. */
  readonly explanation: string;
  readonly appliesTo: F['kind'];
  readonly evaluate: (fact: F, facts: FactSet) => Finding;
}

/** Any rule, whatever fact kind it reads (the engine dispatches by `appliesTo`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

export function resourceOf(fact: Fact): FindingResource {
  return { kind: fact.kind, id: fact.id, name: fact.name, ...(fact.path ? { path: fact.path } : {}) };
}

export function compliant(fact: Fact, message: string, expected?: string, actual?: string): Finding {
  return {
    status: 'compliant',
    resource: resourceOf(fact),
    message,
    ...(expected !== undefined ? { evidence: { resource: fact.id, expected, actual: actual ?? expected } } : {}),
  };
}

export function nonCompliant(fact: Fact, message: string, evidence: { expected: string; actual: string }, remedy: string): Finding {
  return { status: 'non-compliant', resource: resourceOf(fact), message, evidence: { resource: fact.id, ...evidence }, remedy };
}

export function notApplicable(fact: Fact, message: string): Finding {
  return { status: 'not-applicable', resource: resourceOf(fact), message };
}

/**
 * The not-applicable finding for a rule whose input the source could not determine, or undefined
 * when every field is known.
 */
export function unknownInput(fact: Fact, ...fields: string[]): Finding | undefined {
  const missing = fields.filter((f) => fact.unknown?.includes(f));
  if (missing.length === 0) return undefined;
  return notApplicable(fact, `cannot evaluate: ${missing.join(', ')} not known from this source`);
}
