/**
 * One source's intervals, from one pass over its half-hours through the DCS client's windowed
 * stream (windowing, pacing, re-sign-in). Which quantity a half-hour carries depends on the source:
 * - a cumulative register: DCS's own period value (complete format), correct across resets; on a
 *   DCS that refuses the complete format, differences of its totals (totals-accumulator.ts);
 * - a virtual meter whose values are per period (DCS's `duration` ≠ 0): its value;
 * - a virtual meter whose values are running totals (duration 0, not instantaneous): differences;
 * - an instantaneous register or virtual meter (power, temperature): its value, no consumption.
 */
import type { IntervalType } from '../api/types';
import {
  type DcsClient,
  DcsBadRequestError,
  DcsSpanTooLongError,
  type AnyReading,
  type CompleteReading,
  type LargeReadingsOptions,
  type ReadingsFormat,
  type ReadingsHeader,
  type ReadingsStream,
  type Reading,
} from 'dcs-client';
import type { CatalogueSource } from '../catalogue';
import type { ReadingsReader } from '../session-handle';
import type { BandMatcher } from '../time/bands';
import { IntervalAccumulator, type IntervalFigures } from './accumulator';
import type { ProfileOptions } from './profile-figures';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import { ceilToHalfHour } from './calendar';
import { TotalsAccumulator } from './totals-accumulator';

/** How each half-hour's quantity was obtained, so a reader can tell which arithmetic stands behind it. */
export type IntervalMethod = 'periodValues' | 'values' | 'totalsDifference';

export interface SourceIntervalsOptions {
  /** The server's options for every readings call (spool, clock); signal and window below win. */
  calls?: LargeReadingsOptions;
  signal?: AbortSignal;
  /** Largest span asked of DCS in one call (the client's windowing). */
  maxWindowDays?: number;
  calibrated?: boolean;
  interpolated?: boolean;
  /** Where the half-hours come from: the readings store's reader (http/stored-readings.ts); default the DCS client. */
  reader?: ReadingsReader;
}

/** What is asked of one source: its catalogue entry and the intervals' boundaries. */
export interface SourcePlan {
  source: CatalogueSource;
  interval: IntervalType;
  /** `n + 1` interval starts for `n` intervals. */
  boundaries: Float64Array;
  /** Only half-hours in this time-of-use band count (time/bands.ts). */
  band?: BandMatcher;
  /** Monitoring-and-targeting figures to gather (profile-figures.ts). */
  profile?: ProfileOptions;
}

export interface SourceIntervals {
  /** DCS's own naming (`<meter>: <register>`) when it gave one, else the catalogue's. */
  name: string;
  unit: string;
  method: IntervalMethod;
  /** Completed intervals in time order, batch by batch; every interval of the plan, exactly once. */
  batches(): AsyncGenerator<IntervalFigures[], void, undefined>;
  /** Releases the DCS stream (idempotent). */
  close(): Promise<void>;
}

interface Arithmetic {
  method: IntervalMethod;
  add(batch: readonly AnyReading[], completed: IntervalFigures[]): IntervalFigures[];
  finish(completed: IntervalFigures[]): IntervalFigures[];
  /** Differences of totals need the total at the span's end too: one half-hour more, asked apart. */
  needsClosingTotal: boolean;
}

export async function openSourceIntervals(dcs: DcsClient, plan: SourcePlan, options: SourceIntervalsOptions): Promise<SourceIntervals> {
  const shared = await openSharedIntervals(
    dcs,
    { source: plan.source, interval: plan.interval, spans: [plan.boundaries], band: plan.band, profile: plan.profile },
    options,
  );
  return { ...shared, batches: () => shared.batchesOf(0) };
}

/** Several sets of boundaries of one source, answered from one pull over the span they cover together. */
export interface SharedSourcePlan {
  source: CatalogueSource;
  interval: IntervalType;
  /** Each entry: `n + 1` interval starts, as SourcePlan's boundaries. */
  spans: readonly Float64Array[];
  /** Only half-hours in this time-of-use band count (time/bands.ts). */
  band?: BandMatcher;
  /**
   * Each span's own band, when they differ (a bill's Day, Night and total units of one register):
   * entry i, when given, replaces `band` for span i. The pull is the same whatever the bands.
   */
  spanBands?: readonly (BandMatcher | undefined)[];
  /** Monitoring-and-targeting figures to gather (profile-figures.ts). */
  profile?: ProfileOptions;
}

/** One span of a shared plan with the filters its own arithmetic applies. */
interface SpanFilters extends Pick<SourcePlan, 'band' | 'profile'> {
  boundaries: Float64Array;
}

function spanFilters(plan: SharedSourcePlan): SpanFilters[] {
  return plan.spans.map((boundaries, i) => ({ boundaries, band: plan.spanBands?.[i] ?? plan.band, profile: plan.profile }));
}

export interface SharedSourceIntervals extends Omit<SourceIntervals, 'batches'> {
  /** Every span's intervals, in the order of the plan's spans, from one pass over the half-hours. */
  collect(): Promise<IntervalFigures[][]>;
  /** One span's intervals as they complete, when the plan has exactly that one span. */
  batchesOf(index: 0): AsyncGenerator<IntervalFigures[], void, undefined>;
}

/**
 * One pass over the half-hours from the earliest start to the latest end of the plan's spans,
 * each half-hour fed to every span's own arithmetic: each span's figures are exactly what asking
 * for it alone gives, and DCS is asked once (Microsoft's batching pattern for cell functions
 * ends here: a recalculation's cells of one source cost one pull).
 */
export async function openSharedIntervals(dcs: DcsClient, plan: SharedSourcePlan, options: SourceIntervalsOptions): Promise<SharedSourceIntervals> {
  const covering: SourcePlan = { source: plan.source, interval: plan.interval, boundaries: coveringSpan(plan.spans), band: plan.band, profile: plan.profile };
  const { stream, arithmetics } = await openArithmetic(dcs, covering, spanFilters(plan), options);
  const header: ReadingsHeader = stream.header;
  async function* feed(): AsyncGenerator<IntervalFigures[][], void, undefined> {
    try {
      for await (const batch of stream.batches()) yield arithmetics.map((arithmetic) => arithmetic.add(batch, []));
      const needsClosingTotal = arithmetics.some((arithmetic) => arithmetic.needsClosingTotal);
      const last = needsClosingTotal ? await closingTotal(dcs, covering, options) : [];
      yield arithmetics.map((arithmetic) => arithmetic.finish(arithmetic.needsClosingTotal ? arithmetic.add(last, []) : []));
    } finally {
      await stream.close();
    }
  }
  return {
    name: header.name || plan.source.name,
    unit: header.unit || plan.source.unit,
    method: arithmetics[0].method,
    async collect() {
      const all: IntervalFigures[][] = plan.spans.map(() => []);
      for await (const completed of feed()) completed.forEach((figures, i) => all[i].push(...figures));
      return all;
    },
    async *batchesOf() {
      for await (const [completed] of feed()) if (completed.length > 0) yield completed;
    },
    close: () => stream.close(),
  };
}

/** From the earliest start to the latest end of the spans. */
function coveringSpan(spans: readonly Float64Array[]): Float64Array {
  if (spans.length === 0) throw new Error('a shared plan needs at least one span');
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    start = Math.min(start, span[0]);
    end = Math.max(end, span[span.length - 1]);
  }
  return Float64Array.of(start, end);
}

/** Opens the covering plan's half-hours and makes each span's arithmetic, chosen by what the source's values are. */
type ArithmeticOpener = (
  dcs: DcsClient,
  plan: SourcePlan,
  spans: readonly SpanFilters[],
  options: SourceIntervalsOptions,
) => Promise<{ stream: ReadingsStream; arithmetics: Arithmetic[] }>;

const openArithmetic: ArithmeticOpener = async (dcs, plan, spans, options) => {
  const { source } = plan;
  if (source.isInstantaneous) {
    const stream = await openHalfHours(dcs, plan, 'standard', options);
    return { stream, arithmetics: spans.map((span) => perPeriod(source.id, span, false, 'values', valueOf)) };
  }
  if (source.kind === 'register') return openRegister(dcs, plan, spans, options);
  // Whether a virtual meter's values are per period or running totals shows in DCS's header.
  const stream = await openHalfHours(dcs, plan, 'standard', options);
  const perPeriodValues = stream.header.duration !== 0;
  const arithmetics = spans.map((span) => (perPeriodValues ? perPeriod(source.id, span, true, 'values', valueOf) : totals(source.id, span)));
  return { stream, arithmetics };
};

const openRegister: ArithmeticOpener = async (dcs, plan, spans, options) => {
  const { source } = plan;
  try {
    const stream = await openHalfHours(dcs, plan, 'complete', options);
    return { stream, arithmetics: spans.map((span) => perPeriod(source.id, span, true, 'periodValues', periodValueOf)) };
  } catch (error) {
    // An older DCS may not offer the complete format: fall back to its totals.
    if (!(error instanceof DcsBadRequestError) || error instanceof DcsSpanTooLongError) throw error;
    const stream = await openHalfHours(dcs, plan, 'standard', options);
    return { stream, arithmetics: spans.map((span) => totals(source.id, span)) };
  }
};

function perPeriod<R extends AnyReading>(
  id: string,
  { boundaries, ...filters }: SpanFilters,
  hasConsumption: boolean,
  method: IntervalMethod,
  quantity: (reading: R) => number,
): Arithmetic {
  const accumulator = new IntervalAccumulator(id, boundaries, hasConsumption, filters.band, filters.profile);
  return {
    method,
    needsClosingTotal: false,
    add: (batch, completed) => {
      for (const reading of batch as readonly R[]) accumulator.addOne(reading.timestamp.getTime(), quantity(reading), reading.status, completed);
      return completed;
    },
    finish: (completed) => accumulator.finish(completed),
  };
}

function totals(id: string, { boundaries, ...filters }: SpanFilters): Arithmetic {
  const accumulator = new TotalsAccumulator(id, boundaries, filters.band, filters.profile);
  return {
    method: 'totalsDifference',
    needsClosingTotal: true,
    add: (batch, completed) => accumulator.add(batch as readonly Reading[], completed),
    finish: (completed) => accumulator.finish(completed),
  };
}

/** The span's half-hours: exactly what pulling them as readings would ask of DCS (or, settled, of the store). */
function openHalfHours(dcs: DcsClient, plan: SourcePlan, format: ReadingsFormat, options: SourceIntervalsOptions): Promise<ReadingsStream> {
  const { boundaries } = plan;
  return (options.reader ?? dcs).largeReadings(
    {
      id: plan.source.id,
      start: new Date(ceilToHalfHour(boundaries[0])),
      end: new Date(ceilToHalfHour(boundaries[boundaries.length - 1])),
      periodType: 'halfHour',
      format,
      calibrated: options.calibrated,
      interpolated: options.interpolated,
    },
    { ...options.calls, signal: options.signal, maxWindowDays: options.maxWindowDays },
  );
}

function valueOf(reading: Reading): number {
  return reading.value;
}

function periodValueOf(reading: CompleteReading): number {
  return reading.periodValue;
}

/** The total stamped at the span's end (none if DCS has none yet): settled, it comes from the store. */
async function closingTotal(dcs: DcsClient, plan: SourcePlan, options: SourceIntervalsOptions): Promise<Reading[]> {
  const endMs = ceilToHalfHour(plan.boundaries[plan.boundaries.length - 1]);
  const stream = await (options.reader ?? dcs).largeReadings(
    {
      id: plan.source.id,
      start: new Date(endMs),
      end: new Date(endMs + HALF_HOUR_MS),
      periodType: 'halfHour',
      format: 'standard',
      calibrated: options.calibrated,
      interpolated: options.interpolated,
    },
    { ...options.calls, signal: options.signal },
  );
  const readings: Reading[] = [];
  try {
    for await (const batch of stream.batches()) readings.push(...(batch as readonly Reading[]));
  } finally {
    await stream.close();
  }
  return readings;
}
