/**
 * Reading rows in the order a Readings query asks for, starting wherever a page resumes.
 *
 * - By source, then time ascending (the default): each source's readings stream straight from
 *   DCS, asked for in chunks of about a page; nothing is held beyond DCS's own batches.
 * - Time descending, or time first across several sources: DCS only sends readings forwards, one
 *   source at a time, so these orders are built from time windows. A window covers about
 *   `windowRows` readings in total (the page size): its readings are fetched source by source,
 *   sorted, and handed on, then the next window (earlier, for descending) is fetched. Memory is
 *   bounded by one window, whatever the span.
 *
 * Every row carries its source's rank and its timestamp: the resume point of the next page.
 */
import { addPeriods, type AnyReading, type LargeReadingsOptions, type ReadingsHeader, type ReadingsStream } from 'dcs-client';
import type { ReadingsReader } from '../http/stored-readings';
import type { ReadingsPlan } from './readings-query';

/** What this module needs of the DCS client (DcsClient and the readings store's reader have it); a fake in tests. */
export type { ReadingsReader } from '../http/stored-readings';

export interface ReadingRow {
  /** Index of the source in plan.sourceIds. */
  rank: number;
  timestamp: number;
  value: number;
  status: number;
  /** DCS's own consumption in the period; null where a source has none (instantaneous, totals). */
  periodValue: number | null;
  unit: string;
}

/** Resume at the row of this source rank and timestamp (inclusive). */
export interface RowPosition {
  rank: number;
  timestamp: number;
}

export interface RowsOptions {
  from?: RowPosition;
  /**
   * Readings asked of DCS per call: the page size plus one. Streamed orders read each source in
   * chunks of this many periods; windowed orders hold one window of about this many readings.
   * Infinity: one call per source for the whole span (for counting).
   */
  windowRows: number;
  signal?: AbortSignal;
  /** What else every DCS call carries (spool settings, clock); the signal above wins. */
  call?: LargeReadingsOptions;
}

export function readingRows(dcs: ReadingsReader, plan: ReadingsPlan, options: RowsOptions): AsyncGenerator<ReadingRow[]> {
  if (plan.major === 'time')
    return windowed(
      dcs,
      plan,
      plan.sourceIds.map((_, rank) => rank),
      options.from,
      options,
    );
  return plan.descending ? sourceBySourceDescending(dcs, plan, options) : sourceBySource(dcs, plan, options);
}

/**
 * Cumulative registers are read in DCS's complete format, whose periodValue is DCS's own
 * consumption per period (it knows about resets and meter exchanges); everything else in the
 * standard format. A source missing from the caller's catalogue is read as standard, so DCS
 * itself answers why it cannot be read (403, 404).
 */
function isCumulativeRegister(plan: ReadingsPlan, id: string): boolean {
  return id.startsWith('R') && plan.known?.get(id)?.isInstantaneous === false;
}

/** One source's part of a plan: its rank in plan.sourceIds and a span of it. */
interface SourceSpan {
  rank: number;
  startMs: number;
  endMs: number;
}

async function openStream(dcs: ReadingsReader, plan: ReadingsPlan, { rank, startMs, endMs }: SourceSpan, call: LargeReadingsOptions): Promise<ReadingsStream> {
  return dcs.largeReadings(
    {
      id: plan.sourceIds[rank],
      start: new Date(startMs),
      end: new Date(endMs),
      periodType: plan.periodType,
      calibrated: plan.calibrated,
      interpolated: plan.interpolated,
      format: isCumulativeRegister(plan, plan.sourceIds[rank]) ? 'complete' : 'standard',
    },
    call,
  );
}

function callOptions(options: RowsOptions): LargeReadingsOptions {
  return { ...options.call, ...(options.signal ? { signal: options.signal } : {}) };
}

function toRows(rank: number, header: ReadingsHeader, batch: readonly AnyReading[]): ReadingRow[] {
  const rows: ReadingRow[] = new Array<ReadingRow>(batch.length);
  const unit = header.unit;
  // A virtual meter whose values are per period (DCS says so with a non-zero duration).
  const perPeriod = header.id.startsWith('VM') && header.duration !== 0;
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i];
    if ('periodValue' in r) {
      rows[i] = { rank, timestamp: r.timestamp.getTime(), value: r.totalValue, status: r.status, periodValue: r.periodValue, unit };
    } else {
      rows[i] = { rank, timestamp: r.timestamp.getTime(), value: r.value, status: r.status, periodValue: perPeriod ? r.value : null, unit };
    }
  }
  return rows;
}

async function* streamSource(dcs: ReadingsReader, plan: ReadingsPlan, span: SourceSpan, call: LargeReadingsOptions): AsyncGenerator<ReadingRow[]> {
  if (span.startMs >= span.endMs) return;
  const rank = span.rank;
  const stream = await openStream(dcs, plan, span, call);
  try {
    for await (const batch of stream.batches()) {
      if (batch.length > 0) yield toRows(rank, stream.header, batch);
    }
  } finally {
    await stream.close();
  }
}

async function* sourceBySource(dcs: ReadingsReader, plan: ReadingsPlan, options: RowsOptions): AsyncGenerator<ReadingRow[]> {
  const first = options.from?.rank ?? 0;
  for (let rank = first; rank < plan.sourceIds.length; rank++) {
    let cursor = options.from && rank === first ? Math.max(plan.startMs, options.from.timestamp) : plan.startMs;
    // Ask DCS for about a page at a time: a page (plus the row that starts the next one) is
    // usually satisfied by the first call, and a long span is not read beyond what is sent.
    while (cursor < plan.endMs) {
      const chunkEnd = Number.isFinite(options.windowRows)
        ? Math.min(plan.endMs, addPeriods(cursor, plan.periodType, Math.max(1, options.windowRows)))
        : plan.endMs;
      yield* streamSource(dcs, plan, { rank, startMs: cursor, endMs: chunkEnd }, callOptions(options));
      cursor = chunkEnd;
    }
  }
}

async function* sourceBySourceDescending(dcs: ReadingsReader, plan: ReadingsPlan, options: RowsOptions): AsyncGenerator<ReadingRow[]> {
  const first = options.from?.rank ?? 0;
  for (let rank = first; rank < plan.sourceIds.length; rank++) {
    yield* windowed(dcs, plan, [rank], options.from && rank === first ? options.from : undefined, options);
  }
}

/** All of one source's readings in a window (one window is at most about a page). */
async function fetchWindow(
  dcs: ReadingsReader,
  plan: ReadingsPlan,
  rank: number,
  startMs: number,
  endMs: number,
  call: LargeReadingsOptions,
): Promise<ReadingRow[]> {
  const rows: ReadingRow[] = [];
  for await (const batch of streamSource(dcs, plan, { rank, startMs, endMs }, call)) {
    for (const row of batch) rows.push(row);
  }
  return rows;
}

function windowPeriods(windowRows: number, sources: number): number {
  return Math.max(1, Math.ceil(windowRows / sources));
}

async function* windowed(
  dcs: ReadingsReader,
  plan: ReadingsPlan,
  ranks: readonly number[],
  from: RowPosition | undefined,
  options: RowsOptions,
): AsyncGenerator<ReadingRow[]> {
  const periods = windowPeriods(options.windowRows, ranks.length);
  const step = (ms: number, count: number): number => addPeriods(ms, plan.periodType, count);
  const byTime = plan.descending
    ? (a: ReadingRow, b: ReadingRow) => b.timestamp - a.timestamp || a.rank - b.rank
    : (a: ReadingRow, b: ReadingRow) => a.timestamp - b.timestamp || a.rank - b.rank;
  // Rows at the resume timestamp from sources ranked before the resume rank were already sent.
  const alreadySent = (row: ReadingRow): boolean => from !== undefined && row.timestamp === from.timestamp && row.rank < from.rank;

  if (!plan.descending) {
    let cursor = from ? Math.max(plan.startMs, from.timestamp) : plan.startMs;
    while (cursor < plan.endMs) {
      const windowEnd = Math.min(plan.endMs, step(cursor, periods));
      yield await windowRows(dcs, plan, ranks, cursor, windowEnd, byTime, alreadySent, callOptions(options));
      cursor = windowEnd;
    }
    return;
  }
  let cursor = from ? Math.min(plan.endMs, step(from.timestamp, 1)) : plan.endMs;
  while (cursor > plan.startMs) {
    const windowStart = Math.max(plan.startMs, step(cursor, -periods));
    yield await windowRows(dcs, plan, ranks, windowStart, cursor, byTime, alreadySent, callOptions(options));
    cursor = windowStart;
  }
}

async function windowRows(
  dcs: ReadingsReader,
  plan: ReadingsPlan,
  ranks: readonly number[],
  startMs: number,
  endMs: number,
  order: (a: ReadingRow, b: ReadingRow) => number,
  alreadySent: (row: ReadingRow) => boolean,
  call: LargeReadingsOptions,
): Promise<ReadingRow[]> {
  const rows: ReadingRow[] = [];
  for (const rank of ranks) {
    for (const row of await fetchWindow(dcs, plan, rank, startMs, endMs, call)) {
      if (!alreadySent(row)) rows.push(row);
    }
  }
  return rows.sort(order);
}
