/**
 * Turns the plain JSON of a readings answer into the client's types: timestamps become Dates,
 * values become numbers (DCS writes NaN and infinities as strings), and the header gets its
 * normalised id, period type and format. Liberal in what it accepts: a `Value` key, a
 * `readingDuration` key, numbers sent as strings; strict where a wrong guess would corrupt data:
 * a reading without a usable timestamp is an error, not a skipped row.
 */
import { DcsProtocolError } from './errors';
import { parsePeriodType } from './period-types';
import { parseDcsTimestamp, parseIsoToMs } from './time';
import { type AnyReading, type CompleteReading, type PeriodType, type Reading, type ReadingsFormat, type ReadingsHeader } from './types';

type RawReading = Record<string, unknown>;

/** What the client asked for: used where the answer is silent. */
export interface RequestedSpan {
  id: string;
  periodType: PeriodType;
  format: ReadingsFormat;
  startMs?: number;
  endMs?: number;
}

/** A value as DCS writes it: a JSON number, or "NaN" / "Infinity" / "-Infinity". */
export function toReadingValue(raw: unknown, field: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    switch (raw) {
      case 'NaN':
        return NaN;
      case 'Infinity':
      case '+Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
    }
    const trimmed = raw.trim();
    const n = Number(trimmed);
    if (trimmed !== '' && !Number.isNaN(n)) return n;
    if (/^[+-]?(nan|inf(inity)?)$/i.test(trimmed)) {
      if (/nan/i.test(trimmed)) return NaN;
      return trimmed.startsWith('-') ? -Infinity : Infinity;
    }
  }
  // DCS has no null values, but a proxy or a future version writing null means "no value".
  if (raw === null) return NaN;
  throw new DcsProtocolError(`DCS sent a reading whose ${field} is ${JSON.stringify(raw)}, which is not a number.`);
}

/** Looks a key up ignoring case: the slow path for answers that spell keys differently. */
function lookup(raw: RawReading, key: string): unknown {
  const lower = key.toLowerCase();
  for (const k of Object.keys(raw)) if (k.toLowerCase() === lower) return raw[k];
  return undefined;
}

function readingTimestamp(raw: RawReading): Date {
  let text = raw.timestamp;
  if (text === undefined) text = lookup(raw, 'timestamp');
  const ms = typeof text === 'string' ? parseDcsTimestamp(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new DcsProtocolError(`DCS sent a reading whose timestamp is ${JSON.stringify(text)}, which is not a time; no readings were guessed.`);
  }
  return new Date(ms);
}

function readingStatus(raw: RawReading): number {
  let status = raw.status;
  if (status === undefined) status = lookup(raw, 'status');
  if (typeof status === 'number') return status;
  if (status === undefined || status === null) return 0;
  const n = Number(status);
  if (Number.isInteger(n)) return n;
  throw new DcsProtocolError(`DCS sent a reading whose status is ${JSON.stringify(status)}, which is not a number.`);
}

function asRecord(item: unknown): RawReading {
  if (item && typeof item === 'object' && !Array.isArray(item)) return item as RawReading;
  throw new DcsProtocolError(`DCS sent a reading that is not an object (${JSON.stringify(item)}).`);
}

export function toStandardReading(item: unknown): Reading {
  const raw = asRecord(item);
  let value = raw.value;
  if (value === undefined) value = lookup(raw, 'value');
  return {
    timestamp: readingTimestamp(raw),
    value: typeof value === 'number' ? value : toReadingValue(value, 'value'),
    status: readingStatus(raw),
  };
}

export function toCompleteReading(item: unknown): CompleteReading {
  const raw = asRecord(item);
  let total = raw.totalValue;
  if (total === undefined) total = lookup(raw, 'totalValue');
  let period = raw.periodValue;
  if (period === undefined) period = lookup(raw, 'periodValue');
  return {
    timestamp: readingTimestamp(raw),
    totalValue: typeof total === 'number' ? total : toReadingValue(total, 'totalValue'),
    periodValue: typeof period === 'number' ? period : toReadingValue(period, 'periodValue'),
    status: readingStatus(raw),
  };
}

/**
 * Converts a batch of plain readings. The common shape (string timestamp in canonical form, number
 * value and status) is handled inline because this runs once per reading; anything else takes the
 * liberal path.
 */
export function decodeBatch(items: unknown[], format: ReadingsFormat): AnyReading[] {
  return format === 'complete' ? decodeCompleteBatch(items) : decodeStandardBatch(items);
}

function decodeStandardBatch(items: unknown[]): Reading[] {
  const out = new Array<Reading>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item !== null && typeof item === 'object') {
      const raw = item as RawReading;
      const timestamp = raw.timestamp;
      const value = raw.value;
      const status = raw.status;
      if (typeof timestamp === 'string' && typeof value === 'number' && typeof status === 'number') {
        const ms = parseDcsTimestamp(timestamp);
        if (ms === ms) {
          out[i] = { timestamp: new Date(ms), value, status };
          continue;
        }
      }
    }
    out[i] = toStandardReading(item);
  }
  return out;
}

function decodeCompleteBatch(items: unknown[]): CompleteReading[] {
  const out = new Array<CompleteReading>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = toCompleteReading(items[i]);
  return out;
}

function headerTime(raw: Record<string, unknown>, key: string, fallback: number | undefined): Date {
  const value = raw[key] ?? lookup(raw, key);
  if (typeof value === 'string') {
    const ms = parseIsoToMs(value);
    if (ms !== undefined) return new Date(ms);
  }
  if (fallback !== undefined) return new Date(fallback);
  throw new DcsProtocolError(`DCS's readings answer has no usable ${key} (${JSON.stringify(value)}).`);
}

function headerText(raw: Record<string, unknown>, key: string): string {
  const value = raw[key] ?? lookup(raw, key);
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

function headerPeriodType(raw: Record<string, unknown>, requested: PeriodType): PeriodType {
  const value = raw.periodType ?? lookup(raw, 'periodType');
  if (typeof value === 'string') {
    const match = parsePeriodType(value);
    if (match) return match;
  }
  return requested;
}

/** DCS's `duration` (the spec says `readingDuration`): a number of some unit, 0 meaning totals. */
function headerDuration(raw: Record<string, unknown>): number {
  const value = raw.duration ?? raw.readingDuration ?? lookup(raw, 'duration') ?? lookup(raw, 'readingDuration');
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return 0;
}

export function decodeHeader(raw: Record<string, unknown>, requested: RequestedSpan): ReadingsHeader {
  return {
    id: requested.id,
    name: headerText(raw, 'name'),
    unit: headerText(raw, 'unit'),
    periodType: headerPeriodType(raw, requested.periodType),
    startTime: headerTime(raw, 'startTime', requested.startMs),
    endTime: headerTime(raw, 'endTime', requested.endMs),
    duration: headerDuration(raw),
    format: requested.format,
  };
}
