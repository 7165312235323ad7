/**
 * The invoice-check sheet written into the add-in's in-memory workbook (the stub host the unit
 * tests and the pane's preview mode use): everything the sheet needs exists there, and Refresh
 * finds its DCS formulas.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recalculateDcsFunctions } from '../../../addin/functions/recalculate';
import { invoiceSheetLayout } from '../../../addin/invoice/layout';
import { writeInvoiceSheet } from '../../../addin/invoice/write-sheet';
import { mockExcel } from '../support/workbook';

describe('the invoice-check sheet in the in-memory workbook', () => {
  it('writes the table with its formulas, freezes the header, and picks new names for a second sheet', async () => {
    const { context, view } = mockExcel();
    const layout = invoiceSheetLayout([], 'Europe/London');
    const first = await writeInvoiceSheet(context, layout);
    const second = await writeInvoiceSheet(context, layout);

    assert.deepEqual(first, { sheetName: 'Invoice check', tableName: 'InvoiceCheck' });
    assert.deepEqual(second, { sheetName: 'Invoice check (2)', tableName: 'InvoiceCheck2' });
    assert.equal(view.activeSheetName(), 'Invoice check (2)');
    const values = view.tableValues('InvoiceCheck');
    assert.deepEqual(
      values[0],
      layout.columns.map((c) => c.header),
    );
    const info = view.tableInfo('InvoiceCheck')!;
    const formulas = layout.columns.map((_, j) => view.cellFormula('Invoice check', info.row + 1, j)).filter((f) => f !== undefined);
    assert.ok(
      formulas.some((f) => /DCS\.CONSUMPTION\(/.test(f)),
      JSON.stringify(formulas),
    );
    assert.equal(view.frozenRows('Invoice check'), info.row + 1, 'the rows down to the header stay in view');
    assert.equal(view.cell('Invoice check', 0, 0), layout.title);

    assert.deepEqual(await recalculateDcsFunctions(context), ['Invoice check', 'Invoice check (2)'], "Refresh finds the sheets' DCS formulas");
  });
});
