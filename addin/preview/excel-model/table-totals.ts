import { fail } from './errors';
import { cellsIn } from './grid';
import { cellKey, overlaps, tableBox, type Box, type CellData, type Model, type TableData } from './model';

/**
 * A table's Total Row (Table.showTotals, getTotalRowRange), as Excel keeps it: a row of its own
 * right below the data rows, inside the table's range (getRange) but not its data body
 * (getDataBodyRange). Excel fills it with "Total" in the first column and a SUBTOTAL of the last
 * column; it stays the table's last row when the table is resized, so a resize range that
 * includes it has one data row less than its height.
 */

/** Zero-based row of the total row, when the table shows one. */
export const totalRowIndex = (t: TableData): number | undefined => (t.totals === true ? t.top + 1 + t.rows : undefined);

export function totalRowBox(t: TableData): Box | undefined {
  const row = totalRowIndex(t);
  return row === undefined ? undefined : { sheet: t.sheet, row, column: t.left, rows: 1, columns: t.columns };
}

/** Table.showTotals = show. */
export function setShowTotals(model: Model, t: TableData, show: boolean): void {
  if (show === (t.totals === true)) return;
  if (!show) {
    removeRow(t, totalRowIndex(t)!, t.columns);
    t.totals = false;
    return;
  }
  const row: Box = { sheet: t.sheet, row: t.top + 1 + t.rows, column: t.left, rows: 1, columns: t.columns };
  if (model.tables.some((other) => other !== t && overlaps(tableBox(other), row))) fail('InvalidOperation', "A table can't overlap another table.");
  // Excel would push what is below down or ask; the model refuses rather than overwrite.
  if ([...cellsIn(row)].some(({ cell }) => cell.value !== ''))
    fail('InvalidOperation', 'The row below the table is not empty, so the total row cannot be shown.');
  t.totals = true;
  const header = (j: number) => String(t.sheet.cells.get(cellKey(t.top, t.left + j))?.value ?? '');
  if (t.columns > 1) t.sheet.cells.set(cellKey(row.row, t.left), { value: 'Total' });
  t.sheet.cells.set(cellKey(row.row, t.left + t.columns - 1), { value: 0, formula: `=SUBTOTAL(109,[${header(t.columns - 1)}])` });
  computeTotals(t);
}

/** Moves the total row's cells from `fromRow` to the table's current total row (after a resize), over `width` columns. */
export function moveTotalRow(t: TableData, fromRow: number, width: number): void {
  const toRow = totalRowIndex(t);
  if (toRow === undefined || toRow === fromRow) return computeTotals(t);
  const kept: Array<[number, CellData]> = [];
  for (let j = 0; j < width; j++) {
    const cell = t.sheet.cells.get(cellKey(fromRow, t.left + j));
    if (cell && j < t.columns) kept.push([j, cell]);
  }
  removeRow(t, fromRow, width);
  removeRow(t, toRow, t.columns);
  for (const [j, cell] of kept) t.sheet.cells.set(cellKey(toRow, t.left + j), cell);
  computeTotals(t);
}

function removeRow(t: TableData, row: number, width: number): void {
  for (let j = 0; j < width; j++) t.sheet.cells.delete(cellKey(row, t.left + j));
}

/**
 * The values of the total row's SUBTOTAL(109, [column]) cells: the sum of the column's numbers
 * (what Excel shows once it recalculates; the workbook runs this after every sync).
 */
export function computeTotals(t: TableData): void {
  const row = totalRowIndex(t);
  if (row === undefined) return;
  for (let j = 0; j < t.columns; j++) {
    const cell = t.sheet.cells.get(cellKey(row, t.left + j));
    const column = /^=SUBTOTAL\(109,\[(.+)\]\)$/i.exec(cell?.formula ?? '')?.[1];
    if (!cell || column === undefined) continue;
    const index = Array.from({ length: t.columns }, (_, k) => k).find((k) => t.sheet.cells.get(cellKey(t.top, t.left + k))?.value === column);
    if (index === undefined) {
      cell.value = '#REF!';
      continue;
    }
    let sum = 0;
    for (let i = 0; i < t.rows; i++) {
      const value = t.sheet.cells.get(cellKey(t.top + 1 + i, t.left + index))?.value;
      if (typeof value === 'number') sum += value;
    }
    cell.value = sum;
  }
}
