/**
 * Suppliers' invoice lines as a CSV file or as cells pasted from a sheet (tab-separated), read
 * into invoices for the Bill check sheet. One row per invoice line, every row carrying its
 * invoice's reference, tariff, supply and period (docs/checking-bills.md, "Invoice lines CSV").
 * All or nothing: any bad row stops the import, and the error names each bad row and column.
 * DOM-free and Excel-free.
 */

export interface InvoiceLineInput {
  name: string;
  quantity?: number;
  rate?: number;
  amount: number;
}

export interface InvoiceInput {
  reference: string;
  supplier: string;
  tariff: string;
  supply: string;
  reactive: string;
  firstDay: string;
  lastDay: string;
  lines: InvoiceLineInput[];
}

/** The columns, as the header row names them (any case, any order); the optional ones may be left out. */
export const INVOICE_COLUMNS = {
  invoice: { required: true, meaning: "the invoice's reference; every line of one invoice gives the same" },
  supplier: { required: false, meaning: 'who billed you' },
  tariff: { required: true, meaning: 'the name of a tariff on the Tariffs sheet' },
  supply: { required: true, meaning: 'the active energy (or gas, water) register, e.g. R1001' },
  reactive: { required: false, meaning: 'its reactive energy register (kVArh), e.g. R1147: needed for kVA, excess capacity and reactive charges' },
  firstDay: { required: true, meaning: 'first day billed, YYYY-MM-DD' },
  lastDay: { required: true, meaning: 'last day billed (included), YYYY-MM-DD' },
  line: { required: true, meaning: "the line's name as the tariff names it: Day, Night, Standing charge, VAT, ..." },
  quantity: { required: false, meaning: 'the quantity billed (units, days, kVA, ...); blank when the invoice gives none (VAT)' },
  rate: { required: false, meaning: 'the rate printed on the invoice, checked against the tariff' },
  amount: { required: true, meaning: "the line's money, net of VAT (the VAT line: the VAT)" },
} as const;

type ColumnName = keyof typeof INVOICE_COLUMNS;
const INVOICE_FIELDS = ['supplier', 'tariff', 'supply', 'reactive', 'firstDay', 'lastDay'] as const;
/** Beyond this many, the list of bad rows is cut short. */
const MAX_REPORTED = 20;

export class InvoiceImportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.join('\n')}`);
    this.name = 'InvoiceImportError';
  }
}

/** Splits CSV (RFC 4180: quotes, doubled quotes, line breaks in quotes) or tab-separated text into rows of cells. */
export function splitRows(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const separator = firstLine.includes('\t') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === separator) endCell();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/**
 * The invoices in the text, in the order their first lines come. `knownTariff` says whether the
 * Tariffs sheet has a tariff of that name.
 */
export function readInvoiceLines(text: string, knownTariff: (name: string) => boolean): InvoiceInput[] {
  const rows = splitRows(text.replace(/^\uFEFF/, ''));
  if (rows.length < 2) throw new InvoiceImportError(['There are no invoice lines: give a header row, then one row per invoice line.']);
  const columns = readHeader(rows[0]);
  const problems: string[] = [];
  const invoices = new Map<string, InvoiceInput>();
  rows.slice(1).forEach((cells, i) => {
    const rowNumber = i + 2; // the file's own line numbering, header = 1
    const cell = (name: ColumnName): string => (columns.has(name) ? (cells[columns.get(name)!] ?? '').trim() : '');
    const fail = (name: ColumnName, why: string): void => void problems.push(`Row ${rowNumber}, column ${name}: ${why}`);
    const before = problems.length;
    const invoice = readInvoiceFields(cell, fail, knownTariff);
    const line = readLine(cell, fail);
    if (problems.length > before || !invoice || !line) return;
    const earlier = invoices.get(invoice.reference);
    if (!earlier) return void invoices.set(invoice.reference, { ...invoice, lines: [line] });
    for (const field of INVOICE_FIELDS) {
      if (earlier[field] !== invoice[field]) fail(field, `"${invoice[field]}" differs from the invoice's earlier lines ("${earlier[field]}")`);
    }
    if (problems.length === before) earlier.lines.push(line);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED);
    if (problems.length > MAX_REPORTED) shown.push(`... and ${problems.length - MAX_REPORTED} more`);
    throw new InvoiceImportError(shown);
  }
  return [...invoices.values()];
}

function readHeader(cells: string[]): Map<ColumnName, number> {
  const byLowerName = new Map(Object.keys(INVOICE_COLUMNS).map((name) => [name.toLowerCase(), name as ColumnName]));
  const columns = new Map<ColumnName, number>();
  const problems: string[] = [];
  cells.forEach((cell, i) => {
    const name = byLowerName.get(cell.trim().toLowerCase().replace(/[\s_]/g, ''));
    if (name === undefined) problems.push(`Row 1, column ${i + 1}: "${cell}" is not a column; use ${Object.keys(INVOICE_COLUMNS).join(', ')}`);
    else if (columns.has(name)) problems.push(`Row 1, column ${i + 1}: ${name} is given twice`);
    else columns.set(name, i);
  });
  for (const [name, column] of Object.entries(INVOICE_COLUMNS)) {
    if (column.required && !columns.has(name as ColumnName)) problems.push(`Row 1: the column ${name} is missing (${column.meaning})`);
  }
  if (problems.length > 0) throw new InvoiceImportError(problems);
  return columns;
}

function readInvoiceFields(
  cell: (name: ColumnName) => string,
  fail: (name: ColumnName, why: string) => void,
  knownTariff: (name: string) => boolean,
): Omit<InvoiceInput, 'lines'> | undefined {
  const reference = cell('invoice');
  if (reference === '') fail('invoice', 'is empty; give the invoice reference');
  const tariff = cell('tariff');
  if (tariff === '') fail('tariff', 'is empty; give the name of a tariff on the Tariffs sheet');
  else if (!knownTariff(tariff)) fail('tariff', `"${tariff}" is not a tariff on the Tariffs sheet`);
  const supply = readSourceId(cell('supply'), 'supply', fail, true);
  const reactive = readSourceId(cell('reactive'), 'reactive', fail, false);
  const firstDay = readDay(cell('firstDay'), 'firstDay', fail);
  const lastDay = readDay(cell('lastDay'), 'lastDay', fail);
  if (firstDay !== undefined && lastDay !== undefined && lastDay < firstDay) fail('lastDay', `${lastDay} is before firstDay ${firstDay}`);
  if (firstDay === undefined || lastDay === undefined || supply === undefined || reactive === undefined) return undefined;
  return { reference, supplier: cell('supplier'), tariff, supply, reactive, firstDay, lastDay };
}

function readLine(cell: (name: ColumnName) => string, fail: (name: ColumnName, why: string) => void): InvoiceLineInput | undefined {
  const name = cell('line');
  if (name === '') fail('line', 'is empty; give the line as the tariff names it (Day, Night, Standing charge, VAT, ...)');
  const quantity = readNumber(cell('quantity'), 'quantity', fail, false);
  const rate = readNumber(cell('rate'), 'rate', fail, false);
  const amount = readNumber(cell('amount'), 'amount', fail, true);
  if (amount === undefined || name === '') return undefined;
  return { name, amount, ...(quantity !== undefined && { quantity }), ...(rate !== undefined && { rate }) };
}

function readSourceId(text: string, column: ColumnName, fail: (name: ColumnName, why: string) => void, required: boolean): string | undefined {
  if (text === '') {
    if (required) fail(column, 'is empty; give a register id such as R1001');
    return required ? undefined : '';
  }
  if (!/^(R|VM)\d+$/i.test(text)) return void fail(column, `"${text}" is not a source id; write R<register id> or VM<virtual meter id>, e.g. R1001`);
  return text.toUpperCase();
}

function readDay(text: string, column: ColumnName, fail: (name: ColumnName, why: string) => void): string | undefined {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
  if (!valid) return void fail(column, `"${text}" is not a date; write YYYY-MM-DD, e.g. 2024-10-31 (01/10/2024 could be either day or month first)`);
  return text;
}

/** A number as invoices print them: thousands commas and a currency sign are allowed. */
function readNumber(text: string, column: ColumnName, fail: (name: ColumnName, why: string) => void, required: boolean): number | undefined {
  if (text === '') return required ? void fail(column, 'is empty; give a number') : undefined;
  const plain = text.replace(/^(-?)[£$€]/, '$1').replace(/,(?=\d{3}(\D|$))/g, '');
  const value = /^-?(\d+\.?\d*|\.\d+)$/.test(plain) ? Number(plain) : NaN;
  if (!Number.isFinite(value)) return void fail(column, `"${text}" is not a number`);
  return value;
}
