import { invalidValue } from './errors';

/**
 * AWS Backup schedule expressions: `cron(minutes hours day-of-month month day-of-week year)`, the
 * EventBridge dialect (one of day-of-month / day-of-week must be `?`). Validated on plan create and
 * update; `firesBetween` drives scheduled runs (UTC only; `L`, `W` and `#` are accepted but such
 * fields never fire in the sandbox).
 */
export interface CronSchedule {
  readonly fields: readonly (Set<number> | 'any' | 'unsupported')[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const LIMITS: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [1, 7],
  [1970, 2199],
];
const FIELD_NAMES = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'];

function parseValue(token: string, index: number): number {
  const upper = token.toUpperCase();
  if (index === 3 && MONTHS.includes(upper)) return MONTHS.indexOf(upper) + 1;
  if (index === 4 && DAYS.includes(upper)) return DAYS.indexOf(upper) + 1;
  if (!/^\d+$/.test(token)) return NaN;
  return Number(token);
}

function parseField(text: string, index: number, expr: string): Set<number> | 'any' | 'unsupported' {
  const bad = (why: string) =>
    invalidValue(`Invalid value for ScheduleExpression: ${JSON.stringify(expr)} — ${FIELD_NAMES[index]} field ${JSON.stringify(text)} ${why}`);
  if (text === '?') {
    if (index !== 2 && index !== 4) throw bad('may only be ? in day-of-month or day-of-week');
    return 'any';
  }
  if (text === '*') return 'any';
  if ((index === 2 && /^(L|LW|\d{1,2}W)$/i.test(text)) || (index === 4 && /^([1-7]|[A-Z]{3})(L|#[1-5])$/i.test(text)) || (index === 4 && text.toUpperCase() === 'L')) {
    return 'unsupported';
  }
  const [lo, hi] = LIMITS[index];
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [rangeText, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad('has an invalid step');
    let from: number;
    let to: number;
    if (rangeText === '*') {
      from = lo;
      to = hi;
    } else if (rangeText.includes('-')) {
      const [a, b] = rangeText.split('-');
      from = parseValue(a, index);
      to = parseValue(b, index);
    } else {
      from = parseValue(rangeText, index);
      to = stepText === undefined ? from : hi;
    }
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < lo || to > hi || from > to) {
      throw bad(`is out of range ${lo}-${hi}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expr: string): CronSchedule {
  const m = /^cron\((.*)\)$/.exec(expr.trim());
  if (!m) throw invalidValue(`Invalid value for ScheduleExpression: ${JSON.stringify(expr)} — expected cron(minutes hours day-of-month month day-of-week year)`);
  const parts = m[1].trim().split(/\s+/);
  if (parts.length !== 6) {
    throw invalidValue(`Invalid value for ScheduleExpression: ${JSON.stringify(expr)} — expected 6 fields, got ${parts.length}`);
  }
  const fields = parts.map((p, i) => parseField(p, i, expr));
  if ((parts[2] === '?') === (parts[4] === '?')) {
    throw invalidValue(`Invalid value for ScheduleExpression: ${JSON.stringify(expr)} — exactly one of day-of-month and day-of-week must be ?`);
  }
  return { fields };
}

function fieldMatches(field: Set<number> | 'any' | 'unsupported', value: number): boolean {
  if (field === 'any') return true;
  if (field === 'unsupported') return false;
  return field.has(value);
}

export function matchesMinute(schedule: CronSchedule, date: Date): boolean {
  const f = schedule.fields;
  return (
    fieldMatches(f[0], date.getUTCMinutes()) &&
    fieldMatches(f[1], date.getUTCHours()) &&
    fieldMatches(f[2], date.getUTCDate()) &&
    fieldMatches(f[3], date.getUTCMonth() + 1) &&
    fieldMatches(f[4], date.getUTCDay() + 1) &&
    fieldMatches(f[5], date.getUTCFullYear())
  );
}

/** The latest minute in (after, until] the schedule fires at, if any; scans at most 31 days back. */
export function lastFireBetween(schedule: CronSchedule, after: number, until: number): number | undefined {
  const minute = 60_000;
  const floor = Math.max(after, until - 31 * 24 * 60 * minute);
  for (let t = Math.floor(until / minute) * minute; t > floor; t -= minute) {
    if (matchesMinute(schedule, new Date(t))) return t;
  }
  return undefined;
}
