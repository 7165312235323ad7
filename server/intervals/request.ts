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
import { DEFAULT_BASE_TEMPERATURE } from '../analysis/degree-days';
import { previousYearStart } from '../analysis/previous-year';
import { FUELS, type Fuel } from '../analysis/carbon';

export const INTERVAL_CALCS: readonly IntervalCalc[] = [
  'consumption',
  'mean',
  'min',
  'max',
  'maxAt',
  'maxDemand',
  'maxDemandAt',
  'loadFactor',
  'baseload',
  'outOfHours',
  'heatingDegreeDays',
  'coolingDegreeDays',
  'carbon',
];

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
  /** Occupied hours, for the outOfHours calculation (the same band syntax). */
  occupied?: Band;
  /** °C, for heatingDegreeDays and coolingDegreeDays; default DEFAULT_BASE_TEMPERATURE. */
  baseTemperature?: number;
  /** Each interval next to the same interval a year earlier (analysis/previous-year.ts). */
  compare?: 'previousYear';
  /** The fuel whose emission factors `carbon` uses (analysis/carbon.ts). */
  fuel?: Fuel;
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
  occupied?: string;
  baseTemperature?: string;
  compare?: string;
  fuel?: string;
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
    ...profileParameters(input, interval, parseCalcs(input.calc)),
    band: bandParameter(input.band),
    ...(parseCompare(input.compare, startMs, endMs, interval, timeZone) && { compare: 'previousYear' as const }),
  };
}

/** `compare=previousYear`; refused when the span's bounds have no counterpart a year earlier. */
function parseCompare(text: string | undefined, startMs: number, endMs: number, interval: IntervalType, timeZone: string): boolean {
  if (text === undefined || text.trim() === '') return false;
  if (text.trim() !== 'previousYear') throw badParameter('compare', `'${text}' is not a comparison; use compare=previousYear`);
  if (previousYearStart(startMs, interval, timeZone) === null || previousYearStart(endMs, interval, timeZone) === null) {
    throw badParameter(
      'compare',
      `29 February has no calendar counterpart a year earlier; start and end the span on another day (whole ${interval} intervals inside it are compared where they can be)`,
    );
  }
  return true;
}

/** The span a year before the request's, matched as previous-year.ts matches each interval. */
export function previousYearSpan(request: Pick<IntervalsRequest, 'startMs' | 'endMs' | 'interval' | 'timeZone'>): { startMs: number; endMs: number } {
  const shift = (ms: number): number => previousYearStart(ms, request.interval, request.timeZone) as number;
  return { startMs: shift(request.startMs), endMs: shift(request.endMs) };
}

/** The calculations asked for, with what outOfHours and the degree-day calculations need, checked together. */
function profileParameters(
  input: IntervalsInput,
  interval: IntervalType,
  calcs: IntervalCalc[] | undefined,
): Pick<IntervalsRequest, 'calcs' | 'occupied' | 'baseTemperature'> {
  const occupied = bandParameter(input.occupied, 'occupied');
  const wants = (calc: IntervalCalc): boolean => calcs?.includes(calc) ?? false;
  if (wants('outOfHours') && occupied === undefined) {
    throw badParameter('occupied', 'calc=outOfHours needs the occupied hours, e.g. occupied=Mon-Fri 08:00-18:00 (the band syntax of time-of-use rates)');
  }
  if (occupied !== undefined && !wants('outOfHours')) throw badParameter('occupied', 'is only read by calc=outOfHours; add it to calc= or leave occupied out');
  const degreeDays = wants('heatingDegreeDays') || wants('coolingDegreeDays');
  if (degreeDays && isClockInterval(interval)) {
    throw badParameter('interval', `degree days are counted per day; ask for interval=day or longer, not ${interval}`);
  }
  const baseTemperature = readBaseTemperature(input.baseTemperature);
  if (input.baseTemperature !== undefined && !degreeDays) {
    throw badParameter('baseTemperature', 'is only read by calc=heatingDegreeDays or coolingDegreeDays; add one to calc= or leave baseTemperature out');
  }
  const fuel = parseFuel(input.fuel, wants('carbon'));
  return { calcs, occupied, baseTemperature, ...(fuel && { fuel }) };
}

function parseFuel(text: string | undefined, wanted: boolean): Fuel | undefined {
  const value = text?.trim() ?? '';
  if (value === '') {
    if (wanted) throw badParameter('fuel', `calc=carbon needs the fuel the source measures: fuel=${FUELS.join(' or fuel=')}`);
    return undefined;
  }
  if (!wanted) throw badParameter('fuel', 'is only read by calc=carbon; add it to calc= or leave fuel out');
  const fuel = FUELS.find((f) => f.toLowerCase() === value.toLowerCase());
  if (!fuel) throw badParameter('fuel', `'${value}' is not a fuel with emission factors; use ${FUELS.join(' or ')}`);
  return fuel;
}

/** °C; default 15.5, the UK's base for heating degree days. */
export function readBaseTemperature(text: string | undefined, name = 'baseTemperature'): number {
  if (text === undefined || text.trim() === '') return DEFAULT_BASE_TEMPERATURE;
  const value = Number(text);
  if (!Number.isFinite(value) || value < -30 || value > 40) {
    throw badParameter(name, `'${text}' is not a base temperature in °C; give a number between -30 and 40, such as 15.5 (the UK's usual base)`);
  }
  return value;
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
