/**
 * An in-memory workbook that answers the subset of the Excel JavaScript API the add-in uses,
 * with Excel's batching rules: property writes and method calls are queued and run in order at
 * `context.sync()`, loaded properties can be read only after a sync (reading earlier throws,
 * as Office.js does), null objects say `isNullObject` only after a sync, and a batch whose cell
 * data exceeds Excel on the web's 5 MB request limit is rejected whole
 * (RequestPayloadSizeLimitExceeded), so code that works here respects that limit.
 *
 * It also behaves as Microsoft documents real Excel does where the add-in could go wrong:
 * - a batch is not a transaction: when one command of a sync fails, the commands before it in
 *   that batch stay applied (only the rest are skipped);
 * - `Range.values` parses text as typing it would: `=`, `+` or `-` start a formula (an unknown
 *   name shows `#NAME?`, so "-Infinity" does), text that looks like a number, TRUE/FALSE or an
 *   ISO date becomes one, unless the cell's number format is "@" (Text);
 * - a table keeps its `id` when renamed; a copied worksheet's tables get new ids and names;
 * - while the user edits a cell (`view.setCellEditing(true)`) every sync fails with
 *   InvalidOperationInCellEditMode unless its Excel.run asked for `delayForCellEdit`;
 * - `autofitColumns` sizes a column to everything in the whole column, not only the range;
 * - the workbook may use the 1904 date system (`createMemoryExcel({ date1904: true })`), which
 *   worksheet functions such as DATE() follow.
 *
 * Three users: the task pane's preview mode (trying the add-in in a plain browser), the unit
 * tests (wrapped in office-addin-mock's OfficeMockObject) and the end-to-end test (injected into
 * the page as the Excel host). No DOM or Node APIs: it runs anywhere.
 *
 * Collections (worksheets, tables, settings) are plain objects holding only methods, because
 * office-addin-mock copies methods but turns data properties into loadable mock properties.
 */

export type Cell = number | string | boolean;

interface CellData {
  value: Cell;
  /** The formula the cell holds (its value is then what the stub can compute: a number or #NAME?). */
  formula?: string;
  format?: string;
  bold?: boolean;
  /** Other looks (font size, colour, italic, fill), kept only so the cell keeps them. */
  look?: Record<string, unknown>;
}

interface SheetData {
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
  conditionalFormats?: Array<{ address: string; type: string; formula?: string; fill?: string; font?: string }>;
}

interface TableData {
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
}

interface Box {
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
}

interface ChartData extends ChartInfo {
  sheet: SheetData;
}

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
/** Excel on the web's limit on one request's size. */
export const REQUEST_LIMIT_BYTES = 5_000_000;
/** Width of a column nobody sized, in points. */
const DEFAULT_COLUMN_WIDTH = 48;
/** Days between the 1900 and the 1904 date systems' serial numbers for one date (as addin/excel/dates.ts; this module imports nothing, so the page can load it alone). */
const DAYS_1900_TO_1904 = 1462;

/** An error shaped like Office.js's OfficeExtension.Error (code + message). */
export class MemoryExcelError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RichApi.Error';
  }
}

const key = (row: number, column: number) => row * MAX_COLUMNS + column;

/** True when a cell carries formatting, and so stays when its value is cleared. */
function isStyled(cell: CellData): boolean {
  return cell.format !== undefined || cell.bold === true || cell.look !== undefined;
}

/** Gives one cell a number format, boldness or another look, creating an empty cell to carry it. */
function styleCell(sheet: SheetData, row: number, column: number, style: Pick<CellData, 'format'> | Pick<CellData, 'bold'> | { look: Record<string, unknown> }): void {
  const cell = sheet.cells.get(key(row, column));
  const merged = 'look' in style ? { look: { ...cell?.look, ...style.look } } : style;
  if (cell) Object.assign(cell, merged);
  else sheet.cells.set(key(row, column), { value: '', ...merged });
}

/** Zero-based column of column letters: A -> 0, AB -> 27. */
function columnOfLetters(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A1-style address within a sheet: `A1`, `A1:C9`, whole columns `A:C` ($ allowed); no sheet prefix. */
function parseCellAddress(address: string): { row: number; column: number; rows: number; columns: number } | undefined {
  const text = address.replace(/\$/g, '').toUpperCase();
  const columns = /^([A-Z]+):([A-Z]+)$/.exec(text);
  if (columns) {
    const left = columnOfLetters(columns[1]);
    return { row: 0, column: left, rows: MAX_ROWS, columns: columnOfLetters(columns[2]) - left + 1 };
  }
  const cells = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(text);
  if (!cells) return undefined;
  const left = columnOfLetters(cells[1]);
  const top = Number(cells[2]) - 1;
  const right = cells[3] === undefined ? left : columnOfLetters(cells[3]);
  const bottom = cells[4] === undefined ? top : Number(cells[4]) - 1;
  return { row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * What Excel makes of text written through `Range.values` (or typed) into a cell not formatted
 * as Text: a formula, a number, a boolean or a date; otherwise the text itself. The stub cannot
 * evaluate formulas: `=<number>` gives the number, anything else `#NAME?`, which is what Excel
 * shows for text such as "-Infinity" or "=Main incomer".
 */
function parseEnteredText(text: string, date1904 = false): Pick<CellData, 'value' | 'formula'> {
  const trimmed = text.trim();
  if (trimmed === '') return { value: text };
  if (/^[=+-]/.test(trimmed) && trimmed.length > 1) {
    if (NUMBER_TEXT.test(trimmed)) return { value: Number(trimmed) };
    const formula = trimmed.startsWith('=') ? trimmed : `=${trimmed}`;
    const body = formula.slice(1);
    return { formula, value: NUMBER_TEXT.test(body) ? Number(body) : '#NAME?' };
  }
  if (NUMBER_TEXT.test(trimmed)) return { value: Number(trimmed) };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
  const date = DATE_TEXT.exec(trimmed);
  if (date) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0'] = date;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
    if (!Number.isNaN(ms)) return { value: ms / 86_400_000 + 25_569 - (date1904 ? DAYS_1900_TO_1904 : 0) };
  }
  return { value: text };
}

/** About how wide Excel shows a cell's content, in points (Calibri 11: ~7 px a character). */
function contentWidth(cell: CellData): number {
  const shown = typeof cell.value === 'number' && cell.format && /[ymdhs]/i.test(cell.format) ? cell.format : String(cell.value);
  return shown.length * 5.25 + 4;
}

/** Column letters of a zero-based column index: 0 -> A, 27 -> AB. */
export function columnLetters(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function boxAddress(box: Box): string {
  const first = `${columnLetters(box.column)}${box.row + 1}`;
  const last = `${columnLetters(box.column + box.columns - 1)}${box.row + box.rows}`;
  return `${quoteSheet(box.sheet.name)}!${first}${first === last ? '' : `:${last}`}`;
}

/** Statistics of what crossed the (imaginary) wire, for tests about request sizes. */
export interface SyncStats {
  syncs: number;
  /** Estimated bytes of cell data per sync that carried any. */
  requestBytes: number[];
}

/** What the workbook holds, for people (the preview grid) and tests to read. */
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
  /** A table's position and size (header row included in `rows`). */
  tableInfo(name: string): { id: string; sheet: string; row: number; column: number; rows: number; columns: number; address: string } | undefined;
  /** A table's header row and data rows, as values. */
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
}

export interface MemoryExcel {
  /** Pass as the Excel.RequestContext (cast): `{ workbook, sync }`. */
  context: { workbook: Record<string, unknown>; sync: () => Promise<void> };
  view: WorkbookView;
  /** Excel.run's contract: run the batch function, then sync what it left queued. Options as Excel.run's. */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  run<T>(options: { delayForCellEdit?: boolean }, batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

type Op = () => void;

/**
 * A proxy object whose loadable properties become readable only after load() and a sync.
 * `resolve` computes the current value of each property at sync time.
 */
function loadable<T extends object>(target: T, kind: string, properties: Record<string, () => unknown>, enqueue: (op: Op) => void): T {
  const loaded = new Map<string, unknown>();
  const wanted = new Set<string>();
  for (const name of Object.keys(properties)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) continue;
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get() {
        if (!loaded.has(name)) {
          throw new MemoryExcelError('PropertyNotLoaded', `The property '${name}' of ${kind} is not available. Before reading it, call load() on the object and sync().`);
        }
        return loaded.get(name);
      },
    });
  }
  (target as { load: (what?: string | string[]) => T }).load = (what?: string | string[]) => {
    const names = what === undefined ? Object.keys(properties) : (Array.isArray(what) ? what : what.split(',')).map((n) => n.trim()).filter(Boolean);
    for (const name of names) {
      if (name.includes('/')) continue; // navigation loads (e.g. worksheet/name) are not needed here
      if (!(name in properties)) throw new MemoryExcelError('InvalidArgument', `${kind} has no property '${name}' to load.`);
      wanted.add(name);
    }
    const snapshot = [...wanted];
    enqueue(() => {
      // Loading from a null object (getItemOrNullObject that found nothing) loads nothing.
      if ((target as { __missing?: () => boolean }).__missing?.()) return;
      for (const name of snapshot) loaded.set(name, properties[name]());
    });
    return target;
  };
  return target;
}

export interface MemoryExcelOptions {
  firstSheet?: string;
  /** The workbook uses the 1904 date system (Excel > Options > Advanced; old Mac workbooks). */
  date1904?: boolean;
}

export function createMemoryExcel(options: MemoryExcelOptions = {}): MemoryExcel {
  const date1904 = options.date1904 === true;
  const sheets: SheetData[] = [{ name: options.firstSheet ?? 'Sheet1', visibility: 'Visible', cells: new Map(), widths: new Map() }];
  const tables: TableData[] = [];
  const charts: ChartData[] = [];
  let nextTableId = 1;
  let cellEditing = false;
  const calculations: string[] = [];
  const settings = new Map<string, unknown>();
  let active = sheets[0];
  let activeCell = { row: 0, column: 0 };
  let queue: Op[] = [];
  const enqueue = (op: Op) => {
    queue.push(op);
  };
  let pendingBytes = 0;
  let nextFailure: Error | undefined;
  const listeners: Array<() => void> = [];
  const stats: SyncStats = { syncs: 0, requestBytes: [] };

  const fail = (code: string, message: string): never => {
    throw new MemoryExcelError(code, message);
  };
  const findSheet = (name: string) => sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const findTable = (name: string) => tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  /** TableCollection.getItem takes a table's name or its id. */
  const findTableByKey = (key: string) => tables.find((t) => t.id === key) ?? findTable(key);
  const tableBox = (t: TableData): Box => ({ sheet: t.sheet, row: t.top, column: t.left, rows: t.rows + 1, columns: t.columns });
  const overlaps = (a: Box, b: Box) =>
    a.sheet === b.sheet && a.row < b.row + b.rows && b.row < a.row + a.rows && a.column < b.column + b.columns && b.column < a.column + a.columns;

  const countBytes = (data: unknown) => {
    pendingBytes += JSON.stringify(data).length;
  };

  function checkBox(box: Box): Box {
    if (box.rows < 1 || box.columns < 1 || box.row < 0 || box.column < 0 || box.row + box.rows > MAX_ROWS || box.column + box.columns > MAX_COLUMNS) {
      fail('InvalidArgument', `The range (row ${box.row}, column ${box.column}, ${box.rows} x ${box.columns}) is outside the worksheet.`);
    }
    if (!sheets.includes(box.sheet)) fail('ItemNotFound', `The worksheet '${box.sheet.name}' no longer exists.`);
    return box;
  }

  /** A 2-D array that fits the box, or a 1x1 array to apply to every cell (Excel's rule). */
  function checkShape(box: Box, data: unknown, what: string): unknown[][] {
    if (!Array.isArray(data) || !data.every((row) => Array.isArray(row))) fail('InvalidArgument', `${what} must be a two-dimensional array.`);
    const rows = data as unknown[][];
    const single = rows.length === 1 && rows[0].length === 1;
    if (!single && (rows.length !== box.rows || rows.some((row) => row.length !== box.columns))) {
      fail('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: ${rows.length} x ${rows[0]?.length ?? 0} for ${box.rows} x ${box.columns}).`);
    }
    return rows;
  }

  function eachCell(box: Box, visit: (row: number, column: number, i: number, j: number) => void) {
    for (let i = 0; i < box.rows; i++) for (let j = 0; j < box.columns; j++) visit(box.row + i, box.column + j, i, j);
  }

  /**
   * Writes values. `entered`: they arrive as through Range.values/formulas, so text is parsed
   * (see parseEnteredText) unless the cell is formatted as Text; copies (copyFrom) are not parsed.
   */
  function writeValues(box: Box, rows: unknown[][], entered = false) {
    const single = rows.length === 1 && rows[0].length === 1;
    eachCell(box, (r, c, i, j) => {
      const value = (single ? rows[0][0] : rows[i][j]) as Cell | null;
      if (typeof value === 'number' && !Number.isFinite(value)) {
        fail('InvalidArgument', `A cell cannot hold ${value}: Excel has no NaN or Infinity.`);
      }
      const cell = box.sheet.cells.get(key(r, c));
      if (value === '' || value === null || value === undefined) {
        if (cell) {
          delete cell.formula;
          if (!isStyled(cell)) box.sheet.cells.delete(key(r, c));
          else cell.value = '';
        }
        return;
      }
      const data: Pick<CellData, 'value' | 'formula'> =
        entered && typeof value === 'string' && cell?.format !== '@' ? parseEnteredText(value, date1904) : { value };
      if (cell) {
        cell.value = data.value;
        if (data.formula === undefined) delete cell.formula;
        else cell.formula = data.formula;
      } else {
        box.sheet.cells.set(key(r, c), { ...data });
      }
    });
  }

  function readFormulas(box: Box): Cell[][] {
    const out: Cell[][] = [];
    for (let i = 0; i < box.rows; i++) {
      const row: Cell[] = [];
      for (let j = 0; j < box.columns; j++) {
        const cell = box.sheet.cells.get(key(box.row + i, box.column + j));
        row.push(cell?.formula ?? cell?.value ?? '');
      }
      out.push(row);
    }
    return out;
  }

  /** Autofit as Excel does it: to the widest content anywhere in each column, not only the range. */
  function autofit(box: Box) {
    for (let c = box.column; c < box.column + box.columns; c++) {
      let width = 0;
      for (const [k, cell] of box.sheet.cells) {
        if (k % MAX_COLUMNS === c && cell.value !== '') width = Math.max(width, contentWidth(cell));
      }
      box.sheet.widths.set(c, width === 0 ? DEFAULT_COLUMN_WIDTH : Math.min(width, 409));
    }
  }

  function readValues(box: Box): Cell[][] {
    const out: Cell[][] = [];
    for (let i = 0; i < box.rows; i++) {
      const row: Cell[] = [];
      for (let j = 0; j < box.columns; j++) row.push(box.sheet.cells.get(key(box.row + i, box.column + j))?.value ?? '');
      out.push(row);
    }
    return out;
  }

  function usedBox(box: Box, valuesOnly: boolean): Box | undefined {
    let top = Infinity, left = Infinity, bottom = -1, right = -1;
    for (const [k, cell] of box.sheet.cells) {
      if (valuesOnly && cell.value === '') continue;
      const r = Math.floor(k / MAX_COLUMNS);
      const c = k % MAX_COLUMNS;
      if (r < box.row || r >= box.row + box.rows || c < box.column || c >= box.column + box.columns) continue;
      top = Math.min(top, r); left = Math.min(left, c); bottom = Math.max(bottom, r); right = Math.max(right, c);
    }
    return bottom < 0 ? undefined : { sheet: box.sheet, row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
  }

  // ---- proxies -------------------------------------------------------------------------------

  function rangeProxy(locate: () => Box | undefined): Record<string, unknown> {
    const box = () => checkBox(locate() ?? fail('InvalidReference', 'This range does not exist.'));
    const range: Record<string, unknown> = {};
    /** A 2-D property written on sync: checked against the range's shape (as Excel does), then applied. */
    const gridProperty = (name: 'values' | 'formulas' | 'numberFormat', apply: (b: Box, rows: unknown[][]) => void, get?: () => unknown) =>
      Object.defineProperty(range, name, {
        enumerable: true,
        configurable: true,
        set(data: unknown) {
          countBytes(data);
          queue.push(() => {
            const b = box();
            apply(b, checkShape(b, data, name));
          });
        },
        get,
      });
    let loadedValues = (): unknown => fail('PropertyNotLoaded', "The property 'values' of Range is not available. Before reading it, call load() on the object and sync().");
    let loadedFormulas = (): unknown => fail('PropertyNotLoaded', "The property 'formulas' of Range is not available. Before reading it, call load() on the object and sync().");
    gridProperty('values', (b, rows) => writeValues(b, rows, true), () => loadedValues());
    gridProperty('formulas', (b, rows) => writeValues(b, rows, true), () => loadedFormulas());
    gridProperty('numberFormat', (b, rows) => {
      const single = rows.length === 1 && rows[0].length === 1;
      eachCell(b, (r, c, i, j) => styleCell(b.sheet, r, c, { format: String(single ? rows[0][0] : rows[i][j]) }));
    });
    loadable(range, 'Range', {
      address: () => boxAddress(box()),
      rowIndex: () => box().row,
      columnIndex: () => box().column,
      rowCount: () => box().rows,
      columnCount: () => box().columns,
    }, enqueue);
    // 'values' is loadable too, but through the accessor above.
    const baseLoad = range.load as (what?: string | string[]) => unknown;
    range.load = (what?: string | string[]) => {
      const names = what === undefined ? ['address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount', 'values', 'formulas'] : (Array.isArray(what) ? what : what.split(',')).map((n) => n.trim());
      if (names.includes('values')) {
        queue.push(() => {
          const snapshot = readValues(box());
          loadedValues = () => snapshot;
        });
      }
      if (names.includes('formulas')) {
        queue.push(() => {
          const snapshot = readFormulas(box());
          loadedFormulas = () => snapshot;
        });
      }
      const rest = names.filter((n) => n !== 'values' && n !== 'formulas');
      if (rest.length > 0) baseLoad(rest);
      return range;
    };
    /** A look set on every cell of the range (whole columns and rows are not styled cell by cell here). */
    const lookSetter = (name: string) => ({
      enumerable: true,
      set(value: unknown) {
        queue.push(() => {
          const b = box();
          if (b.rows * b.columns > 1_000_000) return;
          eachCell(b, (r, c) => styleCell(b.sheet, r, c, { look: { [name]: value } }));
        });
      },
    });
    const font = Object.defineProperty({}, 'bold', {
      enumerable: true,
      set(bold: boolean) {
        queue.push(() => {
          const b = box();
          eachCell(b, (r, c) => styleCell(b.sheet, r, c, { bold }));
        });
      },
    });
    for (const name of ['size', 'color', 'italic']) Object.defineProperty(font, name, lookSetter(`font.${name}`));
    range.format = {
      font,
      fill: Object.defineProperty({}, 'color', lookSetter('fill')),
      autofitColumns: () => {
        queue.push(() => autofit(box()));
      },
    };
    range.conditionalFormats = {
      add: (type: string) => {
        const record: NonNullable<SheetData['conditionalFormats']>[number] = { address: '', type };
        queue.push(() => {
          const b = box();
          record.address = boxAddress(b);
          (b.sheet.conditionalFormats ??= []).push(record);
        });
        const setter = (apply: (value: string) => void) => ({ enumerable: true, set: apply });
        return {
          custom: {
            rule: Object.defineProperty({}, 'formula', setter((v) => (record.formula = v))),
            format: {
              fill: Object.defineProperty({}, 'color', setter((v) => (record.fill = v))),
              font: Object.defineProperty({}, 'color', setter((v) => (record.font = v))),
            },
          },
        };
      },
    };
    Object.defineProperty(range.format, 'columnWidth', {
      enumerable: true,
      set(points: number) {
        queue.push(() => {
          const b = box();
          if (!(points >= 0 && points <= 409)) fail('InvalidArgument', `A column width must be 0 to 409 points, not ${points}.`);
          for (let c = b.column; c < b.column + b.columns; c++) b.sheet.widths.set(c, points);
        });
      },
    });
    range.calculate = () => {
      queue.push(() => {
        const b = box();
        calculations.push(`range:${boxAddress(b)}`);
      });
    };
    range.copyFrom = (source: { __box?: () => Box }, copyType?: string) => {
      if (typeof source?.__box !== 'function') fail('InvalidArgument', 'copyFrom needs a Range from this workbook.');
      if (copyType !== undefined && copyType !== 'Values' && copyType !== 'All') fail('InvalidArgument', `copyFrom type ${copyType} is not supported here.`);
      queue.push(() => {
        const from = source.__box!();
        const to = box();
        const target = to.rows === 1 && to.columns === 1 ? { ...to, rows: from.rows, columns: from.columns } : to;
        if (target.rows !== from.rows || target.columns !== from.columns) {
          fail('InvalidArgument', `copyFrom: the destination (${target.rows} x ${target.columns}) does not match the source (${from.rows} x ${from.columns}).`);
        }
        writeValues(checkBox(target), readValues(from));
      });
    };
    range.clear = (applyTo?: string) => {
      queue.push(() => {
        const b = box();
        eachCell(b, (r, c) => {
          const cell = b.sheet.cells.get(key(r, c));
          if (!cell) return;
          if (applyTo === 'Contents') {
            cell.value = '';
            if (!isStyled(cell)) b.sheet.cells.delete(key(r, c));
          } else {
            b.sheet.cells.delete(key(r, c));
          }
        });
      });
    };
    range.getResizedRange = (deltaRows: number, deltaColumns: number) =>
      rangeProxy(() => {
        const b = box();
        return { ...b, rows: b.rows + deltaRows, columns: b.columns + deltaColumns };
      });
    range.getUsedRangeOrNullObject = (valuesOnly?: boolean) => {
      let found: Box | undefined;
      const used = rangeProxy(() => found);
      let resolved = false;
      used.__missing = () => found === undefined;
      queue.push(() => {
        found = usedBox(box(), valuesOnly === true);
        resolved = true;
      });
      Object.defineProperty(used, 'isNullObject', {
        get: () => (resolved ? found === undefined : fail('PropertyNotLoaded', 'isNullObject is known only after sync().')),
      });
      return used;
    };
    range.getSpecialCellsOrNullObject = (cellType: string) => specialCells(locate, cellType);
    range.__box = box;
    return range;
  }

  /**
   * Range.getSpecialCellsOrNullObject('Formulas'), as a RangeAreas whose `areas.items` (one per
   * formula cell here) carry `formulas` and `address` once `areas.load(...)` and a sync ran.
   */
  function specialCells(locate: () => Box | undefined, cellType: string): Record<string, unknown> {
    if (cellType !== 'Formulas') fail('InvalidArgument', `getSpecialCells(${cellType}) is not supported here.`);
    let found: Array<{ formulas: Cell[][]; address: string }> | undefined;
    let resolved = false;
    let loaded = false;
    queue.push(() => {
      resolved = true;
      const b = locate();
      if (!b) return;
      const cells: Array<{ formulas: Cell[][]; address: string }> = [];
      for (const [k, cell] of b.sheet.cells) {
        const r = Math.floor(k / MAX_COLUMNS);
        const c = k % MAX_COLUMNS;
        if (cell.formula === undefined || r < b.row || r >= b.row + b.rows || c < b.column || c >= b.column + b.columns) continue;
        cells.push({ formulas: [[cell.formula]], address: boxAddress({ sheet: b.sheet, row: r, column: c, rows: 1, columns: 1 }) });
      }
      found = cells.length > 0 ? cells : undefined;
    });
    const areas = {
      load: () => {
        queue.push(() => {
          loaded = true;
        });
        return areas;
      },
      get items() {
        if (!loaded) fail('PropertyNotLoaded', "The property 'items' of RangeCollection is not available. Before reading it, call load() and sync().");
        return found ?? [];
      },
    };
    const proxy: Record<string, unknown> = { areas };
    Object.defineProperty(proxy, 'isNullObject', {
      get: () => (resolved ? found === undefined : fail('PropertyNotLoaded', 'isNullObject is known only after sync().')),
    });
    return proxy;
  }

  function sheetProxy(locate: () => SheetData | undefined): Record<string, unknown> {
    const sheet = () => locate() ?? fail('ItemNotFound', 'The worksheet does not exist.');
    const proxy: Record<string, unknown> = {};
    loadable(proxy, 'Worksheet', { name: () => sheet().name, visibility: () => sheet().visibility }, enqueue);
    const visibilityGetter = Object.getOwnPropertyDescriptor(proxy, 'visibility')!.get;
    Object.defineProperty(proxy, 'visibility', {
      enumerable: true,
      get: visibilityGetter,
      set(visibility: SheetData['visibility']) {
        queue.push(() => {
          const s = sheet();
          if (visibility !== 'Visible' && sheets.filter((x) => x.visibility === 'Visible' && x !== s).length === 0) {
            fail('InvalidOperation', 'A workbook must keep at least one visible worksheet.');
          }
          s.visibility = visibility;
          if (active === s && visibility !== 'Visible') active = sheets.find((x) => x.visibility === 'Visible')!;
        });
      },
    });
    proxy.getRangeByIndexes = (row: number, column: number, rows: number, columns: number) =>
      rangeProxy(() => ({ sheet: sheet(), row, column, rows, columns }));
    proxy.delete = () => {
      queue.push(() => {
        const s = sheet();
        if (sheets.filter((x) => x.visibility === 'Visible' && x !== s).length === 0) {
          fail('InvalidOperation', 'A workbook must keep at least one visible worksheet.');
        }
        sheets.splice(sheets.indexOf(s), 1);
        for (let i = tables.length - 1; i >= 0; i--) if (tables[i].sheet === s) tables.splice(i, 1);
        for (let i = charts.length - 1; i >= 0; i--) if (charts[i].sheet === s) charts.splice(i, 1);
        if (active === s) active = sheets.find((x) => x.visibility === 'Visible')!;
      });
    };
    /** Worksheet.getRange() without an address: the whole sheet (addresses are not supported here). */
    proxy.getRange = (address?: string) => {
      if (address === undefined) return rangeProxy(() => ({ sheet: sheet(), row: 0, column: 0, rows: MAX_ROWS, columns: MAX_COLUMNS }));
      const place = parseCellAddress(address) ?? fail('InvalidArgument', `The address '${address}' is not valid here (use A1, A1:C9 or A:C).`);
      return rangeProxy(() => ({ sheet: sheet(), ...place }));
    };
    proxy.freezePanes = {
      freezeRows: (count: number) => {
        queue.push(() => {
          sheet().frozenRows = count;
        });
      },
    };
    proxy.getUsedRangeOrNullObject = (valuesOnly?: boolean) => {
      const whole = rangeProxy(() => ({ sheet: sheet(), row: 0, column: 0, rows: MAX_ROWS, columns: MAX_COLUMNS }));
      return (whole.getUsedRangeOrNullObject as (v?: boolean) => unknown)(valuesOnly);
    };
    proxy.getNextOrNullObject = () => {
      let next: SheetData | undefined;
      queue.push(() => {
        next = sheets[sheets.indexOf(sheet()) + 1];
      });
      return nullable(sheetProxy(() => next), () => next !== undefined);
    };
    proxy.calculate = (markAllDirty: boolean) => {
      queue.push(() => {
        calculations.push(`sheet:${sheet().name}${markAllDirty ? ':all' : ''}`);
      });
    };
    proxy.copy = () => {
      let created: SheetData | undefined;
      queue.push(() => {
        created = copySheet(sheet());
      });
      return sheetProxy(() => created);
    };
    proxy.activate = () => {
      queue.push(() => {
        const s = sheet();
        if (s.visibility !== 'Visible') fail('InvalidOperation', 'A hidden worksheet cannot be activated.');
        active = s;
        activeCell = { row: 0, column: 0 };
      });
    };
    proxy.tables = {
      add: (where: { __box?: () => Box } | string, hasHeaders: boolean) => {
        if (typeof where !== 'string' && typeof where?.__box !== 'function') fail('InvalidArgument', 'tables.add needs a Range or an address.');
        let created: TableData | undefined;
        queue.push(() => {
          const b = typeof where === 'string' ? addressBox(where) : (where as { __box: () => Box }).__box();
          if (b.sheet !== sheet()) fail('InvalidArgument', 'The range is on another worksheet.');
          if (!hasHeaders) fail('InvalidArgument', 'Tables without a header row are not supported here.');
          if (b.rows < 2) fail('InvalidArgument', 'A table needs a header row and at least one data row.');
          if (tables.some((t) => overlaps(tableBox(t), b))) fail('InvalidOperation', "A table can't overlap another table.");
          if ((b.sheet.merged ?? []).some((m) => overlaps(m, b))) fail('InvalidOperation', "A table can't overlap a range that contains merged cells.");
          let n = tables.length + 1;
          while (findTable(`Table${n}`)) n++;
          created = { id: String(nextTableId++), name: `Table${n}`, sheet: b.sheet, top: b.row, left: b.column, rows: b.rows - 1, columns: b.columns, style: 'TableStyleMedium2' };
          tables.push(created);
        });
        return tableProxy(() => created);
      },
    };
    proxy.charts = { add: (type: string, source: { __box?: () => Box }, seriesBy?: string) => chartProxy(sheet, type, source, seriesBy) };
    proxy.__sheet = sheet;
    return proxy;
  }

  /** Worksheet.charts.add: a chart over a range of this sheet, titled and placed at sync. */
  function chartProxy(sheet: () => SheetData, type: string, source: { __box?: () => Box }, seriesBy?: string): Record<string, unknown> {
    if (typeof source?.__box !== 'function') fail('InvalidArgument', 'charts.add needs a Range here.');
    let created: ChartData | undefined;
    queue.push(() => {
      const b = source.__box!();
      if (b.sheet !== sheet()) fail('InvalidArgument', 'The chart data is on another worksheet.');
      if (seriesBy !== undefined && seriesBy !== 'Columns' && seriesBy !== 'Auto') fail('InvalidArgument', `Series by ${seriesBy} is not supported here.`);
      created = { sheet: b.sheet, type, title: '', source: { row: b.row, column: b.column, rows: b.rows, columns: b.columns }, position: { row: 0, column: 0, endRow: 7, endColumn: 14 } };
      charts.push(created);
    });
    const chart = () => created ?? fail('ItemNotFound', 'The chart does not exist.');
    const title = Object.defineProperty({}, 'text', { enumerable: true, set: (text: string) => queue.push(() => void (chart().title = text)) });
    return {
      title,
      legend: Object.defineProperty({}, 'position', { enumerable: true, set: () => undefined }),
      setPosition: (start: { __box?: () => Box }, end?: { __box?: () => Box }) => {
        queue.push(() => {
          const a = start.__box!();
          const z = end?.__box?.() ?? a;
          chart().position = { row: a.row, column: a.column, endRow: z.row + z.rows - 1, endColumn: z.column + z.columns - 1 };
        });
      },
    };
  }

  function tableProxy(locate: () => TableData | undefined): Record<string, unknown> {
    const table = () => locate() ?? fail('ItemNotFound', 'The table does not exist.');
    const proxy: Record<string, unknown> = {};
    const loadableProxy = loadable(proxy, 'Table', { name: () => table().name, id: () => table().id }, enqueue);
    const nameAccessor = Object.getOwnPropertyDescriptor(loadableProxy, 'name')!;
    Object.defineProperty(proxy, 'name', {
      enumerable: true,
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the accessor is moved onto the same object, unchanged
      get: nameAccessor.get,
      set(name: string) {
        queue.push(() => {
          if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name)) fail('InvalidArgument', `'${name}' is not a valid table name.`);
          const other = findTable(name);
          if (other && other !== table()) fail('InvalidArgument', `A table named '${name}' already exists.`);
          table().name = name;
        });
      },
    });
    Object.defineProperty(proxy, 'style', {
      enumerable: true,
      set(style: string) {
        queue.push(() => {
          table().style = style;
        });
      },
    });
    proxy.worksheet = sheetProxy(() => table().sheet);
    proxy.getHeaderRowRange = () => rangeProxy(() => ({ ...tableBox(table()), rows: 1 }));
    proxy.getDataBodyRange = () => rangeProxy(() => ({ ...tableBox(table()), row: table().top + 1, rows: table().rows }));
    proxy.getRange = () => rangeProxy(() => tableBox(table()));
    proxy.columns = {
      /** A column by its header text. */
      getItem: (name: string) => {
        const column = () => {
          const t = table();
          for (let j = 0; j < t.columns; j++) if (t.sheet.cells.get(key(t.top, t.left + j))?.value === name) return j;
          return fail('ItemNotFound', `The table ${t.name} has no column '${name}'.`);
        };
        return {
          getDataBodyRange: () => rangeProxy(() => ({ sheet: table().sheet, row: table().top + 1, column: table().left + column(), rows: table().rows, columns: 1 })),
        };
      },
    };
    proxy.resize = (where: { __box?: () => Box }) => {
      if (typeof where?.__box !== 'function') fail('InvalidArgument', 'resize needs a Range here.');
      queue.push(() => {
        const t = table();
        const b = where.__box!();
        if (b.sheet !== t.sheet || b.row !== t.top) fail('InvalidArgument', 'The header row must remain in the same row when a table is resized.');
        if (!overlaps(b, tableBox(t))) fail('InvalidArgument', 'The resized table must overlap the original one.');
        if (b.rows < 2) fail('InvalidArgument', 'A table needs a header row and at least one data row.');
        if (tables.some((other) => other !== t && overlaps(tableBox(other), b))) fail('InvalidOperation', "A table can't overlap another table.");
        if ((t.sheet.merged ?? []).some((m) => overlaps(m, b))) fail('InvalidOperation', "A table can't overlap a range that contains merged cells.");
        t.left = b.column;
        t.rows = b.rows - 1;
        t.columns = b.columns;
      });
    };
    proxy.delete = () => {
      queue.push(() => {
        tables.splice(tables.indexOf(table()), 1);
      });
    };
    return proxy;
  }

  function nullable(proxy: Record<string, unknown>, exists: () => boolean): Record<string, unknown> {
    let state: boolean | undefined;
    proxy.__missing = () => !exists();
    queue.push(() => {
      state = exists();
    });
    Object.defineProperty(proxy, 'isNullObject', {
      get: () => (state === undefined ? fail('PropertyNotLoaded', 'isNullObject is known only after sync().') : !state),
    });
    return proxy;
  }

  /** A full address, `'Sheet name'!A1:C9` or `Sheet1!A1`, as a box. */
  function addressBox(address: string): Box {
    const bang = address.lastIndexOf('!');
    if (bang < 0) fail('InvalidArgument', `The address '${address}' names no worksheet.`);
    const name = address.slice(0, bang).replace(/^'|'$/g, '').replace(/''/g, "'");
    const sheet = findSheet(name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`);
    const place = parseCellAddress(address.slice(bang + 1)) ?? fail('InvalidArgument', `The address '${address}' is not valid.`);
    return checkBox({ sheet, ...place });
  }

  /** Worksheet.copy: the copy goes after the original; its tables get new ids and names, as in Excel. */
  function copySheet(original: SheetData): SheetData {
    let n = 2;
    while (findSheet(`${original.name} (${n})`)) n++;
    const copy: SheetData = {
      name: `${original.name} (${n})`,
      visibility: original.visibility,
      cells: new Map([...original.cells].map(([k, cell]) => [k, { ...cell }])),
      widths: new Map(original.widths),
    };
    sheets.splice(sheets.indexOf(original) + 1, 0, copy);
    for (const t of tables.filter((x) => x.sheet === original)) {
      let m = 2;
      while (findTable(`${t.name}${m}`)) m++;
      tables.push({ ...t, id: String(nextTableId++), name: `${t.name}${m}`, sheet: copy });
    }
    return copy;
  }

  /** A ClientResult: `value` readable after a sync. */
  function clientResult<T>(compute: () => T): { value: T } {
    let state: { value: T } | undefined;
    queue.push(() => {
      state = { value: compute() };
    });
    return {
      get value(): T {
        return state ? state.value : fail('PropertyNotLoaded', 'The value is known only after sync().');
      },
    };
  }

  // ---- collections (methods only) ----------------------------------------------------------

  const worksheets = {
    add: (name?: string) => {
      let created: SheetData | undefined;
      queue.push(() => {
        let sheetName = name;
        if (sheetName === undefined) {
          let n = sheets.length + 1;
          while (findSheet(`Sheet${n}`)) n++;
          sheetName = `Sheet${n}`;
        }
        if (sheetName.length > 31 || /[:\\/?*[\]]/.test(sheetName)) fail('InvalidArgument', `'${sheetName}' is not a valid worksheet name.`);
        if (findSheet(sheetName)) fail('ItemAlreadyExists', `A worksheet named '${sheetName}' already exists.`);
        created = { name: sheetName, visibility: 'Visible', cells: new Map(), widths: new Map() };
        sheets.push(created);
      });
      return sheetProxy(() => created);
    },
    getItem: (name: string) => sheetProxy(() => findSheet(name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`)),
    getItemOrNullObject: (name: string) => nullable(sheetProxy(() => findSheet(name)), () => findSheet(name) !== undefined),
    getFirst: () => sheetProxy(() => sheets[0]),
    getActiveWorksheet: () => {
      let sheet: SheetData | undefined;
      queue.push(() => {
        sheet = active;
      });
      return sheetProxy(() => sheet);
    },
  };

  const workbookTables = {
    getItem: (name: string) => tableProxy(() => findTableByKey(name) ?? fail('ItemNotFound', `There is no table named '${name}'.`)),
    getItemOrNullObject: (name: string) => nullable(tableProxy(() => findTableByKey(name)), () => findTableByKey(name) !== undefined),
    getCount: () => clientResult(() => tables.length),
    getItemAt: (index: number) => tableProxy(() => tables[index] ?? fail('ItemNotFound', `There is no table at position ${index}.`)),
  };

  const workbookSettings = {
    add: (k: string, value: unknown) => {
      const stored = JSON.parse(JSON.stringify(value)) as unknown; // settings hold JSON only
      countBytes(stored);
      queue.push(() => {
        settings.set(k, stored);
      });
    },
    getItem: (k: string) => {
      const proxy: Record<string, unknown> = {};
      const exists = () => settings.has(k) || fail('ItemNotFound', `There is no setting '${k}'.`);
      loadable(proxy, 'Setting', { value: () => exists() && settings.get(k), key: () => k }, enqueue);
      proxy.delete = () => {
        queue.push(() => {
          exists();
          settings.delete(k);
        });
      };
      return proxy;
    },
    getItemOrNullObject: (k: string) => {
      const proxy: Record<string, unknown> = {};
      loadable(proxy, 'Setting', { value: () => settings.get(k), key: () => k }, enqueue);
      proxy.delete = () => {
        queue.push(() => {
          settings.delete(k);
        });
      };
      return nullable(proxy, () => settings.has(k));
    },
  };

  const application = {
    suspendApiCalculationUntilNextSync: () => undefined,
    /** Recalculates every open workbook in real Excel; recorded here. */
    calculate: (type: string) => {
      queue.push(() => {
        calculations.push(`application:${type}`);
      });
    },
  };

  /** Worksheet functions (ExcelApi 1.2); DATE() follows the workbook's date system. */
  const functions = {
    date: (year: number, month: number, day: number) => {
      const result: Record<string, unknown> = {};
      const serial = () => Date.UTC(year, month - 1, day) / 86_400_000 + 25_569 - (date1904 ? DAYS_1900_TO_1904 : 0);
      return loadable(result, 'FunctionResult', { value: serial, error: () => null }, enqueue);
    },
  };

  const getActiveCell = () => {
    let box: Box | undefined;
    queue.push(() => {
      box = { sheet: active, row: activeCell.row, column: activeCell.column, rows: 1, columns: 1 };
    });
    return rangeProxy(() => box);
  };

  async function sync(options: { delayForCellEdit?: boolean } = {}): Promise<void> {
    if (cellEditing && options.delayForCellEdit !== true) {
      // Real Excel rejects the whole batch; the queued commands stay queued for no one.
      queue = [];
      pendingBytes = 0;
      throw new MemoryExcelError('InvalidOperationInCellEditMode', 'Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.');
    }
    const ops = queue;
    const bytes = pendingBytes;
    queue = [];
    pendingBytes = 0;
    stats.syncs++;
    if (bytes > 0) stats.requestBytes.push(bytes);
    if (nextFailure) {
      const error = nextFailure;
      nextFailure = undefined;
      throw error;
    }
    if (bytes > REQUEST_LIMIT_BYTES) {
      throw new MemoryExcelError('RequestPayloadSizeLimitExceeded', `The request payload size (${bytes} bytes) has exceeded the limit of ${REQUEST_LIMIT_BYTES} bytes.`);
    }
    try {
      for (const op of ops) op();
    } finally {
      for (const listener of listeners) listener();
    }
  }

  const workbook = { worksheets, tables: workbookTables, settings: workbookSettings, application, functions, getActiveCell };
  const context = { workbook, sync: () => sync() };

  const requireSheet = (name: string) => findSheet(name) ?? fail('ItemNotFound', `There is no worksheet named '${name}'.`);
  const requireTable = (name: string) => findTable(name) ?? fail('ItemNotFound', `There is no table named '${name}'.`);

  const view: WorkbookView = {
    sheetNames: (includeHidden = false) => sheets.filter((s) => includeHidden || s.visibility === 'Visible').map((s) => s.name),
    activeSheetName: () => active.name,
    cell: (sheet, row, column) => requireSheet(sheet).cells.get(key(row, column))?.value ?? '',
    cellFormat: (sheet, row, column) => requireSheet(sheet).cells.get(key(row, column))?.format,
    cellBold: (sheet, row, column) => requireSheet(sheet).cells.get(key(row, column))?.bold === true,
    usedSize: (sheet) => {
      let rows = 0;
      let columns = 0;
      for (const [k, cell] of requireSheet(sheet).cells) {
        if (cell.value === '') continue;
        rows = Math.max(rows, Math.floor(k / MAX_COLUMNS) + 1);
        columns = Math.max(columns, (k % MAX_COLUMNS) + 1);
      }
      return { rows, columns };
    },
    tableNames: () => tables.map((t) => t.name),
    tableInfo: (name) => {
      const t = findTable(name);
      return t && { id: t.id, sheet: t.sheet.name, row: t.top, column: t.left, rows: t.rows + 1, columns: t.columns, address: boxAddress(tableBox(t)) };
    },
    tableValues: (name) => readValues(tableBox(requireTable(name))),
    charts: (sheet) => charts.filter((c) => c.sheet === requireSheet(sheet)).map((c) => ({ type: c.type, title: c.title, source: { ...c.source }, position: { ...c.position } })),
    tableFormats: (name) => {
      const t = requireTable(name);
      const out: Array<Array<string | undefined>> = [];
      for (let i = 1; i <= t.rows; i++) {
        const row: Array<string | undefined> = [];
        for (let j = 0; j < t.columns; j++) row.push(t.sheet.cells.get(key(t.top + i, t.left + j))?.format);
        out.push(row);
      }
      return out;
    },
    settings: () => Object.fromEntries(settings),
    stats,
    select: (sheet, row, column) => {
      const s = requireSheet(sheet);
      if (s.visibility !== 'Visible') fail('InvalidOperation', 'A hidden worksheet cannot be selected.');
      active = s;
      activeCell = { row, column };
    },
    failNextSync: (error) => {
      nextFailure = error;
    },
    onChange: (listener) => {
      listeners.push(listener);
    },
    columnWidth: (sheet, column) => requireSheet(sheet).widths.get(column) ?? DEFAULT_COLUMN_WIDTH,
    cellFormula: (sheet, row, column) => requireSheet(sheet).cells.get(key(row, column))?.formula,
    calculations: () => [...calculations],
    setCellEditing: (editing) => {
      cellEditing = editing;
    },
    renameTable: (name, newName) => {
      requireTable(name).name = newName;
    },
    copySheet: (name) => copySheet(requireSheet(name)).name,
    frozenRows: (sheet) => requireSheet(sheet).frozenRows ?? 0,
    merge: (sheet, row, column, rows, columns) => {
      const s = requireSheet(sheet);
      (s.merged ??= []).push({ sheet: s, row, column, rows, columns });
    },
    type: (sheet, row, column, text) => {
      writeValues({ sheet: requireSheet(sheet), row, column, rows: 1, columns: 1 }, [[text]], true);
    },
  };

  return {
    context,
    view,
    async run<T>(
      first: { delayForCellEdit?: boolean } | ((context: Excel.RequestContext) => Promise<T>),
      second?: (context: Excel.RequestContext) => Promise<T>,
    ): Promise<T> {
      const batch = typeof first === 'function' ? first : second!;
      const options = typeof first === 'function' ? {} : first;
      const runContext = { workbook, sync: () => sync(options) };
      const result = await batch(runContext as unknown as Excel.RequestContext);
      await runContext.sync();
      return result;
    },
  };
}
