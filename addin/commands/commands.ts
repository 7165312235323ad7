import { signedInOnceRestored } from '../api';
import { messageOf } from '../excel/errors';
import { insertBillCheck } from '../runtime/bill-check';
import { describeRefresh, runRefreshAll, type ExcelRunner } from '../runtime/pulls';

/**
 * The ribbon's ExecuteFunction commands. They run in the shared runtime (the task pane page,
 * loaded hidden when the pane is closed), so they see the pane's signed-in session.
 * Each must call event.completed(), or Excel keeps the button busy. registerCommands must run
 * when the page's script first runs (taskpane.ts calls it at its top level), not after
 * Office.onReady: a button pressed before association does nothing.
 */
export interface CommandReporter {
  /** Shows a message in the pane and opens it, for outcomes the user must see. */
  show(message: string, kind: 'info' | 'error'): void;
}

export function registerCommands(run: ExcelRunner, reporter: CommandReporter): void {
  if (typeof Office === 'undefined' || !Office.actions) return;
  Office.actions.associate('refreshAll', (event: Office.AddinCommands.Event) => {
    void refreshFromRibbon(run, reporter).finally(() => event.completed());
  });
  Office.actions.associate('newInvoiceCheck', (event: Office.AddinCommands.Event) => {
    void newInvoiceCheck(run, reporter).finally(() => event.completed());
  });
}

async function refreshFromRibbon(run: ExcelRunner, reporter: CommandReporter): Promise<void> {
  if (!(await signedInOnceRestored())) {
    reporter.show('Sign in to refresh: the DCS tables in this workbook are refreshed with your own DCS account.', 'error');
    return;
  }
  try {
    const report = await runRefreshAll(run);
    const failed = report.failed.length > 0 || report.cancelled;
    reporter.show(describeRefresh(report), failed ? 'error' : 'info');
  } catch (error) {
    reporter.show(`Refresh all failed: ${messageOf(error)}`, 'error');
  }
}

async function newInvoiceCheck(run: ExcelRunner, reporter: CommandReporter): Promise<void> {
  try {
    await signedInOnceRestored();
    await insertBillCheck(run);
  } catch (error) {
    reporter.show(`Could not insert the Bill check sheet: ${messageOf(error)}`, 'error');
  }
}
