/**
 * Fast ISO-8601 formatting of reading timestamps. Readings come in time order, a few dozen per
 * day, so the date part is formatted once per day and the time of day once per distinct
 * second-of-day; a million rows cost a handful of Date operations instead of a million
 * toISOString calls. Output: `2024-01-31T23:30:00Z`, or with an offset
 * (`2024-06-01T00:30:00+01:00`) for a time zone; milliseconds only when not zero.
 */
import { checkTimeZone, formatOffset, isUtcZone, offsetMinutesAt } from '../time/zones';

const DAY_MS = 86_400_000;

export type TimestampFormatter = (epochMs: number) => string;

/** Formats wall-clock values (epoch numbers read as local time) without any suffix. */
class WallClockFormatter {
  private day = NaN;
  private datePrefix = '';
  private readonly timeOfDay: string[] = new Array<string>(86_400);

  format(wallMs: number): string {
    const day = Math.floor(wallMs / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.datePrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    const msOfDay = wallMs - day * DAY_MS;
    if (msOfDay % 1000 !== 0) return new Date(wallMs).toISOString().slice(0, -1);
    const second = msOfDay / 1000;
    let time = this.timeOfDay[second];
    if (time === undefined) {
      time = new Date(msOfDay).toISOString().slice(11, 19);
      this.timeOfDay[second] = time;
    }
    return this.datePrefix + time;
  }
}

/** UTC, ending in `Z`. */
export function utcFormatter(): TimestampFormatter {
  const wall = new WallClockFormatter();
  return (ms) => wall.format(ms) + 'Z';
}

/**
 * Local time in `zone` with its offset. The offset is looked up once per UTC day; on the
 * few days where it changes, per timestamp.
 */
export function zonedFormatter(zone: string): TimestampFormatter {
  const name = checkTimeZone(zone);
  if (isUtcZone(name)) return utcFormatter();
  const wall = new WallClockFormatter();
  const offsetText = new Map<number, string>();
  let day = NaN;
  let dayOffset = NaN;
  const suffix = (minutes: number): string => {
    let text = offsetText.get(minutes);
    if (text === undefined) {
      text = formatOffset(minutes);
      offsetText.set(minutes, text);
    }
    return text;
  };
  return (ms) => {
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      day = d;
      const first = offsetMinutesAt(name, d * DAY_MS);
      const last = offsetMinutesAt(name, d * DAY_MS + DAY_MS - 1);
      dayOffset = first === last ? first : NaN;
    }
    const offset = Number.isNaN(dayOffset) ? offsetMinutesAt(name, ms) : dayOffset;
    return wall.format(ms + offset * 60_000) + suffix(offset);
  };
}

/** The formatter for an optional zone: UTC when none is given. */
export function timestampFormatter(zone?: string): TimestampFormatter {
  return zone === undefined ? utcFormatter() : zonedFormatter(zone);
}
