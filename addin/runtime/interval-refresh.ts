import type { DateSystem } from '../excel/dates';
import { DEFAULT_BLOCK_BYTES } from '../excel/limits';
import { replaceTableRows, type StagedBody } from '../excel/place';
import { stageRows } from '../excel/staging';
import type { IntervalTable } from '../query/interval-tables';
import type { IntervalsQuery } from '../query/intervals-query';
import { applyDateFormats, applyTextFormats, fetchIntervals, rowsToWrite, type IntervalDeps } from './interval-pull';

/**
 * Refreshes one calculated table (consumption, statistics), found by Refresh all through its id.
 * The new figures are fetched completely, then staged on a hidden sheet block by block, and put
 * in place the way readings tables are (replaceTableRows): the table is either all new or
 * exactly as it was, whichever sync fails. Columns the user added on the right (e.g. "Cost £") are
 * kept; a table with columns deleted is refused. Returns the rows written and the new title line.
 */
export async function refreshIntervalTable(
  context: Excel.RequestContext,
  table: Excel.Table,
  saved: { query: IntervalsQuery; title: string },
  deps: IntervalDeps & { maxBlockBytes?: number; dateSystem: DateSystem },
): Promise<{ rows: number; title: string; now: Date }> {
  const fetched = await fetchIntervals(saved.query, deps);
  const fresh = fetched.tables[0];
  if (!fresh) throw new Error('the server sent no figures for its sources');
  const body = await stageIntervalTable(context, fresh, { maxBytes: deps.maxBlockBytes ?? DEFAULT_BLOCK_BYTES, system: deps.dateSystem });
  try {
    await replaceTableRows(context, table, body, { previous: saved.title, next: fresh.title });
  } finally {
    await body.staging?.discard(context);
  }
  return { rows: fresh.rows.length, title: fresh.title, now: fetched.now };
}

/** A calculated table's rows on a staging sheet (always at least one: rowsToWrite says when there are no intervals). */
async function stageIntervalTable(context: Excel.RequestContext, fresh: IntervalTable, options: { maxBytes: number; system: DateSystem }): Promise<StagedBody> {
  const rows = rowsToWrite(fresh, options.system);
  const width = fresh.headers.length;
  const textIndexes = fresh.kinds.flatMap((kind, j) => (kind === 'text' ? [j] : []));
  const staging = await stageRows(context, { count: width, textIndexes }, rows, options.maxBytes);
  return {
    staging,
    rowCount: rows.length,
    width,
    writeEmpty: (sheet, top, left, count) => {
      applyTextFormats(sheet, top, left, count, fresh);
      sheet.getRangeByIndexes(top, left, 1, width).values = rows.slice(0, 1);
    },
    applyFormats: (sheet, top, left, count) => {
      applyTextFormats(sheet, top, left, count, fresh);
      applyDateFormats(sheet, top, left, count, fresh);
    },
  };
}
