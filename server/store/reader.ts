/**
 * The read side of the store: which parts of a request it can serve, and those readings.
 */
import { isPeriodStart } from '../dcs/periods';
import type { AnyReading, PeriodType, ReadingsFormat } from '../dcs/types';
import type { Queryable } from './db';
import { findSeries } from './series';
import { settledUntil } from './settled';
import type { SeriesKey, Span, SpanPlan } from './types';

/** Readings per query while reading: big enough for few round trips, small enough to stream. */
const READ_PAGE_ROWS = 10_000;

/** Refuses a span DCS itself would refuse, so a plan always tiles whole periods. */
export function checkSpan(span: Span, periodType: PeriodType): void {
  const start = span.start.getTime();
  const end = span.end.getTime();
  if (!(start < end)) throw new RangeError(`The span ${span.start.toISOString()} – ${span.end.toISOString()} is empty; give a start before the end.`);
  for (const [what, ms] of [['start', start], ['end', end]] as const) {
    if (!isPeriodStart(ms, periodType)) {
      throw new RangeError(`The span's ${what} ${new Date(ms).toISOString()} is not the start of a ${periodType} period; align it as DCS requires.`);
    }
  }
}

export async function planSpan(db: Queryable, key: SeriesKey, span: Span, nowMs: number, settleAgeMs: number): Promise<SpanPlan> {
  checkSpan(span, key.periodType);
  const series = await findSeries(db, key);
  const whole = { start: span.start, end: span.end };
  if (!series) return { stored: [], missing: [whole] };
  const until = Math.min(span.end.getTime(), settledUntil(nowMs, settleAgeMs, key.periodType));
  let stored: Span[] = [];
  if (until > span.start.getTime()) {
    const result = await db.query<{ s: number; e: number }>(
      `SELECT (extract(epoch FROM lower(r)) * 1000)::float8 AS s, (extract(epoch FROM upper(r)) * 1000)::float8 AS e
       FROM series, unnest(coverage * tstzmultirange(tstzrange($2, $3))) AS r
       WHERE id = $1 ORDER BY 1`,
      [series.id, span.start, new Date(until)],
    );
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

type Row = [ms: number, value: number | null, total: number | null, period: number | null, status: number];

/** The stored readings of `span`, oldest first, a page at a time (keyset paging on the primary key). */
export async function* readSpan(db: Queryable, key: SeriesKey, span: Span): AsyncGenerator<readonly AnyReading[]> {
  checkSpan(span, key.periodType);
  const series = await findSeries(db, key);
  if (!series) return;
  let after = new Date(span.start.getTime() - 1);
  for (;;) {
    const result = await db.query<Row>({
      text: `SELECT (extract(epoch FROM ts) * 1000)::float8, value, total_value, period_value, status
             FROM readings WHERE series_id = $1 AND ts > $2 AND ts < $3 ORDER BY ts LIMIT $4`,
      values: [series.id, after, span.end, READ_PAGE_ROWS],
      rowMode: 'array',
    });
    if (result.rows.length === 0) return;
    yield result.rows.map((row) => toReading(row, key.format));
    if (result.rows.length < READ_PAGE_ROWS) return;
    after = new Date(result.rows[result.rows.length - 1][0]);
  }
}

function toReading(row: Row, format: ReadingsFormat): AnyReading {
  const timestamp = new Date(row[0]);
  if (format === 'complete') return { timestamp, totalValue: row[2] as number, periodValue: row[3] as number, status: row[4] };
  return { timestamp, value: row[1] as number, status: row[4] };
}
