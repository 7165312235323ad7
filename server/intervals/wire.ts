/**
 * Intervals as the wire types of server/api/types.ts: times with the zone's offset at that
 * instant, and only the figures asked for.
 */
import type { IntervalCalc, IntervalJson, IntervalSourceJson } from '../api/types';
import { zonedTimestamps, type TimestampWriter } from '../output/timestamps';
import type { IntervalFigures } from './accumulator';
import { loadFactor, maxDemand } from './demand';
import type { IntervalSourceInfo } from './stream';

/** A zone's writer and the times it has written lately. */
interface ZoneFormatter {
  writer: TimestampWriter;
  recent: Map<number, string>;
}

const formatters = new Map<string, ZoneFormatter>();
/**
 * Interval boundaries repeat for every source of a request (and consecutive days each fall on a
 * new UTC day, where the writer must ask Intl for the offset again), so the last few thousand
 * are kept: a 100-source daily pull formats 366 boundaries, not 73,000.
 */
const RECENT_TIMES = 4096;

/** ISO-8601 with the zone's offset at that instant (`Z` in UTC). */
export function formatIntervalTime(ms: number, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = { writer: zonedTimestamps(timeZone), recent: new Map() };
    formatters.set(timeZone, formatter);
  }
  let text = formatter.recent.get(ms);
  if (text === undefined) {
    if (formatter.recent.size >= RECENT_TIMES) formatter.recent.clear();
    text = formatter.writer.format(ms);
    formatter.recent.set(ms, text);
  }
  return text;
}

/** The value of one calculation as a number, or epoch milliseconds for a time (maxAt, maxDemandAt); null when it cannot be had. */
export function calcNumber(figures: IntervalFigures, calc: IntervalCalc): number | null {
  switch (calc) {
    case 'maxAt':
    case 'maxDemandAt':
      return figures.maxAtMs;
    case 'maxDemand':
      return maxDemand(figures);
    case 'loadFactor':
      return loadFactor(figures);
    default:
      return figures[calc];
  }
}

/** Whether a calculation's value is a time. */
export function isTimeCalc(calc: IntervalCalc): boolean {
  return calc === 'maxAt' || calc === 'maxDemandAt';
}

/** The value of one calculation: a number, an ISO time (maxAt, maxDemandAt), or null when it cannot be had. */
export function calcValue(figures: IntervalFigures, calc: IntervalCalc, timeZone: string): number | string | null {
  const value = calcNumber(figures, calc);
  return value !== null && isTimeCalc(calc) ? formatIntervalTime(value, timeZone) : value;
}

export function intervalToJson(figures: IntervalFigures, timeZone: string, calcs: readonly IntervalCalc[]): IntervalJson {
  const json: IntervalJson = {
    start: formatIntervalTime(figures.startMs, timeZone),
    end: formatIntervalTime(figures.endMs, timeZone),
    periods: figures.periods,
    interpolated: figures.interpolated,
    resets: figures.resets,
    missing: figures.missing,
    invalid: figures.invalid,
  };
  const withCalcs: Record<string, unknown> = { start: json.start, end: json.end };
  for (const calc of calcs) withCalcs[calc] = calcValue(figures, calc, timeZone);
  if (figures.comparison) Object.assign(withCalcs, figures.comparison);
  return { ...withCalcs, ...json };
}

/** A source's description without its intervals (the ndjson header, the json object's head). */
export function sourceToJson(source: IntervalSourceInfo): Omit<IntervalSourceJson, 'intervals'> {
  return {
    id: source.id,
    name: source.name,
    unit: source.unit,
    kind: source.kind,
    isInstantaneous: source.isInstantaneous,
    ...(source.members !== undefined && { members: source.members }),
    interval: source.interval,
    timeZone: source.timeZone,
    calcs: source.calcs,
    ...(source.demandUnit === undefined ? {} : { demandUnit: source.demandUnit }),
    ...(source.band !== undefined && { band: source.band }),
  };
}

/** A wide column's header: `R1001 Main Library - Electricity Main Incomer: Active Energy Import (kWh)`. */
export function columnHeader(source: { id: string; name: string; unit: string }): string {
  return source.unit ? `${source.id} ${source.name} (${source.unit})` : `${source.id} ${source.name}`;
}
