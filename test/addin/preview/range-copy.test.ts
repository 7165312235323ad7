/**
 * Range.copyFrom in the in-memory Excel, as Microsoft documents Excel.RangeCopyType: "All"
 * (the default) copies values, formulas and formats; "Values", "Formulas" and "Formats" one each.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockExcel } from '../support/workbook';

async function sourceCells() {
  const { context, view } = mockExcel();
  const sheet = context.workbook.worksheets.getItem('Sheet1');
  const source = sheet.getRange('A1:B1');
  source.numberFormat = [['0.00', 'yyyy-mm-dd']];
  source.formulas = [['=1+2', 45000]];
  source.format.font.bold = true;
  // A target that already has looks of its own.
  const target = sheet.getRange('D1:E1');
  target.numberFormat = [['@']];
  await context.sync();
  return { context, view, sheet, source, target };
}

describe('Range.copyFrom', () => {
  it("'All' copies values, formulas and formats", async () => {
    const { context, view, source, target } = await sourceCells();
    target.copyFrom(source, 'All');
    await context.sync();
    assert.equal(view.cellFormula('Sheet1', 0, 3), '=1+2');
    assert.equal(view.cell('Sheet1', 0, 4), 45000);
    assert.equal(view.cellFormat('Sheet1', 0, 3), '0.00');
    assert.equal(view.cellFormat('Sheet1', 0, 4), 'yyyy-mm-dd');
    assert.equal(view.cellBold('Sheet1', 0, 4), true);
  });

  it('copies everything when no type is given (the default is All)', async () => {
    const { context, view, source, target } = await sourceCells();
    target.copyFrom(source);
    await context.sync();
    assert.equal(view.cellFormat('Sheet1', 0, 4), 'yyyy-mm-dd');
    assert.equal(view.cellFormula('Sheet1', 0, 3), '=1+2');
  });

  it("'Values' copies the values only, keeping the target's formats", async () => {
    const { context, view, source, target } = await sourceCells();
    target.copyFrom(source, 'Values');
    await context.sync();
    assert.equal(view.cellFormula('Sheet1', 0, 3), undefined);
    assert.equal(view.cell('Sheet1', 0, 3), view.cell('Sheet1', 0, 0));
    assert.equal(view.cellFormat('Sheet1', 0, 4), '@');
    assert.equal(view.cellBold('Sheet1', 0, 4), false);
  });

  it("'Formulas' copies formulas without formats; 'Formats' formats without contents", async () => {
    const { context, view, sheet, source, target } = await sourceCells();
    target.copyFrom(source, 'Formulas');
    const looks = sheet.getRange('G1:H1');
    looks.values = [['keep', 'me']];
    looks.copyFrom(source, 'Formats');
    await context.sync();
    assert.equal(view.cellFormula('Sheet1', 0, 3), '=1+2');
    assert.equal(view.cellFormat('Sheet1', 0, 3), '@');
    assert.deepEqual([view.cell('Sheet1', 0, 6), view.cell('Sheet1', 0, 7)], ['keep', 'me']);
    assert.equal(view.cellFormat('Sheet1', 0, 7), 'yyyy-mm-dd');
    assert.equal(view.cellBold('Sheet1', 0, 6), true);
  });

  it('refuses a copy type Excel does not have', async () => {
    const { source, target } = await sourceCells();
    assert.throws(() => target.copyFrom(source, 'Everything' as Excel.RangeCopyType), /not a RangeCopyType/);
  });
});
