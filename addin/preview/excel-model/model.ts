import type { Batch } from './batch';
import { fail } from './errors';

/**
 * The workbook's data, as plain records the proxies (range.ts, worksheet.ts, table.ts, chart.ts)
 * read and change when a batch runs. Nothing here knows about batching or Office.js's shapes.
 */

export type Cell = number | string | boolean;

export interface CellData {
  value: Cell;
  /** The formula the cell holds (its value is then what the model can compute: a number or #NAME?). */
  formula?: string;
  format?: string;
  bold?: boolean;
  /** Other looks (font size, colour, italic, fill), kept so the cell keeps them and views can show them. */
  look?: Record<string, unknown>;
}

export interface ConditionalFormatData {
  address: string;
  type: string;
  formula?: string;
  fill?: string;
  font?: string;
}

export interface SheetData {
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  cells: Map<number, CellData>;
  /** Column widths in points, where set (Excel's default is 48 pt, 8.43 characters). */
  widths: Map<number, number>;
  /** Merged areas (no table may overlap one). */
  merged?: Box[];
  /** Rows frozen at the top (freezePanes.freezeRows). */
  frozenRows?: number;
  /** Conditional formats, as added (they are not evaluated here). */
  conditionalFormats?: ConditionalFormatData[];
}

export interface TableData {
  /** Stays the same for the table's life, whatever the user renames it to. */
  id: string;
  name: string;
  sheet: SheetData;
  /** Zero-based position of the header row and first column; `rows` counts data rows. */
  top: number;
  left: number;
  rows: number;
  columns: number;
  style: string;
  /** Table.showTotals: a total row sits right below the data rows (not counted in `rows`). */
  totals?: boolean;
}

/** A block of cells of one sheet, zero-based. */
export interface Box {
  sheet: SheetData;
  row: number;
  column: number;
  rows: number;
  columns: number;
}

/** A chart on a sheet (the add-in's chart.ts): what it plots and where it sits. */
export interface ChartInfo {
  type: string;
  title: string;
  /** The cells plotted, series by columns: first column the categories, header row the names. */
  source: { row: number; column: number; rows: number; columns: number };
  /** Top-left and bottom-right cells it covers. */
  position: { row: number; column: number; endRow: number; endColumn: number };
  /**
   * The category axis's type (ChartAxis.categoryType, ExcelApi 1.7): Automatic makes a date axis
   * over date categories, whose smallest unit is a day, so half-hours of one day share one point.
   */
  categoryType: 'Automatic' | 'TextAxis' | 'DateAxis';
  /** The series plotted, in order (ChartSeriesCollection). */
  series: SeriesInfo[];
}

/** Where a block of one sheet's cells is (zero-based), without the sheet. */
export interface Place {
  row: number;
  column: number;
  rows: number;
  columns: number;
}

/** One series of a chart: its legend name, its values and its categories (x values), where they are. */
export interface SeriesInfo {
  name: string;
  values: Place;
  /** Absent: Excel numbers the points 1, 2, 3... */
  categories?: Place;
  /** ChartSeries.axisGroup (ExcelApi 1.8). */
  axisGroup: 'Primary' | 'Secondary';
  /** ChartSeries.chartType (ExcelApi 1.7): absent, the chart's own (a line over a scatter's points sets it). */
  chartType?: string;
}

export interface ChartData extends ChartInfo {
  sheet: SheetData;
}

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
/** Width of a column nobody sized, in points. */
export const DEFAULT_COLUMN_WIDTH = 48;
/** Days between the 1900 and the 1904 date systems' serial numbers for one date (as addin/excel/dates.ts; the model imports nothing from the add-in, so a page can load it alone). */
export const DAYS_1900_TO_1904 = 1462;

/** One workbook: its data and the batch its proxies queue commands on. */
export interface Model {
  readonly date1904: boolean;
  readonly sheets: SheetData[];
  readonly tables: TableData[];
  readonly charts: ChartData[];
  readonly settings: Map<string, unknown>;
  /** Recalculations asked for, in order: `application:<type>`, `sheet:<name>[:all]`, `range:<address>`. */
  readonly calculations: string[];
  active: SheetData;
  activeCell: { row: number; column: number };
  nextTableId: number;
  readonly batch: Batch;
}

export const cellKey = (row: number, column: number): number => row * MAX_COLUMNS + column;

export function emptySheet(name: string): SheetData {
  return { name, visibility: 'Visible', cells: new Map(), widths: new Map() };
}

export const findSheet = (model: Model, name: string): SheetData | undefined => model.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
export const findTable = (model: Model, name: string): TableData | undefined => model.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
/** TableCollection.getItem takes a table's name or its id. */
export const findTableByKey = (model: Model, key: string): TableData | undefined => model.tables.find((t) => t.id === key) ?? findTable(model, key);

/** Table.getRange: the whole table, header row, data rows and total row (when shown). */
export const tableBox = (t: TableData): Box => ({
  sheet: t.sheet,
  row: t.top,
  column: t.left,
  rows: t.rows + 1 + (t.totals === true ? 1 : 0),
  columns: t.columns,
});

export const overlaps = (a: Box, b: Box): boolean =>
  a.sheet === b.sheet && a.row < b.row + b.rows && b.row < a.row + a.rows && a.column < b.column + b.columns && b.column < a.column + a.columns;

/** The box, if it lies within the sheet and the sheet still exists (else Excel's error). */
export function checkBox(model: Model, box: Box): Box {
  if (box.rows < 1 || box.columns < 1 || box.row < 0 || box.column < 0 || box.row + box.rows > MAX_ROWS || box.column + box.columns > MAX_COLUMNS) {
    fail('InvalidArgument', `The range (row ${box.row}, column ${box.column}, ${box.rows} x ${box.columns}) is outside the worksheet.`);
  }
  if (!model.sheets.includes(box.sheet)) fail('ItemNotFound', `The worksheet '${box.sheet.name}' no longer exists.`);
  return box;
}

/** The first visible sheet (where Excel goes when the active one is hidden or deleted). */
export const firstVisible = (model: Model): SheetData => model.sheets.find((x) => x.visibility === 'Visible')!;
