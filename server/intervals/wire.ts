/**
 * Intervals as the wire types of server/api/types.ts: times with the zone's offset at that
 * instant, and only the figures asked for.
 */
import type { IntervalCalc, IntervalJson, IntervalSourceJson } from '../api/types';
import { zonedTimestamps, type TimestampWriter } from '../output/timestamps';
import type { IntervalFigures } from './accumulator';
import type { IntervalSourceInfo } from './stream';

const writers = new Map<string, TimestampWriter>();

/** ISO-8601 with the zone's offset at that instant (`Z` in UTC). */
export function formatIntervalTime(ms: number, timeZone: string): string {
  let writer = writers.get(timeZone);
  if (writer === undefined) {
    writer = zonedTimestamps(timeZone);
    writers.set(timeZone, writer);
  }
  return writer.format(ms);
}

/** The value of one calculation: a number, an ISO time (maxAt), or null when it cannot be had. */
export function calcValue(figures: IntervalFigures, calc: IntervalCalc, timeZone: string): number | string | null {
  if (calc === 'maxAt') return figures.maxAtMs === null ? null : formatIntervalTime(figures.maxAtMs, timeZone);
  return figures[calc];
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
  return { ...withCalcs, ...json } as IntervalJson;
}

/** A source's description without its intervals (the ndjson header, the json object's head). */
export function sourceToJson(source: IntervalSourceInfo): Omit<IntervalSourceJson, 'intervals'> {
  return {
    id: source.id,
    name: source.name,
    unit: source.unit,
    kind: source.kind,
    isInstantaneous: source.isInstantaneous,
    interval: source.interval,
    timeZone: source.timeZone,
    calcs: source.calcs,
  };
}

/** A wide column's header: `R1001 Main Library - Electricity Main Incomer: Active Energy Import (kWh)`. */
export function columnHeader(source: { id: string; name: string; unit: string }): string {
  return source.unit ? `${source.id} ${source.name} (${source.unit})` : `${source.id} ${source.name}`;
}
