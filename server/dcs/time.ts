/**
 * Times in and out of DCS. DCS speaks UTC as `yyyy-MM-ddTHH:mm:ssZ`; callers may give a Date,
 * epoch milliseconds, or an ISO string where no offset means UTC and a plain date means 00:00 UTC.
 */
import { DcsQueryError } from './errors';
import type { TimeInput } from './types';

const MS_PER_DAY = 86_400_000;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian civil date (month 1..12). Exact for all years. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses the parts of an ISO 8601 string into epoch milliseconds, or undefined when the string is
 * not ISO or names an impossible date (2024-02-30). No offset means UTC.
 */
export function parseIsoToMs(text: string): number | undefined {
  const m = ISO_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // 24:00:00 is ISO's way of saying the end of the day; anything else past 23 is wrong.
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute || second || ms))) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2)) : 0));
  }
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    ms
  );
}

/**
 * A caller's time as epoch milliseconds. `what` names the argument in the error message.
 * Strings: `2024-01-31` is 00:00 UTC; `2024-01-31T10:00` and `2024-01-31T10:00:00` are UTC;
 * an explicit `Z` or `+01:00` is honoured. Numbers are epoch milliseconds.
 */
export function toEpochMs(input: TimeInput, what: string): number {
  if (input instanceof Date) {
    const ms = input.getTime();
    if (Number.isNaN(ms)) throw new DcsQueryError(`${what} is an invalid Date; pass a valid Date, an ISO string or epoch milliseconds.`);
    return ms;
  }
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DcsQueryError(`${what} ${input} is not a time; pass epoch milliseconds, a Date or an ISO string.`);
    return input;
  }
  if (typeof input === 'string') {
    const ms = parseIsoToMs(input);
    if (ms === undefined) {
      throw new DcsQueryError(
        `${what} "${input}" is not a date or time DCS can use; write it as 2024-01-31, 2024-01-31T10:00:00 (UTC) or 2024-01-31T10:00:00Z.`,
      );
    }
    return ms;
  }
  throw new DcsQueryError(`${what} must be a Date, an ISO date/time string or epoch milliseconds.`);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The `yyyy-MM-ddTHH:mm:ssZ` form DCS expects in a query (whole seconds). */
export function formatDcsTime(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())}Z`;
}

// Cache of the last date seen: consecutive readings nearly always share their day.
let cachedDayKey = -1;
let cachedDayMs = 0;

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000_000;
}

/**
 * A timestamp from a DCS answer as epoch milliseconds, or NaN when it is not a time.
 * The canonical `yyyy-MM-ddTHH:mm:ssZ` form is decoded arithmetically (this runs once per reading);
 * anything else (fractions, offsets, no zone) goes through the general ISO parser.
 */
export function parseDcsTimestamp(s: string): number {
  if (
    s.length === 20 &&
    s.charCodeAt(4) === 45 && // -
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 && // T
    s.charCodeAt(13) === 58 && // :
    s.charCodeAt(16) === 58 &&
    s.charCodeAt(19) === 90 // Z
  ) {
    const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
    const month = digit(s, 5) * 10 + digit(s, 6);
    const day = digit(s, 8) * 10 + digit(s, 9);
    const hour = digit(s, 11) * 10 + digit(s, 12);
    const minute = digit(s, 14) * 10 + digit(s, 15);
    const second = digit(s, 17) * 10 + digit(s, 18);
    if (
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59
    ) {
      const key = (year * 16 + month) * 32 + day;
      if (key !== cachedDayKey) {
        if (day > daysInMonth(year, month)) return NaN;
        cachedDayMs = daysFromCivil(year, month, day) * MS_PER_DAY;
        cachedDayKey = key;
      }
      return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000;
    }
    return NaN;
  }
  const ms = parseIsoToMs(s);
  return ms === undefined ? NaN : ms;
}
