import { session } from '../api';
import { workbookTimeZone } from '../functions/runtime-context';
import { examplesOrNone } from '../invoice/invoice-sheet';
import { invoiceSheetLayout, type InvoiceSheetLayout } from '../invoice/layout';
import type { ExcelRunner } from './pulls';
import { unusedName } from '../excel/new-tables';

const SHEET_NAME = 'Invoice check';

/**
 * The invoice-check sheet in preview mode. Excel inserts it from the ribbon (invoice-sheet.ts),
 * with live formulas; the preview workbook evaluates no formulas, so it shows the same layout
 * with each calculated cell's formula as text, and the worked examples' inputs as values.
 */
export async function insertInvoiceSheet(run: ExcelRunner): Promise<void> {
  const timeZone = await workbookTimeZone();
  const layout = invoiceSheetLayout(session.isSignedIn ? await examplesOrNone(timeZone) : [], timeZone);
  await run((context) => writePreviewSheet(context, layout));
}

function rowOf(address: string): number {
  return Number(/\d+$/.exec(address)?.[0] ?? '1') - 1;
}

async function writePreviewSheet(context: Excel.RequestContext, layout: InvoiceSheetLayout): Promise<void> {
  const worksheets = context.workbook.worksheets;
  const name = await unusedName(
    context,
    (n) => worksheets.getItemOrNullObject(n),
    SHEET_NAME,
    (n) => `${SHEET_NAME} (${n})`,
    'sheet',
  );
  const sheet = context.workbook.worksheets.add(name);
  const text = (row: number, column: number, value: string | number, bold = false) => {
    const cell = sheet.getRangeByIndexes(row, column, 1, 1);
    if (typeof value === 'string') cell.numberFormat = [['@']]; // formulas shown as text, never parsed
    cell.values = [[value]];
    if (bold) cell.format.font.bold = true;
  };
  text(0, 0, layout.title, true);
  layout.notes.forEach((note, i) => text(1 + i, 0, note));
  for (const setting of Object.values(layout.settings)) {
    text(rowOf(setting.address), 0, setting.label, true);
    text(rowOf(setting.address), 1, setting.value);
    text(rowOf(setting.address), 2, setting.note);
  }
  const top = rowOf(layout.tableTopLeft);
  layout.columns.forEach((column, c) => text(top, c, column.header));
  const rows = Math.max(1, layout.rows.length);
  for (let r = 0; r < rows; r++) {
    layout.columns.forEach((column, c) => {
      const cell = layout.rows[r]?.[c];
      const value = cell?.formula ?? cell?.value ?? column.formula ?? '';
      if (value !== '') text(top + 1 + r, c, value);
    });
  }
  const table = sheet.tables.add(sheet.getRangeByIndexes(top, 0, rows + 1, layout.columns.length), true);
  table.style = 'TableStyleMedium2';
  sheet.activate();
  await context.sync();
}
