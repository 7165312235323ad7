/**
 * Total Rows in the in-memory Excel, as Microsoft documents them (Excel.Table showTotals,
 * getTotalRowRange, getRange "the entire table", getDataBodyRange "the data body", resize): the
 * total row is part of the table's range but not its data body, and it stays the last row.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockExcel } from '../support/workbook';

async function tableWithTotals() {
  const { context, view } = mockExcel();
  const sheet = context.workbook.worksheets.getItem('Sheet1');
  sheet.getRange('A1:B4').values = [
    ['Meter', 'kWh'],
    ['A', 1],
    ['B', 2],
    ['C', 4],
  ];
  const table = sheet.tables.add(sheet.getRange('A1:B4'), true);
  table.name = 'T';
  table.showTotals = true;
  await context.sync();
  return { context, view, sheet, table: context.workbook.tables.getItem('T') };
}

describe('a table with a Total Row', () => {
  it('shows "Total" and a SUBTOTAL of the last column in the row right below the data', async () => {
    const { view } = await tableWithTotals();
    assert.equal(view.cell('Sheet1', 4, 0), 'Total');
    assert.equal(view.cellFormula('Sheet1', 4, 1), '=SUBTOTAL(109,[kWh])');
    assert.equal(view.cell('Sheet1', 4, 1), 1 + 2 + 4);
    assert.equal(view.tableInfo('T')!.address, 'Sheet1!A1:B5', 'the total row is part of the table');
    assert.equal(view.tableInfo('T')!.showTotals, true);
  });

  it('has getRange include the total row, getDataBodyRange exclude it, getTotalRowRange be it', async () => {
    const { context, table } = await tableWithTotals();
    const all = table.getRange().load('address');
    const body = table.getDataBodyRange().load('address,rowCount');
    const totals = table.getTotalRowRange().load('address');
    table.load('showTotals');
    await context.sync();
    assert.equal(all.address, 'Sheet1!A1:B5');
    assert.equal(body.address, 'Sheet1!A2:B4');
    assert.equal(body.rowCount, 3);
    assert.equal(totals.address, 'Sheet1!A5:B5');
    assert.equal(table.showTotals, true);
  });

  it('has no total row range once showTotals is false, and the row is emptied', async () => {
    const { context, view, table } = await tableWithTotals();
    table.showTotals = false;
    await context.sync();
    assert.equal(view.cell('Sheet1', 4, 1), '');
    assert.equal(view.tableInfo('T')!.address, 'Sheet1!A1:B4');
    table.getTotalRowRange().load('address');
    await assert.rejects(context.sync());
  });

  it('takes a resize range that includes the total row, and keeps that row last, growing and shrinking', async () => {
    const { context, view, sheet, table } = await tableWithTotals();
    table.resize(sheet.getRange('A1:B8'));
    await context.sync();
    const body = table.getDataBodyRange().load('rowCount');
    await context.sync();
    assert.equal(body.rowCount, 6, 'header + 6 data rows + total row = 8 rows');
    assert.equal(view.cellFormula('Sheet1', 7, 1), '=SUBTOTAL(109,[kWh])', 'the total row moved to the new last row');
    assert.equal(view.cell('Sheet1', 7, 0), 'Total');
    assert.equal(view.cell('Sheet1', 4, 0), '', 'where it stood is an empty data row');
    assert.equal(view.cellFormula('Sheet1', 4, 1), undefined);

    table.resize(sheet.getRange('A1:B3'));
    await context.sync();
    assert.equal(view.tableInfo('T')!.address, 'Sheet1!A1:B3');
    assert.equal(view.cell('Sheet1', 2, 0), 'Total', 'one data row, then the total row');
    assert.equal(view.cell('Sheet1', 2, 1), 1, 'its SUBTOTAL covers the one data row left');
    assert.equal(view.cellFormula('Sheet1', 7, 1), undefined, 'nothing left where it stood');
  });

  it('refuses a resize that leaves no data row beside the header and total rows', async () => {
    const { context, sheet, table } = await tableWithTotals();
    table.resize(sheet.getRange('A1:B2'));
    await assert.rejects(context.sync(), /total row and at least one data row/);
  });

  it('cannot show a total row over a cell that holds data', async () => {
    const { context } = mockExcel();
    const sheet = context.workbook.worksheets.getItem('Sheet1');
    sheet.getRange('A1:A3').values = [['x'], [1], ['note']];
    const table = sheet.tables.add(sheet.getRange('A1:A2'), true);
    table.showTotals = true;
    await assert.rejects(context.sync(), /not empty/);
  });
});
