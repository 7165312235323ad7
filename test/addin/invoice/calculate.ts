/**
 * Calculates rows of the invoice-check table the way Excel would, from what the sheet holds:
 * each row's constants and formulas, the sheet's other cells, and the custom functions.
 * Used by the layout's unit test (with fake DCS functions) and by the end-to-end test (with the
 * add-in's real functions running in the browser).
 */
import { evaluateFormula, ExcelErrorValue, type Value } from '../../../addin/preview/formula';

/** Header name -> a constant or a formula (text starting with "="). */
export type SheetRow = Record<string, Value>;

export type CustomFunction = (name: string, args: Value[]) => Promise<Value>;

function formulaOf(content: Value): string | undefined {
  return typeof content === 'string' && content.startsWith('=') ? content : undefined;
}

/** Every cell of the row, formulas replaced by their results (each formula evaluated once). */
export async function calculateRow(row: SheetRow, sheetCell: (address: string) => Value, functions: CustomFunction): Promise<Record<string, Value>> {
  const done = new Map<string, Promise<Value>>();
  const columnValue = (column: string, seen: readonly string[]): Promise<Value> => {
    if (!(column in row)) return Promise.resolve(new ExcelErrorValue('#REF!', `no column ${column}`));
    if (seen.includes(column)) return Promise.resolve(new ExcelErrorValue('#CIRCULAR!', [...seen, column].join(' -> ')));
    let value = done.get(column);
    if (!value) {
      value = calculate(column, seen);
      done.set(column, value);
    }
    return value;
  };
  const calculate = async (column: string, seen: readonly string[]): Promise<Value> => {
    const content = row[column];
    const formula = formulaOf(content);
    if (formula === undefined) return content === '' ? null : content;
    const references = [...formula.matchAll(/\[@(?:\[([^\]]+)\]|([^\]]+))\]/g)].map((m) => m[1] ?? m[2]);
    const values: Record<string, Value> = {};
    for (const reference of references) values[reference] = await columnValue(reference, [...seen, column]);
    return evaluateFormula(formula, { structured: (c) => values[c], cell: sheetCell, call: functions });
  };
  const result: Record<string, Value> = {};
  for (const column of Object.keys(row)) result[column] = await columnValue(column, []);
  return result;
}
