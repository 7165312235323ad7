/**
 * DCS periods in UTC: where they start, how many fit in a span, and stepping by whole periods.
 * DCS counts every period from UTC boundaries: half-hours and hours on the clock, days from
 * 00:00Z, weeks from Monday 00:00Z, months from the 1st at 00:00Z.
 */
import type { PeriodType } from '../dcs/types';

const MINUTE_MS = 60_000;
const FIXED_MS: Record<Exclude<PeriodType, 'month'>, number> = {
  halfHour: 30 * MINUTE_MS,
  hour: 60 * MINUTE_MS,
  day: 1440 * MINUTE_MS,
  week: 7 * 1440 * MINUTE_MS,
};
/** 1970-01-05 was a Monday: weeks are counted from there. */
const FIRST_MONDAY_MS = 4 * 1440 * MINUTE_MS;

/** True when `ms` is the start of a `periodType` period in UTC. */
export function isPeriodBoundary(ms: number, periodType: PeriodType): boolean {
  if (periodType === 'month') {
    const d = new Date(ms);
    return d.getUTCDate() === 1 && ms % FIXED_MS.day === 0;
  }
  const offset = periodType === 'week' ? FIRST_MONDAY_MS : 0;
  return mod(ms - offset, FIXED_MS[periodType]) === 0;
}

/** What a boundary of this period type looks like, for error messages. */
export function describeBoundary(periodType: PeriodType): string {
  switch (periodType) {
    case 'halfHour': return 'on the hour or half-hour (UTC)';
    case 'hour': return 'on the hour (UTC)';
    case 'day': return 'at 00:00 UTC';
    case 'week': return 'on a Monday at 00:00 UTC';
    case 'month': return 'on the 1st of a month at 00:00 UTC';
  }
}

/** `count` whole periods after `startMs` (months by the calendar, in UTC). */
export function addPeriods(startMs: number, periodType: PeriodType, count: number): number {
  if (periodType !== 'month') return startMs + count * FIXED_MS[periodType];
  const d = new Date(startMs);
  d.setUTCMonth(d.getUTCMonth() + count);
  return d.getTime();
}

/** Whole periods in the half-open span [startMs, endMs). */
export function countPeriods(startMs: number, endMs: number, periodType: PeriodType): number {
  if (!(endMs > startMs)) return 0;
  if (periodType !== 'month') return Math.floor((endMs - startMs) / FIXED_MS[periodType]);
  const a = new Date(startMs);
  const b = new Date(endMs);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (addPeriods(startMs, 'month', months) > endMs) months -= 1;
  return Math.max(0, months);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
