import { boxAddress } from './addresses';
import type { SyncStats } from './batch';
import { fail } from './errors';
import { readValues, writeValues } from './grid';
import { cellKey, DEFAULT_COLUMN_WIDTH, findSheet, findTable, MAX_COLUMNS, tableBox, type Cell, type ChartInfo, type Model } from './model';
import { workbookSnapshot, type WorkbookSnapshot } from './snapshot';
import { copySheet } from './worksheet';

/** What the workbook holds, for people (the preview grid) and tests to read, and what a user does to it. */
export interface WorkbookView {
  sheetNames(includeHidden?: boolean): string[];
  activeSheetName(): string;
  /** The value of a cell ("" when empty), by zero-based row and column. */
  cell(sheet: string, row: number, column: number): Cell;
  cellFormat(sheet: string, row: number, column: number): string | undefined;
  cellBold(sheet: string, row: number, column: number): boolean;
  /** Rows x columns that hold anything, from A1 (0 x 0 for an empty sheet). */
  usedSize(sheet: string): { rows: number; columns: number };
  tableNames(): string[];
  /** A table's position and size (header row, and total row when shown, included in `rows`). */
  tableInfo(
    name: string,
  ): { id: string; sheet: string; row: number; column: number; rows: number; columns: number; address: string; showTotals: boolean } | undefined;
  /** A table's header row, data rows and total row (when shown), as values. */
  tableValues(name: string): Cell[][];
  /** The charts on a sheet, in the order they were added. */
  charts(sheet: string): ChartInfo[];
  /** The number format of each cell of a table's data rows. */
  tableFormats(name: string): Array<Array<string | undefined>>;
  settings(): Record<string, unknown>;
  readonly stats: SyncStats;
  /** Selects a cell, as a click in the grid does (zero-based row and column). */
  select(sheet: string, row: number, column: number): void;
  /** Makes the next sync fail with this error before running anything (tests of Excel failures). */
  failNextSync(error: Error): void;
  /** Called after every successful sync (the preview grid redraws). */
  onChange(listener: () => void): void;
  /** A column's width in points. */
  columnWidth(sheet: string, column: number): number;
  /** The formula of a cell, if it holds one. */
  cellFormula(sheet: string, row: number, column: number): string | undefined;
  /** Recalculations asked for, in order: `application:<type>`, `sheet:<name>[:all]`. */
  calculations(): string[];
  /** The user starts (true) or stops typing in a cell. */
  setCellEditing(editing: boolean): void;
  /** Renames a table as the user would (Table Design > Table Name). */
  renameTable(name: string, newName: string): void;
  /** Copies a worksheet as the user would (right-click the tab > Move or Copy); returns the copy's name. */
  copySheet(name: string): string;
  /** Rows frozen at the top of a sheet (0 when none). */
  frozenRows(sheet: string): number;
  /** Merges cells as the user would (Home > Merge & Center). */
  merge(sheet: string, row: number, column: number, rows: number, columns: number): void;
  /** Writes a value or formula into a cell as if the user typed it. */
  type(sheet: string, row: number, column: number, text: string): void;
  /** Everything the workbook holds, as JSON (for a test to take out of a page in one piece). */
  snapshot(): WorkbookSnapshot;
}

export function workbookView(model: Model): WorkbookView {
  const sheet = (name: string) => findSheet(model, name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`);
  const table = (name: string) => findTable(model, name) ?? fail('ItemNotFound', `There is no table named '${name}'.`);
  const cellAt = (name: string, row: number, column: number) => sheet(name).cells.get(cellKey(row, column));
  return {
    sheetNames: (includeHidden = false) => model.sheets.filter((s) => includeHidden || s.visibility === 'Visible').map((s) => s.name),
    activeSheetName: () => model.active.name,
    cell: (name, row, column) => cellAt(name, row, column)?.value ?? '',
    cellFormat: (name, row, column) => cellAt(name, row, column)?.format,
    cellBold: (name, row, column) => cellAt(name, row, column)?.bold === true,
    usedSize: (name) => usedSize(model, name),
    tableNames: () => model.tables.map((t) => t.name),
    tableInfo: (name) => {
      const t = findTable(model, name);
      const box = t && tableBox(t);
      return (
        t &&
        box && {
          id: t.id,
          sheet: t.sheet.name,
          row: t.top,
          column: t.left,
          rows: box.rows,
          columns: t.columns,
          address: boxAddress(box),
          showTotals: t.totals === true,
        }
      );
    },
    tableValues: (name) => readValues(tableBox(table(name))),
    charts: (name) =>
      model.charts
        .filter((c) => c.sheet === sheet(name))
        .map((c) => ({
          type: c.type,
          title: c.title,
          source: { ...c.source },
          position: { ...c.position },
          categoryType: c.categoryType,
          series: c.series.map((x) => ({ ...x, values: { ...x.values }, categories: x.categories && { ...x.categories } })),
        })),
    tableFormats: (name) => {
      const t = table(name);
      return Array.from({ length: t.rows }, (_, i) =>
        Array.from({ length: t.columns }, (__, j) => t.sheet.cells.get(cellKey(t.top + 1 + i, t.left + j))?.format),
      );
    },
    settings: () => Object.fromEntries(model.settings),
    stats: model.batch.stats,
    select: (name, row, column) => {
      const s = sheet(name);
      if (s.visibility !== 'Visible') fail('InvalidOperation', 'A hidden worksheet cannot be selected.');
      model.active = s;
      model.activeCell = { row, column };
    },
    failNextSync: (error) => model.batch.failNextSync(error),
    onChange: (listener) => model.batch.onChange(listener),
    columnWidth: (name, column) => sheet(name).widths.get(column) ?? DEFAULT_COLUMN_WIDTH,
    cellFormula: (name, row, column) => cellAt(name, row, column)?.formula,
    calculations: () => [...model.calculations],
    setCellEditing: (editing) => void (model.batch.cellEditing = editing),
    renameTable: (name, newName) => void (table(name).name = newName),
    copySheet: (name) => copySheet(model, sheet(name)).name,
    frozenRows: (name) => sheet(name).frozenRows ?? 0,
    merge: (name, row, column, rows, columns) => {
      const s = sheet(name);
      (s.merged ??= []).push({ sheet: s, row, column, rows, columns });
    },
    snapshot: () => workbookSnapshot(model),
    type: (name, row, column, text) =>
      writeValues({ sheet: sheet(name), row, column, rows: 1, columns: 1 }, [[text]], { entered: true, date1904: model.date1904 }),
  };
}

function usedSize(model: Model, name: string): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  for (const [k, cell] of (findSheet(model, name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`)).cells) {
    if (cell.value === '') continue;
    rows = Math.max(rows, Math.floor(k / MAX_COLUMNS) + 1);
    columns = Math.max(columns, (k % MAX_COLUMNS) + 1);
  }
  return { rows, columns };
}
