/**
 * The consumption of one source over one billing period: one interval of the calculated-data
 * calculation (server/intervals/), so a billing period and the days or months inside it can
 * never disagree. Which arithmetic applies depends on what the source's values are
 * (server/intervals/source-intervals.ts); an instantaneous source (a power, a temperature) has
 * no consumption and is refused.
 */
import type { DcsClient, LargeReadingsOptions } from 'dcs-client';
import { badParameter } from '../request-errors';
import type { ReadingsReader } from '../session-handle';
import type { BandMatcher } from '../time/bands';
import { openSharedIntervals, type IntervalMethod } from '../intervals/source-intervals';
import type { CatalogueSource } from '../catalogue';
import type { ConsumptionFigures, HalfHourSpan } from './tally';

/** How the figure was obtained, so a reader can tell which arithmetic stands behind it. */
export type ConsumptionMethod = IntervalMethod;

export interface Measurement extends ConsumptionFigures {
  id: string;
  name: string;
  unit: string;
  method: ConsumptionMethod;
}

export interface MeasureOptions {
  /** The server's options for every readings call (spool, clock): readingsCallOptions(). */
  calls?: LargeReadingsOptions;
  signal?: AbortSignal;
  /** Largest span asked of DCS in one call (the client's windowing). */
  maxWindowDays?: number;
  /** Where half-hours come from: `readingsReader(ctx, handle)` (through the readings store when configured). */
  reader?: ReadingsReader;
  /** Only half-hours in this time-of-use band count (time/bands.ts). */
  band?: BandMatcher;
}

export async function measureConsumption(dcs: DcsClient, source: CatalogueSource, span: HalfHourSpan, options: MeasureOptions = {}): Promise<Measurement> {
  const [measurement] = await measureConsumptionOver(dcs, source, [span], options);
  return measurement;
}

/** A span to measure; its own band (a bill's Day or Night units), when given, replaces the options' one. */
export interface BandedSpan extends HalfHourSpan {
  band?: BandMatcher;
}

/**
 * One source's consumption over several spans (a sheet's billing periods, in whatever bands),
 * from one pull over the span they cover together; each figure is exactly what measuring its
 * span alone, in its band, gives.
 */
export async function measureConsumptionOver(
  dcs: DcsClient,
  source: CatalogueSource,
  spans: readonly BandedSpan[],
  options: MeasureOptions = {},
): Promise<Measurement[]> {
  refuseInstantaneous(source);
  const plan = {
    source,
    interval: 'halfHour' as const,
    spans: spans.map((span) => Float64Array.of(span.startMs, span.endMs)),
    band: options.band,
    spanBands: spans.map((span) => span.band),
  };
  const opened = await openSharedIntervals(dcs, plan, options);
  const figuresPerSpan = await opened.collect();
  return figuresPerSpan.map(([figures]) => ({
    id: source.id,
    name: opened.name,
    unit: opened.unit,
    method: opened.method,
    consumption: figures.consumption ?? 0,
    periods: figures.periods,
    interpolated: figures.interpolated,
    resets: figures.resets,
    // A billing figure has no use for the difference: both leave the half-hour out of the sum.
    missing: figures.missing + figures.invalid,
  }));
}

/** Consumption is a difference of totals or a sum of per-period values; neither exists for these. */
export function refuseInstantaneous(source: CatalogueSource): void {
  if (!source.isInstantaneous) return;
  throw badParameter(
    'id',
    `${source.id} (${source.name}) is an instantaneous source (values such as power or temperature at an instant); consumption is not defined for it. Use a cumulative register (an energy or volume total) or a virtual meter of consumption, or DCS.READINGS to see its values`,
  );
}
