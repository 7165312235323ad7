/**
 * The pane's "Monitoring and targeting" card: a typical day or a CUSUM report of the first source
 * picked, over the days of the "When" card, written with its charts on a new sheet
 * (runtime/analysis.ts). The CUSUM needs a temperature source and a baseline; the report period is
 * "When"'s range, aligned to whole intervals.
 */
import { apiClient } from '../api';
import { alignToIntervals } from '../query/intervals-query';
import { resolveRange } from '../query/presets';
import { runCusum, runTypicalDay, type AnalysisResult } from '../runtime/analysis';
import type { ExcelRunner } from '../runtime/pulls';
import { byId, show } from './dom';
import { showError, showMessage } from './messages';
import type { RangePicker } from './range-picker';
import type { SourcePicker } from './source-picker';

type CusumInterval = 'day' | 'week' | 'month';

export class AnalysisPanel {
  readonly #kind = byId<HTMLSelectElement>('analysis-kind');
  readonly #button = byId<HTMLButtonElement>('analyse');

  constructor(
    private readonly run: ExcelRunner,
    private readonly sources: SourcePicker,
    private readonly range: RangePicker,
  ) {
    this.#kind.addEventListener('change', () => show(byId('cusum-options'), this.#kind.value === 'cusum'));
    this.#button.addEventListener('click', () => void this.analyse());
  }

  async analyse(): Promise<void> {
    const [source] = this.sources.selected;
    if (!source) {
      showMessage('Pick a source first: search for a meter, register or id and click it.', 'error', 'Nothing to analyse');
      return;
    }
    this.#button.disabled = true;
    try {
      const result = this.#kind.value === 'cusum' ? await this.#cusum(source.id) : await this.#typicalDay(source.id);
      showMessage(`Wrote ${result.rows.toLocaleString()} rows and the charts on sheet "${result.sheet}".`, 'success', 'Done');
    } catch (error) {
      showError(error, 'The analysis was not written');
    } finally {
      this.#button.disabled = false;
    }
  }

  /** "When"'s days, in its zone: [start, end) as the server takes them. */
  #days(interval: 'day' | CusumInterval): { start: string; end: string } {
    const zone = this.range.timeZone();
    return alignToIntervals(resolveRange(this.range.range(), new Date(), zone, 'day'), interval);
  }

  #typicalDay(id: string): Promise<AnalysisResult> {
    const { start, end } = this.#days('day');
    return runTypicalDay(this.run, apiClient(), { id, start, end, timeZone: this.range.timeZone() });
  }

  #cusum(id: string): Promise<AnalysisResult> {
    const interval = byId<HTMLSelectElement>('cusum-interval').value as CusumInterval;
    const temperature = byId<HTMLInputElement>('cusum-temperature').value.trim();
    const baselineFirst = byId<HTMLInputElement>('baseline-first').value;
    const baselineLast = byId<HTMLInputElement>('baseline-last').value;
    if (temperature === '') throw new Error('Give the outside air temperature source, e.g. R1164 (search for "temperature" among the sources).');
    if (baselineFirst === '' || baselineLast === '') throw new Error('Give the baseline: its first and last day (a year is usual).');
    const dayAfter = new Date(Date.parse(`${baselineLast}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const { start, end } = this.#days(interval);
    return runCusum(this.run, apiClient(), {
      id,
      temperature,
      baselineStart: baselineFirst,
      baselineEnd: dayAfter,
      start,
      end,
      interval,
      timeZone: this.range.timeZone(),
    });
  }
}
