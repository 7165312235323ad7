/**
 * Calendar arithmetic on wall-clock times: a local date-time held as a UTC epoch number (what the
 * clock on the wall shows, with no zone attached). Days run midnight to midnight, weeks start on
 * Monday, quarters on 1 January, April, July and October; half-hours and hours on :00 and :30.
 *
 * The one definition of it for the server (the local calendar of intervals, `intervals/calendar.ts`)
 * and the add-in (widening a range to whole intervals, `addin/query/intervals-query.ts`): this
 * module uses nothing but `Date.UTC` and `Intl` and imports only wire types, so the add-in may
 * import it (CONTRIBUTING, *Layout*). It also reads the wall clock of an instant in a zone
 * (`wallClockOf`); turning a wall clock back into an instant, with the daylight-saving rules, is
 * `time/zones.ts`'s.
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

/** One formatter per zone: creating one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The formatter that reads `zone`'s wall clock; throws RangeError when Intl does not know the zone. */
export function wallClockFormat(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formats.set(zone, format);
  }
  return format;
}

/** What the clock on the wall shows in `zone` at `instantMs`, to the second, held as a UTC epoch number. */
export function wallClockOf(zone: string, instantMs: number): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of wallClockFormat(zone).formatToParts(instantMs)) parts[part.type] = part.value;
  const year = Number(parts.year);
  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(/^B/i.test(parts.era ?? '') ? 1 - year : year, Number(parts.month) - 1, Number(parts.day));
  date.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return date.getTime();
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
