/**
 * Checks a readings query before anything is sent, and turns it into DCS's query string. Every
 * mistake DCS would refuse (or, worse, silently reinterpret) is caught here with a message that
 * says how to fix it.
 */
import { DcsQueryError } from './errors';
import { addPeriods, requirePeriodStart } from './periods';
import { formatDcsTime, toEpochMs } from './time';
import { PERIOD_TYPES, parsePeriodType } from './period-types';
import { parseSourceId } from './source-id';
import type { PeriodType, ReadingsFormat, ReadingsQuery } from './types';

export interface NormalisedQuery {
  /** `R733` or `VM9`. */
  id: string;
  isVirtualMeter: boolean;
  periodType: PeriodType;
  calibrated: boolean;
  interpolated: boolean;
  format: ReadingsFormat;
  /** What the caller gave, as DCS will be asked (exactly two are set). */
  startMs?: number;
  endMs?: number;
  periodCount?: number;
  /** The half-open span the answer covers, worked out from the two that were given. */
  spanStartMs: number;
  spanEndMs: number;
}

/** `r733` -> `R733`, `vm9` -> `VM9`; anything else is refused. */
export function normaliseSourceId(id: unknown): { id: string; isVirtualMeter: boolean } {
  const parsed = typeof id === 'string' ? parseSourceId(id) : undefined;
  if (!parsed) {
    throw new DcsQueryError(
      `${JSON.stringify(id)} is not a readings source; give "R<registerId>" for a register or "VM<virtualMeterId>" for a virtual meter, e.g. "R733" (a meter's own id is not a source: use one of its registers).`,
    );
  }
  return { id: parsed.id, isVirtualMeter: parsed.isVirtualMeter };
}

function checkPeriodType(value: unknown): PeriodType {
  if (value === undefined) return 'halfHour';
  const match = typeof value === 'string' ? parsePeriodType(value) : undefined;
  if (!match) {
    throw new DcsQueryError(`periodType ${JSON.stringify(value)} is not one DCS knows; use one of ${PERIOD_TYPES.join(', ')}.`);
  }
  return match;
}

function checkFlag(value: unknown, name: string): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new DcsQueryError(`${name} must be true or false, not ${JSON.stringify(value)}.`);
  return value;
}

function checkFormat(value: unknown, isVirtualMeter: boolean): ReadingsFormat {
  if (value === undefined || value === 'standard') return 'standard';
  if (value !== 'complete') throw new DcsQueryError(`format ${JSON.stringify(value)} is not one DCS knows; use "standard" or "complete".`);
  if (isVirtualMeter) {
    throw new DcsQueryError('format "complete" is only available for registers (R<id>); ask for a virtual meter\'s readings in the "standard" format.');
  }
  return 'complete';
}

function checkPeriodCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new DcsQueryError(`periodCount must be a whole number of periods, 1 or more, not ${JSON.stringify(value)}.`);
  }
  return value;
}

export function normaliseQuery(query: ReadingsQuery): NormalisedQuery {
  if (!query || typeof query !== 'object') throw new DcsQueryError('A readings query must be an object such as { id: "R733", start, end }.');
  const { id, isVirtualMeter } = normaliseSourceId(query.id);
  const periodType = checkPeriodType(query.periodType);
  const given = [query.start, query.end, query.periodCount].filter((v) => v !== undefined && v !== null).length;
  if (given !== 2) {
    throw new DcsQueryError(
      `Give exactly two of start, end and periodCount (this query gives ${given}); e.g. { start: "2024-01-01", end: "2024-02-01" } or { start: "2024-01-01", periodCount: 48 }.`,
    );
  }
  const result: NormalisedQuery = {
    id,
    isVirtualMeter,
    periodType,
    calibrated: checkFlag(query.calibrated, 'calibrated'),
    interpolated: checkFlag(query.interpolated, 'interpolated'),
    format: checkFormat(query.format, isVirtualMeter),
    spanStartMs: 0,
    spanEndMs: 0,
  };
  if (query.start !== undefined && query.start !== null) {
    result.startMs = toEpochMs(query.start, 'start');
    requirePeriodStart(result.startMs, periodType, 'start');
  }
  if (query.end !== undefined && query.end !== null) {
    result.endMs = toEpochMs(query.end, 'end');
    requirePeriodStart(result.endMs, periodType, 'end');
  }
  if (query.periodCount !== undefined && query.periodCount !== null) result.periodCount = checkPeriodCount(query.periodCount);

  if (result.startMs !== undefined && result.endMs !== undefined) {
    if (result.endMs <= result.startMs) {
      throw new DcsQueryError(
        result.endMs === result.startMs
          ? `start and end are both ${formatDcsTime(result.startMs)}; the end is exclusive, so give an end at least one ${periodType} later.`
          : `end ${formatDcsTime(result.endMs)} is before start ${formatDcsTime(result.startMs)}; swap them (largeReadings swaps them for you).`,
      );
    }
    result.spanStartMs = result.startMs;
    result.spanEndMs = result.endMs;
  } else if (result.startMs !== undefined) {
    result.spanStartMs = result.startMs;
    result.spanEndMs = addPeriods(result.startMs, periodType, result.periodCount as number);
  } else {
    result.spanEndMs = result.endMs as number;
    result.spanStartMs = addPeriods(result.spanEndMs, periodType, -(result.periodCount as number));
  }
  return result;
}

/**
 * DCS's query string for the query, or for part of its span (`window`) when the client asks for a
 * piece of it (largeReadings windows, or resuming after a dropped connection).
 */
export function readingsSearchParams(query: NormalisedQuery, window?: { startMs: number; endMs: number }): URLSearchParams {
  const params = new URLSearchParams();
  params.set('id', query.id);
  if (window) {
    params.set('startTime', formatDcsTime(window.startMs));
    params.set('endTime', formatDcsTime(window.endMs));
  } else {
    if (query.startMs !== undefined) params.set('startTime', formatDcsTime(query.startMs));
    if (query.endMs !== undefined) params.set('endTime', formatDcsTime(query.endMs));
    if (query.periodCount !== undefined) params.set('periodCount', String(query.periodCount));
  }
  params.set('periodType', query.periodType);
  params.set('calibrated', String(query.calibrated));
  params.set('interpolated', String(query.interpolated));
  params.set('format', query.format);
  return params;
}
