/**
 * The report: one versioned document every writer renders (json, junit, markdown, html).
 *
 * `buildReport` is the one computation: the verdict, the counts, the headline RPO and RTO and the
 * controls evidenced all come from the checks, so no rendering can show a figure the checks
 * contradict. `reportProblems` re-derives them from a document and lists every disagreement.
 */
import type { CheckResult, CheckStatus } from '../checks/check';
import type { DataAtRisk, DrillMetrics } from '../drill/drill';
import { ControlEvidence, controlsEvidenced, ControlId, controlsFor, remedyFor } from './controls';
import type { Provenance } from './provenance';

export const REPORT_SCHEMA_VERSION = 2 as const;

export type Verdict = 'PASSED' | 'FAILED';

/** A check as the report carries it: with the controls it evidences and, when it did not pass, its remedy. */
export interface ReportCheck extends CheckResult {
  readonly controls: readonly ControlId[];
  /** On failed and inconclusive checks. */
  readonly remedy?: string;
}

/** The headline figures, each taken from the check that judged it. */
export interface Figures {
  readonly rpo: {
    /**
     * The age of the newest COMPLETED recovery point that existed before the run, as BACKUP-RPO
     * judged it (`tablesafe drill`, which has no live checks: DRILL-RECOVERY-POINT, unless the
     * drill made a fresh backup). not-measured: no such point, or the judging check was skipped.
     */
    readonly status: 'pass' | 'fail' | 'not-measured';
    readonly judgedBy?: 'BACKUP-RPO' | 'DRILL-RECOVERY-POINT';
    readonly ageMinutes?: number;
    readonly targetMinutes: number;
    readonly recoveryPointArn?: string;
    readonly recoveryPointCreatedAt?: string;
    /** Why not measured, or the judging check's message. */
    readonly message: string;
  };
  /** The backup the drill made itself (`--fresh`): shown apart, never the headline RPO. */
  readonly freshBackup?: { readonly backupJobId?: string; readonly recoveryPointArn?: string; readonly ageMinutes?: number };
  readonly rto: {
    readonly targetMinutes: number;
    /** One per restore path asked for, from its DRILL-RESTORE* check. */
    readonly paths: readonly { readonly path: 'backup' | 'pitr' | 'dr'; readonly check: string; readonly status: CheckStatus; readonly seconds?: number }[];
  };
}

export interface Summary {
  readonly passed: number;
  /** Failed checks, verify's own errors included. */
  readonly failed: number;
  /** Of the failed checks, those where verify itself failed (read denied, deadline, crash): JUnit `<error>`s. */
  readonly errors: number;
  readonly skipped: number;
  readonly inconclusive: number;
  /** passed + failed + skipped + inconclusive = the number of checks. */
  readonly total: number;
}

/** One table the contract puts in scope, and how far this run tested it. */
export interface ScopeTable {
  readonly table: string;
  readonly region: string;
  /** A restore of it completed (its DRILL-RESTORE check passed). */
  readonly restored: boolean;
  /** Its restored data was proven: DATA-COUNT and DATA-DIGEST or DATA-SAMPLE passed. */
  readonly validated: boolean;
  readonly itemsValidated: number;
  /** Restore paths run against it (none when the drill was skipped). */
  readonly paths: readonly ('backup' | 'pitr' | 'dr')[];
}

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: 'tablesafe';
  readonly command: 'verify' | 'drill';
  readonly runId: string;
  readonly stack: string;
  readonly environment: string;
  readonly region: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Inconclusive checks fail the run (unless the contract allows an empty table). */
  readonly strict: boolean;
  readonly verdict: Verdict;
  /** `PASSED`, `PASSED (no restore tested)`, `PASSED (inconclusive: no data validated)` or `FAILED`: what every rendering prints. */
  readonly verdictLabel: string;
  /** A restore completed (a DRILL-RESTORE* check passed). */
  readonly restoreTested: boolean;
  readonly summary: Summary;
  readonly figures: Figures;
  readonly checks: readonly ReportCheck[];
  /** Absent when the drill was skipped (`--skip-drill`). */
  readonly drill?: DrillMetrics;
  readonly controls: readonly ControlEvidence[];
  /** Tables in scope against tables tested. */
  readonly scope: { readonly tables: readonly ScopeTable[] };
  readonly provenance: Provenance;
  /** The identity (ARN) each phase ran as: the stack's roles by default, the caller with `--as-caller`. */
  readonly identities?: { readonly liveChecks?: string; readonly drill?: string };
}

export interface ReportParts {
  readonly command: Report['command'];
  readonly runId: string;
  readonly stack: string;
  readonly environment: string;
  readonly region: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** @default true */
  readonly strict?: boolean;
  readonly checks: readonly CheckResult[];
  readonly drill?: DrillMetrics;
  /** The contract's targets, for figures no check measured. */
  readonly targets: { readonly rpoMinutes: number; readonly rtoMinutes: number };
  /** The tables the contract puts in scope. */
  readonly tables: readonly { readonly table: string; readonly region: string }[];
  readonly provenance: Provenance;
  /** The identity (ARN) each phase ran as. @default not recorded */
  readonly identities?: { readonly liveChecks?: string; readonly drill?: string };
}

const RESTORE_CHECK = { backup: 'DRILL-RESTORE', pitr: 'DRILL-RESTORE-PITR', dr: 'DRILL-RESTORE-DR' } as const;

export function countChecks(checks: readonly Pick<CheckResult, 'status' | 'error'>[]): Summary {
  const n = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  return { passed: n('pass'), failed: n('fail'), errors: checks.filter((c) => c.status === 'fail' && c.error === true).length, skipped: n('skip'), inconclusive: n('inconclusive'), total: checks.length };
}

/** FAILED when a check failed, or (strict, empty table not allowed) one was inconclusive. */
export function verdictOf(summary: Summary, strict: boolean, emptyTableAllowed: boolean): Verdict {
  return summary.failed > 0 || (summary.inconclusive > 0 && strict && !emptyTableAllowed) ? 'FAILED' : 'PASSED';
}

export function verdictLabelOf(verdict: Verdict, restoreTested: boolean, summary: Summary): string {
  if (verdict === 'FAILED') return 'FAILED';
  if (!restoreTested) return 'PASSED (no restore tested)';
  if (summary.inconclusive > 0) return 'PASSED (inconclusive: no data validated)';
  return 'PASSED';
}

export const restoreTestedBy = (checks: readonly Pick<CheckResult, 'id' | 'status'>[]): boolean => checks.some((c) => (Object.values(RESTORE_CHECK) as string[]).includes(c.id) && c.status === 'pass');

export function figuresOf(checks: readonly CheckResult[], drill: DrillMetrics | undefined, targets: ReportParts['targets']): Figures {
  const fresh = drill?.backupJobId !== undefined;
  const judge = checks.find((c) => c.id === 'BACKUP-RPO') ?? (fresh ? undefined : checks.find((c) => c.id === 'DRILL-RECOVERY-POINT'));
  const m = judge?.measurement?.quantity === 'rpo' ? judge.measurement : undefined;
  const rpo: Figures['rpo'] =
    judge && m && (judge.status === 'pass' || judge.status === 'fail')
      ? { status: judge.status, judgedBy: judge.id as 'BACKUP-RPO' | 'DRILL-RECOVERY-POINT', ageMinutes: m.value, targetMinutes: m.target, recoveryPointArn: m.subject, recoveryPointCreatedAt: m.createdAt, message: judge.message }
      : {
          status: judge?.status === 'fail' ? 'fail' : 'not-measured',
          ...(judge ? { judgedBy: judge.id as 'BACKUP-RPO' | 'DRILL-RECOVERY-POINT' } : {}),
          targetMinutes: targets.rpoMinutes,
          message: judge ? judge.message : fresh ? 'no recovery point from before the run was judged (the drill restored the backup it made: --fresh)' : 'no check judged a recovery point',
        };
  const paths = (drill?.paths?.length ? drill.paths.map((p) => p.path) : drill ? (['backup'] as const) : []).map((path) => {
    const c = checks.find((x) => x.id === RESTORE_CHECK[path]);
    const seconds = c?.measurement?.quantity === 'rto' ? c.measurement.value : undefined;
    return { path, check: RESTORE_CHECK[path], status: c?.status ?? 'skip', ...(seconds !== undefined ? { seconds } : {}) };
  });
  return {
    rpo,
    ...(fresh ? { freshBackup: { backupJobId: drill?.backupJobId, recoveryPointArn: drill?.recoveryPointArn, ageMinutes: drill?.rpoMeasuredMinutes } } : {}),
    rto: { targetMinutes: targets.rtoMinutes, paths },
  };
}

export function buildReport(parts: ReportParts): Report {
  const strict = parts.strict ?? true;
  const checks: ReportCheck[] = parts.checks.map((c) => ({
    ...c,
    controls: controlsFor(c.id),
    ...(c.status === 'fail' || c.status === 'inconclusive' ? { remedy: remedyFor(c) } : {}),
  }));
  const summary = countChecks(checks);
  const verdict = verdictOf(summary, strict, parts.drill?.emptyTableAllowed === true);
  const restoreTested = restoreTestedBy(checks);
  const { targets: _targets, tables, ...rest } = parts;
  const passed = (id: string) => checks.some((c) => c.id === id && c.status === 'pass');
  const scope = {
    tables: tables.map((t) => ({
      ...t,
      restored: restoreTested,
      validated: restoreTested && passed('DATA-COUNT') && (passed('DATA-DIGEST') || passed('DATA-SAMPLE')),
      itemsValidated: parts.drill?.itemsValidated ?? 0,
      paths: (parts.drill?.paths ?? []).filter((p) => p.status !== 'not-run').map((p) => p.path),
    })),
  };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'tablesafe',
    ...rest,
    strict,
    verdict,
    verdictLabel: verdictLabelOf(verdict, restoreTested, summary),
    restoreTested,
    summary,
    figures: figuresOf(parts.checks, parts.drill, parts.targets),
    checks,
    controls: controlsEvidenced(checks),
    scope,
  };
}

/**
 * Every way a report disagrees with itself: counts that are not the checks', totals that do not
 * add up, a verdict or label its checks contradict, a figure no check judged. Empty for a report
 * `buildReport` made; a hand-edited one (FAILED flipped to PASSED) shows here.
 */
export function reportProblems(r: Report): string[] {
  const out: string[] = [];
  const checks = Array.isArray(r.checks) ? r.checks : [];
  const want = countChecks(checks);
  for (const k of Object.keys(want) as (keyof Summary)[]) if (r.summary?.[k] !== want[k]) out.push(`summary.${k}: expected ${want[k]} (from the checks), actual ${r.summary?.[k]}`);
  if (r.summary && r.summary.passed + r.summary.failed + r.summary.skipped + r.summary.inconclusive !== r.summary.total) out.push('summary: passed + failed + skipped + inconclusive must equal total');
  const verdict = verdictOf(want, r.strict !== false, r.drill?.emptyTableAllowed === true);
  if (r.verdict !== verdict) out.push(`verdict: expected ${verdict} (from the checks), actual ${r.verdict}`);
  const tested = restoreTestedBy(checks);
  if (r.restoreTested !== tested) out.push(`restoreTested: expected ${tested}, actual ${r.restoreTested}`);
  const label = verdictLabelOf(verdict, tested, want);
  if (r.verdictLabel !== label) out.push(`verdictLabel: expected "${label}", actual "${r.verdictLabel}"`);
  if (r.command === 'drill' && !r.drill) out.push('drill: a drill report must carry its drill section');
  for (const c of checks) {
    const want = controlsFor(c.id);
    if (JSON.stringify(c.controls ?? []) !== JSON.stringify(want)) out.push(`checks.${c.id}.controls: expected ${JSON.stringify(want)}, actual ${JSON.stringify(c.controls)}`);
  }
  for (const want of controlsEvidenced(checks)) {
    const got = (r.controls ?? []).find((c) => c.control === want.control);
    if (!got || got.status !== want.status || JSON.stringify(got.checks) !== JSON.stringify(want.checks)) out.push(`controls.${want.control}: expected ${want.status} by ${want.checks.join(', ') || 'no check'}, actual ${got ? `${got.status} by ${got.checks.join(', ') || 'no check'}` : 'missing'}`);
  }
  const rpoJudge = checks.find((c) => c.id === r.figures?.rpo?.judgedBy);
  if (r.figures?.rpo?.ageMinutes !== undefined && rpoJudge?.measurement?.value !== r.figures.rpo.ageMinutes) out.push(`figures.rpo.ageMinutes: ${r.figures.rpo.ageMinutes} is not what ${r.figures.rpo.judgedBy ?? 'any check'} measured`);
  for (const p of r.figures?.rto?.paths ?? []) {
    const c = checks.find((x) => x.id === p.check);
    if (p.seconds !== undefined && c?.measurement?.value !== p.seconds) out.push(`figures.rto.paths.${p.path}.seconds: ${p.seconds} is not what ${p.check} measured`);
  }
  return out;
}

/** `37 items changed since the recovery point`, `no item changed since the recovery point`. */
export function dataAtRiskShort(d: DataAtRisk): string {
  if (d.total === 0) return d.by === 'count' ? 'no net item count change since the recovery point' : 'no item changed since the recovery point';
  return `${d.total} item${d.total === 1 ? '' : 's'} ${d.by === 'count' ? `net ${d.added ? 'added' : 'removed'}` : 'changed'} since the recovery point`;
}

const secondsText = (s: number | undefined) => (s !== undefined ? `${s} s` : 'not measured');

/** `RTO backup 42 s, pitr 55 s (target 60 min)`, from the restore checks. */
export function rtoLine(f: Figures): string {
  const p = f.rto.paths;
  const rto = p.length > 1 ? p.map((x) => `${x.path} ${secondsText(x.seconds)}`).join(', ') : secondsText(p[0]?.seconds);
  return `RTO ${rto} (target ${f.rto.targetMinutes} min)`;
}

/** `RPO 61 min (target 1440 min)`, from BACKUP-RPO; `RPO not measured (…)` when no point before the run was judged. */
export function rpoLine(f: Figures): string {
  return `RPO ${f.rpo.ageMinutes !== undefined ? `${f.rpo.ageMinutes} min` : 'not measured'} (target ${f.rpo.targetMinutes} min)`;
}

/** `fresh backup 0.1 min old`: the drill's own backup, never the RPO. */
export function freshBackupLine(f: Figures): string | undefined {
  if (!f.freshBackup) return undefined;
  return `fresh backup ${f.freshBackup.ageMinutes !== undefined ? `${f.freshBackup.ageMinutes} min old` : 'made'} (not the RPO)`;
}

/**
 * `FAILED: 30 passed, 2 failed, 1 skipped · RTO 42 s (target 60 min) · RPO 61 min (target 1440 min)`;
 * with more than one restore path, `RTO backup 42 s, pitr 55 s (target 60 min)`; with a fresh
 * backup, `· fresh backup 0.1 min old (not the RPO)`; with data at risk measured,
 * `· 37 items changed since the recovery point`. Every figure is the one its check judged.
 */
export function summaryLine(r: Report): string {
  const s = r.summary;
  const parts = [`${r.verdictLabel}: ${s.passed} passed, ${s.failed} failed${s.errors ? ` (${s.errors} of them errors of verify itself)` : ''}, ${s.skipped} skipped${s.inconclusive ? `, ${s.inconclusive} inconclusive` : ''}`];
  if (r.drill) {
    parts.push(rtoLine(r.figures), rpoLine(r.figures));
    const fresh = freshBackupLine(r.figures);
    if (fresh) parts.push(fresh);
    if (r.drill.dataAtRisk) parts.push(dataAtRiskShort(r.drill.dataAtRisk));
  } else parts.push(rpoLine(r.figures), 'drill skipped');
  return parts.join(' · ');
}
