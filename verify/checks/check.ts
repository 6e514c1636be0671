/** The unit every report is made of: one check with a verdict, a message and its evidence. */

/**
 * pass, fail, skip (not judged: a precondition failed, or not applicable; the message says why),
 * inconclusive (ran but proved nothing, e.g. a drill that validated zero items: fails the run
 * under strict unless the contract declares the table may be empty).
 */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'inconclusive';

/** Where a check comes from: a contract diff, a compliance rule, the drill, or data validation. */
export type CheckCategory = 'contract' | 'compliance' | 'drill' | 'data';

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly category: CheckCategory;
  readonly status: CheckStatus;
  /** One line: what was found. For failures, every difference as `field: expected X, actual Y`. */
  readonly message: string;
  /** What was read, one fact per line (ARNs, values, timestamps). */
  readonly evidence: readonly string[];
  /**
   * The check could not judge because verify itself failed (a read denied or throttled, a
   * deadline, an unexpected error), not because the platform is wrong: a JUnit `<error>`.
   * Only on failed checks.
   * @default false
   */
  readonly error?: boolean;
  /** The figure this check judged (RPO, RTO), so every rendering shows the number the verdict rests on. */
  readonly measurement?: Measurement;
  /** Seconds the check's work took, when measured (a restore, a validation). */
  readonly seconds?: number;
}

/** A figure and the target it was judged against. */
export interface Measurement {
  readonly quantity: 'rpo' | 'rto';
  readonly value: number;
  readonly unit: 'minutes' | 'seconds';
  /** The target, in the same unit as `value`. */
  readonly target: number;
  /** What was measured: the recovery point's ARN (rpo), the restore path (rto). */
  readonly subject?: string;
  /** rpo: the recovery point's creation time. */
  readonly createdAt?: string;
}

/** `field: expected X, actual Y` — the one format every difference is reported in. */
export function difference(field: string, expected: unknown, actual: unknown): string {
  return `${field}: expected ${show(expected)}, actual ${show(actual)}`;
}

export function show(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}

/** Compares pairs and collects the differences. */
export class Diff {
  private readonly items: string[] = [];
  eq(field: string, expected: unknown, actual: unknown): this {
    if (JSON.stringify(expected) !== JSON.stringify(actual)) this.items.push(difference(field, expected, actual));
    return this;
  }
  add(message: string): this {
    this.items.push(message);
    return this;
  }
  get differences(): readonly string[] {
    return this.items;
  }
}

export function check(
  id: string,
  title: string,
  category: CheckCategory,
  parts: { status: CheckStatus; message: string; evidence?: readonly string[]; error?: boolean; measurement?: Measurement; seconds?: number },
): CheckResult {
  return {
    id,
    title,
    category,
    status: parts.status,
    message: parts.message,
    evidence: parts.evidence ?? [],
    ...(parts.error && parts.status === 'fail' ? { error: true } : {}),
    ...(parts.measurement ? { measurement: parts.measurement } : {}),
    ...(parts.seconds !== undefined ? { seconds: parts.seconds } : {}),
  };
}

/** pass when `diff` is empty, else fail listing every difference. */
export function fromDiff(id: string, title: string, diff: Diff, passMessage: string, evidence: readonly string[] = []): CheckResult {
  const d = diff.differences;
  return check(id, title, 'contract', d.length ? { status: 'fail', message: d.join('; '), evidence } : { status: 'pass', message: passMessage, evidence });
}

/**
 * An AWS error that says verify could not act (denied, throttled, unauthenticated) rather than that
 * the platform is wrong: the check is an error of verify (JUnit `<error>`).
 */
export function isOwnFailure(e: unknown): boolean {
  const name = (e as { name?: string } | undefined)?.name ?? '';
  return /AccessDenied|UnauthorizedOperation|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|Throttl|RequestLimitExceeded|TimeoutError/i.test(name);
}

export function readFailure(id: string, title: string, what: string, error: string, category: CheckCategory = 'contract'): CheckResult {
  return check(id, title, category, { status: 'fail', message: `could not read ${what}: ${error}`, evidence: [error], error: true });
}
