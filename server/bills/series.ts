/**
 * A source's half-hours over a span, held in memory for bill arithmetic: one pull per source,
 * through the same calculation as /api/intervals (server/intervals/source-intervals.ts decides
 * what a half-hour's quantity is: DCS's period value of a register, a virtual meter's value, ...),
 * so a bill's units and the consumption routes can never disagree.
 */
import type { DcsClient } from 'dcs-client';
import type { CatalogueSource } from '../catalogue';
import { ceilToHalfHour } from '../intervals/calendar';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import { openSourceIntervals, type IntervalMethod, type SourceIntervalsOptions } from '../intervals/source-intervals';

export interface HalfHourSeries {
  id: string;
  name: string;
  unit: string;
  method: IntervalMethod;
  /** The first half-hour's start (epoch ms, on DCS's UTC grid). */
  startMs: number;
  /** Quantity per half-hour in `unit`; NaN where DCS sent nothing usable (missing, NaN, infinite). */
  values: Float64Array;
  /** 1 where DCS estimated the half-hour (status bit 1). */
  estimated: Uint8Array;
  /** 1 where the half-hour crossed a register reset (status bit 2). */
  resets: Uint8Array;
}

/** Pulls [startMs, endMs) of one source, half-hour by half-hour. */
export async function loadSeries(
  dcs: DcsClient,
  source: CatalogueSource,
  startMs: number,
  endMs: number,
  options: SourceIntervalsOptions,
): Promise<HalfHourSeries> {
  const first = ceilToHalfHour(startMs);
  const count = Math.max(0, Math.round((ceilToHalfHour(endMs) - first) / HALF_HOUR_MS));
  const boundaries = new Float64Array(count + 1);
  for (let i = 0; i <= count; i++) boundaries[i] = first + i * HALF_HOUR_MS;
  const opened = await openSourceIntervals(dcs, { source, interval: 'halfHour', boundaries }, options);
  const series: HalfHourSeries = {
    id: source.id,
    name: opened.name,
    unit: opened.unit,
    method: opened.method,
    startMs: first,
    values: new Float64Array(count).fill(NaN),
    estimated: new Uint8Array(count),
    resets: new Uint8Array(count),
  };
  try {
    let i = 0;
    for await (const batch of opened.batches()) {
      for (const figures of batch) {
        if (figures.consumption !== null) series.values[i] = figures.consumption;
        if (figures.interpolated > 0) series.estimated[i] = 1;
        if (figures.resets > 0) series.resets[i] = 1;
        i++;
      }
    }
  } finally {
    await opened.close();
  }
  return series;
}
