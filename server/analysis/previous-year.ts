/**
 * Year-on-year: which interval of a year earlier an interval is compared with, and the change.
 * Daily and weekly data are matched by weekday (364 days earlier: a Monday with a Monday, so a
 * working week is not compared with a weekend); every other interval by calendar (the same local
 * date and time a year earlier). A 29 February has no calendar counterpart: its previous is null.
 */
import type { IntervalType } from '../api/types';
import { localToInstantMs, offsetMinutesAt } from '../time/zones';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** 52 weeks: the same weekday a year earlier. */
const WEEKDAY_YEAR_DAYS = 364;

/** The start of the interval a year before the one starting at `startMs`, or null when there is none (29 February by calendar). */
export function previousYearStart(startMs: number, interval: IntervalType, timeZone: string): number | null {
  const wall = new Date(startMs + offsetMinutesAt(timeZone, startMs) * MINUTE_MS);
  if (interval === 'day' || interval === 'week') {
    return localToInstantMs(timeZone, wall.getTime() - WEEKDAY_YEAR_DAYS * DAY_MS);
  }
  if (wall.getUTCMonth() === 1 && wall.getUTCDate() === 29) return null;
  const shifted = Date.UTC(wall.getUTCFullYear() - 1, wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes());
  return localToInstantMs(timeZone, shifted);
}

export interface YearOnYear {
  previous: number | null;
  change: number | null;
  /** Change as a percentage of the previous figure; null when that is zero or unknown. */
  changePercent: number | null;
}

export function yearOnYear(current: number | null, previous: number | null): YearOnYear {
  if (current === null || previous === null) return { previous, change: null, changePercent: null };
  const change = Number((current - previous).toPrecision(12));
  return { previous, change, changePercent: previous === 0 ? null : Number(((change / previous) * 100).toPrecision(12)) };
}
