/** The report: one versioned document every writer renders (json, junit, markdown, html). */
import type { CheckResult } from '../checks/check';
import type { DrillMetrics } from '../drill/drill';

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

/** `FAILED: 30 passed, 2 failed, 1 skipped · RTO 42 s (target 60 min) · RPO 61 min (target 1440 min)` */
export function summaryLine(r: Report): string {
  const parts = [`${r.verdict}: ${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped`];
  if (r.drill) {
    parts.push(`RTO ${r.drill.rtoMeasuredSeconds !== undefined ? `${r.drill.rtoMeasuredSeconds} s` : 'not measured'} (target ${r.drill.rtoTargetMinutes} min)`);
    parts.push(`RPO ${r.drill.rpoMeasuredMinutes !== undefined ? `${r.drill.rpoMeasuredMinutes} min` : 'not measured'} (target ${r.drill.rpoTargetMinutes} min)`);
  } else parts.push('drill skipped');
  return parts.join(' · ');
}
