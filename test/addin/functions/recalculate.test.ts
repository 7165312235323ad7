/**
 * Refresh recalculates the DCS formulas, and only the sheets that hold them (defect 8):
 * Application.calculate would recalculate every open workbook and every other add-in's functions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recalculateDcsFunctions } from '../../../addin/functions/recalculate';
import { mockExcel } from '../support/workbook';

const scope = globalThis as { Excel?: unknown };

describe('recalculating DCS formulas', () => {
  before(() => {
    scope.Excel = { CalculationType: { full: 'Full', recalculate: 'Recalculate' } };
  });
  after(() => {
    delete scope.Excel;
  });

  it('recalculates the sheets with =DCS.* formulas, not the whole application', async () => {
    const { context, view } = mockExcel();
    for (const name of ['Invoices', 'Sums', 'Readings']) context.workbook.worksheets.add(name);
    await context.sync();
    view.type('Invoices', 4, 2, '=DCS.CONSUMPTION("R1", A5, B5, "Europe/London")');
    view.type('Sums', 0, 0, '=SUM(A2:A9)');
    view.type('Sums', 1, 0, 'DCS.CONSUMPTION is mentioned in text only');
    view.type('Readings', 0, 0, 'Timestamp');
    view.type('Sheet1', 2, 3, '=IFERROR(dcs.quality("R2",A1,B1,"missing"),0)');

    const sheets = await recalculateDcsFunctions(context);

    assert.deepEqual(sheets, ['Sheet1', 'Invoices']);
    assert.deepEqual(view.calculations(), ['sheet:Sheet1:all', 'sheet:Invoices:all'], 'no Application.calculate');
  });

  it("stays within Excel on the web's 5 MB per request on a workbook of many formulas, in a fixed number of syncs", async () => {
    const { context, view } = mockExcel();
    for (const name of ['Model', 'Invoices', 'Notes']) context.workbook.worksheets.add(name);
    await context.sync();
    // 30,000 long formulas: reading their text would be about 6 MB in one response.
    const long = `=IFERROR(INDEX(Lookup!$A$1:$Z$100000, MATCH(A1, Lookup!$A$1:$A$100000, 0), 7) * ${'1+'.repeat(60)}1, 0)`;
    for (let row = 0; row < 30_000; row++) view.type('Model', row, 0, long);
    view.type('Invoices', 4, 2, '=DCS.CONSUMPTION("R1", A5, B5)');
    view.type('Notes', 0, 0, '=1+1');
    const before = view.stats.syncs;

    const sheets = await recalculateDcsFunctions(context);

    // Model is too large to read: recalculated without looking (correct, if broader); Notes has no DCS formula.
    assert.deepEqual(sheets, ['Model', 'Invoices']);
    assert.equal(view.stats.syncs - before, 5, "the sheets (2), their formula counts, the small sheets' formulas, the recalculation");
  });

  it('does nothing when no sheet holds a DCS formula', async () => {
    const { context, view } = mockExcel();
    view.type('Sheet1', 0, 0, '=1+1');
    assert.deepEqual(await recalculateDcsFunctions(context), []);
    assert.deepEqual(view.calculations(), []);
  });
});
