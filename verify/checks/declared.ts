/**
 * The drill's declared checks: every one of them appears in every run, so a failed restore or a
 * skipped drill does not make checks vanish. A check whose precondition failed is `skip`, with
 * the reason.
 */
import type { DrillPath } from '../../core/contract';
import { check, CheckCategory, CheckResult } from './check';

const RESTORE: Record<DrillPath, string> = { backup: 'DRILL-RESTORE', pitr: 'DRILL-RESTORE-PITR', dr: 'DRILL-RESTORE-DR' };
const DESIGN: Record<DrillPath, string> = { backup: 'DRILL-DESIGN', pitr: 'DRILL-DESIGN-PITR', dr: 'DRILL-DESIGN-DR' };

export interface DeclaredCheck {
  readonly id: string;
  readonly category: CheckCategory;
}

/** The checks a drill over `paths` declares, in the order a complete run reports them. */
export function declaredDrillChecks(paths: readonly DrillPath[], fresh: boolean): DeclaredCheck[] {
  const drill = (id: string): DeclaredCheck => ({ id, category: 'drill' });
  const data = (id: string): DeclaredCheck => ({ id, category: 'data' });
  return [
    ...(fresh ? [drill('DRILL-FRESH-BACKUP')] : []),
    drill('DRILL-RECOVERY-POINT'),
    ...(paths.includes('dr') ? [drill('DRILL-DR-COPY')] : []),
    ...paths.flatMap((p) => [drill(RESTORE[p]), drill(DESIGN[p])]),
    drill('DRILL-REAPPLY'),
    data('DATA-COUNT'),
    data('DATA-SAMPLE'),
    data('DATA-DIGEST'),
    data('DATA-AT-RISK'),
    drill('DRILL-CLEANUP'),
  ];
}

/**
 * `checks` plus a skipped check for every declared one missing. The reason names the check that
 * stopped the drill before it, or `whenNothingFailed` (the drill was skipped, or nothing was
 * left to clean up).
 */
export function completeChecks(checks: readonly CheckResult[], declared: readonly DeclaredCheck[], titleOf: (id: string) => string, whenNothingFailed: string): CheckResult[] {
  const present = new Set(checks.map((c) => c.id));
  const stopper = checks.find((c) => (c.category === 'drill' || c.category === 'data') && (c.status === 'fail' || (c.status === 'skip' && c.id === 'DRILL-RECOVERY-POINT')));
  const missing = declared.filter((d) => !present.has(d.id)).map((d) => {
    const reason =
      d.id === 'DRILL-CLEANUP'
        ? `no scratch table was created, so there was nothing to delete${stopper ? ` (${stopper.id} stopped the drill first)` : ''}`
        : stopper
          ? `not run: ${stopper.id} ${stopper.status === 'fail' ? 'failed' : 'was skipped'} before it (${stopper.message.length > 160 ? `${stopper.message.slice(0, 157)}…` : stopper.message})`
          : whenNothingFailed;
    return check(d.id, titleOf(d.id), d.category, { status: 'skip', message: reason });
  });
  return [...checks, ...missing];
}
