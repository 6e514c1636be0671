import type { PlanFact } from '../../facts/types';
import { cronIntervalMinutes, validateCron } from '../../../core/cron';
import { compliant, nonCompliant, notApplicable, Rule, unknownInput } from '../rule';
import { list } from '../match';

/** Minutes between runs of a valid schedule, undefined for an invalid one (schedules repeat across plans: computed once each). */
const INTERVALS = new Map<string, number | undefined>();
function intervalOf(schedule: string): number | undefined {
  if (!INTERVALS.has(schedule)) {
    if (INTERVALS.size > 10_000) INTERVALS.clear();
    INTERVALS.set(schedule, validateCron(schedule) === undefined ? cronIntervalMinutes(schedule) : undefined);
  }
  return INTERVALS.get(schedule);
}

export const planMeetsRpoAndRetention: Rule<PlanFact> = {
  id: 'TS-BAK-004',
  title: 'Backup plan runs at least as often as the RPO and keeps recovery points for the minimum retention',
  severity: 'error',
  controls: ['BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'],
  explanation: 'The longest gap between two scheduled backups is the data a restore can lose; recovery points kept too briefly cannot serve the audit or the restore.',
  appliesTo: 'plan',
  evaluate: (p, facts) => {
    const { rpoMinutes, minRetentionDays } = facts.requirements;
    const scheduled = p.rules.filter((r) => r.schedule !== undefined && intervalOf(r.schedule) !== undefined);
    const schedulesUnknown = unknownInput(p, 'rules', 'schedule');
    const retentionUnknown = unknownInput(p, 'rules', 'retention');
    if (scheduled.length === 0) return schedulesUnknown ?? notApplicable(p, 'plan has no valid scheduled rule');
    const intervals = scheduled.map((r) => intervalOf(r.schedule!)!);
    const best = intervals.reduce((a, b) => Math.min(a, b), Infinity);
    const short = p.rules.filter((r) => r.deleteAfterDays !== undefined && r.deleteAfterDays < minRetentionDays);
    const expected = `a rule every ≤ ${rpoMinutes} min; every rule keeps ≥ ${minRetentionDays} days`;
    const retention = p.rules.map((r) => `${r.name} ${r.deleteAfterDays === undefined ? 'forever' : `${r.deleteAfterDays} days`}`);
    const actual = `most frequent ${best === Infinity ? 'never repeats' : `every ${best} min`}; retention ${retention.join(', ')}`;
    const problems = [
      ...(best > rpoMinutes && !schedulesUnknown ? [`no rule runs every ${rpoMinutes} min or more often`] : []),
      ...(short.length ? [`rules keep recovery points under ${minRetentionDays} days: ${list(short.map((r) => r.name))}`] : []),
    ];
    if (problems.length > 0) return nonCompliant(p, problems.join('; '), { expected, actual }, `schedule a rule at least every ${rpoMinutes} minutes and set delete_after ≥ ${minRetentionDays} days on every rule`);
    if (best > rpoMinutes && schedulesUnknown) return schedulesUnknown;
    if (retentionUnknown) return retentionUnknown;
    return compliant(p, 'frequency meets the RPO and retention meets the minimum', expected, actual);
  },
};
