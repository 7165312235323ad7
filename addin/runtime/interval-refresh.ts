import { BlockBuffer } from '../excel/blocks';
import type { CellValue } from '../excel/cells';
import { messageOf } from '../excel/errors';
import type { IntervalTable } from '../query/interval-tables';
import type { IntervalsQuery } from '../query/intervals-query';
import { fetchIntervals, type IntervalDeps } from './interval-pull';
import { DEFAULT_BLOCK_BYTES } from '../excel/limits';

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
  const header = table.getHeaderRowRange();
  header.load('rowIndex,columnIndex,columnCount,address');
  const body = table.getDataBodyRange();
  body.load('rowCount');
  const sheet = table.worksheet;
  await context.sync();
  const width = fresh.headers.length;
  if (header.columnCount !== width) {
    throw new Error(`it has ${header.columnCount} columns but its figures need ${width}. Pull it again as a new table (and delete this one).`);
  }
  const top = header.rowIndex + 1;
  const left = header.columnIndex;
  const oldRows = body.rowCount;
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
  table.resize(sheet.getRangeByIndexes(header.rowIndex, left, newRows + 1, width));
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
  const title = header.rowIndex > 0 ? sheet.getRangeByIndexes(header.rowIndex - 1, left, 1, 1) : undefined;
  title?.load('values');
  await context.sync();
  if (title && title.values[0][0] === previousTitle) title.values = [[fresh.title]];
  await context.sync();
}

async function fill(context: Excel.RequestContext, sheet: Excel.Worksheet, top: number, left: number, fresh: IntervalTable): Promise<void> {
  const width = fresh.headers.length;
  const rows: CellValue[][] = fresh.rows.length > 0 ? fresh.rows : [[...new Array<CellValue>(width - 1).fill(''), 'No intervals in this range']];
  for (const [j, kind] of fresh.kinds.entries()) {
    if (kind === 'text') sheet.getRangeByIndexes(top, left + j, rows.length, 1).numberFormat = [['@']];
  }
  const buffer = new BlockBuffer(DEFAULT_BLOCK_BYTES);
  let written = 0;
  const flush = async (block: CellValue[][]) => {
    if (block.length === 0) return;
    sheet.getRangeByIndexes(top + written, left, block.length, width).values = block;
    written += block.length;
    await context.sync();
  };
  for (const row of rows) {
    const full = buffer.add(row);
    if (full) await flush(full);
  }
  await flush(buffer.take());
  for (const [j, kind] of fresh.kinds.entries()) {
    if (kind === 'date') sheet.getRangeByIndexes(top, left + j, rows.length, 1).numberFormat = [[j === 0 ? fresh.dateFormat : 'yyyy-mm-dd hh:mm']];
  }
}
