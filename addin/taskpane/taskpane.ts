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
import { insertBillCheck } from '../runtime/bill-check';
import { calculatePreview } from '../runtime/invoice';
import { computerTimeZone, useWorkbookTimeZone } from '../functions/runtime-context';
import { readWorkbookZone, writeWorkbookZone } from '../excel/workbook-zone';
import { readWorkbookSources, writeWorkbookSources } from '../excel/workbook-sources';
import { recalculateAfterSignIn, type ExcelRunner } from '../runtime/pulls';
import { byId, show } from './dom';
import { AnalysisPanel } from './analysis-panel';
import { applyAndFollowTheme, applyTheme } from './fluent';
import { showError, showMessage } from './messages';
import { InvoicePanel } from './invoice-panel';
import { PreviewGrid } from './preview-grid';
import { PullPanel } from './pull-panel';
import { RangePicker } from './range-picker';
import { setUpSignIn } from './sign-in';
import { SourcePicker } from './source-picker';
import { GroupBar } from './group-bar';

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
  keepScrollPaddingForActions();
  const host = await detectHost({
    onSlow: () => (byId('starting').querySelector('p')!.textContent = 'Excel is still opening this workbook; the DCS pane starts as soon as it is ready.'),
  });
  show(byId('starting'), false);
  if (host === 'excel') {
    applyAndFollowTheme(true);
    await startPane(excelRunner);
    return;
  }
  applyAndFollowTheme(false);
  show(byId('outside-excel'), true);
  byId('start-preview').addEventListener('click', () => void startPreview(), { once: true });
}

/**
 * Keeps the sticky action bar from covering the form (taskpane.css): a new outcome in its status
 * area shows whole; when the user goes back to the form, the bar turns compact (a long outcome
 * scrolls inside it). Its height is the page's scroll padding (--sticky-height), so a focused
 * field is scrolled above the bar instead of under it.
 */
function keepScrollPaddingForActions(): void {
  const bar = byId('actions');
  document.addEventListener('focusin', (event) => bar.classList.toggle('compact', !bar.contains(event.target as Node)));
  new MutationObserver(() => bar.classList.remove('compact')).observe(byId('status'), { childList: true });
  if (typeof ResizeObserver !== 'function') return;
  new ResizeObserver(() => document.documentElement.style.setProperty('--sticky-height', `${bar.offsetHeight}px`)).observe(bar);
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
    insertBillCheck(run)
      .then(() => calculatePreview(workbook))
      .then(() => showMessage('Inserted the Bill check sheet: see its tab below.', 'success', 'Done'))
      .catch((error: unknown) => showError(error, 'Could not insert the Bill check sheet'))
      .finally(() => (invoice.disabled = false));
  });
  await startPane(run, () => calculatePreview(workbook));
}

async function startPane(run: ExcelRunner, calculated?: () => Promise<void>): Promise<void> {
  const sources = new SourcePicker();
  const groups = new GroupBar(sources);
  const range = new RangePicker();
  await keepWorkbookZone(run, range);
  new PullPanel(run, sources, range);
  keepWorkbookSources(run, sources);
  new InvoicePanel(run, calculated);
  new AnalysisPanel(run, sources, range);
  await setUpSignIn({
    signedIn: () => {
      void groups.refresh();
      return recalculateAfterSignIn(run);
    },
    signedOut: () => {
      sources.reset();
      groups.reset();
    },
  });
  session.onChange((user) => {
    if (!user) {
      sources.reset();
      groups.reset();
    }
  });
}

/** The pane picks again the sources kept in the workbook whenever someone signs in, and keeps the ones the user picks. */
function keepWorkbookSources(run: ExcelRunner, sources: SourcePicker): void {
  const restore = () =>
    run(readWorkbookSources)
      .then((ids) => sources.restore(ids))
      .catch((error: unknown) => showError(error, 'Could not read the sources this workbook remembers'));
  if (session.isSignedIn) void restore();
  session.onChange((user) => {
    if (user) void restore();
  });
  sources.onEdit((picked) => {
    const ids = picked.map((source) => source.id);
    run((context) => writeWorkbookSources(context, ids)).catch((error: unknown) => showError(error, 'Could not keep the picked sources in the workbook'));
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
