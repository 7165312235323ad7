/**
 * Draws a worksheet of the in-memory Excel model (its snapshot) as an HTML page that looks like Excel's grid, for the README's
 * screenshot: calculated values in their number formats, fonts and fills, the table's style,
 * and conditional formats evaluated on the calculated values.
 */
import { evaluateFormula, ExcelErrorValue, type Value } from '../../../addin/preview/formula';
import { columnLetters as columnName, columnOfLetters, type SheetSnapshot, type TableSnapshot } from '../../../addin/preview/memory-excel';

/** The corners of an A1 range such as `A8:M11` (columns 0-based, rows 1-based); undefined for any other form. */
export function rangeBounds(address: string): { left: number; top: number; right: number; bottom: number } | undefined {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(address);
  return m ? { left: columnOfLetters(m[1]), top: Number(m[2]), right: columnOfLetters(m[3]), bottom: Number(m[4]) } : undefined;
}

/** The displayed text of a value in a number format (the formats the invoice sheet uses). */
export function displayText(value: Value, format = 'General'): string {
  if (value === null) return '';
  if (value instanceof ExcelErrorValue) return value.code;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  const [positive, negative] = format.split(';');
  const pattern = value < 0 && negative !== undefined ? negative.replace(/\[Red\]/, '') : positive;
  if (/yyyy-mm-dd/.test(pattern)) return new Date(Math.round((value - 25_569) * 86_400_000)).toISOString().slice(0, 10);
  const percent = pattern.endsWith('%');
  const shown = percent ? value * 100 : value;
  const decimals = /\.(0+)/.exec(pattern)?.[1].length ?? (pattern === 'General' ? undefined : 0);
  const abs = value < 0 && negative !== undefined ? Math.abs(shown) : shown;
  const text =
    decimals === undefined
      ? String(Number(abs.toPrecision(11)))
      : abs.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: pattern.includes(',') });
  return `${value < 0 && negative !== undefined ? '-' : ''}${text}${percent ? '%' : ''}`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Moves a conditional-format formula's relative row references down by `rows`. */
function shiftRows(formula: string, rows: number): string {
  return formula.replace(
    /(\$?[A-Z]{1,3})(\$?)(\d+)/g,
    (_m, column: string, absolute: string, row: string) => `${column}${absolute}${absolute ? row : Number(row) + rows}`,
  );
}

export async function renderSheet(
  sheet: SheetSnapshot,
  tables: TableSnapshot[],
  values: (address: string) => Value,
  options: { columns: number; rows: number },
): Promise<string> {
  // Conditional formats: which cells get which fill/font.
  const conditional = new Map<string, { fill?: string; font?: string }>();
  for (const rule of sheet.conditionalFormats) {
    const bounds = rangeBounds(rule.range);
    if (!bounds || !rule.formula) continue;
    const { left, top, right, bottom } = bounds;
    for (let r = top; r <= bottom; r++) {
      const verdict = await evaluateFormula(shiftRows(rule.formula, r - top), {
        structured: () => null,
        cell: values,
        call: async () => null,
      });
      if (verdict !== true) continue;
      for (let c = left; c <= right; c++) conditional.set(`${columnName(c)}${r}`, { fill: rule.fill, font: rule.font });
    }
  }
  const tableCells = new Map<string, 'header' | 'odd' | 'even'>();
  for (const table of tables.filter((t) => t.sheet === sheet.name)) {
    const { left, top, right, bottom } = rangeBounds(table.address)!;
    for (let r = top; r <= bottom; r++) {
      for (let c = left; c <= right; c++) {
        tableCells.set(`${columnName(c)}${r}`, r === top ? 'header' : (r - top) % 2 === 1 ? 'odd' : 'even');
      }
    }
  }

  const widths = Array.from({ length: options.columns }, (_, c) => Math.round((sheet.columnWidths[columnName(c)] ?? 64) * 1.33));
  let html =
    '<tr><th class="corner"></th>' +
    widths.map((w, c) => `<th style="width:${w}px;min-width:${w}px;max-width:${w}px">${columnName(c)}</th>`).join('') +
    '</tr>';
  for (let r = 1; r <= options.rows; r++) {
    html += `<tr><th class="row">${r}</th>`;
    for (let c = 0; c < options.columns; c++) {
      const address = `${columnName(c)}${r}`;
      const cell = sheet.cells[address] ?? {};
      const value = values(address);
      const text = displayText(value, cell.numberFormat);
      const styles: string[] = [];
      const role = tableCells.get(address);
      if (role === 'header') styles.push('background:#4472C4;color:#fff;font-weight:bold');
      else if (role === 'odd') styles.push('background:#D9E1F2');
      if (cell.fill) styles.push(`background:${cell.fill}`);
      const cf = conditional.get(address);
      if (cf?.fill) styles.push(`background:${cf.fill}`);
      if (cell.bold) styles.push('font-weight:bold');
      if (cell.italic) styles.push('font-style:italic');
      if (cell.size) styles.push(`font-size:${cell.size}pt`);
      if (cell.color) styles.push(`color:${cell.color}`);
      if (cf?.font) styles.push(`color:${cf.font}`);
      if (typeof value === 'number' || value instanceof ExcelErrorValue) styles.push('text-align:right');
      if (typeof value === 'number' && value < 0 && /\[Red\]/.test(cell.numberFormat ?? '')) styles.push('color:#C00000');
      const overflow = typeof value === 'string' && role === undefined && !sheet.cells[`${columnName(c + 1)}${r}`]?.value ? ' class="spill"' : '';
      html += `<td${overflow} style="${styles.join(';')}">${escape(text)}</td>`;
    }
    html += '</tr>';
  }
  const tableWidth = 34 + widths.reduce((a, b) => a + b, 0);
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; font-family: Calibri, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; font-size: 11pt; background: #fff; }
    .bar { background: #217346; color: #fff; padding: 6px 10px; font-size: 10pt; }
    .bar b { margin-right: 12px; }
    table { border-collapse: collapse; table-layout: fixed; }
    th { background: #f3f3f3; color: #444; font-weight: normal; font-size: 9pt; border: 1px solid #d4d4d4; height: 20px; }
    th.row, th.corner { width: 34px; min-width: 34px; }
    td { border: 1px solid #e1e1e1; height: 20px; padding: 0 4px; white-space: nowrap; overflow: hidden; }
    td.spill { overflow: visible; position: relative; z-index: 1; background: transparent; }
    .tabs { border-top: 1px solid #ccc; padding: 4px 10px; font-size: 10pt; }
    .tabs span { background: #fff; border: 1px solid #ccc; border-top: 2px solid #217346; padding: 2px 10px; color: #217346; font-weight: bold; }
    body > div, body > table { width: ${tableWidth}px; box-sizing: border-box; }
  </style></head><body>
  <div class="bar"><b>Excel</b> fx: expected quantities from =DCS.CONSUMPTION and =DCS.DEMAND, rates by INDEX/MATCH over the Tariffs table, money by ROUND(quantity × rate, 2)</div>
  <table style="width:${tableWidth}px">${html}</table>
  <div class="tabs"><span>${escape(sheet.name)}</span></div>
  </body></html>`;
}
