/**
 * The consumption of one source over one billing period, pulled half-hour by half-hour from
 * DCS through the client's windowed stream and summed on the fly.
 *
 * Which arithmetic applies depends on what the source's values are:
 * - a cumulative register: DCS's own period values (`complete` format), which DCS computes
 *   across register resets from the reset's closing and opening totals; if the DCS refuses the
 *   complete format, the difference of totals, split at every reset;
 * - a virtual meter whose values are already per period (duration ≠ 0): the sum of its values;
 * - a virtual meter whose values are running totals (duration 0): the difference of totals;
 * - an instantaneous source (a power, a temperature): no consumption is defined; refused.
 */
import type { DcsClient } from '../dcs';
import { DcsBadRequestError, DcsSpanTooLongError } from '../dcs/errors';
import type { CompleteReading, Reading, ReadingsHeader, ReadingsStream } from '../dcs/types';
import { HttpError } from '../http/errors';
import type { ConsumptionSource } from './sources';
import {
  HALF_HOUR_MS,
  PerPeriodTally,
  TotalsDifferenceTally,
  type ConsumptionFigures,
  type HalfHourSpan,
  type Tally,
} from './tally';

/** How the figure was obtained, so a reader can tell which arithmetic stands behind it. */
export type ConsumptionMethod = 'periodValues' | 'values' | 'totalsDifference';

export interface Measurement extends ConsumptionFigures {
  id: string;
  name: string;
  unit: string;
  method: ConsumptionMethod;
}

export interface MeasureOptions {
  signal?: AbortSignal;
  /** Largest span asked of DCS in one call (the client's windowing). */
  maxWindowDays?: number;
}

export async function measureConsumption(
  dcs: DcsClient,
  source: ConsumptionSource,
  span: HalfHourSpan,
  options: MeasureOptions = {},
): Promise<Measurement> {
  refuseInstantaneous(source);
  return source.kind === 'register' ? measureRegister(dcs, source, span, options) : measureVirtualMeter(dcs, source, span, options);
}

/** Consumption is a difference of totals or a sum of per-period values; neither exists for these. */
export function refuseInstantaneous(source: ConsumptionSource): void {
  if (!source.isInstantaneous) return;
  throw new HttpError(
    400,
    'bad_request',
    `id: ${source.id} (${source.name}) is an instantaneous source (values such as power or temperature at an instant); consumption is not defined for it. Use a cumulative register (an energy or volume total) or a virtual meter of consumption, or DCS.READINGS to see its values`,
    'id',
  );
}

async function measureRegister(dcs: DcsClient, source: ConsumptionSource, span: HalfHourSpan, options: MeasureOptions): Promise<Measurement> {
  let stream: ReadingsStream;
  try {
    stream = await openHalfHours(dcs, source.id, span.startMs, span.endMs, 'complete', options);
  } catch (error) {
    // An older DCS may not offer the complete format: fall back to its totals.
    if (!(error instanceof DcsBadRequestError) || error instanceof DcsSpanTooLongError) throw error;
    const totals = await openHalfHours(dcs, source.id, span.startMs, span.endMs + HALF_HOUR_MS, 'standard', options);
    return tallyStream(totals, source, new TotalsDifferenceTally<Reading>(span, valueOf), 'totalsDifference');
  }
  return tallyStream(stream, source, new PerPeriodTally<CompleteReading>(span, periodValueOf), 'periodValues');
}

async function measureVirtualMeter(dcs: DcsClient, source: ConsumptionSource, span: HalfHourSpan, options: MeasureOptions): Promise<Measurement> {
  // One half-hour past the end: a cumulative virtual meter needs the total at the end instant.
  // Per-period tallies ignore that extra reading.
  const stream = await openHalfHours(dcs, source.id, span.startMs, span.endMs + HALF_HOUR_MS, 'standard', options);
  const perPeriod = stream.header.duration !== 0;
  return perPeriod
    ? tallyStream(stream, source, new PerPeriodTally<Reading>(span, valueOf), 'values')
    : tallyStream(stream, source, new TotalsDifferenceTally<Reading>(span, valueOf), 'totalsDifference');
}

function openHalfHours(
  dcs: DcsClient,
  id: string,
  startMs: number,
  endMs: number,
  format: 'standard' | 'complete',
  options: MeasureOptions,
): Promise<ReadingsStream> {
  return dcs.largeReadings(
    { id, start: new Date(startMs), end: new Date(endMs), periodType: 'halfHour', format },
    { signal: options.signal, maxWindowDays: options.maxWindowDays },
  );
}

async function tallyStream<R>(stream: ReadingsStream, source: ConsumptionSource, tally: Tally<R>, method: ConsumptionMethod): Promise<Measurement> {
  try {
    for await (const batch of stream.batches()) tally.add(batch as readonly R[]);
  } finally {
    await stream.close();
  }
  const figures = tally.figures();
  return { id: source.id, ...labelsOf(stream.header, source), method, ...figures, consumption: cleanSum(figures.consumption) };
}

/** DCS's own naming (`<meter>: <register>`) when it gave one, else the catalogue's. */
function labelsOf(header: ReadingsHeader, source: ConsumptionSource): { name: string; unit: string } {
  return { name: header.name || source.name, unit: header.unit || source.unit };
}

/**
 * Twelve significant digits: sums of decimal readings carry binary noise in the last digits
 * (77607.23999999992 for 77607.24) that nobody should have to read past.
 */
function cleanSum(sum: number): number {
  return Number(sum.toPrecision(12));
}

function valueOf(reading: Reading): number {
  return reading.value;
}

function periodValueOf(reading: CompleteReading): number {
  return reading.periodValue;
}
