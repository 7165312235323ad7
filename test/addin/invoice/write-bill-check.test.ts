/**
 * The Tariffs and Bill check sheets written into the in-memory workbook: the tables, their
 * formulas and names, the Tariffs table read back as it was written, a second check under new
 * names, Refresh finding the DCS formulas; and a bad import (CSV or tariff row) writing nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recalculateDcsFunctions } from '../../../addin/functions/recalculate';
import { readInvoiceLines, InvoiceImportError } from '../../../addin/invoice/invoice-lines';
import { EXAMPLE_TARIFF, TariffTableError, tariffRows } from '../../../addin/invoice/tariff-table';
import { readWorkbookTariffs, writeBillCheckSheet, writeTariffsSheet } from '../../../addin/invoice/write-bill-check';
import { mockExcel } from '../support/workbook';

const CSV = [
  'invoice,tariff,supply,reactive,firstDay,lastDay,line,quantity,amount',
  'INV-1,Example electricity,R1001,R1147,2024-10-01,2024-10-31,Day,72868.55,16256.97',
  'INV-1,Example electricity,R1001,R1147,2024-10-01,2024-10-31,Standing charge,31,387.5',
  'INV-1,Example electricity,R1001,R1147,2024-10-01,2024-10-31,Delivery fee,,12',
].join('\n');

describe('the Bill check sheets in the in-memory workbook', () => {
  it('writes the Tariffs table, reads it back as written, and a Bill check sheet whose quantities are DCS formulas', async () => {
    const { context, view } = mockExcel();
    const rows = tariffRows('Example electricity', EXAMPLE_TARIFF);
    assert.equal(await readWorkbookTariffs(context), undefined, 'a new workbook has no Tariffs table');
    await writeTariffsSheet(context, rows);
    const tariffs = await readWorkbookTariffs(context);
    assert.deepEqual(tariffs?.get('Example electricity'), rows);

    const invoices = readInvoiceLines(CSV, (name) => tariffs.has(name));
    const first = await writeBillCheckSheet(context, { invoices, tariffs: tariffs, timeZone: 'Europe/London', dateSystem: 1900 });
    const second = await writeBillCheckSheet(context, { invoices, tariffs: tariffs, timeZone: 'Europe/London', dateSystem: 1900 });
    assert.deepEqual([first, second], ['Bill check', 'Bill check 2']);
    assert.deepEqual(view.tableNames(), ['Tariffs', 'BillInvoices', 'BillLines', 'BillInvoices2', 'BillLines2']);

    const lines = view.tableValues('BillLines');
    const header = lines[0] as string[];
    const info = view.tableInfo('BillLines')!;
    const formula = (row: number, column: string) => view.cellFormula('Bill check', info.row + row, header.indexOf(column));
    // The invoice's three lines, then the tariff's charges it does not have (NOT ON BILL unless nothing is due).
    assert.deepEqual(
      lines.slice(1).map((r) => r[header.indexOf('Line')]),
      ['Day', 'Standing charge', 'Delivery fee', 'Night', 'Availability', 'Excess capacity', 'Maximum demand', 'Reactive power', 'CCL', 'VAT'],
    );
    assert.match(formula(1, 'Expected quantity')!, /^=DCS\.CONSUMPTION\(\[@\[Supply\]\],\[@\[First day\]\],\[@\[Last day\]\],\$B\$5,\[@\[Times\]\]\)$/);
    assert.equal(formula(2, 'Expected quantity'), '=([@[Last day]]-[@[First day]]+1)');
    assert.equal(view.cell('Bill check', info.row + 3, header.indexOf('Verdict')), 'NOT EXPECTED');
    assert.match(formula(7, 'Expected quantity')!, /DCS\.DEMAND\(.*"maxKva"/);
    assert.match(formula(1, 'Rate')!, /^=INDEX\(Tariffs\[Rate\],MATCH\(/);
    assert.match(formula(1, 'Expected amount')!, /^=ROUND\(\[@\[Expected quantity\]\]\*\[@\[Rate\]\],2\)$/);
    assert.equal(view.cellFormat('Bill check', info.row + 1, header.indexOf('First day')), 'yyyy-mm-dd');
    assert.equal(view.cell('Bill check', info.row + 1, header.indexOf('First day')), 45566, '2024-10-01 as a date serial');

    assert.deepEqual(await recalculateDcsFunctions(context), ['Bill check', 'Bill check 2'], "Refresh finds the sheets' DCS formulas");
  });

  it('refuses a Tariffs table it cannot read, naming the row and column', async () => {
    const { context, view } = mockExcel();
    const rows = tariffRows('Example electricity', EXAMPLE_TARIFF);
    await writeTariffsSheet(context, [...rows, { ...rows[0], charge: 'Peak', kind: 'unit' }]);
    const info = view.tableInfo('Tariffs')!;
    view.type('Tariffs', info.row + 1 + rows.length, 2, 'peak rate');
    await assert.rejects(readWorkbookTariffs(context), (error: unknown) => {
      assert.ok(error instanceof TariffTableError);
      assert.equal(
        error.message,
        `Tariffs table, row ${rows.length + 1}, Kind: "peak rate" is not a kind; use one of unit, standing charge, availability, excess capacity, maximum demand, reactive, levy, vat, calorific value, correction factor, sewerage, sewerage standing charge`,
      );
      return true;
    });
  });

  it('names every bad row and column of an import, and a failed import leaves the workbook as it was', async () => {
    const bad = [
      'invoice,tariff,supply,firstDay,lastDay,line,amount',
      'INV-1,Example electricity,R1001,2024-10-01,2024-10-31,Day,16256.97',
      'INV-1,Example electricity,R1002,2024-10-01,2024-10-31,Night,abc',
      'INV-2,Nobody,1001,01/10/2024,2024-10-31,Day,1',
    ].join('\n');
    const { context, view } = mockExcel();
    const before = JSON.stringify(view.snapshot());
    assert.throws(
      () => readInvoiceLines(bad, (name) => name === 'Example electricity'),
      (error: unknown) => {
        assert.ok(error instanceof InvoiceImportError);
        assert.deepEqual(error.problems, [
          'Row 3, column amount: "abc" is not a number',
          'Row 4, column tariff: "Nobody" is not a tariff on the Tariffs sheet',
          'Row 4, column supply: "1001" is not a source id; write R<register id> or VM<virtual meter id>, e.g. R1001',
          'Row 4, column firstDay: "01/10/2024" is not a date; write YYYY-MM-DD, e.g. 2024-10-31 (01/10/2024 could be either day or month first)',
        ]);
        return true;
      },
    );
    assert.equal(JSON.stringify(view.snapshot()), before);
    void context;
  });
});
