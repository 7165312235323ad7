/**
 * What an intervals request asks for, read from text (query strings, OData options) and checked:
 * every refusal names the parameter, says what is wrong and what to send instead.
 */
import type { IntervalCalc, IntervalType } from '../api/types';
import { badParameter } from '../request-errors';
import type { Band } from '../time/bands';
import { bandParameter, timeParameter, timeZoneParameter } from '../time/parameters';
import { parseInZone } from '../time/zones';
import { INTERVAL_TYPES } from '../time/wall-calendar';
import { floorToInterval, isClockInterval, nextIntervalStart, OffGridZoneError } from './calendar';
import { zonedTimestamps } from '../output/timestamps';

export const INTERVAL_CALCS: readonly IntervalCalc[] = ['consumption', 'mean', 'min', 'max', 'maxAt', 'maxDemand', 'maxDemandAt', 'loadFactor'];

/** Default calculations: consumption where it is defined, the spread of values where it is not. */
export const DEFAULT_CALCS = {
  cumulative: ['consumption'] as readonly IntervalCalc[],
  instantaneous: ['mean', 'min', 'max'] as readonly IntervalCalc[],
};

/** Twenty years of days, ten of half-hours: beyond that a request is almost certainly a typo. */
export const MAX_INTERVALS = 200_000;

export interface IntervalsRequest {
  ids: string[];
  startMs: number;
  endMs: number;
  interval: IntervalType;
  /** Canonical IANA name. */
  timeZone: string;
  calibrated?: boolean;
  interpolated?: boolean;
  /** Asked for explicitly; undefined = each source's default (DEFAULT_CALCS). */
  calcs?: IntervalCalc[];
  /** Only half-hours whose local start is in this band count (time/bands.ts). */
  band?: Band;
}

/** The request as text, e.g. from a query string; ids already read (http/params.ts). */
export interface IntervalsInput {
  ids: string[];
  start: string;
  /** The first instant NOT included (a `lastDay` already turned into the day after it). */
  end: string;
  /** The parameter `end` came as, for refusals; default `end`. */
  endParameter?: 'end' | 'lastDay';
  interval?: string;
  timeZone?: string;
  /** The zone for a missing or blank `timeZone`: the server's DEFAULT_TIME_ZONE. */
  defaultTimeZone: string;
  calibrated?: boolean;
  interpolated?: boolean;
  calc?: string;
  band?: string;
}

export function resolveIntervalsRequest(input: IntervalsInput): IntervalsRequest {
  const interval = parseInterval(input.interval);
  const timeZone = timeZoneParameter(input.timeZone, input.defaultTimeZone);
  const endName = input.endParameter ?? 'end';
  const startMs = readBound('start', input.start, interval, timeZone);
  const endMs = readBound(endName, input.end, interval, timeZone);
  if (endMs <= startMs) {
    throw badParameter(
      endName,
      `'${input.end.trim()}' is not after start '${input.start.trim()}'; the span is [start, end) and must not be empty (for October give start=2023-10-01 and end=2023-11-01, or lastDay=2023-10-31)`,
    );
  }
  checkIntervalCount(startMs, endMs, interval, timeZone);
  return {
    ids: input.ids,
    startMs,
    endMs,
    interval,
    timeZone,
    calibrated: input.calibrated,
    interpolated: input.interpolated,
    calcs: parseCalcs(input.calc),
    band: bandParameter(input.band),
  };
}

export function parseInterval(text: string | undefined): IntervalType {
  if (text === undefined || text.trim() === '') return 'day';
  const match = INTERVAL_TYPES.find((i) => i.toLowerCase() === text.trim().toLowerCase());
  if (!match) throw badParameter('interval', `'${text}' is not an interval; use one of ${INTERVAL_TYPES.join(', ')}`);
  return match;
}

export function parseCalcs(text: string | undefined): IntervalCalc[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const calcs: IntervalCalc[] = [];
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    const match = INTERVAL_CALCS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!match) throw badParameter('calc', `'${name}' is not a calculation; use one or more of ${INTERVAL_CALCS.join(', ')}, separated by commas`);
    if (!calcs.includes(match)) calcs.push(match);
  }
  // Always in one order, so columns do not move with the order they were asked in.
  return INTERVAL_CALCS.filter((c) => calcs.includes(c));
}

/** A bound as epoch milliseconds, on an interval boundary in the zone. */
function readBound(name: 'start' | 'end' | 'lastDay', text: string, interval: IntervalType, zone: string): number {
  const value = text.trim();
  if (value === '') {
    const or = name === 'start' ? '' : ', or lastDay (the last day included, YYYY-MM-DD)';
    throw badParameter(name, `missing; give a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:mm), local to timeZone${or}`);
  }
  const ms = timeParameter(name, () => parseInZone(value, zone).getTime());
  const floor = floorOrRefuse(name, ms, interval, zone);
  if (floor === ms) return ms;
  const writer = zonedTimestamps(zone);
  const format = (ms: number): string => writer.format(ms);
  const next = nextIntervalStart(floor, interval, zone);
  throw badParameter(
    name,
    name === 'lastDay'
      ? `the day after ${value} (the end of the span) in ${zone} is not the start of ${describeInterval(interval)}; the nearest ${interval} boundaries are ${format(floor)} and ${format(next)}`
      : `'${value}' in ${zone} is not the start of ${describeInterval(interval)}; the nearest ${interval} boundaries are ${format(floor)} and ${format(next)}`,
  );
}

function floorOrRefuse(name: string, ms: number, interval: IntervalType, zone: string): number {
  try {
    return floorToInterval(ms, interval, zone);
  } catch (error) {
    if (error instanceof OffGridZoneError) throw offGrid(name, interval, error);
    throw error;
  }
}

function offGrid(name: string, interval: IntervalType, error: OffGridZoneError): Error {
  return badParameter(
    name === 'start' || name === 'end' || name === 'lastDay' ? 'timeZone' : name,
    `${error.message}: DCS records whole UTC half-hours, so local ${interval === 'hour' ? 'hours' : 'half-hours'} in ${error.zone} would split DCS's half-hours. Ask for days or longer in ${error.zone}, or for ${interval} intervals in UTC`,
  );
}

function checkIntervalCount(startMs: number, endMs: number, interval: IntervalType, zone: string): void {
  // Clock intervals are at least half an hour; calendar ones at least a day (less one hour of a clock change).
  const shortest = isClockInterval(interval) ? (interval === 'hour' ? 3_600_000 : 1_800_000) : 82_800_000;
  if ((endMs - startMs) / shortest > MAX_INTERVALS) {
    throw badParameter(
      'end',
      `the span from ${new Date(startMs).toISOString()} to ${new Date(endMs).toISOString()} holds more than ${MAX_INTERVALS} ${interval} intervals; ask for a longer interval or a shorter span`,
    );
  }
  if (isClockInterval(interval)) {
    try {
      // Every clock boundary of the span is checked against DCS's grid before anything is asked of DCS.
      for (let t = startMs; t < endMs;) t = nextIntervalStart(t, interval, zone);
    } catch (error) {
      if (error instanceof OffGridZoneError) throw offGrid('timeZone', interval, error);
      throw error;
    }
  }
}

function describeInterval(interval: IntervalType): string {
  switch (interval) {
    case 'halfHour':
      return 'a half-hour (:00 or :30 local)';
    case 'hour':
      return 'an hour (:00 local)';
    case 'day':
      return 'a day (00:00 local)';
    case 'week':
      return 'a week (Monday 00:00 local)';
    case 'month':
      return 'a month (the 1st at 00:00 local)';
    case 'quarter':
      return 'a quarter (1 January, April, July or October at 00:00 local)';
    case 'year':
      return 'a year (1 January at 00:00 local)';
  }
}
