import type { PlanFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';

/** AWS Backup keeps a recovery point in cold storage at least this long. */
export const MIN_COLD_STORAGE_DAYS = 90;
/** Continuous backups are kept at most this long. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

interface Lifecycle {
  readonly where: string;
  readonly deleteAfterDays?: number;
  readonly coldStorageAfterDays?: number;
  readonly continuous: boolean;
}

function problemsOf(l: Lifecycle): string[] {
  const out: string[] = [];
  if (l.deleteAfterDays !== undefined && l.deleteAfterDays < 1) out.push(`${l.where}: delete_after ${l.deleteAfterDays} must be ≥ 1`);
  if (l.coldStorageAfterDays !== undefined) {
    if (l.continuous) out.push(`${l.where}: continuous backups cannot move to cold storage`);
    if (l.deleteAfterDays !== undefined && l.deleteAfterDays < l.coldStorageAfterDays + MIN_COLD_STORAGE_DAYS) {
      out.push(`${l.where}: delete_after ${l.deleteAfterDays} < cold_storage_after ${l.coldStorageAfterDays} + ${MIN_COLD_STORAGE_DAYS}`);
    }
  }
  if (l.continuous && l.deleteAfterDays !== undefined && l.deleteAfterDays > MAX_CONTINUOUS_RETENTION_DAYS) {
    out.push(`${l.where}: continuous backups are kept at most ${MAX_CONTINUOUS_RETENTION_DAYS} days, not ${l.deleteAfterDays}`);
  }
  return out;
}

export const planLifecycleValid: Rule<PlanFact> = {
  id: 'TS-BAK-005',
  title: 'Backup lifecycles are valid',
  severity: 'error',
  controls: ['AWS Backup Lifecycle API constraints'],
  explanation: `AWS Backup keeps cold-storage recovery points ≥ ${MIN_COLD_STORAGE_DAYS} days and continuous backups ≤ ${MAX_CONTINUOUS_RETENTION_DAYS} days; an invalid lifecycle fails at apply or silently shortens retention.`,
  appliesTo: 'plan',
  evaluate: (p) => {
    const lifecycles: Lifecycle[] = p.rules.flatMap((r) => [
      { where: `rule ${r.name}`, deleteAfterDays: r.deleteAfterDays, coldStorageAfterDays: r.coldStorageAfterDays, continuous: r.continuousBackup },
      ...r.copyActions.map((c, i) => ({ where: `rule ${r.name} copy ${i + 1}`, deleteAfterDays: c.deleteAfterDays, coldStorageAfterDays: c.coldStorageAfterDays, continuous: false })),
    ]);
    const set = lifecycles.filter((l) => l.deleteAfterDays !== undefined || l.coldStorageAfterDays !== undefined);
    const unknown = unknownInput(p, 'rules', 'retention', 'copyActions');
    if (set.length === 0) return unknown ?? notApplicable(p, 'no rule or copy sets a lifecycle (recovery points are kept until deleted)');
    const problems = set.flatMap(problemsOf);
    if (problems.length === 0 && unknown) return unknown;
    const expected = `delete_after ≥ cold_storage_after + ${MIN_COLD_STORAGE_DAYS}; continuous ≤ ${MAX_CONTINUOUS_RETENTION_DAYS} days`;
    const actual = set.map((l) => `${l.where}: cold ${l.coldStorageAfterDays ?? 'never'}, delete ${l.deleteAfterDays ?? 'never'}`).join('; ');
    return problems.length === 0
      ? compliant(p, 'every lifecycle is valid', expected, actual)
      : nonCompliant(p, problems.join('; '), { expected, actual }, `keep recovery points ≥ ${MIN_COLD_STORAGE_DAYS} days after they move to cold storage; keep continuous backups ≤ ${MAX_CONTINUOUS_RETENTION_DAYS} days`);
  },
};
