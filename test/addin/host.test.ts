/**
 * The real host's Excel.run: a user typing in a cell while a pull syncs (defect 1). Excel fails
 * every sync made while a cell is being edited unless Excel.run asked for delayForCellEdit; the
 * stub host (memory-excel) does the same.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { detectHost, excelRunner } from '../../addin/host/host';
import { insertBillCheck } from '../../addin/runtime/bill-check';
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
    await insertBillCheck(excelRunner);
    assert.ok(memory.view.sheetNames().includes('Bill check'));
  });
});

describe('deciding whether the pane runs in Excel', () => {
  const office = globalThis as { Office?: unknown };
  afterEach(() => {
    delete office.Office;
  });

  function installOffice(onReady: () => Promise<{ host: string | null }>): void {
    office.Office = { onReady, HostType: { Excel: 'Excel' } };
  }

  it('never decides "not in Excel" while Office.onReady has not answered: a slow start is only reported', async () => {
    let answer!: (info: { host: string | null }) => void;
    installOffice(() => new Promise((resolve) => (answer = resolve)));
    let slow = 0;
    let decided: string | undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    const detecting = detectHost({ onSlow: () => slow++ }).then((host) => (decided = host));
    mock.timers.tick(60_000); // a minute of a large workbook opening
    await Promise.resolve();
    mock.timers.reset();
    assert.equal(slow, 1, 'the pane says Excel is still starting');
    assert.equal(decided, undefined, 'no decision yet');
    answer({ host: 'Excel' });
    assert.equal(await detecting, 'excel');
  });

  it('answers "browser" when office.js says there is no host, or is missing', async () => {
    installOffice(() => Promise.resolve({ host: null }));
    assert.equal(await detectHost(), 'browser');
    delete office.Office;
    assert.equal(await detectHost(), 'browser');
  });
});
