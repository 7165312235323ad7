/**
 * Time zones for the add-in, with Intl only: whether a zone name is known, and what the zone's
 * wall clock shows at an instant. Every zone conversion in the add-in goes through here. (The
 * server has its own, server/time/zones.ts: the add-in takes nothing from the server but its
 * wire types.)
 */

/** A wall-clock reading, without zone. Months 1-12. */
export interface WallClockParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One formatter per zone: creating one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** @throws Error saying how to name a zone, when Intl does not know `zone`. */
function wallClockFormat(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`"${zone}" is not a time zone this browser knows. Use UTC or a name such as Europe/London.`);
    }
    formats.set(zone, format);
  }
  return format;
}

/** @throws Error saying how to name a zone, when the runtime's zone database does not know `zone`. */
export function checkTimeZone(zone: string): void {
  wallClockFormat(zone);
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
  const parts: Record<string, number> = {};
  for (const part of wallClockFormat(zone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** How far `zone`'s wall clock is ahead of UTC at the whole-second instant `epochMs`, in milliseconds. */
export function offsetMsAt(zone: string, epochMs: number): number {
  const wall = wallClockAt(zone, epochMs);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - epochMs;
}
