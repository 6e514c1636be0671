/**
 * AWS Backup schedule expressions: `cron(minutes hours day-of-month month day-of-week year)`, UTC.
 * Used at synth (plan validation, RPO derivation) and by the rules (plan frequency vs RPO).
 *
 * Supported per field: `*`, `?` (day fields), numbers, ranges `a-b`, lists `a,b`, steps `a/n` and
 * `a-b/n`, month names JAN-DEC, weekday names SUN-SAT (1-7), and `L` (last day of the month).
 */

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
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2199 },
];

interface ParsedCron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** undefined = `?` or `*` (any day). */
  readonly daysOfMonth?: ReadonlySet<number>;
  readonly lastDayOfMonth: boolean;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek?: ReadonlySet<number>;
  readonly years?: ReadonlySet<number>;
}

class CronError extends Error {}

function parseValue(field: Field, token: string): number {
  const upper = token.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + field.min : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < field.min || value > field.max) {
    throw new CronError(`${field.name} value "${token}" must be ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`);
  }
  return value;
}

function parseField(field: Field, text: string): Set<number> | undefined {
  if (text === '*' || text === '?') return undefined;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`${field.name} step "${stepText}" must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [field.min, field.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [parseValue(field, a), parseValue(field, b)];
      if (from > to) throw new CronError(`${field.name} range "${range}" runs backwards`);
    } else {
      from = parseValue(field, range);
      to = stepText === undefined ? from : field.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parse(expression: string): ParsedCron {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) throw new CronError('must look like cron(minutes hours day-of-month month day-of-week year)');
  const parts = match[1].trim().split(/\s+/);
  if (parts.length !== 6) throw new CronError(`needs 6 fields (minutes hours day-of-month month day-of-week year), found ${parts.length}`);
  const [min, hour, dom, month, dow, year] = parts;
  if ((dom === '?') === (dow === '?')) throw new CronError('exactly one of day-of-month and day-of-week must be "?"');
  const minutes = parseField(FIELDS[0], min) ?? range(0, 59);
  const hours = parseField(FIELDS[1], hour) ?? range(0, 23);
  const lastDayOfMonth = dom.toUpperCase() === 'L';
  return {
    minutes,
    hours,
    daysOfMonth: lastDayOfMonth ? undefined : parseField(FIELDS[2], dom),
    lastDayOfMonth,
    months: parseField(FIELDS[3], month) ?? range(1, 12),
    daysOfWeek: parseField(FIELDS[4], dow),
    years: parseField(FIELDS[5], year),
  };
}

function range(from: number, to: number): Set<number> {
  const s = new Set<number>();
  for (let v = from; v <= to; v++) s.add(v);
  return s;
}

/** An error message for an invalid expression, or undefined when it is valid. */
export function validateCron(expression: string): string | undefined {
  try {
    parse(expression);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return `AWS Backup cron expression ${e.message}`;
    throw e;
  }
}

const DAY_MS = 86_400_000;

/**
 * The longest gap between two consecutive runs, in minutes, over two years from `from`
 * (a schedule's effective RPO). Throws on an invalid expression; Infinity if it fires at most once.
 */
export function cronIntervalMinutes(expression: string, from = Date.UTC(2026, 0, 1)): number {
  const c = parse(expression);
  const times: number[] = [];
  const minutesOfDay = [...c.hours].sort((a, b) => a - b).flatMap((h) => [...c.minutes].sort((a, b) => a - b).map((m) => h * 60 + m));
  for (let day = 0; day < 731; day++) {
    const d = new Date(from + day * DAY_MS);
    const dom = d.getUTCDate();
    const month = d.getUTCMonth() + 1;
    if (!c.months.has(month) || (c.years && !c.years.has(d.getUTCFullYear()))) continue;
    if (c.lastDayOfMonth && new Date(from + (day + 1) * DAY_MS).getUTCDate() !== 1) continue;
    if (c.daysOfMonth && !c.daysOfMonth.has(dom)) continue;
    if (c.daysOfWeek && !c.daysOfWeek.has(d.getUTCDay() + 1)) continue;
    for (const m of minutesOfDay) times.push(from + day * DAY_MS + m * 60_000);
  }
  if (times.length < 2) return Infinity;
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  return Math.round(longest / 60_000);
}
