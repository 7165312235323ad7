import { DATE_TIME_FORMAT, type CellValue } from './cells';
import type { StagedReadings } from './stage-readings';

const AUTOFIT_ROWS = 100;

/** The top-left cell of a table's title line (the header row is below it). */
export interface Anchor {
  sheet: Excel.Worksheet;
  row: number;
  column: number;
}

/**
 * Puts staged readings in place as a new Excel table under a title line, in one request:
 * title, header row, the rows copied from the staging sheet, the table, then formats
 * (values before formats, as Excel is fastest that way). Returns the table's name.
 */
export async function placeNewTable(
  context: Excel.RequestContext,
  staged: StagedReadings,
  anchor: Anchor,
  tableName: string,
  title: string,
): Promise<void> {
  const { sheet, row, column } = anchor;
  const width = staged.columns.headers.length;
  const dataRows = Math.max(staged.rowCount, 1);
  const titleCell = sheet.getRangeByIndexes(row, column, 1, 1);
  titleCell.values = [[title]];
  titleCell.format.font.bold = true;
  sheet.getRangeByIndexes(row + 1, column, 1, width).values = [staged.columns.headers];
  fillBody(sheet.getRangeByIndexes(row + 2, column, dataRows, width), staged);
  const table = sheet.tables.add(sheet.getRangeByIndexes(row + 1, column, dataRows + 1, width), true);
  table.name = tableName;
  table.style = 'TableStyleLight9';
  applyFormats(sheet, row + 2, column, dataRows, staged);
  // Fit the columns to the header and the first rows only: fitting to a million rows is slow.
  sheet.getRangeByIndexes(row + 1, column, Math.min(dataRows + 1, AUTOFIT_ROWS), width).format.autofitColumns();
  await context.sync();
}

/**
 * Replaces an existing table's rows with staged readings, in one request: clear the old rows,
 * resize the table to the new row count, copy the new rows in, re-apply formats, update the
 * title line if it is still the one the add-in wrote. Columns the user added to the right of
 * the add-in's columns are kept (Excel fills calculated columns down by itself).
 */
export async function replaceTableRows(
  context: Excel.RequestContext,
  table: Excel.Table,
  staged: StagedReadings,
  title: { previous: string | undefined; next: string },
): Promise<void> {
  const header = table.getHeaderRowRange();
  header.load('rowIndex,columnIndex,columnCount');
  const sheet = table.worksheet;
  await context.sync();
  const width = staged.columns.headers.length;
  if (header.columnCount < width) {
    throw new Error(
      `The table has ${header.columnCount} columns but its readings need ${width}. Columns were deleted from it: ` +
        'pull the readings again as a new table (and delete this one).',
    );
  }
  const titleCell = header.rowIndex > 0 ? sheet.getRangeByIndexes(header.rowIndex - 1, header.columnIndex, 1, 1) : undefined;
  titleCell?.load('values');
  await context.sync();

  const dataRows = Math.max(staged.rowCount, 1);
  const top = header.rowIndex + 1;
  const left = header.columnIndex;
  table.getDataBodyRange().getResizedRange(0, width - header.columnCount).clear('Contents');
  table.resize(sheet.getRangeByIndexes(header.rowIndex, left, dataRows + 1, header.columnCount));
  fillBody(sheet.getRangeByIndexes(top, left, dataRows, width), staged);
  applyFormats(sheet, top, left, dataRows, staged);
  if (titleCell && title.previous !== undefined && titleCell.values[0][0] === title.previous) {
    titleCell.values = [[title.next]];
  }
  await context.sync();
}

function fillBody(target: Excel.Range, staged: StagedReadings): void {
  if (staged.staging && staged.rowCount > 0) {
    target.copyFrom(staged.staging.rows(), 'Values');
  } else {
    const empty: CellValue[][] = [staged.rowMaker.emptyRow(staged.columns.headers.length)];
    target.values = empty;
  }
}

function applyFormats(sheet: Excel.Worksheet, top: number, left: number, rows: number, staged: StagedReadings): void {
  // A 1x1 format applies to every cell of the range.
  sheet.getRangeByIndexes(top, left + staged.columns.timestampIndex, rows, 1).numberFormat = [[DATE_TIME_FORMAT]];
}
