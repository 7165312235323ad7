/**
 * MIRROR_SCHEDULE: when the server runs the mirror itself, in cron's five fields (minute, hour,
 * day of month, month, day of week), read in UTC. The subset understood: `*`, numbers, ranges
 * `a-b`, lists `a,b`, steps `*\/n` and `a-b/n`; day of week 0–7 (0 and 7 are Sunday). As in cron,
 * when both day fields are restricted a day matching either runs. No names (`MON`, `JAN`) and no
 * `@daily`: written out, e.g. `30 2 * * *` (02:30 UTC every night).
 */

export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

export interface CronSchedule {
  readonly text: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const EXAMPLE = "e.g. '30 2 * * *' for 02:30 UTC every day";

export function parseCronSchedule(text: string): CronSchedule {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(`'${text}' is not a schedule: give five fields (minute hour day-of-month month day-of-week, UTC), ${EXAMPLE}`);
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i]));
  const weekdays = new Set([...sets[4]].map((d) => d % 7));
  return {
    text,
    minutes: sets[0],
    hours: sets[1],
    days: sets[2],
    months: sets[3],
    weekdays,
    daysRestricted: parts[2] !== '*',
    weekdaysRestricted: parts[4] !== '*',
  };
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  const bad = (why: string): CronSyntaxError =>
    new CronSyntaxError(
      `the ${field.name} field '${text}' ${why}; use *, a number from ${field.min} to ${field.max}, a range a-b, a list a,b or a step */n, ${EXAMPLE}`,
    );
  for (const item of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw bad('is not understood');
    const from = match[1] === '*' ? field.min : Number(match[2]);
    const to = match[1] === '*' ? field.max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? field.max : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < field.min || to > field.max || from > to) throw bad(`is outside ${field.min}–${field.max}`);
    if (step < 1) throw bad('has a step of 0');
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const day = schedule.days.has(date.getUTCDate());
  const weekday = schedule.weekdays.has(date.getUTCDay());
  if (schedule.daysRestricted && schedule.weekdaysRestricted) return day || weekday;
  return day && weekday;
}

/** The first whole minute strictly after `afterMs` that the schedule names (UTC), or undefined within 5 years (e.g. 31 February). */
export function nextRun(schedule: CronSchedule, afterMs: number): number | undefined {
  const date = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  const limit = afterMs + 5 * 366 * 86_400_000;
  while (date.getTime() <= limit) {
    if (!schedule.months.has(date.getUTCMonth() + 1)) {
      date.setUTCMonth(date.getUTCMonth() + 1, 1);
      date.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, date)) {
      date.setUTCDate(date.getUTCDate() + 1);
      date.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.has(date.getUTCHours())) {
      date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.has(date.getUTCMinutes())) {
      date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
    } else {
      return date.getTime();
    }
  }
  return undefined;
}
