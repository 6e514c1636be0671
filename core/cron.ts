/**
 * AWS Backup schedule expressions: `cron(minutes hours day-of-month month day-of-week year)`, UTC,
 * EventBridge syntax (`*`, `?`, lists, ranges, steps, names, `L`, `W`, `#`). One of
 * day-of-month / day-of-week must be `?`. Day-of-week runs 1-7 = SUN-SAT.
 *
 * The one cron implementation of the project, so every place that reads a schedule agrees:
 * - `validateCron` says why an expression is invalid (construct props, the sandbox's CreateBackupPlan);
 * - `cronIntervalMinutes` answers the question a plan's RPO depends on: the longest gap between two
 *   consecutive runs (provisioning derives a rule's RPO with it, compliance rules hold a plan to it);
 * - `parseCron` + `lastRunBetween` say when a schedule fired (the sandbox's plan scheduler).
 */
import { TablesafeError } from './errors';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** AWS Backup starts a rule at most once an hour. */
export const MIN_BACKUP_INTERVAL_MINUTES = 60;

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
];

/** A day-of-month or day-of-week matcher for one calendar day. */
type DayMatcher = (date: Date) => boolean;

/** A parsed schedule expression (see parseCron). */
export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years?: ReadonlySet<number>;
  readonly day: DayMatcher;
}

class CronError extends Error {}

function valueOf(token: string, field: Field): number {
  const upper = token.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  const n = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : NaN;
  if (Number.isNaN(n) || n < field.min || n > field.max) {
    throw new CronError(`${field.name} value "${token}" is outside ${field.min}-${field.max}`);
  }
  return n;
}

/** `*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` and comma lists of those. */
function expand(expr: string, field: Field): number[] {
  const out = new Set<number>();
  for (const part of expr.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`${field.name} step "${stepText}" must be a positive integer`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [field.min, field.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [lo, hi] = [valueOf(a, field), valueOf(b, field)];
      if (lo > hi) throw new CronError(`${field.name} range "${range}" runs backwards`);
    } else {
      lo = valueOf(range, field);
      hi = stepText === undefined ? lo : field.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function nearestWeekday(year: number, month0: number, day: number): number {
  const last = daysInMonth(year, month0);
  const d = Math.min(day, last);
  const dow = new Date(Date.UTC(year, month0, d)).getUTCDay();
  if (dow === 6) return d === 1 ? 3 : d - 1;
  if (dow === 0) return d === last ? d - 2 : d + 1;
  return d;
}

function dayOfMonthMatcher(expr: string): DayMatcher {
  const field = FIELDS[2];
  if (expr === 'L') return (date) => date.getUTCDate() === daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  if (expr === 'LW') {
    return (date) => {
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth();
      return date.getUTCDate() === nearestWeekday(y, m, daysInMonth(y, m));
    };
  }
  const w = /^(\d+)W$/.exec(expr);
  if (w) {
    const day = valueOf(w[1], field);
    return (date) => date.getUTCDate() === nearestWeekday(date.getUTCFullYear(), date.getUTCMonth(), day);
  }
  const days = new Set(expand(expr, field));
  return (date) => days.has(date.getUTCDate());
}

function dayOfWeekMatcher(expr: string): DayMatcher {
  const field = FIELDS[4];
  // `L` alone is the last day of the week: Saturday.
  if (expr === 'L') return (date) => date.getUTCDay() === 6;
  const last = /^(\w+)L$/.exec(expr);
  if (last) {
    const dow = valueOf(last[1], field) - 1;
    return (date) => date.getUTCDay() === dow && date.getUTCDate() + 7 > daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  }
  const nth = /^(\w+)#(\d)$/.exec(expr);
  if (nth) {
    const dow = valueOf(nth[1], field) - 1;
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new CronError(`day-of-week "${expr}": the week number after # must be 1-5`);
    return (date) => date.getUTCDay() === dow && Math.ceil(date.getUTCDate() / 7) === n;
  }
  const days = new Set(expand(expr, field).map((d) => d - 1));
  return (date) => days.has(date.getUTCDay());
}

function parse(expr: string): CronSchedule {
  if (typeof expr !== 'string') throw new CronError('must be a string like cron(0 5 ? * * *)');
  const m = /^cron\((.*)\)$/.exec(expr.trim());
  if (!m) throw new CronError('must be written as cron(minutes hours day-of-month month day-of-week year)');
  const parts = m[1].trim().split(/\s+/);
  if (parts.length !== 6) throw new CronError(`has ${parts.length} fields; AWS Backup needs 6: minutes hours day-of-month month day-of-week year`);
  const [min, hour, dom, month, dow, year] = parts;
  if ((dom === '?') === (dow === '?')) {
    throw new CronError('exactly one of day-of-month and day-of-week must be "?"');
  }
  for (const [i, p] of [min, hour, month, year].entries()) {
    if (p === '?') throw new CronError(`${FIELDS[[0, 1, 3, 5][i]].name} cannot be "?"`);
  }
  return {
    minutes: expand(min, FIELDS[0]),
    hours: expand(hour, FIELDS[1]),
    months: new Set(expand(month, FIELDS[3])),
    years: year === '*' ? undefined : new Set(expand(year, FIELDS[5])),
    day: dom === '?' ? dayOfWeekMatcher(dow) : dayOfMonthMatcher(dom),
  };
}

/** The longest gap in minutes between consecutive runs; `Infinity` if it runs fewer than twice. */
function longestGap(cron: CronSchedule): number {
  const times = cron.hours.flatMap((h) => cron.minutes.map((m) => h * 60 + m));
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  // Four consecutive years contain every calendar pattern (one leap year included).
  const firstYear = cron.years ? Math.min(...cron.years) : 2025;
  const start = Date.UTC(firstYear, 0, 1);
  const end = Date.UTC(firstYear + 4, 0, 1);
  const dayMs = 86_400_000;
  let previousDay: number | undefined;
  let runs = 0;
  for (let t = start; t < end; t += dayMs) {
    const date = new Date(t);
    if (cron.years && !cron.years.has(date.getUTCFullYear())) continue;
    if (!cron.months.has(date.getUTCMonth() + 1) || !cron.day(date)) continue;
    const dayIndex = (t - start) / dayMs;
    if (previousDay !== undefined) {
      longest = Math.max(longest, (dayIndex - previousDay) * 1440 - times[times.length - 1] + times[0]);
    }
    previousDay = dayIndex;
    runs += times.length;
  }
  return runs < 2 ? Infinity : longest;
}

/**
 * Checks an AWS Backup schedule expression. Returns why it is invalid, or undefined when valid.
 * Also rejects schedules more frequent than hourly, which AWS Backup refuses.
 */
export function validateCron(expr: string): string | undefined {
  try {
    const gap = longestGap(parse(expr));
    if (gap < MIN_BACKUP_INTERVAL_MINUTES) {
      return `runs every ${gap} minutes; AWS Backup runs a rule at most once an hour`;
    }
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

/** An invalid expression as the one error type: the message names the expression and the problem. */
function invalidSchedule(expr: string, e: CronError): TablesafeError {
  return new TablesafeError('TS_E_INVALID_SCHEDULE', `schedule "${expr}" ${e.message}`, 'write it as cron(minutes hours day-of-month month day-of-week year) in UTC, e.g. cron(0 5 ? * * *)', {
    field: 'schedule',
  });
}

/**
 * Parses an AWS Backup cron expression. Throws TS_E_INVALID_SCHEDULE naming the problem when it is
 * invalid. Does not check the hourly minimum (validateCron does).
 */
export function parseCron(expr: string): CronSchedule {
  try {
    return parse(expr);
  } catch (e) {
    if (e instanceof CronError) throw invalidSchedule(expr, e);
    throw e;
  }
}

/**
 * The longest gap between two consecutive runs of an AWS Backup cron expression, in minutes
 * (`cron(0 5 ? * * *)` → 1440, `cron(0 *\/4 ? * * *)` → 240). Returns `Infinity` for a schedule
 * that runs fewer than twice in four years. Throws TS_E_INVALID_SCHEDULE naming the problem when
 * the expression is invalid.
 */
export function cronIntervalMinutes(expr: string): number {
  return longestGap(parseCron(expr));
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back lastRunBetween looks: a missed run older than this is not caught up. */
const LOOKBACK_DAYS = 31;

/**
 * The latest run of `schedule` in (after, until] (epoch milliseconds, minute slots), looking at
 * most 31 days back from `until`; undefined when it did not run in that window.
 */
export function lastRunBetween(schedule: CronSchedule, after: number, until: number): number | undefined {
  const floor = Math.max(after, until - LOOKBACK_DAYS * DAY_MS);
  const times = schedule.hours.flatMap((h) => schedule.minutes.map((m) => (h * 60 + m) * MINUTE_MS)).reverse();
  for (let day = Math.floor(until / DAY_MS) * DAY_MS; day + DAY_MS > floor; day -= DAY_MS) {
    const date = new Date(day);
    if (schedule.years && !schedule.years.has(date.getUTCFullYear())) continue;
    if (!schedule.months.has(date.getUTCMonth() + 1) || !schedule.day(date)) continue;
    for (const offset of times) {
      const t = day + offset;
      if (t <= until && t > floor) return t;
    }
  }
  return undefined;
}
