import { BlockBuffer } from '../excel/blocks';
import type { CellValue } from '../excel/cells';
import { CancelledError, messageOf } from '../excel/errors';
import type { IntervalTable } from '../query/interval-tables';
import { forgetIntervalTable, loadIntervalTables, saveIntervalTable } from './interval-store';
import { fetchIntervals, type IntervalDeps } from './interval-pull';
import { DEFAULT_BLOCK_BYTES } from '../excel/limits';

export interface IntervalRefreshReport {
  refreshed: Array<{ table: string; rows: number }>;
  /** Each still holds exactly its previous rows. */
  failed: Array<{ label: string; message: string }>;
  forgotten: string[];
  cancelled: boolean;
}

/**
 * Refreshes every calculated table (consumption, statistics) of the workbook. Each table's new
 * figures are fetched completely first; the table is then resized on its own (a resize Excel
 * refuses, e.g. onto another table, a spill or a protected area, changes nothing) and filled
 * only after the resize has succeeded. A table never grows over cells that hold anything.
 */
export async function refreshIntervalTables(context: Excel.RequestContext, deps: IntervalDeps): Promise<IntervalRefreshReport> {
  const report: IntervalRefreshReport = { refreshed: [], failed: [], forgotten: [], cancelled: false };
  for (const entry of await loadIntervalTables(context)) {
    if (deps.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    if (entry.problem !== undefined) {
      report.failed.push({ label: entry.table, message: `Cannot refresh ${entry.table}: ${entry.problem}. Pull it again as a new table.` });
      continue;
    }
    const table = context.workbook.tables.getItemOrNullObject(entry.table);
    await context.sync();
    if (table.isNullObject) {
      await forgetIntervalTable(context, entry.table);
      report.forgotten.push(entry.table);
      continue;
    }
    try {
      const fetched = await fetchIntervals(entry.query, deps);
      const fresh = fetched.tables[0];
      if (!fresh) throw new Error('the server sent no figures for its sources');
      await replaceRows(context, table, fresh, entry.title);
      await saveIntervalTable(context, entry.table, { query: entry.query, title: fresh.title }, fetched.now);
      report.refreshed.push({ table: entry.table, rows: fresh.rows.length });
    } catch (error) {
      if (error instanceof CancelledError || deps.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      report.failed.push({ label: entry.table, message: messageOf(error) });
    }
  }
  return report;
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
      throw new Error(`it would grow by ${newRows - oldRows} rows over cells that are not empty (${below.address}); move what is below it, then refresh again.`);
    }
  }
  // The resize alone, in its own batch: if Excel refuses it, nothing else has changed.
  table.resize(sheet.getRangeByIndexes(header.rowIndex, left, newRows + 1, width));
  try {
    await context.sync();
  } catch (error) {
    throw new Error(`Excel could not resize it to ${newRows} rows (${messageOf(error)}); make room below it (another table, a spill, merged or protected cells), then refresh again.`);
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
