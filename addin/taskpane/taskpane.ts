/**
 * The add-in's one page: the task pane, and (through the manifest's shared runtime) the host of
 * the ribbon commands and the custom functions, so all three share one signed-in session.
 */
import '../runtime/functions-runtime'; // must precede the functions module: see that file
import '../functions/functions';
import { session } from '../api';
import { registerCommands } from '../commands/commands';
import { detectHost, excelRunner } from '../host/host';
import { createMemoryExcel } from '../preview/memory-excel';
import { insertInvoiceSheet } from '../runtime/invoice';
import { computerTimeZone, useWorkbookTimeZone } from '../functions/runtime-context';
import { readWorkbookZone, writeWorkbookZone } from '../excel/workbook-zone';
import { recalculateAfterSignIn, type ExcelRunner } from '../runtime/pulls';
import { byId, show } from './dom';
import { AnalysisPanel } from './analysis-panel';
import { applyTheme, officeTheme } from './fluent';
import { showError, showMessage } from './messages';
import { PreviewGrid } from './preview-grid';
import { PullPanel } from './pull-panel';
import { RangePicker } from './range-picker';
import { setUpSignIn } from './sign-in';
import { SourcePicker } from './source-picker';

// Ribbon buttons work only if their actions are associated when this script first runs, not
// after Office.onReady (a button clicked before that would do nothing).
registerCommands(excelRunner, {
  show(message, kind) {
    showMessage(message, kind);
    // Outcomes the user must act on open the pane (it may be closed when a ribbon command runs).
    if (kind === 'error') void Office.addin?.showAsTaskpane?.().catch(() => undefined);
  },
});

async function start(): Promise<void> {
  applyTheme(undefined);
  const host = await detectHost({
    onSlow: () => (byId('starting').querySelector('p')!.textContent = 'Excel is still opening this workbook; the DCS pane starts as soon as it is ready.'),
  });
  show(byId('starting'), false);
  if (host === 'excel') {
    applyTheme(officeTheme());
    await startPane(excelRunner);
    return;
  }
  show(byId('outside-excel'), true);
  byId('start-preview').addEventListener('click', () => void startPreview(), { once: true });
}

/** Preview mode: the same pane, writing into an in-memory workbook drawn on the page. */
async function startPreview(): Promise<void> {
  const workbook = createMemoryExcel();
  const run: ExcelRunner = (batch) => workbook.run(batch);
  show(byId('outside-excel'), false);
  show(byId('mode-badge'), true);
  show(byId('preview'), true);
  byId('app').classList.add('preview-layout');
  new PreviewGrid(workbook.view);
  // Excel offers the invoice-check sheet on the ribbon; preview mode has no ribbon, so a button.
  const invoice = byId<HTMLButtonElement>('invoice-check');
  show(invoice, true);
  invoice.addEventListener('click', () => {
    invoice.disabled = true;
    insertInvoiceSheet(run)
      .then(() => showMessage('Inserted the invoice check sheet: see its tab below.', 'success', 'Done'))
      .catch((error: unknown) => showError(error, 'Could not insert the invoice check sheet'))
      .finally(() => (invoice.disabled = false));
  });
  await startPane(run);
}

async function startPane(run: ExcelRunner): Promise<void> {
  const sources = new SourcePicker();
  const range = new RangePicker();
  await keepWorkbookZone(run, range);
  new PullPanel(run, sources, range);
  new AnalysisPanel(run, sources, range);
  await setUpSignIn({
    signedIn: () => recalculateAfterSignIn(run),
    signedOut: () => sources.reset(),
  });
  session.onChange((user) => {
    if (!user) sources.reset();
  });
}

/** The pane shows the workbook's zone and stores the one the user picks in the workbook, for the functions and the invoice sheet too. */
async function keepWorkbookZone(run: ExcelRunner, range: RangePicker): Promise<void> {
  const stored = await run(readWorkbookZone).catch(() => undefined);
  const zone = stored ?? computerTimeZone();
  range.useZone(zone);
  useWorkbookTimeZone(zone);
  range.onZoneChange((zone) => {
    useWorkbookTimeZone(zone);
    run((context) => writeWorkbookZone(context, zone)).catch((error: unknown) => showError(error, 'Could not keep the time zone in the workbook'));
  });
}

start().catch((error: unknown) => {
  show(byId('starting'), false);
  byId('app').prepend(byId('status'));
  showError(error, 'The DCS pane could not start. Reload the pane');
});
