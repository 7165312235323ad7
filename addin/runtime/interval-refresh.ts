import { writeRowsInBlocks } from '../excel/blocks';
import { messageOf } from '../excel/errors';
import { loadTableBounds, titleCellAbove } from '../excel/place';
import type { IntervalTable } from '../query/interval-tables';
import type { IntervalsQuery } from '../query/intervals-query';
import { applyDateFormats, applyTextFormats, fetchIntervals, rowsToWrite, type IntervalDeps } from './interval-pull';

/**
 * Refreshes one calculated table (consumption, statistics), found by Refresh all through its id.
 * The new figures are fetched completely first; the table is then resized on its own (a resize
 * Excel refuses, e.g. onto another table, a spill or a protected area, changes nothing) and filled
 * only after the resize has succeeded. A table never grows over cells that hold anything.
 * Returns the rows written and the new title line, for Refresh all to remember.
 */
export async function refreshIntervalTable(
  context: Excel.RequestContext,
  table: Excel.Table,
  saved: { query: IntervalsQuery; title: string },
  deps: IntervalDeps,
): Promise<{ rows: number; title: string; now: Date }> {
  const fetched = await fetchIntervals(saved.query, deps);
  const fresh = fetched.tables[0];
  if (!fresh) throw new Error('the server sent no figures for its sources');
  await replaceRows(context, table, fresh, saved.title);
  return { rows: fresh.rows.length, title: fresh.title, now: fetched.now };
}

async function replaceRows(context: Excel.RequestContext, table: Excel.Table, fresh: IntervalTable, previousTitle: string): Promise<void> {
  const bounds = await loadTableBounds(context, table);
  const { sheet, top, left, columns, rows: oldRows } = bounds;
  const width = fresh.headers.length;
  if (columns !== width) {
    throw new Error(`it has ${columns} columns but its figures need ${width}. Pull it again as a new table (and delete this one).`);
  }
  const newRows = Math.max(fresh.rows.length, 1);
  if (newRows > oldRows) {
    const below = sheet.getRangeByIndexes(top + oldRows, left, newRows - oldRows, width);
    below.load('address');
    const used = below.getUsedRangeOrNullObject(true);
    await context.sync();
    if (!used.isNullObject) {
      throw new Error(
        `it would grow by ${newRows - oldRows} rows over cells that are not empty (${below.address}); move what is below it, then refresh again.`,
      );
    }
  }
  // The resize alone, in its own batch: if Excel refuses it, nothing else has changed.
  table.resize(sheet.getRangeByIndexes(top - 1, left, newRows + 1, width));
  try {
    await context.sync();
  } catch (error) {
    throw new Error(
      `Excel could not resize it to ${newRows} rows (${messageOf(error)}); make room below it (another table, a spill, merged or protected cells), then refresh again.`,
      { cause: error },
    );
  }
  if (newRows < oldRows) sheet.getRangeByIndexes(top + newRows, left, oldRows - newRows, width).clear('Contents');
  await fill(context, sheet, top, left, fresh);
  const title = titleCellAbove(bounds);
  title?.load('values');
  await context.sync();
  if (title && title.values[0][0] === previousTitle) title.values = [[fresh.title]];
  await context.sync();
}

async function fill(context: Excel.RequestContext, sheet: Excel.Worksheet, top: number, left: number, fresh: IntervalTable): Promise<void> {
  const width = fresh.headers.length;
  const rows = rowsToWrite(fresh);
  applyTextFormats(sheet, top, left, rows.length, fresh);
  await writeRowsInBlocks(context, sheet, { top, left, width }, rows);
  applyDateFormats(sheet, top, left, rows.length, fresh);
}
