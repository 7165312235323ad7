/**
 * The invoice-check sheet's layout, calculated the way Excel would calculate it: which rows
 * come out OK, CHECK or DATA QUALITY for which metered figures, and that every figure is a
 * formula over the row's own cells and the settings cells (so it survives save and reopen,
 * and recalculation fetches it again).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMN, invoiceSheetLayout, tableAddress, type InvoiceExample, type InvoiceSheetLayout } from '../../../addin/invoice/layout';
import { chooseExamples, monthBefore } from '../../../addin/invoice/examples';
import type { DateSystem } from '../../../addin/excel/dates';
import type { Source } from '../../../server/api/types';
import { calculateRow, type SheetRow } from './calculate';
import { ExcelErrorValue, type Value } from '../../../addin/preview/formula';

const APRIL_1 = 45383;
const APRIL_30 = 45412;

function example(overrides: Partial<InvoiceExample> = {}): InvoiceExample {
  return { reference: 'INV-1', supplier: 'Acme Energy', sourceId: 'R1001', periodStart: APRIL_1, periodEnd: APRIL_30, billed: 1000, ...overrides };
}

/** The layout's first data row as header -> constant or formula. */
function rowOf(layout: InvoiceSheetLayout, index = 0): SheetRow {
  const row: SheetRow = {};
  layout.columns.forEach((column, i) => {
    const cell = layout.rows[index][i];
    row[column.header] = cell.formula ?? cell.value ?? null;
  });
  return row;
}

interface Metering {
  consumption: number | ExcelErrorValue;
  interpolated?: number;
  resets?: number;
  missing?: number;
}

/** Settings cells plus fake DCS functions answering `metering`, recording their arguments. */
function sheet(layout: InvoiceSheetLayout, metering: Metering, settings: Partial<Record<'tolerance' | 'allowance' | 'timeZone', Value>> = {}) {
  const cells: Record<string, Value> = {
    [layout.settings.timeZone.address]: settings.timeZone ?? layout.settings.timeZone.value,
    [layout.settings.tolerance.address]: settings.tolerance ?? layout.settings.tolerance.value,
    [layout.settings.allowance.address]: settings.allowance ?? layout.settings.allowance.value,
  };
  const calls: Array<{ name: string; args: Value[] }> = [];
  const functions = async (name: string, args: Value[]): Promise<Value> => {
    calls.push({ name, args });
    if (name === 'DCS.CONSUMPTION') return metering.consumption;
    if (name === 'DCS.QUALITY') {
      if (metering.consumption instanceof ExcelErrorValue) return metering.consumption;
      const measure = args[3] as 'interpolated' | 'resets' | 'missing';
      return metering[measure] ?? 0;
    }
    throw new Error(`unexpected function ${name}`);
  };
  return { cell: (address: string) => cells[address] ?? null, functions, calls };
}

async function calculate(layout: InvoiceSheetLayout, metering: Metering, settings?: Parameters<typeof sheet>[2], row = rowOf(layout)) {
  const s = sheet(layout, metering, settings);
  return { values: await calculateRow(row, s.cell, s.functions), calls: s.calls };
}

describe('the invoice-check table', () => {
  const layout = invoiceSheetLayout([example()], 'Europe/London');

  it('has the columns an invoice checker reads, in order', () => {
    assert.deepEqual(
      layout.columns.map((c) => c.header),
      [
        'Invoice reference',
        'Supplier',
        'Source id',
        'First day',
        'Last day (included)',
        'Billed quantity',
        'Metered quantity',
        'Difference',
        'Difference %',
        'Result',
        'Estimated half-hours',
        'Reset half-hours',
        'Missing half-hours',
      ],
    );
    assert.equal(tableAddress(layout), 'A8:M9');
  });

  it('computes every figure with formulas, none pasted', () => {
    const calculated = [COLUMN.metered, COLUMN.difference, COLUMN.differencePercent, COLUMN.result, COLUMN.estimated, COLUMN.resets, COLUMN.missing];
    for (const header of calculated) {
      const i = layout.columns.findIndex((c) => c.header === header);
      assert.match(String(layout.rows[0][i].formula), /^=/, header);
      assert.equal(layout.rows[0][i].value, undefined, header);
    }
    assert.match(String(layout.columns[6].formula), /DCS\.CONSUMPTION\(\[@\[Source id\]\],\[@\[First day\]\],\[@\[Last day \(included\)\]\],\$B\$4\)/);
  });

  it("asks DCS for the row's source and period in the sheet's time zone, once per figure", async () => {
    const { calls } = await calculate(layout, { consumption: 1000 }, { timeZone: 'UTC' });
    const asked = calls.map((c) => JSON.stringify([c.name, ...c.args])).sort();
    assert.deepEqual(
      asked,
      [
        ['DCS.CONSUMPTION', 'R1001', APRIL_1, APRIL_30, 'UTC'],
        ['DCS.QUALITY', 'R1001', APRIL_1, APRIL_30, 'interpolated', 'UTC'],
        ['DCS.QUALITY', 'R1001', APRIL_1, APRIL_30, 'missing', 'UTC'],
        ['DCS.QUALITY', 'R1001', APRIL_1, APRIL_30, 'resets', 'UTC'],
      ].map((call) => JSON.stringify(call)),
    );
  });

  it('says OK when billed is within the tolerance of metered', async () => {
    const { values } = await calculate(layout, { consumption: 990 });
    assert.equal(values[COLUMN.metered], 990);
    assert.equal(values[COLUMN.difference], 10);
    assert.ok(Math.abs((values[COLUMN.differencePercent] as number) - 10 / 990) < 1e-12);
    assert.equal(values[COLUMN.result], 'OK');
  });

  it('says CHECK when billed differs by more than the tolerance, either way', async () => {
    assert.equal((await calculate(layout, { consumption: 900 })).values[COLUMN.result], 'CHECK');
    assert.equal((await calculate(layout, { consumption: 1100 })).values[COLUMN.result], 'CHECK');
  });

  it('follows the tolerance cell: 15 % makes a 10 % difference OK', async () => {
    assert.equal((await calculate(layout, { consumption: 910 }, { tolerance: 0.15 })).values[COLUMN.result], 'OK');
  });

  it('says DATA QUALITY for a reset, or estimated + missing half-hours beyond the allowance', async () => {
    assert.equal((await calculate(layout, { consumption: 1000, resets: 1 })).values[COLUMN.result], 'DATA QUALITY');
    assert.equal((await calculate(layout, { consumption: 1000, interpolated: 2, missing: 1 })).values[COLUMN.result], 'DATA QUALITY');
    const allowed = await calculate(layout, { consumption: 1000, interpolated: 2, missing: 1 }, { allowance: 3 });
    assert.equal(allowed.values[COLUMN.result], 'OK');
    assert.equal(allowed.values[COLUMN.estimated], 2);
    assert.equal(allowed.values[COLUMN.missing], 1);
  });

  it('never says OK when DCS could not give a figure: the error shows instead', async () => {
    const { values } = await calculate(layout, { consumption: new ExcelErrorValue('#N/A', 'Not signed in') });
    assert.ok(values[COLUMN.metered] instanceof ExcelErrorValue);
    assert.ok(values[COLUMN.result] instanceof ExcelErrorValue);
  });

  it('leaves the result blank until a billed quantity is typed, and the whole row blank without a source', async () => {
    const noBill = await calculate(layout, { consumption: 1000 }, undefined, { ...rowOf(layout), [COLUMN.billed]: null });
    assert.equal(noBill.values[COLUMN.metered], 1000);
    assert.equal(noBill.values[COLUMN.result], '');
    const empty = await calculate(layout, { consumption: 1000 }, undefined, { ...rowOf(layout), [COLUMN.sourceId]: null, [COLUMN.billed]: null });
    for (const header of [COLUMN.metered, COLUMN.difference, COLUMN.result, COLUMN.missing]) assert.equal(empty.values[header], '', header);
    assert.equal(empty.calls.length, 0);
  });

  it('highlights CHECK and DATA QUALITY rows and OK results through the Result column', () => {
    assert.deepEqual(
      layout.conditionalRules.map((r) => [r.formula, r.appliesTo]),
      [
        ['=$J9="CHECK"', 'row'],
        ['=$J9="DATA QUALITY"', 'row'],
        ['=$J9="OK"', 'result'],
      ],
    );
  });
});

describe('the worked examples', () => {
  const demoSources: Source[] = [
    {
      id: 'R1001',
      kind: 'register',
      name: 'Active Energy Import',
      unit: 'kWh',
      isInstantaneous: false,
      meter: { id: 1, name: 'Main Library - Electricity Main Incomer' },
    },
    {
      id: 'R1002',
      kind: 'register',
      name: 'Active Power',
      unit: 'kW',
      isInstantaneous: true,
      meter: { id: 1, name: 'Main Library - Electricity Main Incomer' },
    },
    { id: 'R1052', kind: 'register', name: 'Water Volume', unit: 'm3', isInstantaneous: false, meter: { id: 9, name: 'Sports Centre - Water' } },
  ];
  const now = new Date('2025-06-15T12:00:00Z');
  /** The examples against a real DCS (no simulator), in a workbook of the given date system. */
  const onRealDcs = (dateSystem: DateSystem) =>
    chooseExamples({
      sources: async () => demoSources,
      isSimulator: async () => false,
      metered: async () => assert.fail('a real estate has no made-up bills'),
      now,
      timeZone: 'UTC',
      dateSystem,
    });

  it('on the demo estate: last month and the month before on the library electricity, last year on the exchanged water meter', async () => {
    const asked: string[] = [];
    const examples = await chooseExamples({
      sources: async () => demoSources,
      isSimulator: async () => true,
      metered: async (id, start, end, zone) => {
        asked.push(`${id} ${start} ${end} ${zone}`);
        return 1000;
      },
      now,
      timeZone: 'Europe/London',
      dateSystem: 1900,
    });
    assert.deepEqual(asked, [
      'R1001 2025-05-01 2025-05-31 Europe/London',
      'R1001 2025-04-01 2025-04-30 Europe/London',
      'R1052 2024-01-01 2024-12-31 Europe/London',
    ]);
    assert.deepEqual(
      examples.map((e) => [e.sourceId, e.billed]),
      [
        ['R1001', 1004],
        ['R1001', 1065],
        ['R1052', 1000],
      ],
    );
    assert.equal(examples[0].periodStart, 45778); // 2025-05-01
    assert.equal(examples[0].periodEnd, 45808); // 2025-05-31
  });

  it('on a real DCS: one example on its first cumulative register, billed left for the user', async () => {
    const examples = await onRealDcs(1900);
    assert.deepEqual(
      examples.map((e) => [e.sourceId, e.billed]),
      [['R1001', '']],
    );
  });

  it('in a 1904-date workbook, writes the example periods as 1904 serials (issue 17, defect 4)', async () => {
    const examples = await onRealDcs(1904);
    // 2025-05-01 is day 45,778 counted from 1900 and 1,462 fewer (44,316) counted from 1904.
    assert.equal(examples[0].periodStart, 44316);
    assert.equal(examples[0].periodEnd, 44346);
  });

  it('counts months back across a year boundary', () => {
    assert.deepEqual(monthBefore(2025, 1, 1), { start: '2024-12-01', end: '2024-12-31' });
    assert.deepEqual(monthBefore(2025, 3, 1), { start: '2025-02-01', end: '2025-02-28' });
  });
});
