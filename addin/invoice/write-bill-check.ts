/**
 * Writes the Tariffs sheet and a Bill check sheet (bill-check-layout.ts) through the Excel
 * JavaScript API. Takes the request context, so it runs against Excel, the preview workbook and
 * the tests' model alike. Everything is read and checked before the first cell is written, and
 * the whole sheet goes in one batch: a bad invoice line or tariff row writes nothing.
 */
import { addSheet, unusedName } from '../excel/new-tables';
import { columnLetters } from '../preview/memory-excel';
import { billCheckLayout, type BillCheckInput, type BillCheckLayout, type TableLayout } from './bill-check-layout';
import { readTariffTable, TARIFF_HEADERS, tariffTableCells, type TariffRow } from './tariff-table';

const TARIFFS = 'Tariffs';
const GREY = '#595959';

/** The Tariffs table the workbook has (read back), or undefined when it has none. */
export async function readWorkbookTariffs(context: Excel.RequestContext): Promise<Map<string, TariffRow[]> | undefined> {
  const table = context.workbook.tables.getItemOrNullObject(TARIFFS);
  await context.sync();
  if (table.isNullObject) return undefined;
  const body = table.getDataBodyRange().load('values');
  await context.sync();
  return readTariffTable(body.values as unknown[][]);
}

/** Adds a sheet named Tariffs (or Tariffs 2, ...) holding the table Tariffs with these rows. */
export async function writeTariffsSheet(context: Excel.RequestContext, rows: readonly TariffRow[]): Promise<void> {
  const sheet = await addSheet(context, TARIFFS);
  sheet.getRange('A1').values = [['Tariffs']];
  sheet.getRange('A1').format.font.bold = true;
  sheet.getRange('A2').values = [
    [
      'One row per charge: Kind says which field of the tariff it is (docs: Checking bills, "The Tariffs sheet"). The Bill check sheet finds rates by Lookup key.',
    ],
  ];
  sheet.getRange('A2').format.font.color = GREY;
  writeTable(sheet, { name: TARIFFS, topLeft: 'A4', columns: TARIFF_HEADERS.map((header) => ({ header })), rows: tariffTableCells(rows) });
  [150, 170, 150, 80, 240, 70, 260].forEach((width, i) => (sheet.getRange(`${columnLetters(i)}:${columnLetters(i)}`).format.columnWidth = width));
  await context.sync();
}

/** Writes a table: header and blank rows, the table over them, then the body's constants and formulas and formats. */
function writeTable(sheet: Excel.Worksheet, layout: TableLayout): Excel.Table {
  const top = Number(/\d+$/.exec(layout.topLeft)?.[0] ?? '1') - 1;
  const rows = Math.max(1, layout.rows.length);
  const width = layout.columns.length;
  sheet.getRangeByIndexes(top, 0, 1, width).values = [layout.columns.map((c) => c.header)];
  const table = sheet.tables.add(sheet.getRangeByIndexes(top, 0, rows + 1, width), true);
  table.name = layout.name;
  table.style = 'TableStyleMedium2';
  const body = table.getDataBodyRange();
  body.numberFormat = Array.from({ length: rows }, () => layout.columns.map((c) => c.numberFormat ?? 'General'));
  body.formulas = Array.from({ length: rows }, (_, r) => layout.columns.map((_c, c) => layout.rows[r]?.[c] ?? ''));
  return table;
}

/** Verdicts coloured as the old sheet's results were: CHECK red, DATA QUALITY amber, OK green. */
const VERDICT_COLOURS = [
  { words: ['CHECK', 'NOT ON BILL', 'NOT EXPECTED'], fill: '#FFC7CE', font: '#9C0006' },
  { words: ['DATA QUALITY'], fill: '#FFEB9C', font: '#9C5700' },
  { words: ['OK'], fill: '#C6EFCE', font: '#006100' },
];

function colourVerdicts(table: Excel.Table, column: string, firstRow: number, letter: string): void {
  const target = table.columns.getItem(column).getDataBodyRange();
  for (const colour of VERDICT_COLOURS) {
    // The enum's value, not Excel.ConditionalFormatType: the preview workbook has no Excel global.
    const format = target.conditionalFormats.add('Custom' as Excel.ConditionalFormatType.custom);
    format.custom.rule.formula = `=OR(${colour.words.map((w) => `$${letter}${firstRow}="${w}"`).join(',')})`;
    format.custom.format.fill.color = colour.fill;
    format.custom.format.font.color = colour.font;
  }
}

function writeBlocks(sheet: Excel.Worksheet, layout: BillCheckLayout): void {
  const title = sheet.getRange('A1');
  title.values = [[layout.title]];
  title.format.font.bold = true;
  title.format.font.size = 16;
  layout.notes.forEach((note, i) => {
    const cell = sheet.getRange(`A${2 + i}`);
    cell.values = [[note]];
    cell.format.font.color = GREY;
  });
  for (const setting of layout.settings) {
    const row = Number(setting.address.slice(1));
    sheet.getRange(`A${row}`).values = [[setting.label]];
    sheet.getRange(`A${row}`).format.font.bold = true;
    const value = sheet.getRange(setting.address);
    if (setting.numberFormat !== undefined) value.numberFormat = [[setting.numberFormat]];
    value.values = [[setting.value]];
    value.format.fill.color = '#FFF2CC';
    const note = sheet.getRange(`C${row}`);
    note.values = [[setting.note]];
    note.format.font.color = GREY;
    note.format.font.italic = true;
  }
  for (const item of layout.summary) {
    const row = Number(item.address.slice(1));
    sheet.getRange(`G${row}`).values = [[item.label]];
    sheet.getRange(`G${row}`).format.font.bold = true;
    const value = sheet.getRange(item.address);
    value.numberFormat = [[item.numberFormat]];
    value.formulas = [[item.formula]];
  }
}

/**
 * A new Bill check sheet for these invoices: the sheet and its two tables get names not yet
 * taken, then the layout is made with those names and written. Returns the sheet's name.
 */
export async function writeBillCheckSheet(context: Excel.RequestContext, input: Omit<BillCheckInput, 'names'>): Promise<string> {
  const tables = context.workbook.tables;
  const invoices = await unusedName(
    context,
    (n) => tables.getItemOrNullObject(n),
    'BillInvoices',
    (n) => `BillInvoices${n}`,
    'table',
  );
  const lines = await unusedName(
    context,
    (n) => tables.getItemOrNullObject(n),
    'BillLines',
    (n) => `BillLines${n}`,
    'table',
  );
  const layout = billCheckLayout({ ...input, names: { tariffs: TARIFFS, invoices, lines } });
  const sheet = await addSheet(context, 'Bill check');
  writeBlocks(sheet, layout);
  writeTable(sheet, layout.invoices);
  const lineTable = writeTable(sheet, layout.lines);
  const verdictIndex = layout.lines.columns.findIndex((c) => c.header === 'Verdict');
  const firstRow = Number(layout.lines.topLeft.slice(1)) + 1;
  colourVerdicts(lineTable, 'Verdict', firstRow, columnLetters(verdictIndex));
  layout.lines.columns.forEach((column, i) => {
    sheet.getRange(`${columnLetters(i)}:${columnLetters(i)}`).format.columnWidth = i === 0 ? 190 : Math.max(80, Math.min(150, column.header.length * 7 + 24));
  });
  // Column G also holds the summary's labels.
  sheet.getRange('G:G').format.columnWidth = 130;
  sheet.activate();
  sheet.load('name');
  await context.sync();
  return sheet.name;
}
