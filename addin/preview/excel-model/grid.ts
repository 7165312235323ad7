import { parseEnteredText } from './entered-text';
import { fail } from './errors';
import { DEFAULT_COLUMN_WIDTH, MAX_COLUMNS, cellKey, type Box, type Cell, type CellData, type SheetData } from './model';

/** Cell-by-cell reading and writing of a box's contents and looks. */

/** True when a cell carries formatting, and so stays when its value is cleared. */
function isStyled(cell: CellData): boolean {
  return cell.format !== undefined || cell.bold === true || cell.look !== undefined;
}

/** Gives one cell a number format, boldness or another look, creating an empty cell to carry it. */
export function styleCell(
  sheet: SheetData,
  row: number,
  column: number,
  style: Pick<CellData, 'format'> | Pick<CellData, 'bold'> | { look: Record<string, unknown> },
): void {
  const cell = sheet.cells.get(cellKey(row, column));
  const merged = 'look' in style ? { look: { ...cell?.look, ...style.look } } : style;
  if (cell) Object.assign(cell, merged);
  else sheet.cells.set(cellKey(row, column), { value: '', ...merged });
}

/** About how wide Excel shows a cell's content, in points (Calibri 11: ~7 px a character). */
function contentWidth(cell: CellData): number {
  const shown = typeof cell.value === 'number' && cell.format && /[ymdhs]/i.test(cell.format) ? cell.format : String(cell.value);
  return shown.length * 5.25 + 4;
}

/** A 2-D array that fits the box, or a 1x1 array to apply to every cell (Excel's rule). */
export function checkShape(box: Box, data: unknown, what: string): unknown[][] {
  if (!Array.isArray(data) || !data.every((row) => Array.isArray(row))) fail('InvalidArgument', `${what} must be a two-dimensional array.`);
  const rows = data as unknown[][];
  const single = rows.length === 1 && rows[0].length === 1;
  if (!single && (rows.length !== box.rows || rows.some((row) => row.length !== box.columns))) {
    fail(
      'InvalidArgument',
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: ${rows.length} x ${rows[0]?.length ?? 0} for ${box.rows} x ${box.columns}).`,
    );
  }
  return rows;
}

export function eachCell(box: Box, visit: (row: number, column: number, i: number, j: number) => void): void {
  for (let i = 0; i < box.rows; i++) for (let j = 0; j < box.columns; j++) visit(box.row + i, box.column + j, i, j);
}

/** One cell of a written array: the single value of a 1x1 array goes to every cell. */
export const itemAt = (rows: unknown[][], i: number, j: number): unknown => (rows.length === 1 && rows[0].length === 1 ? rows[0][0] : rows[i][j]);

function clearValue(sheet: SheetData, row: number, column: number): void {
  const cell = sheet.cells.get(cellKey(row, column));
  if (!cell) return;
  delete cell.formula;
  if (!isStyled(cell)) sheet.cells.delete(cellKey(row, column));
  else cell.value = '';
}

/**
 * Writes values. `entered`: they arrive as through Range.values/formulas, so text is parsed
 * (see parseEnteredText) unless the cell is formatted as Text; copies (copyFrom) are not parsed.
 */
export function writeValues(box: Box, rows: unknown[][], options: { entered?: boolean; date1904?: boolean } = {}): void {
  eachCell(box, (r, c, i, j) => {
    const value = itemAt(rows, i, j) as Cell | null | undefined;
    if (typeof value === 'number' && !Number.isFinite(value)) fail('InvalidArgument', `A cell cannot hold ${value}: Excel has no NaN or Infinity.`);
    if (value === '' || value === null || value === undefined) return clearValue(box.sheet, r, c);
    const cell = box.sheet.cells.get(cellKey(r, c));
    const data: Pick<CellData, 'value' | 'formula'> =
      options.entered === true && typeof value === 'string' && cell?.format !== '@' ? parseEnteredText(value, options.date1904) : { value };
    if (!cell) return void box.sheet.cells.set(cellKey(r, c), { ...data });
    cell.value = data.value;
    if (data.formula === undefined) delete cell.formula;
    else cell.formula = data.formula;
  });
}

export type CopyType = 'All' | 'Values' | 'Formulas' | 'Formats';

/** The looks of a cell (what 'Formats' copies). */
const looksOf = (cell: CellData | undefined): Pick<CellData, 'format' | 'bold' | 'look'> => ({ format: cell?.format, bold: cell?.bold, look: cell?.look });

/**
 * Copies cells from one box to another of the same size (Range.copyFrom). The source is read
 * whole before anything is written, so overlapping boxes copy as Excel does.
 */
export function copyCells(from: Box, to: Box, copyType: CopyType): void {
  const source: Array<CellData | undefined> = [];
  eachCell(from, (r, c) => {
    const cell = from.sheet.cells.get(cellKey(r, c));
    source.push(cell && { ...cell, look: cell.look && { ...cell.look } });
  });
  let k = 0;
  eachCell(to, (r, c) => {
    const cell = source[k++];
    const old = to.sheet.cells.get(cellKey(r, c));
    const contents: Pick<CellData, 'value' | 'formula'> =
      copyType === 'Formats'
        ? { value: old?.value ?? '', formula: old?.formula }
        : { value: cell?.value ?? '', formula: copyType === 'Values' ? undefined : cell?.formula };
    const looks = copyType === 'All' || copyType === 'Formats' ? looksOf(cell) : looksOf(old);
    const next: CellData = { ...contents, ...looks };
    for (const key of Object.keys(next) as Array<keyof CellData>) if (next[key] === undefined) delete next[key];
    if (next.value === '' && next.formula === undefined && !isStyled(next)) to.sheet.cells.delete(cellKey(r, c));
    else to.sheet.cells.set(cellKey(r, c), next);
  });
}

/** Range.clear: 'Contents' keeps the cells' looks; anything else removes the cells. */
export function clearCells(box: Box, applyTo?: string): void {
  eachCell(box, (r, c) => {
    const cell = box.sheet.cells.get(cellKey(r, c));
    if (!cell) return;
    if (applyTo !== 'Contents' || !isStyled(cell)) return void box.sheet.cells.delete(cellKey(r, c));
    cell.value = '';
    delete cell.formula;
  });
}

function readCells(box: Box, read: (cell: CellData | undefined) => Cell): Cell[][] {
  const out: Cell[][] = [];
  for (let i = 0; i < box.rows; i++) {
    const row: Cell[] = [];
    for (let j = 0; j < box.columns; j++) row.push(read(box.sheet.cells.get(cellKey(box.row + i, box.column + j))));
    out.push(row);
  }
  return out;
}

export const readValues = (box: Box): Cell[][] => readCells(box, (cell) => cell?.value ?? '');
/** Range.formulas: a cell's formula, or its value when it holds none. */
export const readFormulas = (box: Box): Cell[][] => readCells(box, (cell) => cell?.formula ?? cell?.value ?? '');

/** Every cell of the box that holds something (with its row and column), in no particular order. */
export function* cellsIn(box: Box): Generator<{ row: number; column: number; cell: CellData }> {
  for (const [k, cell] of box.sheet.cells) {
    const row = Math.floor(k / MAX_COLUMNS);
    const column = k % MAX_COLUMNS;
    if (row >= box.row && row < box.row + box.rows && column >= box.column && column < box.column + box.columns) yield { row, column, cell };
  }
}

/** Autofit as Excel does it: to the widest content anywhere in each column, not only the range. */
export function autofit(box: Box): void {
  for (let c = box.column; c < box.column + box.columns; c++) {
    let width = 0;
    for (const [k, cell] of box.sheet.cells) {
      if (k % MAX_COLUMNS === c && cell.value !== '') width = Math.max(width, contentWidth(cell));
    }
    box.sheet.widths.set(c, width === 0 ? DEFAULT_COLUMN_WIDTH : Math.min(width, 409));
  }
}

/** The smallest box holding every used cell of `box` (`valuesOnly`: cells with a value), if any. */
export function usedBox(box: Box, valuesOnly: boolean): Box | undefined {
  let top = Infinity;
  let left = Infinity;
  let bottom = -1;
  let right = -1;
  for (const { row, column, cell } of cellsIn(box)) {
    if (valuesOnly && cell.value === '') continue;
    top = Math.min(top, row);
    left = Math.min(left, column);
    bottom = Math.max(bottom, row);
    right = Math.max(right, column);
  }
  return bottom < 0 ? undefined : { sheet: box.sheet, row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
}
