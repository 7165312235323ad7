/**
 * Times in and out of DCS. DCS speaks UTC as `yyyy-MM-ddTHH:mm:ssZ`; callers may give a Date,
 * epoch milliseconds, or an ISO string where no offset means UTC and a plain date means 00:00 UTC.
 */
import { DcsQueryError } from './errors';
import type { TimeInput } from './types';

const MS_PER_DAY = 86_400_000;

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

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
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + ms;
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
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
}

// ---- DCS's canonical timestamps, decoded once per reading -------------------------------------
// `yyyy-MM-ddTHH:mm:ssZ`, 20 characters with the separators at fixed places. They are read from
// the bytes of an answer (readings-fast.ts) and from the strings JSON.parse makes of a batch that
// is not in DCS's compact form (readings-decode.ts). Both readers below share the field checks and
// the day cache; they differ only in how they fetch a character, because copying a string into
// bytes (or the reverse) would cost more per reading than decoding it.

/** Length of DCS's canonical timestamp `yyyy-MM-ddTHH:mm:ssZ`. */
export const CANONICAL_TIMESTAMP_LENGTH = 20;

const DASH = 0x2d;
const COLON = 0x3a;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

// The day of the last timestamp decoded: consecutive readings nearly always share it.
let cachedDayKey = -1;
let cachedDayMs = 0;

/** A decimal digit's value; for any other character a number so negative that its field is out of range. */
function digit(code: number): number {
  const d = code - 48;
  return d >= 0 && d <= 9 ? d : -1_000_000;
}

/** Epoch ms of the canonical timestamp's fields, or NaN when one is out of range (a non-digit makes its field negative). */
function canonicalFieldsToMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return NaN;
  }
  const key = (year * 16 + month) * 32 + day;
  if (key !== cachedDayKey) {
    if (day > daysInMonth(year, month)) return NaN;
    cachedDayMs = daysFromCivil(year, month, day) * MS_PER_DAY;
    cachedDayKey = key;
  }
  return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * The canonical timestamp in `bytes[at .. at + 20)` as epoch milliseconds, or NaN when those bytes
 * are not one or name an impossible date or time (2023-02-29, 24:00:00).
 */
export function canonicalTimestampAt(bytes: Uint8Array, at: number): number {
  if (
    bytes[at + 4] !== DASH ||
    bytes[at + 7] !== DASH ||
    bytes[at + 10] !== LETTER_T ||
    bytes[at + 13] !== COLON ||
    bytes[at + 16] !== COLON ||
    bytes[at + 19] !== LETTER_Z
  ) {
    return NaN;
  }
  return canonicalFieldsToMs(
    digit(bytes[at]) * 1000 + digit(bytes[at + 1]) * 100 + digit(bytes[at + 2]) * 10 + digit(bytes[at + 3]),
    digit(bytes[at + 5]) * 10 + digit(bytes[at + 6]),
    digit(bytes[at + 8]) * 10 + digit(bytes[at + 9]),
    digit(bytes[at + 11]) * 10 + digit(bytes[at + 12]),
    digit(bytes[at + 14]) * 10 + digit(bytes[at + 15]),
    digit(bytes[at + 17]) * 10 + digit(bytes[at + 18]),
  );
}

/**
 * A timestamp from a DCS answer as epoch milliseconds, or NaN when it is not a time.
 * The canonical form is decoded arithmetically, as canonicalTimestampAt does for bytes (and an
 * impossible time in that form, such as 24:00:00Z, is not a time); anything else (fractions,
 * offsets, no zone) goes through the general ISO parser.
 */
export function parseDcsTimestamp(s: string): number {
  if (
    s.length === CANONICAL_TIMESTAMP_LENGTH &&
    s.charCodeAt(4) === DASH &&
    s.charCodeAt(7) === DASH &&
    s.charCodeAt(10) === LETTER_T &&
    s.charCodeAt(13) === COLON &&
    s.charCodeAt(16) === COLON &&
    s.charCodeAt(19) === LETTER_Z
  ) {
    return canonicalFieldsToMs(
      digit(s.charCodeAt(0)) * 1000 + digit(s.charCodeAt(1)) * 100 + digit(s.charCodeAt(2)) * 10 + digit(s.charCodeAt(3)),
      digit(s.charCodeAt(5)) * 10 + digit(s.charCodeAt(6)),
      digit(s.charCodeAt(8)) * 10 + digit(s.charCodeAt(9)),
      digit(s.charCodeAt(11)) * 10 + digit(s.charCodeAt(12)),
      digit(s.charCodeAt(14)) * 10 + digit(s.charCodeAt(15)),
      digit(s.charCodeAt(17)) * 10 + digit(s.charCodeAt(18)),
    );
  }
  const ms = parseIsoToMs(s);
  return ms === undefined ? NaN : ms;
}
