/**
 * A decoder for readings written exactly as DCS writes them, straight from the bytes:
 *
 *   {"timestamp":"2024-01-01T00:00:00Z","value":123.45,"status":0}
 *   {"timestamp":"2024-01-01T00:00:00Z","totalValue":123.45,"periodValue":1.5,"status":0}
 *
 * JSON.parse would build an object and a timestamp string per reading only for them to be thrown
 * away again; reading the bytes directly roughly doubles the client's throughput. It is strict:
 * any deviation (whitespace, another key order or spelling, an extra key, an escape, a timestamp
 * in another form, a number it cannot convert exactly) makes it return undefined, and the caller
 * falls back to JSON.parse for that batch. So it never has to be right about anything unusual.
 *
 * Numbers: a decimal with at most 15 significant digits and no exponent is M / 10^k with M < 2^53
 * and k <= 15, both exact in a double, so the one division is correctly rounded: the same double
 * JSON.parse gives. Anything longer goes through Number() on its text.
 */
import { daysFromCivil, daysInMonth } from './time';
import type { CompleteReading, Reading } from './types';

const MS_PER_DAY = 86_400_000;
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

const TIMESTAMP_OPEN = Buffer.from('{"timestamp":"');
const VALUE_KEY = Buffer.from('","value":');
const TOTAL_VALUE_KEY = Buffer.from('","totalValue":');
const PERIOD_VALUE_KEY = Buffer.from(',"periodValue":');
const STATUS_KEY = Buffer.from(',"status":');
const NAN = Buffer.from('"NaN"');
const INFINITY = Buffer.from('"Infinity"');
const MINUS_INFINITY = Buffer.from('"-Infinity"');

const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const QUOTE = 0x22;

/** Where the last successful read ended (module state avoids allocating a result per number). */
let cursor = 0;

function matches(buf: Buffer, at: number, end: number, pattern: Buffer): boolean {
  const n = pattern.length;
  if (at + n > end) return false;
  for (let k = 0; k < n; k++) if (buf[at + k] !== pattern[k]) return false;
  return true;
}

function twoDigits(buf: Buffer, at: number): number {
  const a = buf[at] - 48;
  const b = buf[at + 1] - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

let cachedDayKey = -1;
let cachedDayMs = 0;

/** `yyyy-MM-ddTHH:mm:ssZ` at `at` (20 bytes) as epoch ms, or NaN. */
function timestampAt(buf: Buffer, at: number): number {
  if (buf[at + 4] !== 0x2d || buf[at + 7] !== 0x2d || buf[at + 10] !== 0x54 || buf[at + 13] !== 0x3a || buf[at + 16] !== 0x3a || buf[at + 19] !== 0x5a) {
    return NaN;
  }
  const century = twoDigits(buf, at);
  const yy = twoDigits(buf, at + 2);
  const month = twoDigits(buf, at + 5);
  const day = twoDigits(buf, at + 8);
  const hour = twoDigits(buf, at + 11);
  const minute = twoDigits(buf, at + 14);
  const second = twoDigits(buf, at + 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return NaN;
  }
  const year = century * 100 + yy;
  const key = (year * 16 + month) * 32 + day;
  if (key !== cachedDayKey) {
    if (day > daysInMonth(year, month)) return NaN;
    cachedDayMs = daysFromCivil(year, month, day) * MS_PER_DAY;
    cachedDayKey = key;
  }
  return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * A JSON number, or one of DCS's "NaN" / "Infinity" / "-Infinity" strings, at `at`; sets `cursor`
 * after it. Returns undefined when it is neither (the caller then falls back).
 */
function valueAt(buf: Buffer, at: number, end: number): number | undefined {
  let i = at;
  let c = buf[i];
  if (c === QUOTE) {
    if (matches(buf, at, end, NAN)) {
      cursor = at + NAN.length;
      return NaN;
    }
    if (matches(buf, at, end, INFINITY)) {
      cursor = at + INFINITY.length;
      return Infinity;
    }
    if (matches(buf, at, end, MINUS_INFINITY)) {
      cursor = at + MINUS_INFINITY.length;
      return -Infinity;
    }
    return undefined;
  }
  const negative = c === MINUS;
  if (negative) c = buf[++i];
  const digitsStart = i;
  let mantissa = 0;
  let digits = 0;
  while (i < end && c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = buf[++i];
  }
  const integerDigits = i - digitsStart;
  // JSON forbids a leading zero before more digits ("012"), and needs at least one digit.
  if (integerDigits === 0 || (integerDigits > 1 && buf[digitsStart] === 48)) return undefined;
  let fractionDigits = 0;
  if (c === DOT) {
    c = buf[++i];
    while (i < end && c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fractionDigits++;
      c = buf[++i];
    }
    if (fractionDigits === 0) return undefined;
  }
  if (c === 0x65 || c === 0x45 || digits > 15) {
    // An exponent or too many digits for the exact path: let Number() read the text.
    if (c === 0x65 || c === 0x45) {
      c = buf[++i];
      if (c === 0x2b || c === MINUS) c = buf[++i];
      const expStart = i;
      while (i < end && c >= 48 && c <= 57) c = buf[++i];
      if (i === expStart) return undefined;
    }
    if (i > end) return undefined;
    cursor = i;
    return Number(buf.toString('latin1', at, i));
  }
  if (i > end) return undefined;
  cursor = i;
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
  return negative ? -magnitude : magnitude;
}

/** A small non-negative integer status at `at`; sets `cursor`. -1 when there is none. */
function statusAt(buf: Buffer, at: number, end: number): number {
  let i = at;
  let status = 0;
  let c = buf[i];
  while (i < end && c >= 48 && c <= 57 && i - at < 9) {
    status = status * 10 + (c - 48);
    c = buf[++i];
  }
  if (i === at || (i - at > 1 && buf[at] === 48)) return -1;
  cursor = i;
  return status;
}

/**
 * Decodes `buf[start..end)`, which must be standard readings separated by commas (possibly none),
 * or returns undefined if it is not exactly in DCS's form.
 */
export function decodeStandardRun(buf: Buffer, start: number, end: number): Reading[] | undefined {
  const out: Reading[] = [];
  let i = start;
  if (i === end) return out;
  for (;;) {
    if (!matches(buf, i, end, TIMESTAMP_OPEN)) return undefined;
    i += TIMESTAMP_OPEN.length;
    if (i + 20 > end) return undefined;
    const ms = timestampAt(buf, i);
    if (ms !== ms) return undefined;
    i += 20;
    if (!matches(buf, i, end, VALUE_KEY)) return undefined;
    const value = valueAt(buf, i + VALUE_KEY.length, end);
    if (value === undefined) return undefined;
    i = cursor;
    if (!matches(buf, i, end, STATUS_KEY)) return undefined;
    const status = statusAt(buf, i + STATUS_KEY.length, end);
    if (status < 0) return undefined;
    i = cursor;
    if (i >= end || buf[i] !== CLOSE_BRACE) return undefined;
    i++;
    out.push({ timestamp: new Date(ms), value, status });
    if (i === end) return out;
    if (buf[i] !== COMMA) return undefined;
    i++;
  }
}

/** As decodeStandardRun, for the complete format (totalValue and periodValue). */
export function decodeCompleteRun(buf: Buffer, start: number, end: number): CompleteReading[] | undefined {
  const out: CompleteReading[] = [];
  let i = start;
  if (i === end) return out;
  for (;;) {
    if (!matches(buf, i, end, TIMESTAMP_OPEN)) return undefined;
    i += TIMESTAMP_OPEN.length;
    if (i + 20 > end) return undefined;
    const ms = timestampAt(buf, i);
    if (ms !== ms) return undefined;
    i += 20;
    if (!matches(buf, i, end, TOTAL_VALUE_KEY)) return undefined;
    const totalValue = valueAt(buf, i + TOTAL_VALUE_KEY.length, end);
    if (totalValue === undefined) return undefined;
    i = cursor;
    if (!matches(buf, i, end, PERIOD_VALUE_KEY)) return undefined;
    const periodValue = valueAt(buf, i + PERIOD_VALUE_KEY.length, end);
    if (periodValue === undefined) return undefined;
    i = cursor;
    if (!matches(buf, i, end, STATUS_KEY)) return undefined;
    const status = statusAt(buf, i + STATUS_KEY.length, end);
    if (status < 0) return undefined;
    i = cursor;
    if (i >= end || buf[i] !== CLOSE_BRACE) return undefined;
    i++;
    out.push({ timestamp: new Date(ms), totalValue, periodValue, status });
    if (i === end) return out;
    if (buf[i] !== COMMA) return undefined;
    i++;
  }
}
