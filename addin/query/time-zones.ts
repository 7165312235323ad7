/**
 * Time zones for the add-in, with Intl only: whether a zone name is known, and what the zone's
 * wall clock shows at an instant. Every zone conversion in the add-in goes through here; the
 * wall clock itself is read as the server reads it (`server/time/wall-calendar.ts`).
 */
import { wallClockFormat, wallClockOf } from '../../server/time/wall-calendar';

/** A wall-clock reading, without zone. Months 1-12. */
export interface WallClockParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** @throws Error saying how to name a zone, when Intl does not know `zone`. */
function checkedFormat(zone: string): Intl.DateTimeFormat {
  try {
    return wallClockFormat(zone);
  } catch {
    throw new Error(`"${zone}" is not a time zone this browser knows. Use UTC or a name such as Europe/London.`);
  }
}

/** @throws Error saying how to name a zone, when the runtime's zone database does not know `zone`. */
export function checkTimeZone(zone: string): void {
  checkedFormat(zone);
}

/** True when the runtime's zone database knows this name (e.g. Europe/London, UTC). */
export function isKnownZone(zone: string): boolean {
  try {
    checkTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the clock on the wall shows in `zone` at the instant `epochMs`, to the second.
 * @throws Error when the zone is not a time-zone name Intl knows.
 */
export function wallClockAt(zone: string, epochMs: number): WallClockParts {
  checkedFormat(zone);
  const wall = new Date(wallClockOf(zone, epochMs));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** How far `zone`'s wall clock is ahead of UTC at the whole-second instant `epochMs`, in milliseconds. */
export function offsetMsAt(zone: string, epochMs: number): number {
  checkedFormat(zone);
  return wallClockOf(zone, epochMs) - epochMs;
}
