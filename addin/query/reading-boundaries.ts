/**
 * Whether DCS can give readings for a wall-clock span: DCS stores its hour, day, week and month
 * readings from UTC boundaries (days from midnight UTC, weeks from Monday, months from the 1st),
 * so a span whose ends fall elsewhere in UTC has no readings that fit (the server refuses it).
 * The pane and DCS.READINGS check it before asking, so that each can say what to do in its own
 * words (a pane choice, a function argument) instead of the server's advice for API users.
 */
import type { PeriodType } from '../../server/api/types';
import { floorWall } from '../../server/time/wall-calendar';
import { parseWallClock } from './presets';
import { offsetMsAt } from './time-zones';

/** A span end that is not on one of DCS's period boundaries, said without API words. */
export interface ReadingsMisfit {
  /** Which end: the first instant included, or the first not included. */
  end: 'start' | 'end';
  /** The wall clock given, `YYYY-MM-DD HH:mm`. */
  wall: string;
  /** That instant in UTC, `YYYY-MM-DD HH:mm`. */
  utc: string;
  /** Where DCS's periods of this type begin, to follow "run from" ("midnight UTC"). */
  periodStarts: string;
}

const PERIOD_STARTS: Record<PeriodType, string> = {
  halfHour: 'the hour and half-hour (UTC)',
  hour: 'the hour (UTC)',
  day: 'midnight UTC',
  week: 'Monday midnight UTC',
  month: 'midnight UTC on the 1st',
};

/**
 * The first end of a wall-clock span [start, end) in `zone` that DCS's `periodType` readings
 * cannot start or stop at; undefined when both fit.
 */
export function readingsMisfit(span: { start: string; end: string }, zone: string, periodType: PeriodType): ReadingsMisfit | undefined {
  for (const end of ['start', 'end'] as const) {
    const wall = parseWallClock(span[end]);
    if (Number.isNaN(wall)) continue; // checkFixedRange says what is wrong with it
    const instant = instantOfWall(wall, zone);
    if (floorWall(instant, periodType) !== instant) {
      return { end, wall: minutes(wall), utc: minutes(instant), periodStarts: PERIOD_STARTS[periodType] };
    }
  }
  return undefined;
}

/** The instant the wall clock `wall` shows in `zone` (the earlier one when the clock goes back). */
function instantOfWall(wall: number, zone: string): number {
  const first = wall - offsetMsAt(zone, wall);
  return wall - offsetMsAt(zone, first);
}

function minutes(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
