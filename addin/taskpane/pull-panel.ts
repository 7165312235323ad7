import type { Source } from '../../server/api/types';
import type { Placement } from '../excel/new-tables';
import type { PullProgress } from '../excel/stage-readings';
import { calcsFor, defaultLayout, defaultWhat, type IntervalsQuery, type IntervalTableLayout, type WhatToGet } from '../query/intervals-query';
import type { TableQuery } from '../query/table-query';
import { describeRefresh, runGetIntervals, runGetReadings, runRefreshAll, type ExcelRunner } from '../runtime/pulls';
import { byId, groupValue, setGroupValue, show } from './dom';
import { showError, showMessage, type MessageKind } from './messages';
import type { RangePicker } from './range-picker';
import type { SourcePicker } from './source-picker';

const WHAT_HINTS: Record<WhatToGet, string> = {
  consumption: 'How much was used in each interval (cumulative registers and per-period virtual meters; instantaneous sources get their mean, min and max).',
  statistics: 'Mean, minimum, maximum and when the maximum happened, per interval: for power, temperature and other instantaneous values.',
  readings: 'Every reading as DCS stores it, with its status: for checking or your own calculations.',
};

/** What the status area says when a pull ends. */
interface Outcome {
  text: string;
  kind: MessageKind;
  title: string;
}

/**
 * What to get, the layout, and the Get data / Refresh all buttons with progress, Cancel and the
 * status area. Defaults follow the picks (statistics for instantaneous sources, one wide table
 * for several) until the user chooses otherwise.
 */
export class PullPanel {
  readonly #getButton = byId<HTMLButtonElement>('get-data');
  readonly #refreshButton = byId<HTMLButtonElement>('refresh-all');
  readonly #progress = byId('progress');
  readonly #progressText = byId('progress-text');
  readonly #progressBar = byId('progress-bar');
  #controller: AbortController | undefined;
  #whatChosen = false;
  #layoutChosen = false;

  constructor(
    private readonly run: ExcelRunner,
    private readonly sources: SourcePicker,
    private readonly range: RangePicker,
  ) {
    this.#getButton.addEventListener('click', () => void this.getData());
    this.#refreshButton.addEventListener('click', () => void this.refreshAll());
    byId('cancel').addEventListener('click', () => {
      this.#controller?.abort();
      this.#progressText.textContent = 'Cancelling…';
    });
    byId('what').addEventListener('change', () => {
      this.#whatChosen = true;
      this.#whatChanged();
    });
    byId('layout').addEventListener('change', () => (this.#layoutChosen = true));
    byId('use-consumption').addEventListener('click', () => this.#useConsumption());
    sources.onChange((picked) => this.#picksChanged(picked));
    this.#whatChanged();
  }

  #picksChanged(picked: Source[]): void {
    if (!this.#whatChosen && picked.length > 0) setGroupValue('what', defaultWhat(picked));
    if (!this.#layoutChosen && picked.length > 0) setGroupValue('layout', this.#what() === 'readings' ? 'perSource' : defaultLayout(picked.length));
    this.#whatChanged();
  }

  /** One click from readings DCS cannot give to the same interval calculated by the workbook's calendar. */
  #useConsumption(): void {
    this.#whatChosen = true;
    setGroupValue('what', 'consumption');
    this.#whatChanged();
  }

  #what(): WhatToGet {
    return (groupValue('what') || 'consumption') as WhatToGet;
  }

  #whatChanged(): void {
    const what = this.#what();
    this.range.setWhat(what);
    byId('what-hint').textContent = WHAT_HINTS[what];
    // Readings have no wide layout: each source has its own timestamps and statuses.
    const wide = document.querySelector<HTMLElement & { disabled: boolean }>('#layout fluent-radio[value="wide"]');
    if (wide) wide.disabled = what === 'readings';
    if (what === 'readings' && groupValue('layout') === 'wide') setGroupValue('layout', 'perSource');
    this.#getButton.textContent = what === 'readings' ? 'Get readings' : what === 'statistics' ? 'Get statistics' : 'Get consumption';
  }

  async getData(): Promise<void> {
    const picked = this.sources.selected;
    if (picked.length === 0) {
      showMessage('Pick at least one source: search for a meter, register or id and click it.', 'error', 'Nothing to get');
      byId('source-search').focus();
      return;
    }
    if (this.#what() === 'readings') await this.#getReadings(picked);
    else await this.#getIntervals(picked, this.#what() as 'consumption' | 'statistics');
  }

  async #getIntervals(picked: Source[], what: 'consumption' | 'statistics'): Promise<void> {
    let query: IntervalsQuery;
    try {
      query = {
        version: 1,
        kind: 'intervals',
        sourceIds: picked.map((s) => s.id),
        range: this.range.range(),
        interval: this.range.interval(),
        timeZone: this.range.timeZone(),
        what,
        calcs: calcsFor(what, picked),
        layout: (groupValue('layout') || 'wide') as IntervalTableLayout,
      };
    } catch (error) {
      showError(error);
      return;
    }
    const chart = (byId('chart') as unknown as { checked: boolean }).checked;
    await this.#busy(`Getting ${what}…`, async (controls) => {
      const result = await runGetIntervals(this.run, query, groupValue('placement') as Placement, chart, controls);
      const tables = result.created.map((t) => `${t.table} (${t.rows.toLocaleString()} rows${t.chart ? ', with a chart' : ''})`).join(', ');
      return { text: `Wrote ${tables} on sheet "${result.sheet}".`, kind: 'success', title: 'Done' };
    });
  }

  async #getReadings(picked: Source[]): Promise<void> {
    let query: TableQuery;
    try {
      const advice = this.range.readingsAdvice();
      if (advice) {
        const action = this.range.readingsSwitchHelps() ? { label: 'Get consumption per interval instead', run: () => this.#useConsumption() } : undefined;
        showMessage(advice, 'warning', 'No readings fit this range', undefined, action);
        return;
      }
      const layout = groupValue('layout');
      query = {
        version: 1,
        sourceIds: picked.map((s) => s.id),
        range: this.range.range(),
        options: this.range.options(),
        layout: layout === 'long' ? 'long' : 'perSource',
      };
    } catch (error) {
      showError(error);
      return;
    }
    await this.#busy('Getting readings…', async (controls) => {
      const result = await runGetReadings(this.run, query, groupValue('placement') as Placement, controls);
      const parts: string[] = [];
      if (result.created.length > 0) {
        parts.push(`Wrote ${result.created.map((t) => `${t.table} (${t.rows.toLocaleString()} rows)`).join(', ')} on sheet "${result.sheet}".`);
      }
      for (const failure of result.failed) parts.push(`${failure.label}: ${failure.message}`);
      if (result.cancelled) parts.push('Cancelled. Tables that were not finished were not written.');
      const kind = result.failed.length > 0 ? 'error' : result.cancelled ? 'warning' : 'success';
      return { text: parts.join('\n'), kind, title: kind === 'success' ? 'Done' : kind === 'error' ? 'Some tables were not written' : 'Cancelled' };
    });
  }

  async refreshAll(): Promise<void> {
    await this.#busy('Refreshing…', async (controls) => {
      const report = await runRefreshAll(this.run, controls);
      const bad = report.failed.length > 0 || report.cancelled;
      return { text: describeRefresh(report), kind: bad ? 'error' : 'success', title: bad ? 'Not everything was refreshed' : 'Refreshed' };
    });
  }

  /** Runs a pull with the buttons disabled and progress shown; its outcome shows once the buttons are back. */
  async #busy(label: string, work: (controls: { signal: AbortSignal; onProgress: (p: PullProgress) => void }) => Promise<Outcome>): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    this.#getButton.disabled = true;
    this.#refreshButton.disabled = true;
    show(this.#progress, true);
    this.#progressText.textContent = label;
    this.#progressBar.removeAttribute('value');
    let outcome: Outcome | undefined;
    let failure: unknown;
    try {
      outcome = await work({ signal: controller.signal, onProgress: (p) => this.#showProgress(p) });
    } catch (error) {
      failure = error;
      if (controller.signal.aborted) outcome = { text: 'Cancelled. Nothing unfinished was written.', kind: 'warning', title: 'Cancelled' };
    } finally {
      this.#controller = undefined;
      this.#getButton.disabled = false;
      this.#refreshButton.disabled = false;
      show(this.#progress, false);
    }
    if (outcome) showMessage(outcome.text, outcome.kind, outcome.title);
    else showError(failure);
  }

  #showProgress(progress: PullProgress): void {
    const { rowsWritten, expectedRows, label } = progress;
    if (expectedRows > 0) {
      this.#progressBar.setAttribute('max', String(expectedRows));
      this.#progressBar.setAttribute('value', String(Math.min(rowsWritten, expectedRows)));
    }
    this.#progressText.textContent =
      expectedRows > 0
        ? `${label}: ${rowsWritten.toLocaleString()} of ${expectedRows.toLocaleString()} rows`
        : `${label}: ${rowsWritten.toLocaleString()} rows`;
  }
}
