/**
 * Writes an invoice-check layout into a new worksheet through the Excel JavaScript API. No DOM
 * and no globals: it takes the request context, so it runs against Excel, the e2e test's stub
 * host, or a mock alike.
 *
 * The table is created over its header and blank rows first and the formulas written into its
 * body afterwards, so Excel records them as calculated columns: a row added below the table
 * gets every formula by itself.
 */
import { columnLetter, tableAddress, type InvoiceSheetLayout } from './layout';
import { unusedName } from '../excel/new-tables';

export interface WrittenSheet {
  sheetName: string;
  tableName: string;
}

const BASE_SHEET_NAME = 'Invoice check';
const BASE_TABLE_NAME = 'InvoiceCheck';
const GREY = '#595959';

export async function writeInvoiceSheet(context: Excel.RequestContext, layout: InvoiceSheetLayout): Promise<WrittenSheet> {
  const worksheets = context.workbook.worksheets;
  const sheetName = await unusedName(
    context,
    (name) => worksheets.getItemOrNullObject(name),
    BASE_SHEET_NAME,
    (n) => `${BASE_SHEET_NAME} (${n})`,
    'sheet',
  );
  const tableName = await unusedName(
    context,
    (name) => context.workbook.tables.getItemOrNullObject(name),
    BASE_TABLE_NAME,
    (n) => `${BASE_TABLE_NAME}${n}`,
    'table',
  );

  const sheet = worksheets.add(sheetName);

  const title = sheet.getRange('A1');
  title.values = [[layout.title]];
  title.format.font.bold = true;
  title.format.font.size = 16;
  layout.notes.forEach((note, i) => {
    const cell = sheet.getRange(`A${2 + i}`);
    cell.values = [[note]];
    cell.format.font.color = GREY;
  });

  for (const setting of [layout.settings.timeZone, layout.settings.tolerance, layout.settings.allowance]) {
    const row = Number(setting.address.slice(1));
    const label = sheet.getRange(`A${row}`);
    label.values = [[setting.label]];
    label.format.font.bold = true;
    const value = sheet.getRange(setting.address);
    if (setting.numberFormat !== undefined) value.numberFormat = [[setting.numberFormat]];
    value.values = [[setting.value]];
    value.format.fill.color = '#FFF2CC';
    const note = sheet.getRange(`C${row}`);
    note.values = [[setting.note]];
    note.format.font.color = GREY;
    note.format.font.italic = true;
  }

  // Header and blank rows, then the table over them, then the body's contents.
  const address = tableAddress(layout);
  const headerRow = Number(layout.tableTopLeft.slice(1));
  const lastColumn = columnLetter(layout.columns.length - 1);
  sheet.getRange(`A${headerRow}:${lastColumn}${headerRow}`).values = [layout.columns.map((c) => c.header)];
  const table = sheet.tables.add(`'${sheetName}'!${address}`, true);
  table.name = tableName;
  table.style = 'TableStyleMedium2';
  const body = table.getDataBodyRange();
  const rowCount = Math.max(1, layout.rows.length);
  body.numberFormat = Array.from({ length: rowCount }, () => layout.columns.map((c) => c.numberFormat ?? 'General'));
  body.formulas = Array.from({ length: rowCount }, (_, r) =>
    layout.columns.map((column, c) => {
      const cell = layout.rows[r]?.[c];
      return cell?.formula ?? cell?.value ?? column.formula ?? '';
    }),
  );

  for (const rule of layout.conditionalRules) {
    const target = rule.appliesTo === 'row' ? body : table.columns.getItem('Result').getDataBodyRange();
    // The enum's value, not Excel.ConditionalFormatType: the pane's preview workbook has no Excel global.
    const format = target.conditionalFormats.add('Custom' as Excel.ConditionalFormatType.custom);
    format.custom.rule.formula = rule.formula;
    format.custom.format.fill.color = rule.fill;
    format.custom.format.font.color = rule.font;
  }

  const widths = [140, 130, 70, 85, 135, 100, 110, 80, 85, 95, 135, 115, 130];
  layout.columns.forEach((_, i) => {
    sheet.getRange(`${columnLetter(i)}:${columnLetter(i)}`).format.columnWidth = widths[i] ?? 100;
  });
  sheet.freezePanes.freezeRows(headerRow);
  sheet.activate();
  await context.sync();
  return { sheetName, tableName };
}
