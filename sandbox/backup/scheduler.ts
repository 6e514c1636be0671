import { lastRunBetween, parseCron } from '../../core/cron';
import { globMatch as wildcard } from '../../core/glob';
import type { Deps } from './context';
import { createBackupJob } from './handlers/backup-jobs';
import { latest } from './handlers/plans';
import type { SelectionRecord } from './state';

type Json = Record<string, unknown>;


interface Candidate {
  arn: string;
  tags: () => Promise<Record<string, string>>;
}

async function tablesIn(deps: Deps, region: string, accountId: string): Promise<Candidate[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await deps.dynamodb(region, 'ListTables', start ? { ExclusiveStartTableName: start } : {});
    names.push(...((out.TableNames as string[] | undefined) ?? []));
    start = out.LastEvaluatedTableName as string | undefined;
  } while (start);
  return names.map((name) => {
    const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
    let cached: Promise<Record<string, string>> | undefined;
    return {
      arn,
      tags: () =>
        (cached ??= deps.dynamodb(region, 'ListTagsOfResource', { ResourceArn: arn }).then((out) =>
          Object.fromEntries(((out.Tags as Json[] | undefined) ?? []).map((t) => [String(t.Key), String(t.Value)])),
        )),
    };
  });
}

function conditionHolds(op: string, expected: string, actual: string | undefined): boolean {
  switch (op) {
    case 'StringEquals':
      return actual === expected;
    case 'StringNotEquals':
      return actual !== expected;
    case 'StringLike':
      return actual !== undefined && wildcard(expected, actual);
    case 'StringNotLike':
      return actual === undefined || !wildcard(expected, actual);
    default:
      return false;
  }
}

/**
 * Whether a selection picks a table: Resources (or all, when only tags/conditions are given) minus
 * NotResources, then any ListOfTags condition (OR) and every Conditions entry (AND).
 */
async function selects(selection: Json, c: Candidate): Promise<boolean> {
  const resources = (selection.Resources as string[] | undefined) ?? [];
  const notResources = (selection.NotResources as string[] | undefined) ?? [];
  if (resources.length > 0 && !resources.some((r) => wildcard(r, c.arn))) return false;
  if (notResources.some((r) => wildcard(r, c.arn))) return false;
  const listOfTags = (selection.ListOfTags as Json[] | undefined) ?? [];
  if (listOfTags.length > 0) {
    const tags = await c.tags();
    if (!listOfTags.some((t) => tags[String(t.ConditionKey)] === String(t.ConditionValue))) return false;
  }
  const conditions = (selection.Conditions as Record<string, Json[]> | undefined) ?? {};
  for (const [op, list] of Object.entries(conditions)) {
    for (const cond of list) {
      const key = String(cond.ConditionKey).replace(/^aws:ResourceTag\//, '');
      const tags = await c.tags();
      if (!conditionHolds(op, String(cond.ConditionValue), tags[key])) return false;
    }
  }
  return true;
}

/**
 * The clock plan schedules run on. Records (jobs, recovery points, plans) always carry real time;
 * only the question "which schedule slots have passed" is asked in schedule time, so a time scale
 * can make a day of hourly and daily rules pass in minutes while every timestamp stays real.
 */
export interface ScheduleClock {
  /** Schedule time now, epoch milliseconds. */
  now(): number;
  /** Schedule time of a real instant (a plan version's creation date). */
  at(realMs: number): number;
}

/** Schedule time equals the given clock's time (tests drive schedules by setting the clock). */
export function fixedClock(now: () => number): ScheduleClock {
  return { now, at: (realMs) => realMs };
}

/**
 * Schedule time that runs `timeScale` times faster than `realNow` (the system clock): with 3600 an
 * hour of schedules passes in a real second, with 1 schedules run on the wall clock like AWS.
 * It starts at `startAt` (at least the real time), so a restarted sandbox never runs a slot twice:
 * pass the latest schedule time already acted on.
 */
export function scaledClock(timeScale: number, realNow: () => number = Date.now, startAt?: number): ScheduleClock {
  const realStart = realNow();
  const scheduleStart = Math.max(realStart, startAt ?? realStart);
  const at = (realMs: number) => scheduleStart + (realMs - realStart) * timeScale;
  return { now: () => at(realNow()), at };
}

/**
 * How often (real milliseconds) the scheduler looks for due rules: about every minute of
 * schedule time, between 50 ms and 1 s of real time.
 */
export function schedulePollMs(timeScale: number): number {
  return Math.round(Math.min(1000, Math.max(50, 60_000 / timeScale)));
}

/**
 * Runs every plan rule whose cron schedule fired since its last run (at most once per rule per
 * pass, the latest slot), starting a backup job for each table its plan's selections pick; the
 * rule's copy actions run when the job completes. Slots are found in schedule time (`clock`),
 * jobs are stamped with `now` (real time). Returns the ids of the jobs started.
 */
export async function runDueRules(deps: Deps, clock: ScheduleClock, now: number): Promise<string[]> {
  const started: string[] = [];
  const scheduleNow = clock.now();
  let changed = false;
  for (const plan of Object.values(deps.state.plans)) {
    if (plan.deletionDate !== undefined) continue;
    const version = latest(plan);
    const selections = Object.values(deps.state.selections).filter((s: SelectionRecord) => s.planId === plan.id);
    for (const rule of (version.plan.Rules as Json[]) ?? []) {
      const key = `${plan.id}/${String(rule.RuleId)}`;
      // A rule changed by UpdateBackupPlan counts from its new version, like a new rule.
      const since = Math.max(deps.state.scheduleMarks[key] ?? -Infinity, clock.at(version.creationDate));
      const fire = lastRunBetween(parseCron(String(rule.ScheduleExpression)), since, scheduleNow);
      if (fire === undefined) continue;
      deps.state.scheduleMarks[key] = fire;
      changed = true;
      if (selections.length === 0) continue;
      const candidates = await tablesIn(deps, plan.region, plan.accountId);
      const chosen = new Map<string, string>();
      for (const s of selections) {
        for (const c of candidates) if (!chosen.has(c.arn) && (await selects(s.selection, c))) chosen.set(c.arn, String(s.selection.IamRoleArn));
      }
      for (const [arn, role] of chosen) {
        try {
          const job = createBackupJob(deps, plan.region, plan.accountId, now, {
            vaultName: String(rule.TargetBackupVaultName),
            resourceArn: arn,
            iamRoleArn: role,
            lifecycle: rule.Lifecycle as Json | undefined,
            recoveryPointTags: rule.RecoveryPointTags as Record<string, string> | undefined,
            startWindowMinutes: rule.StartWindowMinutes as number | undefined,
            copyActions: rule.CopyActions as { DestinationBackupVaultArn: string }[] | undefined,
            createdBy: {
              BackupPlanId: plan.id,
              BackupPlanArn: plan.arn,
              BackupPlanVersion: version.versionId,
              BackupRuleId: String(rule.RuleId),
              BackupRuleName: String(rule.RuleName),
              BackupRuleCron: String(rule.ScheduleExpression),
              BackupRuleTimezone: String(rule.ScheduleExpressionTimezone ?? 'Etc/UTC'),
            },
          });
          plan.lastExecutionDate = now;
          deps.jobs.startBackup(job);
          started.push(job.id);
        } catch {
          // A rule pointing at a missing vault produces no job, like AWS's silently skipped window.
        }
      }
    }
  }
  // Most passes find nothing due: the state is written only when a mark moved.
  if (changed) await deps.store.persist();
  return started;
}
