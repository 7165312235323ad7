/**
 * Calculates what a workbook's tables and cells hold, the way Excel would, with the formula
 * evaluator (formula.ts): each formula once, references to rows of the same table, to whole
 * columns of any table and to A1 cells followed wherever they lead, a loop shown as #CIRCULAR!.
 * The custom functions (DCS.*) are the caller's: the add-in's own function code in the preview
 * and the tests. Used by the preview workbook (preview-values.ts) and the Bill check tests.
 */
import { evaluateFormula, ExcelErrorValue, type Value } from './formula';

export interface CalculatedTable {
  name: string;
  headers: string[];
  /** Per row, per column: a constant, or a formula (text starting with `=`). */
  rows: Value[][];
}

export type CustomFunction = (name: string, args: Value[]) => Promise<Value>;

const CIRCULAR = (path: string[]): ExcelErrorValue => new ExcelErrorValue('#CIRCULAR!', path.join(' -> '));
const isFormula = (content: Value): boolean => typeof content === 'string' && content.startsWith('=');

export class SheetCalculation {
  readonly #tables = new Map<string, CalculatedTable>();
  readonly #memo = new Map<string, Promise<Value>>();

  /** `cells`: A1 address (no `$`) to a constant or a formula; the tables' names as their formulas use them. */
  constructor(
    tables: readonly CalculatedTable[],
    private readonly cells: Readonly<Record<string, Value>>,
    private readonly functions: CustomFunction,
  ) {
    for (const table of tables) this.#tables.set(table.name.toLowerCase(), table);
  }

  /** Every row of a table, formulas replaced by their results. */
  async table(name: string): Promise<Value[][]> {
    const table = this.#tables.get(name.toLowerCase());
    if (!table) throw new Error(`no table ${name}`);
    return Promise.all(table.rows.map((row, r) => Promise.all(row.map((_, c) => this.#tableCell(table, r, c, [])))));
  }

  /** An A1 cell's value. */
  cell(address: string): Promise<Value> {
    return this.#cell(address, []);
  }

  #cell(address: string, chain: readonly string[]): Promise<Value> {
    const content = this.cells[address] ?? null;
    return this.#remember(`!${address}`, chain, (path) => this.#evaluate(content, path, undefined));
  }

  #tableCell(table: CalculatedTable, row: number, column: number, chain: readonly string[]): Promise<Value> {
    const content = table.rows[row]?.[column] ?? null;
    return this.#remember(`${table.name}|${row}|${column}`, chain, (path) => this.#evaluate(content, path, { table, row }));
  }

  #remember(key: string, chain: readonly string[], work: (path: string[]) => Promise<Value>): Promise<Value> {
    if (chain.includes(key)) return Promise.resolve(CIRCULAR([...chain, key]));
    let value = this.#memo.get(key);
    if (!value) {
      value = work([...chain, key]);
      this.#memo.set(key, value);
    }
    return value;
  }

  async #evaluate(content: Value, path: string[], at: { table: CalculatedTable; row: number } | undefined): Promise<Value> {
    if (!isFormula(content)) return content === '' ? null : content;
    const formula = String(content);
    // Values the formula refers to are worked out first: the evaluator's scope answers synchronously.
    const wanted = referencesOf(formula);
    const rowValues = new Map<string, Value>();
    const columns = new Map<string, Value[]>();
    const cellValues = new Map<string, Value>();
    for (const column of wanted.row) rowValues.set(column, at ? await this.#columnOfRow(at, column, path) : new ExcelErrorValue('#REF!'));
    for (const { table, column } of wanted.columns) {
      const target = table === undefined ? at?.table : this.#tables.get(table.toLowerCase());
      columns.set(`${table ?? ''}[${column}]`, target ? await this.#wholeColumn(target, column, path) : []);
    }
    for (const address of wanted.cells) cellValues.set(address, await this.#cell(address, path));
    return evaluateFormula(formula, {
      structured: (column) => (rowValues.has(column) ? (rowValues.get(column) ?? null) : new ExcelErrorValue('#REF!')),
      cell: (address) => cellValues.get(address) ?? null,
      column: (table, column) => columns.get(`${table ?? ''}[${column}]`) ?? [],
      call: this.functions,
    });
  }

  #columnOfRow(at: { table: CalculatedTable; row: number }, column: string, path: string[]): Promise<Value> {
    const index = indexOf(at.table, column);
    return index < 0 ? Promise.resolve(new ExcelErrorValue('#REF!', `no column ${column}`)) : this.#tableCell(at.table, at.row, index, path);
  }

  async #wholeColumn(table: CalculatedTable, column: string, path: string[]): Promise<Value[]> {
    const index = indexOf(table, column);
    if (index < 0) return [new ExcelErrorValue('#REF!', `no column ${table.name}[${column}]`)];
    const values: Value[] = [];
    for (let r = 0; r < table.rows.length; r++) values.push(await this.#tableCell(table, r, index, path));
    return values;
  }
}

function indexOf(table: CalculatedTable, column: string): number {
  return table.headers.findIndex((h) => h.toLowerCase() === column.toLowerCase());
}

/** What a formula refers to: its own row's columns, whole columns (of a table, or its own), A1 cells. */
function referencesOf(formula: string): { row: string[]; columns: Array<{ table?: string; column: string }>; cells: string[] } {
  const withoutText = formula.replace(/"(?:[^"]|"")*"/g, '""');
  const rowPattern = /\[@(?:\[([^\]]+)\]|([^\]]+))\]/g;
  const row = [...withoutText.matchAll(rowPattern)].map((m) => m[1] ?? m[2]);
  const columns = [...withoutText.replace(rowPattern, '').matchAll(/([A-Za-z_][\w.]*)?\[(?!@)(?:\[([^\]]+)\]|([^\]@[]+))\]/g)].map((m) => ({
    table: m[1],
    column: m[2] ?? m[3],
  }));
  const cells = [...withoutText.replace(/\[[^\]]*\]/g, '').matchAll(/(?<![\w.])\$?([A-Z]{1,3})\$?(\d+)(?![\w.(])/g)].map((m) => `${m[1]}${m[2]}`);
  return { row: [...new Set(row)], columns, cells: [...new Set(cells)] };
}
