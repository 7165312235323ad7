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
import { badParameter } from '../request-errors';
import { intervalBoundaries } from './calendar';
import { bandMatcher } from '../time/bands';
import type { ProfileOptions } from './profile-figures';
import { previousYearStart, yearOnYear } from '../analysis/previous-year';
import { DEFAULT_BASE_TEMPERATURE } from '../analysis/degree-days';
import { DEFAULT_EMISSION_FACTORS, emissionFactor, type EmissionFactors, type Fuel } from '../analysis/carbon';
import { localToInstantMs, offsetMinutesAt } from '../time/zones';
import { DEFAULT_CALCS, previousYearSpan, type IntervalsRequest } from './request';
import { DEMAND_CALCS, demandUnit } from './demand';
import { openSourceIntervals, type IntervalMethod, type SourceIntervals } from './source-intervals';
import { isGroupSum, type GroupSum, type Target } from '../groups/resolve';
import { addIntervals, refuseUnsummable, SUMMABLE_CALCS } from './group-sum';

/** A source as its answer's head describes it (the wire type, one definition), and how it was computed. */
export interface IntervalSourceInfo extends Omit<IntervalSourceJson, 'intervals'> {
  /** `sum`: a group's members summed (group-sum.ts). */
  method: IntervalMethod | 'sum';
}

export type IntervalEvent = { type: 'source'; source: IntervalSourceInfo } | { type: 'intervals'; intervals: IntervalFigures[] };

export interface StreamIntervalsOptions {
  /** The server's options for every readings call (spool, clock): readingsCallOptions(). */
  calls?: LargeReadingsOptions;
  signal?: AbortSignal;
  maxWindowDays?: number;
  /** Interval starts to use instead of the request's calendar (a billing period is one interval). */
  boundaries?: Float64Array;
  /** kgCO2e per kWh by fuel and year for `carbon` (the setting CARBON_FACTORS_FILE); default the built-in table. */
  emissionFactors?: EmissionFactors;
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
  // Demand (and baseload, a demand) means nothing for water or for an instantaneous source: left out,
  // as consumption is null for those; degree days only for an instantaneous source (a temperature).
  return calcs.filter((calc) => {
    if (DEMAND_CALCS.includes(calc) || calc === 'baseload') return demandUnit(source) !== undefined;
    if (calc === 'outOfHours') return !source.isInstantaneous;
    if (calc === 'carbon') return !source.isInstantaneous && source.unit === 'kWh';
    if (calc === 'heatingDegreeDays' || calc === 'coolingDegreeDays') return source.isInstantaneous;
    return true;
  });
}

/** The calculations a target answers: a source's own (`calcsFor`), or those of a group's sum that add up exactly. */
export function targetCalcs(target: Target, asked: readonly IntervalCalc[] | undefined): IntervalCalc[] {
  if (!isGroupSum(target)) return calcsFor(target, asked);
  refuseUnsummable(target.group.id, asked);
  const calcs = calcsFor(target.members[0], asked).filter((calc) => SUMMABLE_CALCS.includes(calc));
  if (calcs.length === 0) {
    throw badParameter(
      'combine',
      `${target.group.id}'s members (${target.unit}) have no figure that adds up exactly (${SUMMABLE_CALCS.join(', ')}); leave combine=sum out for one series per member`,
    );
  }
  return calcs;
}

/**
 * Source after source (resolved by `resolveSources`, or `resolveTargets` with groups):
 * `{ type: 'source' }` then its intervals in batches, every interval exactly once, in time order;
 * half-hours fetched once per source (a group's sum: once per member, then summed).
 */
export async function* streamSourceIntervals(
  handle: DcsHandle,
  targets: readonly Target[],
  request: IntervalsRequest,
  options: StreamIntervalsOptions = {},
): AsyncGenerator<IntervalEvent, void, undefined> {
  const boundaries = options.boundaries ?? intervalBoundaries(request.startMs, request.endMs, request.interval, request.timeZone);
  for (const target of targets) {
    if (isGroupSum(target)) {
      yield* streamGroupSum(handle, target, request, boundaries, options);
      continue;
    }
    const source = target;
    // A year earlier first, held whole (one source's intervals), then the span itself streamed past it.
    const previous = request.compare === 'previousYear' ? await previousYearFigures(handle, source, request, options) : undefined;
    const opened: SourceIntervals = await openSource(handle, source, request, boundaries, options);
    try {
      yield { type: 'source', source: describeSource(source, opened, request) };
      for await (const intervals of opened.batches())
        yield { type: 'intervals', intervals: previous ? withPrevious(intervals, previous, source, request) : intervals };
    } finally {
      await opened.close();
    }
  }
}

/**
 * A group's sum: each member pulled once, its intervals added into one running sum (held whole:
 * one set of intervals, whatever the number of members), then handed over.
 */
async function* streamGroupSum(
  handle: DcsHandle,
  sum: GroupSum,
  request: IntervalsRequest,
  boundaries: Float64Array,
  options: StreamIntervalsOptions,
): AsyncGenerator<IntervalEvent, void, undefined> {
  if (request.compare) throw badParameter('compare', `previousYear is given per source; leave combine=sum out to compare each member of ${sum.group.id}`);
  const calcs = targetCalcs(sum, request.calcs);
  const memberRequest: IntervalsRequest = { ...request, calcs };
  const total: IntervalFigures[] = [];
  for (const [index, member] of sum.members.entries()) {
    const opened = await openSource(handle, member, memberRequest, boundaries, options);
    try {
      // After DCS has answered for the first member, as for a source: an early refusal keeps its own status.
      if (index === 0) yield { type: 'source', source: describeSum(sum, calcs, request) };
      let offset = 0;
      for await (const intervals of opened.batches()) {
        addIntervals(total, intervals, offset, sum.group.id);
        offset += intervals.length;
      }
      if (offset !== total.length) throw new Error(`${member.id} gave ${offset} intervals of ${sum.group.id}'s ${total.length}`);
    } finally {
      await opened.close();
    }
  }
  if (total.length > 0) yield { type: 'intervals', intervals: total };
}

function describeSum(sum: GroupSum, calcs: IntervalCalc[], request: IntervalsRequest): IntervalSourceInfo {
  return {
    id: sum.group.id,
    name: sum.group.name,
    unit: sum.unit,
    kind: 'group',
    isInstantaneous: sum.members[0].isInstantaneous,
    members: sum.members.map((member) => member.id),
    interval: request.interval,
    timeZone: request.timeZone,
    calcs,
    ...(request.band && { band: request.band.text }),
    method: 'sum',
  };
}

function openSource(
  handle: DcsHandle,
  source: CatalogueSource,
  request: IntervalsRequest,
  boundaries: Float64Array,
  options: StreamIntervalsOptions,
): Promise<SourceIntervals> {
  return openSourceIntervals(
    handle.dcs,
    {
      source,
      interval: request.interval,
      boundaries,
      band: request.band && bandMatcher(request.band, request.timeZone),
      profile: profileOptions(calcsFor(source, request.calcs), request, options.emissionFactors),
    },
    {
      calls: options.calls,
      signal: options.signal,
      maxWindowDays: options.maxWindowDays,
      calibrated: request.calibrated,
      interpolated: request.interpolated,
      reader: options.reader,
    },
  );
}

/** The source's figures over the same span a year earlier (previous-year.ts), by interval start. */
async function previousYearFigures(
  handle: DcsHandle,
  source: CatalogueSource,
  request: IntervalsRequest,
  options: StreamIntervalsOptions,
): Promise<Map<number, IntervalFigures>> {
  const { startMs, endMs } = previousYearSpan(request);
  const opened = await openSource(handle, source, request, intervalBoundaries(startMs, endMs, request.interval, request.timeZone), options);
  const byStart = new Map<number, IntervalFigures>();
  try {
    for await (const intervals of opened.batches()) for (const figures of intervals) byStart.set(figures.startMs, figures);
  } finally {
    await opened.close();
  }
  return byStart;
}

/** The figure compared: consumption where it is defined, the mean of an instantaneous source. */
function headline(figures: IntervalFigures, source: CatalogueSource): number | null {
  return source.isInstantaneous ? figures.mean : figures.consumption;
}

function withPrevious(
  intervals: IntervalFigures[],
  previous: Map<number, IntervalFigures>,
  source: CatalogueSource,
  request: IntervalsRequest,
): IntervalFigures[] {
  return intervals.map((figures) => {
    const start = previousYearStart(figures.startMs, request.interval, request.timeZone);
    const before = start === null ? undefined : previous.get(start);
    return { ...figures, comparison: yearOnYear(headline(figures, source), before === undefined ? null : headline(before, source)) };
  });
}

/** What the accumulator must gather beyond its own figures for this source's calculations. */
function profileOptions(calcs: readonly IntervalCalc[], request: IntervalsRequest, factors = DEFAULT_EMISSION_FACTORS): ProfileOptions | undefined {
  const fuel = request.fuel;
  const options: ProfileOptions = {
    ...(calcs.includes('baseload') && { baseload: true }),
    ...(calcs.includes('outOfHours') && request.occupied && { occupied: bandMatcher(request.occupied, request.timeZone) }),
    ...((calcs.includes('heatingDegreeDays') || calcs.includes('coolingDegreeDays')) && {
      degreeDays: { baseTemperature: request.baseTemperature ?? DEFAULT_BASE_TEMPERATURE, timeZone: request.timeZone },
    }),
    ...(calcs.includes('carbon') && fuel && { carbonFactor: carbonFactorIn(factors, fuel, request.timeZone) }),
  };
  return Object.keys(options).length === 0 ? undefined : options;
}

/** The factor of each half-hour's local calendar year; years change rarely, so the last is kept. */
function carbonFactorIn(factors: EmissionFactors, fuel: Fuel, timeZone: string): (t: number) => number {
  let from = Infinity;
  let to = -Infinity;
  let factor = 0;
  return (t) => {
    if (t < from || t >= to) {
      const year = new Date(t + offsetMinutesAt(timeZone, t) * 60_000).getUTCFullYear();
      from = localToInstantMs(timeZone, Date.UTC(year, 0, 1));
      to = localToInstantMs(timeZone, Date.UTC(year + 1, 0, 1));
      factor = emissionFactor(factors, fuel, year);
    }
    return factor;
  };
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
