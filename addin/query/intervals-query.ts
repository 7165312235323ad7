import type { IntervalCalc, IntervalType, Source } from '../../server/api/types';
import type { IntervalsRequest } from '../api/client';
import { describeRange, formatWallClock, parseWallClock, PRESET_LABELS, resolveRange, type ResolvedRange, type TimeRange } from './presets';
import { addWall, ceilWall, floorWall, INTERVAL_TYPES } from '../../server/time/wall-calendar';
import { idsAndSpan, parseSavedQuery } from './saved-query';

/**
 * "What to get" from the pane: calculated figures per interval (from `GET /api/intervals`), or
 * readings as DCS stores them (`GET /api/readings`, see table-query.ts).
 */
export type WhatToGet = 'consumption' | 'statistics' | 'readings';

/** One table per source, one long table with a source column, or one column per source. */
export type IntervalTableLayout = 'perSource' | 'long' | 'wide';

/**
 * What an intervals table was pulled from, remembered in the workbook for Refresh all.
 * Holds no credentials.
 */
export interface IntervalsQuery {
  version: 1;
  kind: 'intervals';
  sourceIds: string[];
  range: TimeRange;
  interval: IntervalType;
  /** UTC or an IANA zone: intervals are this zone's days, months...; timestamps are its wall clock. */
  timeZone: string;
  what: 'consumption' | 'statistics';
  /** Undefined: the server's default per source (consumption, or mean/min/max when instantaneous). */
  calcs?: IntervalCalc[];
  layout: IntervalTableLayout;
}

/** Statistics of instantaneous values (kW, °C): the spread of the half-hourly values. */
const STATISTICS: IntervalCalc[] = ['mean', 'min', 'max', 'maxAt'];
/** Statistics of energy (kWh): maximum demand in kW, when, and the load factor, as a bill states them. */
const DEMAND: IntervalCalc[] = ['maxDemand', 'maxDemandAt', 'loadFactor'];

/** Consumption for cumulative registers and per-period virtual meters; statistics for instantaneous values. */
export function defaultWhat(sources: readonly Pick<Source, 'isInstantaneous'>[]): WhatToGet {
  return sources.length > 0 && sources.every((s) => s.isInstantaneous) ? 'statistics' : 'consumption';
}

/** One wide table (a column per source) when several sources are picked. */
export function defaultLayout(sourceCount: number): IntervalTableLayout {
  return sourceCount > 1 ? 'wide' : 'perSource';
}

/**
 * The calculations to ask for. Consumption of a selection that mixes in instantaneous sources
 * leaves `calc` to the server, which gives each source its own default, so the mix just works.
 */
export function calcsFor(what: 'consumption' | 'statistics', sources: readonly Pick<Source, 'isInstantaneous'>[]): IntervalCalc[] | undefined {
  if (what === 'statistics') {
    // The server leaves demand out for sources without it (instantaneous ones, water), so a mix gets each its own.
    const instantaneous = sources.some((s) => s.isInstantaneous);
    const energy = sources.some((s) => !s.isInstantaneous);
    return [...(energy ? DEMAND : []), ...(instantaneous || !energy ? STATISTICS : [])];
  }
  return sources.some((s) => s.isInstantaneous) ? undefined : ['consumption'];
}

/** Widens a wall-clock span outwards to whole intervals (weeks from Monday, quarters from Jan/Apr/Jul/Oct), by the server's own calendar. */
export function alignToIntervals(resolved: ResolvedRange, interval: IntervalType): ResolvedRange {
  const start = parseWallClock(resolved.start);
  const end = parseWallClock(resolved.end);
  return { start: formatWallClock(floorWall(start, interval)), end: formatWallClock(ceilWall(end, interval)) };
}

/** The server request for a query at the instant `now` (relative ranges resolve against it). */
export function toIntervalsRequest(query: IntervalsQuery, now: Date): { request: IntervalsRequest; resolved: ResolvedRange } {
  const periodForPresets = query.interval === 'halfHour' || query.interval === 'hour' ? query.interval : 'day';
  const resolved = alignToIntervals(resolveRange(query.range, now, query.timeZone, periodForPresets), query.interval);
  return {
    resolved,
    request: {
      ...idsAndSpan(query, resolved),
      interval: query.interval,
      timeZone: query.timeZone,
      calcs: query.calcs,
    },
  };
}

/** A span for people: whole days with their last day included ("2025-10-01 to 2025-10-31"). */
export function describeIntervalSpan(range: TimeRange, interval: IntervalType, resolved: ResolvedRange): string {
  if (interval === 'halfHour' || interval === 'hour') return describeRange(range, resolved);
  const lastDay = formatWallClock(addWall(parseWallClock(resolved.end), 'day', -1)).slice(0, 10);
  const shown = `${resolved.start.slice(0, 10)} to ${lastDay}`;
  return range.kind === 'relative' ? `${PRESET_LABELS[range.preset]}, ${shown}` : shown;
}

const CALCS: readonly IntervalCalc[] = ['consumption', 'mean', 'min', 'max', 'maxAt', 'maxDemand', 'maxDemandAt', 'loadFactor'];

/** A query read back from the workbook, checked field by field. Throws an Error naming what is wrong. */
export function parseIntervalsQuery(text: string): IntervalsQuery {
  const q = parseSavedQuery<IntervalsQuery>(text, (q) => q.version === 1 && q.kind === 'intervals');
  if (!INTERVAL_TYPES.includes(q.interval as IntervalType)) throw new Error('its saved query has an unknown interval');
  if (typeof q.timeZone !== 'string' || q.timeZone === '') throw new Error('its saved query has no time zone');
  if (q.what !== 'consumption' && q.what !== 'statistics') throw new Error('its saved query does not say what to calculate');
  if (q.calcs !== undefined && !(Array.isArray(q.calcs) && q.calcs.every((c) => CALCS.includes(c))))
    throw new Error('its saved query has unknown calculations');
  if (q.layout !== 'perSource' && q.layout !== 'long' && q.layout !== 'wide') throw new Error('its saved query has an unknown layout');
  return {
    version: 1,
    kind: 'intervals',
    sourceIds: [...q.sourceIds],
    range: q.range,
    interval: q.interval as IntervalType,
    timeZone: q.timeZone,
    what: q.what,
    calcs: q.calcs ? [...q.calcs] : undefined,
    layout: q.layout,
  };
}
