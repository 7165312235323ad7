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
import { installExcelStub } from './invoice/stub-excel';

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

  it('the ribbon\'s New invoice check inserts its sheet while a cell is being edited', async () => {
    // The invoice sheet's own stub host (it models what the sheet uses), with a user typing in a cell.
    const page: Record<string, unknown> = {};
    const workbook = installExcelStub(page);
    const stub = page.Excel as { run: (...args: unknown[]) => Promise<unknown> };
    scope.Excel = {
      ...stub,
      run: (...args: unknown[]) => {
        const options = args.length > 1 ? (args[0] as { delayForCellEdit?: boolean }) : {};
        if (options.delayForCellEdit !== true) return Promise.reject(new Error('InvalidOperationInCellEditMode: Excel is in cell-editing mode.'));
        return stub.run(...args);
      },
    };
    await insertInvoiceCheckSheet();
    assert.ok(workbook.sheets.some((s) => s.name === 'Invoice check'));
  });
});
