/**
 * Calculates the formulas of a workbook snapshot (view.snapshot(): cells by A1 address, tables by
 * address) with the formula engine and the caller's DCS functions: what Excel would show in each
 * formula cell. Preview mode writes the results back into its workbook (view.showCalculated), so
 * the Bill check sheet can be tried without Excel; the browser test calculates the snapshot it
 * takes out of the page the same way.
 */
import { columnLetters, columnOfLetters } from './excel-model/addresses';
import type { WorkbookSnapshot } from './excel-model/snapshot';
import { ExcelErrorValue, type Value } from './formula';
import { SheetCalculation, type CalculatedTable, type CustomFunction } from './sheet-calculation';

/** A calculated formula cell: its sheet, A1 address and value. */
export interface CalculatedCell {
  sheet: string;
  address: string;
  value: Value;
}

function bounds(address: string): { left: number; top: number; right: number; bottom: number } {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(address.slice(address.lastIndexOf('!') + 1).replace(/\$/g, ''));
  if (!m) throw new Error(`not a range: ${address}`);
  return { left: columnOfLetters(m[1]), top: Number(m[2]), right: columnOfLetters(m[3]), bottom: Number(m[4]) };
}

const contentOf = (cell: { value?: unknown; formula?: string } | undefined): Value =>
  cell?.formula ?? (cell?.value === undefined ? null : (cell.value as Value));

/** Every table of the workbook as the engine reads it (header row, then constants and formulas). */
function tablesOf(workbook: WorkbookSnapshot): Array<CalculatedTable & { sheet: string; left: number; top: number }> {
  return workbook.tables.map((t) => {
    const sheet = workbook.sheets.find((s) => s.name === t.sheet);
    const { left, top, right, bottom } = bounds(t.address);
    const at = (row: number, column: number) => sheet?.cells[`${columnLetters(column)}${row}`];
    const headers = Array.from({ length: right - left + 1 }, (_, c) => String(at(top, left + c)?.value ?? ''));
    const rows = Array.from({ length: bottom - top }, (_, r) => headers.map((_h, c) => contentOf(at(top + 1 + r, left + c))));
    return { name: t.name, headers, rows, sheet: t.sheet, left, top };
  });
}

/** The value of every formula cell of the named sheets (all sheets when none are named). */
export async function calculateWorkbook(workbook: WorkbookSnapshot, functions: CustomFunction, sheets?: readonly string[]): Promise<CalculatedCell[]> {
  const tables = tablesOf(workbook);
  const results: CalculatedCell[] = [];
  for (const sheet of workbook.sheets.filter((s) => sheets === undefined || sheets.includes(s.name))) {
    const cells = Object.fromEntries(Object.entries(sheet.cells).map(([address, cell]) => [address, contentOf(cell)]));
    const calculation = new SheetCalculation(tables, cells, functions);
    const inTable = new Set<string>();
    for (const table of tables.filter((t) => t.sheet === sheet.name)) {
      const values = await calculation.table(table.name);
      table.rows.forEach((row, r) =>
        row.forEach((content, c) => {
          const address = `${columnLetters(table.left + c)}${table.top + 1 + r}`;
          inTable.add(address);
          if (typeof content === 'string' && content.startsWith('=')) results.push({ sheet: sheet.name, address, value: values[r][c] });
        }),
      );
    }
    for (const [address, cell] of Object.entries(sheet.cells)) {
      if (cell.formula !== undefined && !inTable.has(address)) results.push({ sheet: sheet.name, address, value: await calculation.cell(address) });
    }
  }
  return results;
}

/** A calculated value as a cell holds it: an error as its code (#N/A), a blank as "". */
export function shownValue(value: Value): string | number | boolean {
  if (value instanceof ExcelErrorValue) return value.code;
  return value ?? '';
}
