/**
 * Every interval of every source of a request, source after source on the caller's DCS session,
 * computed as DCS's half-hours stream past. Ids are checked against the caller's catalogue first,
 * so an unknown id is a 404 before anything is pulled.
 */
import type { IntervalCalc, IntervalSourceJson } from '../api/types';
import type { LargeReadingsOptions } from 'dcs-client';
import { findSource, loadCatalogue, type CatalogueSource } from '../catalogue';
import type { DcsHandle } from '../session-handle';
import type { ReadingsReader } from '../http/stored-readings';
import type { IntervalFigures } from './accumulator';
import { intervalBoundaries } from './calendar';
import { bandMatcher } from '../time/bands';
import { DEFAULT_CALCS, type IntervalsRequest } from './request';
import { DEMAND_CALCS, demandUnit } from './demand';
import { openSourceIntervals, type IntervalMethod, type SourceIntervals } from './source-intervals';

/** A source as its answer's head describes it (the wire type, one definition), and how it was computed. */
export interface IntervalSourceInfo extends Omit<IntervalSourceJson, 'intervals'> {
  method: IntervalMethod;
}

export type IntervalEvent = { type: 'source'; source: IntervalSourceInfo } | { type: 'intervals'; intervals: IntervalFigures[] };

export interface StreamIntervalsOptions {
  /** The server's options for every readings call (spool, clock): readingsCallOptions(). */
  calls?: LargeReadingsOptions;
  signal?: AbortSignal;
  maxWindowDays?: number;
  /** Interval starts to use instead of the request's calendar (a billing period is one interval). */
  boundaries?: Float64Array;
  /** Where half-hours come from: `readingsReader(ctx, handle)` (through the readings store when configured). */
  reader?: ReadingsReader;
}

/** The sources a request names, from the caller's catalogue (404 for an id it does not hold). */
export async function resolveSources(handle: DcsHandle, ids: readonly string[]): Promise<CatalogueSource[]> {
  const catalogue = await loadCatalogue(handle);
  return ids.map((id) => findSource(catalogue, id));
}

export function calcsFor(source: CatalogueSource, asked: readonly IntervalCalc[] | undefined): IntervalCalc[] {
  const calcs = asked ?? (source.isInstantaneous ? DEFAULT_CALCS.instantaneous : DEFAULT_CALCS.cumulative);
  // Demand means nothing for water or for an instantaneous source: left out, as consumption is null for those.
  return demandUnit(source) === undefined ? calcs.filter((calc) => !DEMAND_CALCS.includes(calc)) : [...calcs];
}

/**
 * Source after source (resolved by `resolveSources`): `{ type: 'source' }` then its intervals in
 * batches, every interval exactly once, in time order; half-hours fetched once per source.
 */
export async function* streamSourceIntervals(
  handle: DcsHandle,
  sources: readonly CatalogueSource[],
  request: IntervalsRequest,
  options: StreamIntervalsOptions = {},
): AsyncGenerator<IntervalEvent, void, undefined> {
  const boundaries = options.boundaries ?? intervalBoundaries(request.startMs, request.endMs, request.interval, request.timeZone);
  for (const source of sources) {
    const opened: SourceIntervals = await openSourceIntervals(
      handle.dcs,
      { source, interval: request.interval, boundaries, band: request.band && bandMatcher(request.band, request.timeZone) },
      {
        calls: options.calls,
        signal: options.signal,
        maxWindowDays: options.maxWindowDays,
        calibrated: request.calibrated,
        interpolated: request.interpolated,
        reader: options.reader,
      },
    );
    try {
      yield { type: 'source', source: describeSource(source, opened, request) };
      for await (const intervals of opened.batches()) yield { type: 'intervals', intervals };
    } finally {
      await opened.close();
    }
  }
}

function describeSource(source: CatalogueSource, opened: SourceIntervals, request: IntervalsRequest): IntervalSourceInfo {
  return {
    id: source.id,
    name: opened.name,
    unit: opened.unit,
    kind: source.kind,
    isInstantaneous: source.isInstantaneous,
    interval: request.interval,
    timeZone: request.timeZone,
    calcs: calcsFor(source, request.calcs),
    ...(demandUnit(source) === undefined ? {} : { demandUnit: demandUnit(source) }),
    ...(request.band && { band: request.band.text }),
    method: opened.method,
  };
}
