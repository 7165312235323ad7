import { DATE_TIME_FORMAT, TEXT_FORMAT, type CellValue, type Columns } from './cells';
import type { StagedReadings } from './stage-readings';
import type { StagingSheet } from './staging';

/** The top-left cell of a table's title line (the header row is below it). */
export interface Anchor {
  sheet: Excel.Worksheet;
  row: number;
  column: number;
}

/**
 * Puts staged readings in place as a new Excel table under a title line, in one request:
 * title, header row, the rows copied from the staging sheet, the table, then formats
 * (values before formats, as Excel is fastest that way). Text cells get the Text format before
 * their values, so Excel keeps them as written. Returns the new table's id.
 */
export async function placeNewTable(context: Excel.RequestContext, staged: StagedReadings, anchor: Anchor, tableName: string, title: string): Promise<string> {
  const { sheet, row, column } = anchor;
  const width = staged.columns.headers.length;
  const dataRows = Math.max(staged.rowCount, 1);
  const titleCell = sheet.getRangeByIndexes(row, column, 1, 1);
  titleCell.numberFormat = [[TEXT_FORMAT]];
  titleCell.values = [[title]];
  titleCell.format.font.bold = true;
  const header = sheet.getRangeByIndexes(row + 1, column, 1, width);
  header.numberFormat = [[TEXT_FORMAT]];
  header.values = [staged.columns.headers];
  const body = readingsBody(staged);
  const at = { top: row + 2, left: column, columns: width, oldRows: dataRows, newRows: dataRows, totalRows: 0 as const };
  fillBody(sheet, at, body);
  const table = sheet.tables.add(sheet.getRangeByIndexes(row + 1, column, dataRows + 1, width), true);
  table.name = tableName;
  table.style = 'TableStyleLight9';
  applyFormats(sheet, row + 2, column, dataRows, staged);
  setColumnWidths(sheet, column, staged);
  table.load('id');
  await context.sync();
  return table.id;
}

/**
 * A table's new body, complete on a hidden staging sheet, and how to format it once in place.
 * Readings tables and calculated tables both refresh through it (replaceTableRows).
 */
export interface StagedBody {
  /** Undefined when there are no rows (then `writeEmpty` fills the one row a table must keep). */
  staging: StagingSheet | undefined;
  rowCount: number;
  /** Columns the rows fill; the table may be wider (columns the user added are kept). */
  width: number;
  writeEmpty(sheet: Excel.Worksheet, top: number, left: number, rows: number): void;
  /** Number formats of the body's columns, set after the values. */
  applyFormats(sheet: Excel.Worksheet, top: number, left: number, rows: number): void;
}

/** Staged readings as a table body. */
export function readingsBody(staged: StagedReadings): StagedBody {
  const { columns } = staged;
  return {
    staging: staged.staging,
    rowCount: staged.rowCount,
    width: columns.headers.length,
    writeEmpty: (sheet, top, left, rows) => {
      setTextFormats(sheet, top, left, rows, columns);
      sheet.getRangeByIndexes(top, left, rows, columns.headers.length).values = [staged.rowMaker.emptyRow(columns.headers.length)];
    },
    applyFormats: (sheet, top, left, rows) => applyFormats(sheet, top, left, rows, staged),
  };
}

/**
 * Replaces an existing table's rows with a staged body without ever losing the old ones.
 *
 * A batch is not a transaction in Excel: when one command of a sync fails, the commands before
 * it have run. So each step that can fail runs where a failure leaves the table as it was:
 * 1. the new rows are already complete on the staging sheet;
 * 2. when the table grows, the cells it grows into must be empty (else refuse, naming them), and
 *    the resize runs alone: Excel refusing it (another table, a spilled formula, merged cells, a
 *    protected sheet below) changes nothing;
 * 3. the new rows are copied over the old in one command, formats and title with them; if that
 *    fails after a growth, the table is shrunk back;
 * 4. only then, when the table shrinks, the rows it no longer needs are emptied and let go.
 * Columns the user added to the right of the add-in's columns are kept (Excel fills calculated
 * columns down by itself). A table with a Total Row keeps it: the row below the data is then the
 * total row (its SUBTOTALs are the table's, not data in the way), resizes include it, and Excel
 * keeps it as the table's last row.
 */
export async function replaceTableRows(
  context: Excel.RequestContext,
  table: Excel.Table,
  body: StagedBody,
  title: { previous: string | undefined; next: string },
): Promise<void> {
  const bounds = await loadTableBounds(context, table);
  const { sheet } = bounds;
  if (bounds.columns < body.width) {
    throw new Error(
      `The table has ${bounds.columns} columns but its figures need ${body.width}. Columns were deleted from it: ` +
        'pull it again as a new table (and delete this one).',
    );
  }
  const titleCell = titleCellAbove(bounds);
  titleCell?.load('values');
  await context.sync();

  const shape: TableShape = {
    top: bounds.top,
    left: bounds.left,
    columns: bounds.columns,
    oldRows: bounds.rows,
    newRows: Math.max(body.rowCount, 1),
    totalRows: bounds.totalRows,
  };
  const grew = shape.newRows > shape.oldRows;
  if (grew) await growTable(context, table, sheet, shape);
  // When the table shrinks, its old body is first copied beside the staged rows (inside Excel), so
  // that a failure of step 4 can put it back: otherwise the table would be left half new, half old.
  const backup = shape.newRows < shape.oldRows && body.staging ? body.staging.sheet.getRangeByIndexes(0, body.width, shape.oldRows, shape.columns) : undefined;
  const oldBody = sheet.getRangeByIndexes(shape.top, shape.left, shape.oldRows, shape.columns);
  try {
    backup?.copyFrom(oldBody, 'All');
    fillBody(sheet, shape, body);
    body.applyFormats(sheet, shape.top, shape.left, shape.newRows);
    if (titleCell && title.previous !== undefined && titleCell.values[0][0] === title.previous) {
      titleCell.values = [[title.next]];
    }
    await context.sync();
  } catch (error) {
    if (grew) await resizeTo(context, table, sheet, shape, shape.oldRows).catch(() => undefined);
    throw error;
  }
  if (shape.newRows < shape.oldRows) {
    try {
      await resizeTo(context, table, sheet, shape, shape.newRows);
    } catch (error) {
      if (backup) oldBody.copyFrom(backup, 'All');
      if (titleCell && title.previous !== undefined && titleCell.values[0][0] === title.previous) titleCell.values = [[title.previous]];
      await context.sync().catch(() => undefined);
      throw error;
    }
  }
}

/** Where an existing table stands: first data row and first column (zero-based), its width and data rows. */
export interface TableBounds {
  sheet: Excel.Worksheet;
  top: number;
  left: number;
  /** The table's width, columns the user added included. */
  columns: number;
  rows: number;
  /** 1 when the table shows a Total Row (Table.showTotals), below its data rows; else 0. */
  totalRows: 0 | 1;
}

/** Reads where a table stands (one sync), for replacing its rows. */
export async function loadTableBounds(context: Excel.RequestContext, table: Excel.Table): Promise<TableBounds> {
  const header = table.getHeaderRowRange();
  header.load('rowIndex,columnIndex,columnCount');
  const body = table.getDataBodyRange();
  body.load('rowCount');
  const sheet = table.worksheet;
  table.load('showTotals');
  await context.sync();
  return { sheet, top: header.rowIndex + 1, left: header.columnIndex, columns: header.columnCount, rows: body.rowCount, totalRows: table.showTotals ? 1 : 0 };
}

/** The cell of the table's title line, right above its header; undefined for a table in row 1. */
export function titleCellAbove(bounds: TableBounds): Excel.Range | undefined {
  const headerRow = bounds.top - 1;
  return headerRow > 0 ? bounds.sheet.getRangeByIndexes(headerRow - 1, bounds.left, 1, 1) : undefined;
}

interface TableShape {
  /** First data row and first column (zero-based), and the table's width including the user's columns. */
  top: number;
  left: number;
  columns: number;
  oldRows: number;
  newRows: number;
  /** 1 when a Total Row sits below the data rows. */
  totalRows: 0 | 1;
}

/** The range Table.resize takes for `rows` data rows: header, data rows and the total row if any (it is part of the table's range). */
function tableRange(sheet: Excel.Worksheet, shape: TableShape, rows: number): Excel.Range {
  return sheet.getRangeByIndexes(shape.top - 1, shape.left, 1 + rows + shape.totalRows, shape.columns);
}

/** Steps 2: refuses to grow over anything, then resizes in a request of its own. */
async function growTable(context: Excel.RequestContext, table: Excel.Table, sheet: Excel.Worksheet, shape: TableShape): Promise<void> {
  // Below the total row, if any: its SUBTOTALs move down with it.
  const below = sheet.getRangeByIndexes(shape.top + shape.oldRows + shape.totalRows, shape.left, shape.newRows - shape.oldRows, shape.columns);
  below.load('address');
  const used = below.getUsedRangeOrNullObject(true);
  used.load('address');
  await context.sync();
  if (!used.isNullObject) {
    throw new Error(
      `The table needs ${(shape.newRows - shape.oldRows).toLocaleString('en-GB')} more rows, but cells below it (${used.address}) hold data, ` +
        'so it was left exactly as it was. Move what is below the table elsewhere (or pull the readings again onto a new sheet), then refresh again.',
    );
  }
  table.resize(tableRange(sheet, shape, shape.newRows));
  try {
    await context.sync();
  } catch (error) {
    throw new Error(
      `Excel would not make the table longer (${error instanceof Error ? error.message : String(error)}), so it was left exactly as it was. ` +
        'Something below it is in the way (another table, a spilled formula, merged cells or a protected sheet): move it, then refresh again.',
      { cause: error },
    );
  }
}

/**
 * Resizes the table to `rows` data rows, emptying the rows it lets go of (they were the table's;
 * with a Total Row, they include where it stood, whether or not Excel moved its contents).
 */
async function resizeTo(context: Excel.RequestContext, table: Excel.Table, sheet: Excel.Worksheet, shape: TableShape, rows: number): Promise<void> {
  const current = Math.max(shape.oldRows, shape.newRows);
  table.resize(tableRange(sheet, shape, rows));
  if (current > rows) sheet.getRangeByIndexes(shape.top + rows + shape.totalRows, shape.left, current - rows, shape.columns).clear('Contents');
  await context.sync();
}

function fillBody(sheet: Excel.Worksheet, shape: TableShape, body: StagedBody): void {
  if (body.staging && body.rowCount > 0) {
    sheet.getRangeByIndexes(shape.top, shape.left, shape.newRows, body.width).copyFrom(body.staging.rows(), 'Values');
  } else {
    body.writeEmpty(sheet, shape.top, shape.left, shape.newRows);
  }
}

function setTextFormats(sheet: Excel.Worksheet, top: number, left: number, rows: number, columns: Columns): void {
  // A 1x1 format applies to every cell of the range.
  for (const index of columns.textIndexes) sheet.getRangeByIndexes(top, left + index, rows, 1).numberFormat = [[TEXT_FORMAT]];
}

function applyFormats(sheet: Excel.Worksheet, top: number, left: number, rows: number, staged: StagedReadings): void {
  sheet.getRangeByIndexes(top, left + staged.columns.timestampIndex, rows, 1).numberFormat = [[DATE_TIME_FORMAT]];
  setTextFormats(sheet, top, left, rows, staged.columns);
}

/** Points per character of Excel's default font (Calibri 11: about 7 px), and the cell's padding. */
const POINTS_PER_CHARACTER = 5.25;
const CELL_PADDING_POINTS = 6;
/** Room for a table header's filter button. */
const FILTER_BUTTON_POINTS = 12;
const MIN_CHARACTERS = 6;
const MAX_CHARACTERS = 50;

/** How many characters a cell shows. */
function shownLength(value: CellValue, isTimestamp: boolean): number {
  if (isTimestamp && typeof value === 'number') return DATE_TIME_FORMAT.length;
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Math.min(String(value).length, 12);
  return value.length;
}

/**
 * Column widths in points, from the header and the first rows. Not autofitColumns: Excel fits a
 * column to everything in it, the long title line above the table included, which made the first
 * column about 150 characters wide.
 */
function columnWidths(columns: Columns, sample: readonly CellValue[][]): number[] {
  return columns.headers.map((header, j) => {
    let characters = 0;
    for (const row of sample) characters = Math.max(characters, shownLength(row[j] ?? '', j === columns.timestampIndex));
    const clamp = (n: number) => Math.min(MAX_CHARACTERS, Math.max(MIN_CHARACTERS, n));
    const dataPoints = clamp(characters) * POINTS_PER_CHARACTER;
    const headerPoints = clamp(header.length) * POINTS_PER_CHARACTER + FILTER_BUTTON_POINTS;
    return Math.round(Math.max(dataPoints, headerPoints) + CELL_PADDING_POINTS);
  });
}

function setColumnWidths(sheet: Excel.Worksheet, left: number, staged: StagedReadings): void {
  columnWidths(staged.columns, staged.sample).forEach((points, j) => {
    sheet.getRangeByIndexes(0, left + j, 1, 1).format.columnWidth = points;
  });
}
