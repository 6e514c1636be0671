import type { Fact, FactKind, FactSet } from '../facts/types';

/**
 * Severity scheme: two levels, as in cdk-nag's errors and warnings.
 * - `error`: a violation fails synth and makes `tablesafe check` / verify exit 1 unless suppressed.
 * - `warning`: reported everywhere, never fails a run.
 * A rule declares its default severity; a pack may raise or lower it per rule.
 */
export type Severity = 'error' | 'warning';

/**
 * - `compliant` / `non-compliant`: the rule judged the resource;
 * - `unknown`: the rule needs a setting the source does not determine (`${var.enabled}` at synth,
 *   a value known only after apply): never compliant, never a violation; the pack's unknown policy
 *   (or `--unknown`) says whether it fails the run;
 * - `not-applicable`: the rule does not concern this resource.
 * A suppressed finding is a non-compliant or unknown one with `suppressedBy` (evaluate.ts).
 */
export type FindingStatus = 'compliant' | 'non-compliant' | 'unknown' | 'not-applicable';

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

const RESOURCES = new WeakMap<Fact, FindingResource>();

/** The resource a finding is about; one object per fact, shared by all its findings. */
export function resourceOf(fact: Fact): FindingResource {
  let r = RESOURCES.get(fact);
  if (!r) {
    r = fact.path ? { kind: fact.kind, id: fact.id, name: fact.name, path: fact.path } : { kind: fact.kind, id: fact.id, name: fact.name };
    RESOURCES.set(fact, r);
  }
  return r;
}

export function compliant(fact: Fact, message: string, expected?: string, actual?: string): Finding {
  const f: { -readonly [K in keyof Finding]: Finding[K] } = { status: 'compliant', resource: resourceOf(fact), message };
  if (expected !== undefined) f.evidence = { resource: fact.id, expected, actual: actual ?? expected };
  return f;
}

export function nonCompliant(fact: Fact, message: string, evidence: { expected: string; actual: string }, remedy: string): Finding {
  return { status: 'non-compliant', resource: resourceOf(fact), message, evidence: { resource: fact.id, ...evidence }, remedy };
}

export function notApplicable(fact: Fact, message: string): Finding {
  return { status: 'not-applicable', resource: resourceOf(fact), message };
}

/** What to do about an unknown: state the value, or judge what Terraform will apply. */
export const UNKNOWN_REMEDY = 'give the setting a literal value, or check the plan: terraform plan -out plan.bin && terraform show -json plan.bin > plan.json && tablesafe check plan.json';

/** What to do about an unknown in a plan: Terraform itself learns the value only at apply. */
export const PLAN_UNKNOWN_REMEDY = 'the value is known only after apply: check the applied stack with tablesafe verify, or make it known at plan time (a literal, or an attribute of a resource that already exists)';

/** The unknown finding: what is not known, and what the input says instead (`point_in_time_recovery.enabled = var.pitr`). */
export function unknownFinding(fact: Fact, what: readonly string[]): Finding {
  const shown = what.length > 3 ? [...what.slice(0, 3), `${what.length - 3} more`] : what;
  return {
    status: 'unknown',
    resource: resourceOf(fact),
    message: `cannot evaluate: ${shown.join('; ')} (not known from this input)`,
    evidence: { resource: fact.id, expected: 'a value known before apply', actual: shown.join('; ') },
    remedy: UNKNOWN_REMEDY,
  };
}

/**
 * The unknown finding for a rule whose input the source could not determine (the fact lists the
 * field in `unknown`), or undefined when every field is known.
 */
export function unknownInput(fact: Fact, ...fields: string[]): Finding | undefined {
  const missing = fields.filter((f) => fact.unknown?.includes(f));
  if (missing.length === 0) return undefined;
  return unknownFinding(fact, missing.map((f) => fact.unknownExpressions?.[f] ?? `${f} not known from this source`));
}
