import type { PeriodType } from '../../server/api/types';
import { wallClockAt } from './time-zones';

/**
 * Time ranges a table can be pulled for. A relative preset is stored as its name, not as dates,
 * so that refreshing a table next month pulls next month's "last full month". All ranges are
 * wall-clock date-times in the query's time zone, half-open [start, end); the server turns them
 * into instants, which is how clock-change days get their 46 or 50 half-hours.
 */
export type RangePreset = 'yesterday' | 'last7Days' | 'monthToDate' | 'lastFullMonth' | 'lastFullYear';

export type TimeRange =
  | { kind: 'relative'; preset: RangePreset }
  /** Fixed wall-clock date-times `YYYY-MM-DDTHH:mm:ss`, end exclusive. */
  | { kind: 'fixed'; start: string; end: string };

export const PRESET_LABELS: Record<RangePreset, string> = {
  yesterday: 'Yesterday',
  last7Days: 'Last 7 days',
  monthToDate: 'Month to date',
  lastFullMonth: 'Last full month',
  lastFullYear: 'Last full year',
};

export const RANGE_PRESETS = Object.keys(PRESET_LABELS) as RangePreset[];

/** A wall-clock date-time, without zone. Months 1-12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** A span of wall-clock date-times `YYYY-MM-DDTHH:mm:ss`, end exclusive. */
export interface ResolvedRange {
  start: string;
  end: string;
}

/** What the clock on the wall shows in `zone` at the instant `now`. */
export function wallClockIn(zone: string, now: Date): WallClock {
  const { year, month, day, hour, minute } = wallClockAt(zone, now.getTime());
  return { year, month, day, hour, minute };
}

/**
 * The wall-clock span a range stands for at the instant `now`, in `zone`.
 * Relative presets count whole local days ending at today's midnight in that zone ("today" is
 * the zone's today, not the computer's), except month to date, which runs up to the start of the
 * current period so that its last reading is a complete one.
 */
export function resolveRange(range: TimeRange, now: Date, zone: string, periodType: PeriodType): ResolvedRange {
  if (range.kind === 'fixed') {
    checkFixedRange(range);
    return { start: normaliseDateTime(range.start), end: normaliseDateTime(range.end) };
  }
  const clock = wallClockIn(zone, now);
  const today = Date.UTC(clock.year, clock.month - 1, clock.day);
  const day = 86_400_000;
  switch (range.preset) {
    case 'yesterday':
      return span(today - day, today);
    case 'last7Days':
      return span(today - 7 * day, today);
    case 'monthToDate': {
      const firstOfMonth = Date.UTC(clock.year, clock.month - 1, 1);
      return span(firstOfMonth, startOfCurrentPeriod(clock, periodType));
    }
    case 'lastFullMonth':
      return span(Date.UTC(clock.year, clock.month - 2, 1), Date.UTC(clock.year, clock.month - 1, 1));
    case 'lastFullYear':
      return span(Date.UTC(clock.year - 1, 0, 1), Date.UTC(clock.year, 0, 1));
  }
}

/** A human description of a range, for table titles: "Last full month (2024-05-01 to 2024-06-01)". */
export function describeRange(range: TimeRange, resolved: ResolvedRange): string {
  const shown = `${resolved.start.replace('T', ' ').slice(0, 16)} to ${resolved.end.replace('T', ' ').slice(0, 16)}`;
  return range.kind === 'relative' ? `${PRESET_LABELS[range.preset]}, ${shown}` : shown;
}

function startOfCurrentPeriod(clock: WallClock, periodType: PeriodType): number {
  const midnight = Date.UTC(clock.year, clock.month - 1, clock.day);
  if (periodType === 'halfHour') return midnight + clock.hour * 3_600_000 + (clock.minute >= 30 ? 1_800_000 : 0);
  if (periodType === 'hour') return midnight + clock.hour * 3_600_000;
  return midnight;
}

function span(startMs: number, endMs: number): ResolvedRange {
  return { start: formatWallClock(startMs), end: formatWallClock(endMs) };
}

/** `YYYY-MM-DDTHH:mm:ss` of a wall clock held as a UTC timestamp. */
export function formatWallClock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Parses `YYYY-MM-DD[THH:mm[:ss]]` into a UTC-held wall clock; NaN when it is not one. */
export function parseWallClock(text: string): number {
  const match = DATE_TIME.exec(text);
  if (!match) return Number.NaN;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Reject dates that roll over (2024-02-30) instead of silently moving them.
  return formatWallClock(ms).startsWith(`${y}-${mo}-${d}`) ? ms : Number.NaN;
}

function normaliseDateTime(text: string): string {
  return formatWallClock(parseWallClock(text));
}

/** Throws an error saying what to change when a fixed range cannot be pulled. */
export function checkFixedRange(range: { start: string; end: string }): void {
  const start = parseWallClock(range.start);
  const end = parseWallClock(range.end);
  if (Number.isNaN(start)) throw new Error(`The start "${range.start}" is not a date. Enter it as YYYY-MM-DD.`);
  if (Number.isNaN(end)) throw new Error(`The end "${range.end}" is not a date. Enter it as YYYY-MM-DD.`);
  if (end <= start) throw new Error('The end of the range must be after its start.');
}

/** Milliseconds of one period; months and weeks counted by the calendar where it matters. */
const PERIOD_MS: Record<Exclude<PeriodType, 'month'>, number> = {
  halfHour: 1_800_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/**
 * About how many readings one source gives over a resolved range: exact except on clock-change
 * days (one or two periods either way), which is close enough to refuse hopeless requests early.
 */
export function estimatePeriods(resolved: ResolvedRange, periodType: PeriodType): number {
  const start = parseWallClock(resolved.start);
  const end = parseWallClock(resolved.end);
  if (!(end > start)) return 0;
  if (periodType === 'month') {
    const a = new Date(start);
    const b = new Date(end);
    return Math.max(1, (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth());
  }
  return Math.ceil((end - start) / PERIOD_MS[periodType]);
}
