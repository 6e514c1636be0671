/** The report: one versioned document every writer renders (json, junit, markdown, html). */
import type { CheckResult } from '../checks/check';
import type { DataAtRisk, DrillMetrics } from '../drill/drill';

export const REPORT_SCHEMA_VERSION = 1 as const;

export type Verdict = 'PASSED' | 'FAILED';

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
  readonly verdict: Verdict;
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number; readonly total: number };
  readonly checks: readonly CheckResult[];
  /** Absent when the drill was skipped (`--skip-drill`). */
  readonly drill?: DrillMetrics;
  readonly inputs: { readonly contract: string; readonly outputs: string; readonly caller?: string };
  /** The identity (ARN) each phase ran as: the stack's roles by default, the caller with `--as-caller`. */
  readonly identities?: { readonly liveChecks?: string; readonly drill?: string };
}

export function buildReport(parts: Omit<Report, 'schemaVersion' | 'tool' | 'verdict' | 'summary'>): Report {
  const passed = parts.checks.filter((c) => c.status === 'pass').length;
  const failed = parts.checks.filter((c) => c.status === 'fail').length;
  const skipped = parts.checks.filter((c) => c.status === 'skip').length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'tablesafe',
    ...parts,
    verdict: failed === 0 ? 'PASSED' : 'FAILED',
    summary: { passed, failed, skipped, total: parts.checks.length },
  };
}

/** `37 items changed since the recovery point`, `no item changed since the recovery point`. */
export function dataAtRiskShort(d: DataAtRisk): string {
  if (d.total === 0) return d.by === 'count' ? 'no net item count change since the recovery point' : 'no item changed since the recovery point';
  return `${d.total} item${d.total === 1 ? '' : 's'} ${d.by === 'count' ? `net ${d.added ? 'added' : 'removed'}` : 'changed'} since the recovery point`;
}

/**
 * `FAILED: 30 passed, 2 failed, 1 skipped · RTO 42 s (target 60 min) · RPO 61 min (target 1440 min)`;
 * with more than one restore path, `RTO backup 42 s, pitr 55 s (target 60 min)`; with data at
 * risk measured, `· 37 items changed since the recovery point`.
 */
export function summaryLine(r: Report): string {
  const parts = [`${r.verdict}: ${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped`];
  const d = r.drill;
  if (d) {
    const seconds = (s: number | undefined) => (s !== undefined ? `${s} s` : 'not measured');
    const rto = (d.paths?.length ?? 0) > 1 ? d.paths.map((p) => `${p.path} ${seconds(p.rtoMeasuredSeconds)}`).join(', ') : seconds(d.rtoMeasuredSeconds);
    parts.push(`RTO ${rto} (target ${d.rtoTargetMinutes} min)`);
    parts.push(`RPO ${d.rpoMeasuredMinutes !== undefined ? `${d.rpoMeasuredMinutes} min` : 'not measured'} (target ${d.rpoTargetMinutes} min)`);
    if (d.dataAtRisk) parts.push(dataAtRiskShort(d.dataAtRisk));
  } else parts.push('drill skipped');
  return parts.join(' · ');
}
