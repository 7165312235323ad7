/**
 * What the Bill check sheet holds, as plain data: one row per invoice line whose expected
 * quantity is a visible DCS formula (units per band through =DCS.CONSUMPTION's band, peak kW or
 * kVA and excess kVArh through =DCS.DEMAND, days as Excel arithmetic), whose money is ordinary
 * arithmetic over the Tariffs table (rates found by Tariff | Charge), with the difference and the
 * verdict by the same rules and words as `POST /api/bills`' invoice check (server/bills/
 * invoice-check.ts); a table of the invoices, and a summary of passes and money at stake.
 * DOM-free and Excel-free, so the layout is checked in Node and evaluated by the preview's
 * formula engine.
 */
import { naiveDateTimeToSerial, type DateSystem } from '../excel/dates';
import type { InvoiceInput, InvoiceLineInput } from './invoice-lines';
import { NOT_A_LINE, type ChargeKind, type TariffRow } from './tariff-table';

export type CellValue = string | number;

/** A setting the formulas read: its label (column A), its cell and starting value. */
export interface SettingsCell {
  label: string;
  /** A1 address of the value cell, e.g. `B5`. */
  address: string;
  value: CellValue;
  numberFormat?: string;
  note: string;
}

export interface TableLayout {
  name: string;
  /** A1 address of the header row's first cell. */
  topLeft: string;
  columns: Array<{ header: string; numberFormat?: string }>;
  /** Per row, per column: a constant or a formula (text starting with `=`). */
  rows: CellValue[][];
}

export interface BillCheckLayout {
  title: string;
  notes: string[];
  settings: SettingsCell[];
  summary: Array<{ label: string; address: string; formula: string; numberFormat: string }>;
  invoices: TableLayout;
  lines: TableLayout;
}

export interface BillCheckNames {
  tariffs: string;
  invoices: string;
  lines: string;
}

/** Settings cells (column B, notes in C), the summary (labels in G, figures in H), and the invoices table's header row. */
const SETTINGS = { timeZone: 'B5', quantityTolerance: 'B6', amountTolerance: 'B7' } as const;
const INVOICES_ROW = 13;

export const LINE = {
  invoice: 'Invoice',
  supplier: 'Supplier',
  tariff: 'Tariff',
  supply: 'Supply',
  reactive: 'Reactive',
  first: 'First day',
  last: 'Last day',
  line: 'Line',
  billedQuantity: 'Billed quantity',
  billedRate: 'Billed rate',
  billedAmount: 'Billed amount',
  kind: 'Kind',
  times: 'Times',
  rate: 'Rate',
  quantity: 'Expected quantity',
  amount: 'Expected amount',
  quantityDifference: 'Quantity difference',
  amountDifference: 'Amount difference',
  unmeasured: 'Half-hours not measured',
  verdict: 'Verdict',
  atStake: 'At stake',
} as const;

const LINE_FORMATS: Partial<Record<string, string>> = {
  [LINE.first]: 'yyyy-mm-dd',
  [LINE.last]: 'yyyy-mm-dd',
  [LINE.billedQuantity]: '#,##0.00',
  [LINE.billedAmount]: '#,##0.00',
  [LINE.quantity]: '#,##0.00',
  [LINE.amount]: '#,##0.00',
  [LINE.quantityDifference]: '#,##0.00;[Red]-#,##0.00',
  [LINE.amountDifference]: '#,##0.00;[Red]-#,##0.00',
  [LINE.atStake]: '#,##0.00',
};

const here = (column: string): string => `[@[${column}]]`;
const days = `(${here(LINE.last)}-${here(LINE.first)}+1)`;

/** The formulas a line's cells share, given the table names. */
function formulasFor(names: BillCheckNames) {
  const t = (column: string): string => `${names.tariffs}[${column}]`;
  const key = `${here(LINE.tariff)}&" | "&${here(LINE.line)}`;
  const lookup = (column: string): string => `INDEX(${t(column)},MATCH(${key},${t('Lookup key')},0))`;
  const tariffValue = (kind: ChargeKind): string => `SUMIFS(${t('Value')},${t('Tariff')},${here(LINE.tariff)},${t('Kind')},"${kind}")`;
  const tz = '$B$5';
  const period = `${here(LINE.supply)},${here(LINE.first)},${here(LINE.last)},${tz}`;
  const supplyPeriod = `${here(LINE.supply)},${here(LINE.reactive)},${here(LINE.first)},${here(LINE.last)}`;
  const demand = (measure: string, extra = ''): string => `DCS.DEMAND(${supplyPeriod},"${measure}",${tz}${extra})`;
  return { lookup, tariffValue, period, demand, tz };
}

/** The expected quantity's formula for a line of this kind (gas: units and levies converted to kWh). */
function quantityFormula(kind: ChargeKind, row: TariffRow, gas: boolean, names: BillCheckNames): string {
  const f = formulasFor(names);
  const toKwh = gas ? `*(${f.tariffValue('correction factor')}*${f.tariffValue('calorific value')}/3.6)` : '';
  const measure = String(row.value).toLowerCase() === 'kw' ? 'maxKw' : 'maxKva';
  switch (kind) {
    case 'unit':
      return `=DCS.CONSUMPTION(${f.period},${here(LINE.times)})${toKwh}`;
    case 'levy':
      return `=DCS.CONSUMPTION(${f.period})${toKwh}`;
    case 'standing charge':
    case 'sewerage standing charge':
      return `=${days}`;
    case 'availability':
      return `=${f.tariffValue('availability')}*${days}`;
    case 'excess capacity':
      return `=MAX(0,${f.demand('maxKva')}-${f.tariffValue('availability')})*${days}`;
    case 'maximum demand':
      return `=${f.demand(measure)}`;
    case 'reactive':
      return `=${f.demand('excessKvarh', `,${f.tariffValue('reactive')}`)}`;
    case 'sewerage':
      return `=DCS.CONSUMPTION(${f.period})*${f.tariffValue('sewerage')}`;
    case 'vat':
      return `=ROUND(SUMIFS([${LINE.billedAmount}],[${LINE.invoice}],${here(LINE.invoice)},[${LINE.line}],"<>VAT"),2)`;
    default:
      return '';
  }
}

/** Kinds whose quantity is the calendar or the invoice, never the meter (no DATA QUALITY on them). */
const NOT_METERED: ReadonlySet<ChargeKind> = new Set(['standing charge', 'sewerage standing charge', 'availability', 'vat']);

function verdictFormula(kind: ChargeKind, billed: boolean): string {
  if (!billed) return `=IF(${here(LINE.amount)}=0,"OK","NOT ON BILL")`;
  const allowance = kind === 'vat' ? '$B$7' : `$B$7+ABS(${here(LINE.rate)})*$B$6`;
  const quantityOk = `IF(${here(LINE.quantityDifference)}="",TRUE,ABS(${here(LINE.quantityDifference)})<=$B$6)`;
  const amountOk = `ABS(${here(LINE.amountDifference)})<=${allowance}+0.000000001`;
  const rateWrong = `AND(${here(LINE.billedRate)}<>"",ABS(N(${here(LINE.billedRate)})-${here(LINE.rate)})>=0.000000001)`;
  return `=IF(${rateWrong},"CHECK",IF(AND(${quantityOk},${amountOk}),"OK",IF(N(${here(LINE.unmeasured)})>0,"DATA QUALITY","CHECK")))`;
}

/** One sheet row for an invoice line: paired with the tariff's charge of that name, or NOT EXPECTED. */
interface LineRowInput {
  invoice: InvoiceInput;
  line: InvoiceLineInput | undefined;
  charge: TariffRow | undefined;
  gas: boolean;
  names: BillCheckNames;
  day: (text: string) => number;
}

function lineRow({ invoice, line, charge, gas, names, day }: LineRowInput): CellValue[] {
  const f = formulasFor(names);
  const billed = line !== undefined;
  const inputs: CellValue[] = [
    invoice.reference,
    invoice.supplier,
    invoice.tariff,
    invoice.supply,
    invoice.reactive,
    day(invoice.firstDay),
    day(invoice.lastDay),
    line?.name ?? charge?.charge ?? '',
    line?.quantity ?? '',
    line?.rate ?? '',
    line?.amount ?? '',
  ];
  if (charge === undefined)
    return [
      ...inputs,
      'not in tariff',
      '',
      '',
      '',
      '',
      '',
      `=ROUND(N(${here(LINE.billedAmount)}),2)`,
      '',
      'NOT EXPECTED',
      `=ABS(${here(LINE.amountDifference)})`,
    ];
  const kind = charge.kind;
  return [
    ...inputs,
    kind,
    kind === 'unit' ? `=${f.lookup('Times')}&""` : '',
    `=${f.lookup('Rate')}`,
    quantityFormula(kind, charge, gas, names),
    `=ROUND(${here(LINE.quantity)}*${here(LINE.rate)},2)`,
    // Rounded to 6 places: what is left beyond is binary noise of the subtraction (no -0.00 shown).
    `=IF(${here(LINE.billedQuantity)}="","",ROUND(${here(LINE.billedQuantity)}-${here(LINE.quantity)},6))`,
    `=ROUND(N(${here(LINE.billedAmount)})-${here(LINE.amount)},2)`,
    NOT_METERED.has(kind) ? '' : `=${f.demand('estimated')}+${f.demand('missing')}`,
    verdictFormula(kind, billed),
    `=IF(${here(LINE.verdict)}="OK",0,ABS(${here(LINE.amountDifference)}))`,
  ];
}

/** An invoice's rows: its own lines in its order (paired by name, case and spacing ignored), then the tariff's charges it lacks. */
function invoiceRows(invoice: InvoiceInput, charges: readonly TariffRow[], names: BillCheckNames, day: (text: string) => number): CellValue[][] {
  const keyOf = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();
  const lines = charges.filter((c) => !NOT_A_LINE.has(c.kind));
  const gas = charges.some((c) => c.kind === 'calorific value');
  const seen = new Set<string>();
  const rows = invoice.lines.map((line) => {
    const key = keyOf(line.name);
    const charge = seen.has(key) ? undefined : lines.find((c) => keyOf(c.charge) === key);
    seen.add(key);
    return lineRow({ invoice, line, charge, gas, names, day });
  });
  for (const charge of lines) if (!seen.has(keyOf(charge.charge))) rows.push(lineRow({ invoice, line: undefined, charge, gas, names, day }));
  return rows;
}

function invoicesTable(invoices: readonly InvoiceInput[], names: BillCheckNames, day: (text: string) => number): TableLayout {
  const l = (column: string): string => `${names.lines}[${column}]`;
  const mine = `${l(LINE.invoice)},[@Invoice]`;
  const vatRate = `INDEX(${names.tariffs}[Rate],MATCH([@Tariff]&" | VAT",${names.tariffs}[Lookup key],0))`;
  const money = '#,##0.00';
  const columns = [
    { header: 'Invoice' },
    { header: 'Supplier' },
    { header: 'Tariff' },
    { header: 'Supply' },
    { header: 'First day', numberFormat: 'yyyy-mm-dd' },
    { header: 'Last day', numberFormat: 'yyyy-mm-dd' },
    { header: 'Lines' },
    { header: 'Lines not OK' },
    { header: 'Billed total', numberFormat: money },
    { header: 'Expected net', numberFormat: money },
    { header: 'Expected VAT', numberFormat: money },
    { header: 'Expected total', numberFormat: money },
    { header: 'Difference', numberFormat: '#,##0.00;[Red]-#,##0.00' },
    { header: 'At stake', numberFormat: money },
    { header: 'Result' },
  ];
  const rows = invoices.map((i): CellValue[] => [
    i.reference,
    i.supplier,
    i.tariff,
    i.supply,
    day(i.firstDay),
    day(i.lastDay),
    `=COUNTIFS(${mine})`,
    `=COUNTIFS(${mine},${l(LINE.verdict)},"<>OK")`,
    `=ROUND(SUMIFS(${l(LINE.billedAmount)},${mine}),2)`,
    `=ROUND(SUMIFS(${l(LINE.amount)},${mine},${l(LINE.kind)},"<>vat"),2)`,
    `=ROUND([@[Expected net]]*${vatRate},2)`,
    '=ROUND([@[Expected net]]+[@[Expected VAT]],2)',
    '=ROUND([@[Billed total]]-[@[Expected total]],2)',
    `=ROUND(SUMIFS(${l(LINE.atStake)},${mine}),2)`,
    '=IF([@[Lines not OK]]=0,"OK","CHECK")',
  ]);
  return { name: names.invoices, topLeft: `A${INVOICES_ROW}`, columns, rows };
}

export interface BillCheckInput {
  invoices: readonly InvoiceInput[];
  tariffs: ReadonlyMap<string, readonly TariffRow[]>;
  timeZone: string;
  names: BillCheckNames;
  dateSystem: DateSystem;
}

export function billCheckLayout(input: BillCheckInput): BillCheckLayout {
  const { invoices, tariffs, timeZone, names } = input;
  const day = (text: string): number => naiveDateTimeToSerial(text, input.dateSystem);
  const lines: CellValue[][] = invoices.flatMap((invoice) => invoiceRows(invoice, tariffs.get(invoice.tariff) ?? [], names, day));
  const invoiceTable = invoicesTable(invoices, names, day);
  const l = (column: string): string => `${names.lines}[${column}]`;
  return {
    title: 'Bill check',
    notes: [
      'Each invoice line against the tariff (Tariffs sheet) and the meter: quantities from =DCS.CONSUMPTION and =DCS.DEMAND, money as ROUND(quantity × rate, 2).',
      'Verdicts as POST /api/bills gives them: OK, CHECK, DATA QUALITY (half-hours behind the line estimated or missing), NOT ON BILL, NOT EXPECTED.',
    ],
    settings: [
      { label: 'Time zone', address: SETTINGS.timeZone, value: timeZone, note: 'where the billing days begin and end (IANA name)' },
      {
        label: 'Quantity tolerance',
        address: SETTINGS.quantityTolerance,
        value: 0.5,
        numberFormat: '0.00',
        note: 'units a billed quantity may differ by (invoices round)',
      },
      {
        label: 'Amount tolerance',
        address: SETTINGS.amountTolerance,
        value: 0.01,
        numberFormat: '0.00',
        note: "money a line may differ by, beyond what the quantity's tolerance is worth",
      },
    ],
    summary: [
      { label: 'Invoices', address: 'H5', formula: `=COUNTA(${names.invoices}[Invoice])`, numberFormat: '0' },
      { label: 'Invoices passed', address: 'H6', formula: `=COUNTIFS(${names.invoices}[Lines not OK],0)`, numberFormat: '0' },
      { label: 'Lines', address: 'H7', formula: `=COUNTA(${l(LINE.line)})`, numberFormat: '0' },
      { label: 'Lines OK', address: 'H8', formula: `=COUNTIFS(${l(LINE.verdict)},"OK")`, numberFormat: '0' },
      { label: 'Lines to check', address: 'H9', formula: `=COUNTIFS(${l(LINE.verdict)},"<>OK")`, numberFormat: '0' },
      { label: 'Money at stake', address: 'H10', formula: `=ROUND(SUM(${l(LINE.atStake)}),2)`, numberFormat: '#,##0.00' },
    ],
    invoices: invoiceTable,
    lines: {
      name: names.lines,
      topLeft: `A${INVOICES_ROW + Math.max(1, invoices.length) + 3}`,
      columns: Object.values(LINE).map((header) => ({ header, ...(LINE_FORMATS[header] !== undefined && { numberFormat: LINE_FORMATS[header] }) })),
      rows: lines,
    },
  };
}

/** The Tariffs table and the layout's two tables as the formula engine reads them (preview/sheet-calculation.ts). */
export function layoutTables(
  layout: BillCheckLayout,
  names: BillCheckNames,
  tariffHeaders: readonly string[],
  tariffCells: CellValue[][],
): Array<{ name: string; headers: string[]; rows: CellValue[][] }> {
  return [
    { name: names.tariffs, headers: [...tariffHeaders], rows: tariffCells },
    { name: names.invoices, headers: layout.invoices.columns.map((c) => c.header), rows: layout.invoices.rows },
    { name: names.lines, headers: layout.lines.columns.map((c) => c.header), rows: layout.lines.rows },
  ];
}
