/**
 * Calendar arithmetic on wall-clock times: a local date-time held as a UTC epoch number (what the
 * clock on the wall shows, with no zone attached). Days run midnight to midnight, weeks start on
 * Monday, quarters on 1 January, April, July and October; half-hours and hours on :00 and :30.
 *
 * The one definition of it for the server (the local calendar of intervals, `intervals/calendar.ts`)
 * and the add-in (widening a range to whole intervals, `addin/query/intervals-query.ts`): this
 * module uses nothing but `Date.UTC` and imports only wire types, so the add-in may import it
 * (CONTRIBUTING, *Layout*). Zones are not its business: `time/zones.ts` turns wall clocks into
 * instants.
 */
import type { IntervalType } from '../api/types';

/** Every interval, shortest first. */
export const INTERVAL_TYPES: readonly IntervalType[] = ['halfHour', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

export const HALF_HOUR_MS = 1_800_000;
export const DAY_MS = 86_400_000;

/** Units measured on the clock, in milliseconds; the others follow the calendar. */
const CLOCK_MS: Partial<Record<IntervalType, number>> = { halfHour: HALF_HOUR_MS, hour: 2 * HALF_HOUR_MS };

/** Calendar units as months (days and weeks are not). */
const MONTHS_IN: Partial<Record<IntervalType, number>> = { month: 1, quarter: 3, year: 12 };

/** The start of the half-hour, hour, day, week, month, quarter or year holding the wall time `wall`. */
export function floorWall(wall: number, unit: IntervalType): number {
  const clock = CLOCK_MS[unit];
  if (clock !== undefined) return wall - mod(wall, clock);
  const day = Math.floor(wall / DAY_MS) * DAY_MS;
  if (unit === 'day') return day;
  if (unit === 'week') return day - mod(new Date(day).getUTCDay() + 6, 7) * DAY_MS; // back to Monday
  const date = new Date(day);
  const months = MONTHS_IN[unit] ?? 1;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - (date.getUTCMonth() % months), 1);
}

/** A unit's start `wall` (as `floorWall` gives) moved by `count` units, forwards or back. */
export function addWall(wall: number, unit: IntervalType, count: number): number {
  const clock = CLOCK_MS[unit];
  if (clock !== undefined) return wall + count * clock;
  if (unit === 'day') return wall + count * DAY_MS;
  if (unit === 'week') return wall + count * 7 * DAY_MS;
  const date = new Date(wall);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count * (MONTHS_IN[unit] ?? 1), 1);
}

/** The first unit start at or after `wall`. */
export function ceilWall(wall: number, unit: IntervalType): number {
  const floor = floorWall(wall, unit);
  return floor === wall ? wall : addWall(floor, unit, 1);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
