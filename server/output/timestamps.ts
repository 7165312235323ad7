/**
 * Fast ISO-8601 timestamps for output rows: `2024-01-31T23:30:00Z`, or local time with the
 * zone's offset (`2024-06-01T00:30:00+01:00`); milliseconds only when not zero. Readings come
 * in time order, dozens per day, so the date part is worked out once per day and the time of
 * day with a few integer operations, written straight into the output buffer.
 */
import { asciiBytes, writeBytes } from './bytes';
import { checkTimeZone, formatOffset, isUtcZone, offsetMinutesAt } from '../time/zones';

const DAY_MS = 86_400_000;
const COLON = 58;
const Z = 90;

export interface TimestampWriter {
  /** Writes the timestamp of `epochMs` at `p`; returns the position after it. */
  write(buf: Buffer, p: number, epochMs: number): number;
  /** The same text as a string (for headers). */
  format(epochMs: number): string;
}

/** `HH:mm` of every minute of the day, five bytes apiece: a lookup instead of divisions per row. */
const HOURS_MINUTES = Uint8Array.from({ length: 1440 * 5 }, (_, i) => {
  const minute = Math.floor(i / 5);
  const text = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return text.charCodeAt(i % 5);
});

/** Writes wall-clock values (epoch numbers read as local time) as `YYYY-MM-DDTHH:mm:ss[.sss]`. */
class WallClock {
  private dayStart = 0;
  private dayEnd = -1;
  /** `YYYY-MM-DDT` of the current day. */
  private date: Uint8Array = new Uint8Array(0);
  /** Where `date` is written for the usual four-digit years (reused: a long pull crosses thousands of days). */
  private readonly dayText = new Uint8Array(11);

  write(buf: Buffer, p: number, wallMs: number): number {
    if (wallMs < this.dayStart || wallMs >= this.dayEnd) this.enterDay(wallMs);
    p = writeBytes(buf, p, this.date);
    const msOfDay = wallMs - this.dayStart;
    const minute = (msOfDay / 60_000) | 0;
    const at = minute * 5;
    buf[p] = HOURS_MINUTES[at];
    buf[p + 1] = HOURS_MINUTES[at + 1];
    buf[p + 2] = COLON;
    buf[p + 3] = HOURS_MINUTES[at + 3];
    buf[p + 4] = HOURS_MINUTES[at + 4];
    buf[p + 5] = COLON;
    const msOfMinute = msOfDay - minute * 60_000;
    if (msOfMinute === 0) {
      // Metered periods start on the minute: the common case.
      buf[p + 6] = 48;
      buf[p + 7] = 48;
      return p + 8;
    }
    const s = (msOfMinute / 1000) | 0;
    const s10 = (s / 10) | 0;
    buf[p + 6] = 48 + s10;
    buf[p + 7] = 48 + s - s10 * 10;
    p += 8;
    const millis = msOfMinute - s * 1000;
    if (millis !== 0) {
      buf[p] = 46; // '.'
      buf[p + 1] = 48 + ((millis / 100) | 0);
      buf[p + 2] = 48 + (((millis / 10) | 0) % 10);
      buf[p + 3] = 48 + (millis % 10);
      p += 4;
    }
    return p;
  }

  private enterDay(wallMs: number): void {
    const day = Math.floor(wallMs / DAY_MS);
    this.dayStart = day * DAY_MS;
    this.dayEnd = this.dayStart + DAY_MS;
    this.date = dateBytes(day, this.dayText);
  }
}

/**
 * `YYYY-MM-DDT` for a day number (days since 1970-01-01), computed without a Date, written into
 * `out` (11 bytes); years outside 0..9999 get a new array of their own length.
 */
function dateBytes(day: number, out: Uint8Array): Uint8Array {
  const [year, month, dayOfMonth] = civilFromDays(day);
  if (year < 0 || year > 9999) return asciiBytes(new Date(day * DAY_MS).toISOString().slice(0, -13)); // ±YYYYYY-MM-DDT
  out[0] = 48 + Math.floor(year / 1000);
  out[1] = 48 + (Math.floor(year / 100) % 10);
  out[2] = 48 + (Math.floor(year / 10) % 10);
  out[3] = 48 + (year % 10);
  out[4] = 45; // '-'
  out[5] = 48 + Math.floor(month / 10);
  out[6] = 48 + (month % 10);
  out[7] = 45;
  out[8] = 48 + Math.floor(dayOfMonth / 10);
  out[9] = 48 + (dayOfMonth % 10);
  out[10] = 84; // 'T'
  return out;
}

/** Proleptic Gregorian year, month (1-12) and day of a day number (H. Hinnant's days-to-civil). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth];
}

const scratch = Buffer.allocUnsafe(64);

function formatWith(writer: TimestampWriter, epochMs: number): string {
  return scratch.toString('latin1', 0, writer.write(scratch, 0, epochMs));
}

/** UTC, ending in `Z`. */
export function utcTimestamps(): TimestampWriter {
  const wall = new WallClock();
  const writer: TimestampWriter = {
    write: (buf, p, ms) => {
      p = wall.write(buf, p, ms);
      buf[p] = Z;
      return p + 1;
    },
    format: (ms) => formatWith(writer, ms),
  };
  return writer;
}

/**
 * Local time in `zone` with its offset. The offset is looked up once per UTC day; on the few
 * days where it changes, for each timestamp.
 */
export function zonedTimestamps(zone: string): TimestampWriter {
  const name = checkTimeZone(zone);
  if (isUtcZone(name)) return utcTimestamps();
  const wall = new WallClock();
  const suffixes = new Map<number, Uint8Array>();
  let dayStart = 0;
  let dayEnd = -1;
  let dayOffset = NaN;
  const suffixFor = (minutes: number): Uint8Array => {
    let bytes = suffixes.get(minutes);
    if (bytes === undefined) {
      bytes = asciiBytes(formatOffset(minutes));
      suffixes.set(minutes, bytes);
    }
    return bytes;
  };
  const writer: TimestampWriter = {
    write: (buf, p, ms) => {
      if (ms < dayStart || ms >= dayEnd) {
        dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
        dayEnd = dayStart + DAY_MS;
        const first = offsetMinutesAt(name, dayStart);
        const last = offsetMinutesAt(name, dayEnd - 1);
        dayOffset = first === last ? first : NaN;
      }
      const offset = Number.isNaN(dayOffset) ? offsetMinutesAt(name, ms) : dayOffset;
      p = wall.write(buf, p, ms + offset * 60_000);
      return writeBytes(buf, p, suffixFor(offset));
    },
    format: (ms) => formatWith(writer, ms),
  };
  return writer;
}

/** UTC when no zone is given. */
export function timestampWriter(zone?: string): TimestampWriter {
  return zone === undefined ? utcTimestamps() : zonedTimestamps(zone);
}
