import { columnLetters, type Cell, type WorkbookView } from '../preview/memory-excel';
import { serialToText } from '../excel/dates';
import { byId, el } from './dom';
import { drawChart } from './preview-chart';

/** Every row has this height, so the grid can draw only the rows in view and still scroll through all. */
const ROW_HEIGHT = 22;
const EXTRA_ROWS = 10;
const MAX_COLUMNS_SHOWN = 60;

/**
 * Draws the preview workbook as a spreadsheet-like grid with sheet tabs, and its charts. Cells
 * show what Excel would show: date-formatted serials as dates, booleans as TRUE/FALSE. Only the
 * rows in view are drawn, so a sheet of any length scrolls to its last row.
 */
export class PreviewGrid {
  #sheet: string;
  #selected = { row: 0, column: 0 };
  readonly #wrap = byId('grid');
  readonly #spacer = el('div', { className: 'grid-spacer' });
  readonly #table = el('table', { className: 'grid' });

  constructor(private readonly view: WorkbookView) {
    this.#sheet = view.activeSheetName();
    this.#wrap.replaceChildren(this.#spacer, this.#table);
    this.#wrap.addEventListener('scroll', () => this.#drawRows());
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
        this.#wrap.scrollTop = 0;
        this.#select(0, 0);
      });
      return tab;
    });
    byId('sheet-tabs').replaceChildren(...tabs);
    this.#drawRows();
    const charts = this.view.charts(this.#sheet);
    byId('charts').replaceChildren(...charts.map((chart) => drawChart(this.view, this.#sheet, chart)));
  }

  #select(row: number, column: number): void {
    this.#selected = { row, column };
    this.view.select(this.#sheet, row, column);
    this.render();
  }

  #size(): { rows: number; columns: number } {
    const used = this.view.usedSize(this.#sheet);
    return {
      rows: Math.max(used.rows, this.#selected.row + 1, 12),
      columns: Math.min(Math.max(used.columns, this.#selected.column + 1, 6), MAX_COLUMNS_SHOWN),
    };
  }

  /** Draws the rows in view (plus a few), below a header row of column letters. */
  #drawRows(): void {
    const { rows, columns } = this.#size();
    this.#spacer.style.height = `${(rows + 1) * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(this.#wrap.scrollTop / ROW_HEIGHT) - 2);
    const count = Math.ceil((this.#wrap.clientHeight || 400) / ROW_HEIGHT) + EXTRA_ROWS;
    const last = Math.min(rows, first + count);
    const tables = this.view
      .tableNames()
      .map((n) => this.view.tableInfo(n)!)
      .filter((t) => t.sheet === this.#sheet);
    const head = el('tr', {}, el('th', { className: 'rowhead' }, ''), ...Array.from({ length: columns }, (_, c) => el('th', {}, columnLetters(c))));
    const body: HTMLElement[] = [head];
    for (let r = first; r < last; r++) {
      const cells: HTMLElement[] = [el('th', { className: 'rowhead' }, String(r + 1))];
      for (let c = 0; c < columns; c++) cells.push(this.#cell(r, c, tables));
      body.push(el('tr', {}, ...cells));
    }
    this.#table.style.top = `${first * ROW_HEIGHT}px`;
    this.#table.replaceChildren(...body);
    byId('grid-footer').textContent =
      `Rows ${first + 1}–${last} of ${rows.toLocaleString()}${this.view.usedSize(this.#sheet).columns > MAX_COLUMNS_SHOWN ? `; first ${MAX_COLUMNS_SHOWN} columns` : ''}.`;
  }

  /**
   * What a cell shows. The model does not calculate formulas (=DCS.CONSUMPTION needs Excel's
   * functions runtime), so a formula it cannot work out is shown as its text, not as #NAME?.
   */
  #shown(r: number, c: number): Cell {
    const value = this.view.cell(this.#sheet, r, c);
    return value === '#NAME?' ? (this.view.cellFormula(this.#sheet, r, c) ?? value) : value;
  }

  #cell(r: number, c: number, tables: Array<{ row: number; column: number; rows: number; columns: number }>): HTMLElement {
    const value = this.#shown(r, c);
    const table = tables.find((t) => r >= t.row && r < t.row + t.rows && c >= t.column && c < t.column + t.columns);
    const classes = [
      typeof value === 'number' ? 'num' : '',
      this.view.cellBold(this.#sheet, r, c) ? 'bold' : '',
      table ? (r === table.row ? 'table-header' : 'in-table') : '',
      r === this.#selected.row && c === this.#selected.column ? 'selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const text = display(value, this.view.cellFormat(this.#sheet, r, c));
    const spills = typeof value === 'string' && value !== '' && !table && this.view.cell(this.#sheet, r, c + 1) === '';
    const td = el(
      'td',
      { className: `${classes}${spills ? ' spill' : ''}`, 'data-cell': `${columnLetters(c)}${r + 1}`, title: text.length > 14 ? text : undefined },
      spills ? el('span', {}, text) : text,
    );
    td.addEventListener('click', () => this.#select(r, c));
    return td;
  }
}

/** A cell as Excel shows it under its number format. */
export function display(value: Cell, format: string | undefined): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && format && /y/.test(format)) return serialToText(value).slice(0, /h/.test(format) ? 16 : 10);
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1000) / 1000);
  return String(value);
}
