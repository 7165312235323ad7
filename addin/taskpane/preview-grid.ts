import { columnLetters, type Cell, type WorkbookView } from '../preview/memory-excel';
import { serialToText } from '../excel/dates';
import { byId, el } from './dom';

const MAX_ROWS_SHOWN = 200;
const MAX_COLUMNS_SHOWN = 40;

/**
 * Draws the preview workbook as a spreadsheet-like grid with sheet tabs. Cells show what Excel
 * would show: date-formatted serials as date-times, booleans as TRUE/FALSE.
 */
export class PreviewGrid {
  #sheet: string;
  #selected = { row: 0, column: 0 };

  constructor(private readonly view: WorkbookView) {
    this.#sheet = view.activeSheetName();
    view.onChange(() => {
      this.#sheet = view.activeSheetName();
      this.render();
    });
    this.render();
  }

  render(): void {
    const names = this.view.sheetNames();
    if (!names.includes(this.#sheet)) this.#sheet = names[0];
    const tabs = names.map((name) => {
      const tab = el('button', { className: 'tab', type: 'button', role: 'tab', 'aria-selected': name === this.#sheet ? 'true' : 'false' }, name);
      tab.addEventListener('click', () => {
        this.#sheet = name;
        this.#select(0, 0);
      });
      return tab;
    });
    byId('sheet-tabs').replaceChildren(...tabs);
    byId('grid').replaceChildren(...this.#grid());
  }

  #select(row: number, column: number): void {
    this.#selected = { row, column };
    this.view.select(this.#sheet, row, column);
    this.render();
  }

  #grid(): HTMLElement[] {
    const used = this.view.usedSize(this.#sheet);
    const rows = Math.min(Math.max(used.rows, this.#selected.row + 1, 12), MAX_ROWS_SHOWN);
    const columns = Math.min(Math.max(used.columns, this.#selected.column + 1, 6), MAX_COLUMNS_SHOWN);
    const tables = this.view.tableNames().map((n) => this.view.tableInfo(n)!).filter((t) => t.sheet === this.#sheet);
    const head = el('tr', {}, el('th', { className: 'rowhead' }, ''), ...Array.from({ length: columns }, (_, c) => el('th', {}, columnLetters(c))));
    const body: HTMLElement[] = [head];
    for (let r = 0; r < rows; r++) {
      const cells: HTMLElement[] = [el('th', { className: 'rowhead' }, String(r + 1))];
      for (let c = 0; c < columns; c++) {
        const value = this.view.cell(this.#sheet, r, c);
        const table = tables.find((t) => r >= t.row && r < t.row + t.rows && c >= t.column && c < t.column + t.columns);
        const classes = [
          typeof value === 'number' ? 'num' : '',
          this.view.cellBold(this.#sheet, r, c) ? 'bold' : '',
          table ? (r === table.row ? 'table-header' : 'in-table') : '',
          r === this.#selected.row && c === this.#selected.column ? 'selected' : '',
        ].filter(Boolean).join(' ');
        const text = display(value, this.view.cellFormat(this.#sheet, r, c));
        const td = el('td', { className: classes, 'data-cell': `${columnLetters(c)}${r + 1}`, title: text.length > 20 ? text : undefined }, text);
        td.addEventListener('click', () => this.#select(r, c));
        cells.push(td);
      }
      body.push(el('tr', {}, ...cells));
    }
    const out: HTMLElement[] = [el('table', { className: 'grid' }, ...body)];
    if (used.rows > MAX_ROWS_SHOWN) out.push(el('div', { className: 'grid-more' }, `Showing ${MAX_ROWS_SHOWN} of ${used.rows.toLocaleString()} rows.`));
    return out;
  }
}

function display(value: Cell, format: string | undefined): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && format && /y/.test(format)) return serialToText(value).slice(0, 16);
  return String(value);
}
