/**
 * The read side of the store: which parts of a request it can serve, and those readings.
 */
import { isPeriodStart, type AnyReading, type PeriodType } from 'dcs-client';
import type { Queryable } from './db';
import { blockStart, unpack } from './packing';
import { findSeries } from './series';
import { settledUntil } from './settled';
import type { SeriesKey, Span, SpanPlan } from './types';

/** Blocks per query while reading (a leap year of half-hours, 366 blocks, in one): few round trips, still a stream. */
const READ_PAGE_BLOCKS = 400;

/** Refuses a span DCS itself would refuse, so a plan always tiles whole periods. */
export function checkSpan(span: Span, periodType: PeriodType): void {
  const start = span.start.getTime();
  const end = span.end.getTime();
  if (!(start < end)) throw new RangeError(`The span ${span.start.toISOString()} – ${span.end.toISOString()} is empty; give a start before the end.`);
  for (const [what, ms] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!isPeriodStart(ms, periodType)) {
      throw new RangeError(`The span's ${what} ${new Date(ms).toISOString()} is not the start of a ${periodType} period; align it as DCS requires.`);
    }
  }
}

/** `timeoutMs`: longest wait for each query (DATABASE_TIMEOUT); undefined = none. */
export async function planSpan(db: Queryable, key: SeriesKey, span: Span, nowMs: number, settleAgeMs: number, timeoutMs?: number): Promise<SpanPlan> {
  checkSpan(span, key.periodType);
  const series = await findSeries(db, key, timeoutMs);
  const whole = { start: span.start, end: span.end };
  if (!series) return { stored: [], missing: [whole] };
  const until = Math.min(span.end.getTime(), settledUntil(nowMs, settleAgeMs, key.periodType));
  let stored: Span[] = [];
  if (until > span.start.getTime()) {
    const result = await db.query<{ s: number; e: number }>({
      text: `SELECT (extract(epoch FROM lower(r)) * 1000)::float8 AS s, (extract(epoch FROM upper(r)) * 1000)::float8 AS e
       FROM series, unnest(coverage * tstzmultirange(tstzrange($2, $3))) AS r
       WHERE id = $1 ORDER BY 1`,
      values: [series.id, span.start, new Date(until)],
      ...(timeoutMs !== undefined ? { query_timeout: timeoutMs } : {}),
    });
    stored = result.rows.map((row) => ({ start: new Date(row.s), end: new Date(row.e) }));
  }
  return { stored, missing: complement(span, stored), header: series.header };
}

/** The parts of `span` not in `covered` (ordered, disjoint, inside `span`). */
function complement(span: Span, covered: Span[]): Span[] {
  const gaps: Span[] = [];
  let cursor = span.start.getTime();
  for (const part of covered) {
    if (part.start.getTime() > cursor) gaps.push({ start: new Date(cursor), end: part.start });
    cursor = part.end.getTime();
  }
  if (cursor < span.end.getTime()) gaps.push({ start: new Date(cursor), end: span.end });
  return gaps;
}

/** The stored readings of `span`, oldest first, a page of blocks at a time (keyset paging on the primary key). */
export async function* readSpan(db: Queryable, key: SeriesKey, span: Span, timeoutMs?: number): AsyncGenerator<readonly AnyReading[]> {
  checkSpan(span, key.periodType);
  const series = await findSeries(db, key, timeoutMs);
  if (!series) return;
  const from = span.start.getTime();
  const to = span.end.getTime();
  let after = blockStart(from, key.periodType) - 1;
  for (;;) {
    const result = await db.query<[number, Buffer]>({
      text: `SELECT (extract(epoch FROM block_start) * 1000)::float8, data FROM blocks
             WHERE series_id = $1 AND block_start > $2 AND block_start < $3 ORDER BY block_start LIMIT $4`,
      values: [series.id, new Date(after), span.end, READ_PAGE_BLOCKS],
      rowMode: 'array',
      ...(timeoutMs !== undefined ? { query_timeout: timeoutMs } : {}),
    });
    const batch = result.rows.flatMap(([, data]) => unpack(data, key.format, from, to));
    if (batch.length > 0) yield batch;
    if (result.rows.length < READ_PAGE_BLOCKS) return;
    after = result.rows[result.rows.length - 1][0];
  }
}
