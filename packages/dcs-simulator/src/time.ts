/**
 * UTC time arithmetic for DCS periods, and the fast timestamp formatting the readings stream
 * depends on. All instants are epoch milliseconds.
 */
import { PERIOD_TYPES, type PeriodType } from 'dcs-client';

export { parsePeriodType, type PeriodType } from 'dcs-client';

export const MINUTE_MS = 60_000;
export const HALF_HOUR_MS = 30 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** The simulated estate has readings from here on (a Monday). */
export const DATA_START_MS = Date.UTC(1900, 0, 1);

/** Date.UTC without its mapping of years 0-99 to 1900-1999. */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  date.setUTCFullYear(year, month, day);
  return date.getTime();
}

export function periodTypeNames(): string {
  return PERIOD_TYPES.join(', ');
}

/** Fixed length of a period, or undefined for months (which vary). */
export function fixedPeriodMs(periodType: PeriodType): number | undefined {
  switch (periodType) {
    case 'halfHour':
      return HALF_HOUR_MS;
    case 'hour':
      return HOUR_MS;
    case 'day':
      return DAY_MS;
    case 'week':
      return WEEK_MS;
    case 'month':
      return undefined;
  }
}

/**
 * The `duration` DCS reports for per-period (consumption) values, in minutes. Months use 31
 * days, the window pythondcs also assumes for a month.
 */
export function periodDurationMinutes(periodType: PeriodType): number {
  return (fixedPeriodMs(periodType) ?? 31 * DAY_MS) / MINUTE_MS;
}

export function isAligned(ms: number, periodType: PeriodType): boolean {
  const d = new Date(ms);
  if (d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0) return false;
  const minute = d.getUTCMinutes();
  if (periodType === 'halfHour') return minute === 0 || minute === 30;
  if (minute !== 0) return false;
  if (periodType === 'hour') return true;
  if (d.getUTCHours() !== 0) return false;
  if (periodType === 'day') return true;
  if (periodType === 'week') return d.getUTCDay() === 1;
  return d.getUTCDate() === 1;
}

export function alignmentRule(periodType: PeriodType): string {
  switch (periodType) {
    case 'halfHour':
      return 'on the hour or half hour (mm = 00 or 30, ss = 00)';
    case 'hour':
      return 'on the hour (mm:ss = 00:00)';
    case 'day':
      return 'at midnight UTC (HH:mm:ss = 00:00:00)';
    case 'week':
      return 'at midnight UTC on a Monday';
    case 'month':
      return 'at midnight UTC on the 1st of a month';
  }
}

/** The instant `count` periods after (or before, if negative) an aligned instant. */
export function addPeriods(ms: number, periodType: PeriodType, count: number): number {
  const fixed = fixedPeriodMs(periodType);
  if (fixed !== undefined) return ms + fixed * count;
  const d = new Date(ms);
  return utcMs(d.getUTCFullYear(), d.getUTCMonth() + count, 1);
}

/** The last half-hour boundary strictly before `ms`. */
export function lastHalfHourBefore(ms: number): number {
  return Math.ceil(ms / HALF_HOUR_MS) * HALF_HOUR_MS - HALF_HOUR_MS;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function pad4(n: number): string {
  return n < 10 ? '000' + n : n < 100 ? '00' + n : n < 1000 ? '0' + n : String(n);
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the wire form DCS uses. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    pad4(d.getUTCFullYear()) +
    '-' +
    pad2(d.getUTCMonth() + 1) +
    '-' +
    pad2(d.getUTCDate()) +
    'T' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds()) +
    'Z'
  );
}

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a query-string time the way an ASP.NET server would accept it: ISO 8601, with `Z`,
 * an offset, or no zone (taken as UTC); a plain date means 00:00 UTC. Undefined if invalid.
 */
export function parseTimeParam(text: string): number | undefined {
  const m = TIME_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  let ms = utcMs(year, month - 1, day, hour, minute, second, Math.floor(Number('0.' + frac) * 1000));
  if (new Date(utcMs(year, month - 1, day)).getUTCDate() !== day) return undefined;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * MINUTE_MS;
  }
  return Number.isFinite(ms) ? ms : undefined;
}
