/**
 * Calendar arithmetic for DCS's five period types, in UTC. Half-hours, hours and days are fixed
 * lengths; weeks start on Monday 00:00; months are real calendar months (28 to 31 days).
 */
import { DcsQueryError } from './errors';
import { formatDcsTime } from './time';
import type { PeriodType } from './types';

export const MS_PER_DAY = 86_400_000;

/** Fixed lengths of the period types that have one. */
const FIXED_PERIOD_MS: Record<Exclude<PeriodType, 'month'>, number> = {
  halfHour: 1_800_000,
  hour: 3_600_000,
  day: MS_PER_DAY,
  week: 7 * MS_PER_DAY,
};

/** 1970-01-05 was a Monday: weeks are aligned to it. */
const FIRST_MONDAY_MS = 4 * MS_PER_DAY;

const PERIOD_NAMES: Record<PeriodType, string> = {
  halfHour: 'a half-hour',
  hour: 'an hour',
  day: 'a day',
  week: 'a week (Monday 00:00 UTC)',
  month: 'a month',
};

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Months since January 1970 of the month containing `ms`. */
function monthIndexOf(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

function monthStartMs(monthIndex: number): number {
  const year = 1970 + Math.floor(monthIndex / 12);
  return Date.UTC(year, floorMod(monthIndex, 12), 1);
}

/** The start of the period containing `ms`. */
export function floorToPeriod(ms: number, periodType: PeriodType): number {
  if (periodType === 'month') return monthStartMs(monthIndexOf(ms));
  const length = FIXED_PERIOD_MS[periodType];
  const origin = periodType === 'week' ? FIRST_MONDAY_MS : 0;
  return ms - floorMod(ms - origin, length);
}

export function isPeriodStart(ms: number, periodType: PeriodType): boolean {
  return floorToPeriod(ms, periodType) === ms;
}

/** The first period start at or after `ms`. */
export function ceilToPeriod(ms: number, periodType: PeriodType): number {
  const floor = floorToPeriod(ms, periodType);
  return floor === ms ? ms : addPeriods(floor, periodType, 1);
}

/** `ms` (a period start) moved by `count` periods, forwards or backwards. */
export function addPeriods(ms: number, periodType: PeriodType, count: number): number {
  if (periodType === 'month') return monthStartMs(monthIndexOf(ms) + count);
  return ms + count * FIXED_PERIOD_MS[periodType];
}

/** How many whole periods lie between two period starts (`end` > `start`). */
export function countPeriods(startMs: number, endMs: number, periodType: PeriodType): number {
  if (periodType === 'month') return monthIndexOf(endMs) - monthIndexOf(startMs);
  return Math.round((endMs - startMs) / FIXED_PERIOD_MS[periodType]);
}

/** Refuses a time that is not the start of a period, naming the aligned time to use instead. */
export function requirePeriodStart(ms: number, periodType: PeriodType, what: 'start' | 'end'): void {
  if (isPeriodStart(ms, periodType)) return;
  const suggestion = what === 'start' ? floorToPeriod(ms, periodType) : ceilToPeriod(ms, periodType);
  throw new DcsQueryError(
    `${what} ${formatDcsTime(ms)} is not the start of ${PERIOD_NAMES[periodType]}; use ${formatDcsTime(
      suggestion,
    )}${what === 'start' ? '' : ' (the end is exclusive)'}, as DCS only accepts ${periodType} readings between period starts.`,
  );
}

export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/**
 * Splits the half-open span [startMs, endMs) of whole periods into the fewest contiguous windows
 * that each last at most `maxWindowDays` (but always at least one period: a period cannot be split).
 * Fixed-length periods are shared out evenly between windows; months, whose lengths differ, are
 * taken greedily (as many whole months as fit), which is also the fewest windows.
 */
export function planWindows(startMs: number, endMs: number, periodType: PeriodType, maxWindowDays: number): TimeWindow[] {
  if (endMs <= startMs) return [];
  const maxWindowMs = maxWindowDays * MS_PER_DAY;
  if (periodType === 'month') return planMonthWindows(startMs, endMs, maxWindowMs);

  const length = FIXED_PERIOD_MS[periodType];
  const periods = countPeriods(startMs, endMs, periodType);
  const windowCount = Math.ceil(periods / periodsPerWindow(periodType, maxWindowMs));
  const base = Math.floor(periods / windowCount);
  const longer = periods % windowCount;
  const windows: TimeWindow[] = [];
  let cursor = startMs;
  for (let i = 0; i < windowCount; i++) {
    const next = cursor + (base + (i < longer ? 1 : 0)) * length;
    windows.push({ startMs: cursor, endMs: next });
    cursor = next;
  }
  return windows;
}

/** How many fixed-length periods fit in a window of `maxWindowMs` (at least one). */
function periodsPerWindow(periodType: Exclude<PeriodType, 'month'>, maxWindowMs: number): number {
  // The tiny tolerance stops 365 days of half-hours computing as 17519.999... periods.
  return Math.max(1, Math.floor(maxWindowMs / FIXED_PERIOD_MS[periodType] + 1e-9));
}

/** How many windows planWindows makes for the span, without making them (cheap for any span). */
export function countWindows(startMs: number, endMs: number, periodType: PeriodType, maxWindowDays: number): number {
  if (endMs <= startMs) return 0;
  const maxWindowMs = maxWindowDays * MS_PER_DAY;
  if (periodType === 'month') {
    // Months differ in length, so greedy windows are counted by planning them (a few thousand
    // steps for any real span); an absurd span is estimated with 31-day months.
    const months = countPeriods(startMs, endMs, 'month');
    if (months <= 120_000) return planMonthWindows(startMs, endMs, maxWindowMs).length;
    return Math.ceil(months / Math.max(1, Math.floor(maxWindowMs / (31 * MS_PER_DAY))));
  }
  return Math.ceil(countPeriods(startMs, endMs, periodType) / periodsPerWindow(periodType, maxWindowMs));
}

/**
 * DCS's clock may run a little ahead of ours: the period in progress there may have begun
 * although ours has not reached it yet.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The end of the last period DCS can have a reading for at `nowMs`: the end of the period in
 * progress (allowing for clock skew). Nothing after it is worth asking for.
 */
export function availableEnd(nowMs: number, periodType: PeriodType): number {
  return ceilToPeriod(nowMs + CLOCK_SKEW_MS, periodType);
}

function planMonthWindows(startMs: number, endMs: number, maxWindowMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  let cursor = startMs;
  while (cursor < endMs) {
    let next = addPeriods(cursor, 'month', 1);
    for (;;) {
      const further = addPeriods(next, 'month', 1);
      if (further > endMs || further - cursor > maxWindowMs) break;
      next = further;
    }
    windows.push({ startMs: cursor, endMs: next });
    cursor = next;
  }
  return windows;
}
