/**
 * What the invoice-check sheet holds, as plain data: the settings block, the table's columns
 * with the formula each calculated column carries, the example rows, the formats and the
 * conditional-format rules. DOM-free and Excel-free, so the layout can be checked in Node and
 * the sheet writer stays a thin translation into Excel calls.
 *
 * Everything that computes is a formula over the row's own cells and the settings cells, never
 * a pasted value: the workbook keeps working after save and reopen, a new row typed below the
 * table gets the formulas by Excel's calculated-column fill, and recalculation (Refresh all on
 * the DCS tab, Ctrl+Alt+F9) asks DCS again.
 */

export type CellValue = string | number;

export interface InvoiceExample {
  reference: string;
  supplier: string;
  sourceId: string;
  /** Excel date serials (whole days); the end day is included in the period. */
  periodStart: number;
  periodEnd: number;
  /** Blank when unknown: the row's result then stays empty until the user fills it. */
  billed: number | '';
}

export interface SettingsCell {
  label: string;
  /** A1 address of the value cell, e.g. `B4`. */
  address: string;
  value: CellValue;
  numberFormat?: string;
  note: string;
}

export interface InvoiceColumn {
  header: string;
  /** Formula for calculated columns (structured references to the same row), else undefined. */
  formula?: string;
  numberFormat?: string;
  /** What the column means, for the notes above the table. */
  meaning: string;
}

export interface ConditionalRule {
  /** Formula relative to the top-left cell of `appliesTo`. */
  formula: string;
  fill: string;
  font: string;
  /** `row`: the whole table row; `result`: the Result cell only. */
  appliesTo: 'row' | 'result';
}

export interface InvoiceSheetLayout {
  title: string;
  notes: string[];
  settings: { timeZone: SettingsCell; tolerance: SettingsCell; allowance: SettingsCell };
  /** A1 address of the table's header row's first cell. */
  tableTopLeft: string;
  columns: InvoiceColumn[];
  /** One row per example: input values for input columns, formulas for calculated ones. */
  rows: Array<Array<{ value?: CellValue; formula?: string }>>;
  conditionalRules: ConditionalRule[];
}

/** Where the blocks sit. Settings in column B, rows 4-6; the table from row 8. */
const SETTINGS_TOP_ROW = 4;
const TABLE_HEADER_ROW = 8;

export const COLUMN = {
  reference: 'Invoice reference',
  supplier: 'Supplier',
  sourceId: 'Source id',
  start: 'First day',
  end: 'Last day (included)',
  billed: 'Billed quantity',
  metered: 'Metered quantity',
  difference: 'Difference',
  differencePercent: 'Difference %',
  result: 'Result',
  estimated: 'Estimated half-hours',
  resets: 'Reset half-hours',
  missing: 'Missing half-hours',
} as const;

/** The structured reference to a column of the same row: `[@[First day]]`. */
function here(column: string): string {
  return `[@[${column}]]`;
}

/** The arguments every DCS formula of a row shares. */
function sourceAndPeriod(): string {
  return `${here(COLUMN.sourceId)},${here(COLUMN.start)},${here(COLUMN.end)}`;
}

export function invoiceSheetLayout(examples: readonly InvoiceExample[], timeZone: string): InvoiceSheetLayout {
  const tz = `$B$${SETTINGS_TOP_ROW}`;
  const tolerance = `$B$${SETTINGS_TOP_ROW + 1}`;
  const allowance = `$B$${SETTINGS_TOP_ROW + 2}`;
  // A row without a source id stays blank instead of showing #VALUE! while it is being typed.
  const unlessNoSource = (formula: string): string => `=IF(${here(COLUMN.sourceId)}="","",${formula})`;
  const quality = (measure: string): string => unlessNoSource(`DCS.QUALITY(${sourceAndPeriod()},"${measure}",${tz})`);
  const billed = here(COLUMN.billed);
  const metered = here(COLUMN.metered);
  const difference = here(COLUMN.difference);
  const percent = here(COLUMN.differencePercent);

  const columns: InvoiceColumn[] = [
    { header: COLUMN.reference, meaning: "the supplier's invoice number" },
    { header: COLUMN.supplier, meaning: 'who billed you' },
    { header: COLUMN.sourceId, meaning: 'the DCS register (R…) or virtual meter (VM…) that measures what was billed; =DCS.SOURCES() lists them' },
    { header: COLUMN.start, numberFormat: 'yyyy-mm-dd', meaning: 'first day billed' },
    { header: COLUMN.end, numberFormat: 'yyyy-mm-dd', meaning: 'last day billed: the whole day is included' },
    { header: COLUMN.billed, numberFormat: '#,##0.0', meaning: "the quantity on the invoice, in the source's unit" },
    {
      header: COLUMN.metered,
      formula: unlessNoSource(`DCS.CONSUMPTION(${sourceAndPeriod()},${tz})`),
      numberFormat: '#,##0.0',
      meaning: 'what DCS recorded over the period',
    },
    {
      header: COLUMN.difference,
      formula: `=IF(OR(${billed}="",${metered}=""),"",${billed}-${metered})`,
      numberFormat: '#,##0.0;[Red]-#,##0.0',
      meaning: 'billed minus metered: positive means billed for more than was metered',
    },
    {
      header: COLUMN.differencePercent,
      formula: `=IF(${difference}="","",IF(${metered}=0,IF(${difference}=0,0,1),${difference}/${metered}))`,
      numberFormat: '0.0%',
      meaning: 'the difference as a share of the metered quantity',
    },
    {
      header: COLUMN.result,
      formula:
        `=IF(${percent}="","",` +
        `IF(OR(${here(COLUMN.resets)}>0,${here(COLUMN.estimated)}+${here(COLUMN.missing)}>${allowance}),"DATA QUALITY",` +
        `IF(ABS(${percent})<=${tolerance},"OK","CHECK")))`,
      meaning: 'OK: within tolerance; CHECK: query the invoice; DATA QUALITY: check the metering first',
    },
    { header: COLUMN.estimated, formula: quality('interpolated'), numberFormat: '0', meaning: 'half-hours DCS estimated' },
    { header: COLUMN.resets, formula: quality('resets'), numberFormat: '0', meaning: 'half-hours across a register reset (e.g. a meter exchange)' },
    { header: COLUMN.missing, formula: quality('missing'), numberFormat: '0', meaning: 'half-hours with no reading' },
  ];

  const rows = exampleRows(examples, columns);

  const resultLetter = columnLetter(columns.findIndex((c) => c.header === COLUMN.result));
  const firstDataRow = TABLE_HEADER_ROW + 1;
  return {
    title: 'Invoice check',
    notes: [
      'Metered quantities come from DCS through =DCS.CONSUMPTION. A period runs from the start of its first day to the end of its last day, in the time zone below.',
      'Refresh all on the DCS tab (or Ctrl+Alt+F9) asks DCS again. Add invoices as new rows: the formulas fill in by themselves.',
    ],
    settings: invoiceSettings(timeZone),
    tableTopLeft: `A${TABLE_HEADER_ROW}`,
    columns,
    rows,
    conditionalRules: [
      { formula: `=$${resultLetter}${firstDataRow}="CHECK"`, fill: '#FFC7CE', font: '#9C0006', appliesTo: 'row' },
      { formula: `=$${resultLetter}${firstDataRow}="DATA QUALITY"`, fill: '#FFEB9C', font: '#9C5700', appliesTo: 'row' },
      { formula: `=$${resultLetter}${firstDataRow}="OK"`, fill: '#C6EFCE', font: '#006100', appliesTo: 'result' },
    ],
  };
}

/** `A` for 0, `Z` for 25, `AA` for 26. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The A1 range of the table (header row plus `rows` data rows). */
export function tableAddress(layout: InvoiceSheetLayout): string {
  const top = Number(layout.tableTopLeft.slice(1));
  const last = top + Math.max(1, layout.rows.length);
  return `A${top}:${columnLetter(layout.columns.length - 1)}${last}`;
}

/** The example invoices as rows: their own values, and each column's formula. */
function exampleRows(examples: readonly InvoiceExample[], columns: readonly InvoiceColumn[]): InvoiceSheetLayout['rows'] {
  return examples.map((example) =>
    columns.map((column) => {
      if (column.formula !== undefined) return { formula: column.formula };
      const value: CellValue =
        {
          [COLUMN.reference]: example.reference,
          [COLUMN.supplier]: example.supplier,
          [COLUMN.sourceId]: example.sourceId,
          [COLUMN.start]: example.periodStart,
          [COLUMN.end]: example.periodEnd,
          [COLUMN.billed]: example.billed,
        }[column.header] ?? '';
      return { value };
    }),
  );
}

/** The settings block above the table: zone, tolerance and the half-hours allowed. */
function invoiceSettings(timeZone: string): InvoiceSheetLayout['settings'] {
  return {
    timeZone: {
      label: 'Time zone',
      address: `B${SETTINGS_TOP_ROW}`,
      value: timeZone,
      note: 'IANA name, e.g. Europe/London or UTC: where the billing days begin and end',
    },
    tolerance: {
      label: 'Tolerance',
      address: `B${SETTINGS_TOP_ROW + 1}`,
      value: 0.02,
      numberFormat: '0.0%',
      note: 'a difference up to this share of the metered quantity is OK',
    },
    allowance: {
      label: 'Half-hours allowed',
      address: `B${SETTINGS_TOP_ROW + 2}`,
      value: 0,
      numberFormat: '0',
      note: 'estimated + missing half-hours a row may have; more than this (or any reset) gives DATA QUALITY',
    },
  };
}
