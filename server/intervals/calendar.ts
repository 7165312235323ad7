/**
 * The local calendar that intervals follow: where a day, week, month, quarter or year begins in
 * a time zone, and the list of interval boundaries of a span.
 *
 * - A day runs from local midnight to local midnight, so it holds 46 or 50 half-hours on a
 *   clock-change day; a week starts on Monday 00:00 local; months, quarters and years on the 1st
 *   at 00:00 local. Where local midnight does not exist, the day starts at the first local time
 *   after it (the "compatible" rule of server/time/zones.ts).
 * - Half-hours and hours start where the local clock reads :00 (and :30). That is only a whole
 *   half-hour of DCS's UTC grid when the zone's offset is a whole number of half-hours, so zones
 *   such as Asia/Kathmandu (+05:45) are refused for intervals shorter than a day.
 * - DCS records whole UTC half-hours. A half-hour counts in the interval its start falls in, which
 *   only matters in zones whose midnight is not on DCS's grid (Asia/Kathmandu days start at :15).
 */
import type { IntervalType } from '../api/types';
import { addWall, floorWall, HALF_HOUR_MS } from '../time/wall-calendar';
import { localToInstantMs, offsetMinutesAt } from '../time/zones';

const MINUTE_MS = 60_000;

/** Intervals measured on the local clock (:00 and :30) rather than the local calendar. */
const CLOCK_INTERVAL_MS: Partial<Record<IntervalType, number>> = { halfHour: HALF_HOUR_MS, hour: 2 * HALF_HOUR_MS };

/** A zone whose offset leaves DCS's half-hours straddling local :00 and :30. */
export class OffGridZoneError extends Error {
  constructor(
    readonly zone: string,
    readonly instantMs: number,
    readonly offsetMinutes: number,
  ) {
    super(`${zone} is ${offsetMinutes} minutes from UTC at ${new Date(instantMs).toISOString()}, which is not a whole number of half-hours`);
    this.name = 'OffGridZoneError';
  }
}

export function isClockInterval(interval: IntervalType): boolean {
  return CLOCK_INTERVAL_MS[interval] !== undefined;
}

/** Local wall-clock time of an instant, held as a UTC epoch number. */
function wallOf(zone: string, ms: number): number {
  return ms + offsetMinutesAt(zone, ms) * MINUTE_MS;
}

function checkOnGrid(zone: string, ms: number): void {
  const offset = offsetMinutesAt(zone, ms);
  if (offset % 30 !== 0) throw new OffGridZoneError(zone, ms, offset);
}

/** The start of the interval holding `ms`. */
export function floorToInterval(ms: number, interval: IntervalType, zone: string): number {
  const clock = CLOCK_INTERVAL_MS[interval];
  if (clock !== undefined) {
    checkOnGrid(zone, ms);
    const wall = wallOf(zone, ms);
    return ms - mod(wall, clock);
  }
  const wall = floorWall(wallOf(zone, ms), interval);
  const start = localToInstantMs(zone, wall);
  // Between local midnight and the start the compatible rule chose (a skipped midnight): the
  // instant belongs to the interval before.
  return start <= ms ? start : localToInstantMs(zone, addWall(wall, interval, -1));
}

/** The start of the interval after the one starting at `startMs` (an interval start). */
export function nextIntervalStart(startMs: number, interval: IntervalType, zone: string): number {
  const clock = CLOCK_INTERVAL_MS[interval];
  if (clock !== undefined) {
    // Step along DCS's grid until the local clock shows a boundary again: one step normally, more
    // only across a clock change that is not a whole interval long.
    let next = startMs + HALF_HOUR_MS;
    while (mod(wallOf(zone, next), clock) !== 0) {
      checkOnGrid(zone, next);
      next += HALF_HOUR_MS;
    }
    checkOnGrid(zone, next);
    return next;
  }
  const wall = floorWall(wallOf(zone, startMs), interval);
  return localToInstantMs(zone, addWall(wall, interval, 1));
}

export function isIntervalStart(ms: number, interval: IntervalType, zone: string): boolean {
  return floorToInterval(ms, interval, zone) === ms;
}

/**
 * The boundaries of every interval in [startMs, endMs), both interval starts: `n + 1` instants
 * for `n` intervals. Memory grows with the number of intervals, never with the sources or readings.
 */
export function intervalBoundaries(startMs: number, endMs: number, interval: IntervalType, zone: string): Float64Array {
  const boundaries: number[] = [startMs];
  for (let t = startMs; t < endMs;) {
    t = nextIntervalStart(t, interval, zone);
    boundaries.push(Math.min(t, endMs));
  }
  return Float64Array.from(boundaries);
}

/** The first DCS half-hour starting at or after `ms`: where a half-hour's interval is decided. */
export function ceilToHalfHour(ms: number): number {
  return ms + mod(-ms, HALF_HOUR_MS);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
