/**
 * The real host's Excel.run: a user typing in a cell while a pull syncs (defect 1). Excel fails
 * every sync made while a cell is being edited unless Excel.run asked for delayForCellEdit; the
 * stub host (memory-excel) does the same.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { excelRunner } from '../../addin/host/host';
import { insertInvoiceCheckSheet } from '../../addin/invoice/invoice-sheet';
import { createMemoryExcel, type MemoryExcel } from '../../addin/preview/memory-excel';

const scope = globalThis as { Excel?: unknown };

function installHost(): MemoryExcel {
  const memory = createMemoryExcel();
  scope.Excel = {
    run: (...args: unknown[]) => (memory.run as (...a: unknown[]) => Promise<unknown>)(...args),
    ConditionalFormatType: { custom: 'Custom' },
  };
  return memory;
}

describe('Excel.run while the user edits a cell', () => {
  afterEach(() => {
    delete scope.Excel;
  });

  it('the stub host fails a sync made during cell editing without delayForCellEdit, as Excel does', async () => {
    const memory = installHost();
    memory.view.setCellEditing(true);
    await assert.rejects(
      memory.run(async (context) => {
        context.workbook.worksheets.add('Pull');
        await context.sync();
      }),
      /cell-editing mode/,
    );
  });

  it('pulls through the pane and ribbon wait for the edit instead of failing', async () => {
    const memory = installHost();
    memory.view.setCellEditing(true);
    await excelRunner(async (context) => {
      context.workbook.worksheets.add('Pull');
      await context.sync();
    });
    assert.deepEqual(memory.view.sheetNames(), ['Sheet1', 'Pull']);
  });

  it("the ribbon's New invoice check inserts its sheet while a cell is being edited", async () => {
    const memory = installHost();
    memory.view.setCellEditing(true);
    await insertInvoiceCheckSheet();
    assert.ok(memory.view.sheetNames().includes('Invoice check'));
  });
});
