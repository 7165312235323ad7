/**
 * The add-in's one page: the task pane, and (through the manifest's shared runtime) the host of
 * the ribbon commands and the custom functions, so all three share one signed-in session.
 */
import '../runtime/functions-runtime'; // must precede the functions module: see that file
import '../functions/functions';
import { registerCommands } from '../commands/commands';
import { detectHost, excelRunner } from '../host/host';
import { createMemoryExcel } from '../preview/memory-excel';
import type { ExcelRunner } from '../runtime/pulls';
import { byId, show } from './dom';
import { showMessage } from './messages';
import { PreviewGrid } from './preview-grid';
import { PullPanel } from './pull-panel';
import { RangePicker } from './range-picker';
import { setUpSignIn } from './sign-in';
import { SourcePicker } from './source-picker';

async function start(): Promise<void> {
  const host = await detectHost();
  show(byId('starting'), false);
  if (host === 'excel') {
    registerCommands(excelRunner, {
      show(message, kind) {
        showMessage(message, kind);
        // Outcomes the user must act on open the pane (it may be closed when a ribbon command runs).
        if (kind === 'error') void Office.addin?.showAsTaskpane?.().catch(() => undefined);
      },
    });
    await startPane(excelRunner);
    return;
  }
  show(byId('outside-excel'), true);
  byId('start-preview').addEventListener('click', () => void startPreview(), { once: true });
}

/** Preview mode: the same pane, writing into an in-memory workbook drawn on the page. */
async function startPreview(): Promise<void> {
  const workbook = createMemoryExcel();
  show(byId('outside-excel'), false);
  show(byId('mode-badge'), true);
  show(byId('preview'), true);
  byId('app').classList.add('preview-layout');
  new PreviewGrid(workbook.view);
  await startPane((batch) => workbook.run(batch));
}

async function startPane(run: ExcelRunner): Promise<void> {
  const sources = new SourcePicker();
  const range = new RangePicker();
  new PullPanel(run, sources, range);
  await setUpSignIn();
}

start().catch((error: unknown) => {
  show(byId('starting'), false);
  showMessage(`The DCS pane could not start: ${error instanceof Error ? error.message : String(error)}. Reload the pane.`, 'error');
});
