/**
 * Time zones with nothing but Intl: reading a local date/time in an IANA zone as a UTC instant,
 * writing an instant with the zone's offset, and local-day boundaries.
 *
 * The rule for local times that do not exist or exist twice (daylight-saving changes) is the
 * one Temporal calls "compatible" (and RFC 5545 uses):
 * - a time in a gap (clocks jump forward, e.g. 01:30 on the spring change in Europe/London) is
 *   moved forward by the length of the gap: 01:30 -> 02:30 BST (= 01:30Z);
 * - a time in an overlap (clocks go back, e.g. 01:30 on the autumn change) means its first
 *   occurrence, the one before the change: 01:30 BST (= 00:30Z).
 * The assumption behind it: a zone's offset changes at most once within any two days, which
 * holds for every zone in the IANA database since 1970.
 */

import { wallClockFormat, wallClockOf } from './wall-calendar';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A date or date-time that cannot be read; the message says what is wrong and what to write. */
export class TimeParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeParseError';
  }
}

/** True when Intl knows this time-zone name (IANA names such as Europe/London, and UTC). */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  try {
    wallClockFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical name (e.g. `Etc/UTC` -> `UTC`); throws TimeParseError for unknown names. */
export function checkTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) {
    throw new TimeParseError(`'${zone}' is not a time zone; use an IANA name such as Europe/London, America/New_York or UTC`);
  }
  return wallClockFormat(zone).resolvedOptions().timeZone;
}

/** True for zone names that are UTC itself (formatted with `Z`). */
export function isUtcZone(zone: string): boolean {
  return /^(?:Etc\/)?(?:UTC|UCT|GMT|Zulu|Universal|Greenwich|GMT[+-]?0)$/i.test(zone);
}

/** The zone's offset from UTC at an instant, in minutes (Europe/London in summer: 60). */
export function offsetMinutesAt(zone: string, instantMs: number): number {
  const wholeSecond = instantMs - mod(instantMs, 1000);
  return (wallClockOf(zone, wholeSecond) - wholeSecond) / MINUTE_MS;
}

/**
 * The UTC instant of a local wall-clock time in a zone, resolving gaps and overlaps by the
 * rule in this module's header.
 */
export function localToInstantMs(zone: string, wallMs: number): number {
  const before = offsetMinutesAt(zone, wallMs - DAY_MS) * MINUTE_MS;
  const after = offsetMinutesAt(zone, wallMs + DAY_MS) * MINUTE_MS;
  const valid = [...new Set([before, after])]
    .map((offset) => wallMs - offset)
    .filter((instant) => offsetMinutesAt(zone, instant) * MINUTE_MS === wallMs - instant)
    .sort((a, b) => a - b);
  if (valid.length > 0) return valid[0];
  // In a gap: read the time with the offset in force before the change, which lands the same
  // distance past the change as the wall time is past its start.
  return wallMs - before;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const FORMAT_HINT = 'use YYYY-MM-DD or YYYY-MM-DDTHH:mm';

/**
 * Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm[:ss[.fff]]` (a space may replace the T), optionally
 * followed by `Z` or an offset (`+01:00`, `-0500`). Without an offset the time is local to
 * `zone` (a plain date means local midnight); with one, the zone is not consulted.
 */
export function parseInZone(text: string, zone = 'UTC'): Date {
  const input = String(text).trim();
  const match = DATE_TIME.exec(input);
  if (!match) {
    throw new TimeParseError(`'${text}' is not a date; ${FORMAT_HINT} (optionally :ss and Z or an offset such as +01:00)`);
  }
  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) throw new TimeParseError(`'${text}' is not a date; ${FORMAT_HINT} (there is no month ${month})`);
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    throw new TimeParseError(`'${text}' is not a date; ${FORMAT_HINT} (${y}-${mo} has days 01 to ${lastDay})`);
  }
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) {
    throw new TimeParseError(`'${text}' is not a time of day; hours run 00-23, minutes and seconds 00-59`);
  }
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const wall = utcMs(year, month, day, hour, minute, second, millis);
  if (offset !== undefined) return new Date(wall - parseOffsetMinutes(offset) * MINUTE_MS);
  return new Date(localToInstantMs(checkTimeZone(zone), wall));
}

function parseOffsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) throw new TimeParseError(`'${offset}' is not a UTC offset; use +HH:mm or -HH:mm`);
  return sign * (hours * 60 + minutes);
}

/** `+01:00`, `-05:30`, or `Z` when `utc` is true and the offset is zero. */
export function formatOffset(offsetMinutes: number, utc = false): string {
  if (offsetMinutes === 0 && utc) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * An instant as ISO-8601 local time with the zone's offset, e.g. `2024-06-01T01:00:00+01:00`;
 * UTC itself ends in `Z`. Milliseconds appear only when not zero.
 */
export function formatInZone(instant: Date | number, zone = 'UTC'): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const name = checkTimeZone(zone);
  const offset = isUtcZone(name) ? 0 : offsetMinutesAt(name, ms);
  return formatLocalIso(ms + offset * MINUTE_MS) + formatOffset(offset, isUtcZone(name));
}

/** `YYYY-MM-DDTHH:mm:ss[.sss]` of a wall-clock value held as a UTC epoch number. */
export function formatLocalIso(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) : iso.slice(0, -1);
}

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for text shaped as a plain date (YYYY-MM-DD), with no time; whether the date exists is checked when it is read. */
export function isPlainDate(text: string): boolean {
  return PLAIN_DATE.test(text.trim());
}

function parsePlainDate(date: string): { year: number; month: number; day: number } {
  const match = PLAIN_DATE.exec(String(date).trim());
  if (!match) throw new TimeParseError(`'${date}' is not a plain date; use YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new TimeParseError(`'${date}' is not a date that exists; use YYYY-MM-DD`);
  }
  return { year, month, day };
}

/** The instant a local day begins (local midnight, or the first moment after it if midnight is skipped). */
export function startOfLocalDay(date: string, zone = 'UTC'): Date {
  const { year, month, day } = parsePlainDate(date);
  return new Date(localToInstantMs(checkTimeZone(zone), utcMs(year, month, day, 0, 0, 0, 0)));
}

/**
 * The end of a local day as an exclusive bound: the instant the next local day begins. Spans
 * here are half-open, [start, end), so a day in Europe/London lasts 23, 24 or 25 hours.
 */
export function endOfLocalDay(date: string, zone = 'UTC'): Date {
  return startOfLocalDay(addDays(date, 1), zone);
}

/** A plain date moved by whole calendar days. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parsePlainDate(date);
  return new Date(utcMs(year, month, day + days, 0, 0, 0, 0)).toISOString().slice(0, 10);
}

function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
