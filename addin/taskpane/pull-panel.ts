import { messageOf } from '../excel/errors';
import type { Placement } from '../excel/get-readings';
import type { PullProgress } from '../excel/stage-readings';
import type { TableLayout, TableQuery } from '../query/table-query';
import { describeRefresh, runGetReadings, runRefreshAll, type ExcelRunner } from '../runtime/pulls';
import { byId, radioValue, show } from './dom';
import { showMessage } from './messages';
import type { RangePicker } from './range-picker';
import type { SourcePicker } from './source-picker';

/** The Get readings and Refresh all buttons, with progress and Cancel. */
export class PullPanel {
  readonly #getButton = byId<HTMLButtonElement>('get-readings');
  readonly #refreshButton = byId<HTMLButtonElement>('refresh-all');
  readonly #progress = byId('progress');
  readonly #progressText = byId('progress-text');
  readonly #progressBar = byId('progress-bar');
  #controller: AbortController | undefined;

  constructor(
    private readonly run: ExcelRunner,
    private readonly sources: SourcePicker,
    private readonly range: RangePicker,
  ) {
    this.#getButton.addEventListener('click', () => void this.getReadings());
    this.#refreshButton.addEventListener('click', () => void this.refreshAll());
    byId('cancel').addEventListener('click', () => {
      this.#controller?.abort();
      this.#progressText.textContent = 'Cancelling…';
    });
  }

  async getReadings(): Promise<void> {
    const picked = this.sources.selected;
    if (picked.length === 0) {
      showMessage('Pick at least one source: search for a meter or register and click it.', 'error');
      byId('source-search').focus();
      return;
    }
    let query: TableQuery;
    try {
      query = {
        version: 1,
        sourceIds: picked.map((s) => s.id),
        range: this.range.range(),
        options: this.range.options(),
        layout: radioValue('layout') as TableLayout,
      };
    } catch (error) {
      showMessage(messageOf(error), 'error');
      return;
    }
    await this.#busy('Getting readings…', async (controls) => {
      const result = await runGetReadings(this.run, query, radioValue('placement') as Placement, controls);
      if (result.created.length > 0) {
        const tables = result.created.map((t) => `${t.table} (${t.rows.toLocaleString()} rows)`).join(', ');
        showMessage(`Wrote ${tables} on sheet "${result.sheet}".`, 'success');
      }
      for (const failure of result.failed) showMessage(`${failure.label}: ${failure.message}`, 'error');
      if (result.cancelled) showMessage('Cancelled. Tables that were not finished were not written.', 'info');
    });
  }

  async refreshAll(): Promise<void> {
    await this.#busy('Refreshing…', async (controls) => {
      const report = await runRefreshAll(this.run, controls);
      const bad = report.failed.length > 0 || report.cancelled;
      showMessage(describeRefresh(report), bad ? 'error' : 'success');
    });
  }

  async #busy(label: string, work: (controls: { signal: AbortSignal; onProgress: (p: PullProgress) => void }) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    this.#getButton.disabled = true;
    this.#refreshButton.disabled = true;
    show(this.#progress, true);
    this.#progressText.textContent = label;
    this.#progressBar.classList.add('indeterminate');
    try {
      await work({ signal: controller.signal, onProgress: (p) => this.#showProgress(p) });
    } catch (error) {
      showMessage(messageOf(error), 'error');
    } finally {
      this.#controller = undefined;
      this.#getButton.disabled = false;
      this.#refreshButton.disabled = false;
      show(this.#progress, false);
    }
  }

  #showProgress(progress: PullProgress): void {
    const { rowsWritten, expectedRows, label } = progress;
    const known = expectedRows > 0;
    this.#progressBar.classList.toggle('indeterminate', !known);
    this.#progressBar.style.width = known ? `${Math.min(100, (100 * rowsWritten) / expectedRows).toFixed(1)}%` : '';
    this.#progressText.textContent = known
      ? `${label}: ${rowsWritten.toLocaleString()} of ${expectedRows.toLocaleString()} rows`
      : `${label}: ${rowsWritten.toLocaleString()} rows`;
  }
}
