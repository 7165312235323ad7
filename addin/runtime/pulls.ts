import { apiClient } from '../api';
import { exclusively } from '../excel/exclusive';
import { recalculateDcsFunctions } from '../functions/recalculate';
import { getReadings, type GetReadingsResult } from '../excel/get-readings';
import type { Placement } from '../excel/new-tables';
import { refreshAll, type RefreshDeps, type RefreshReport } from '../excel/refresh';
import type { PullProgress } from '../excel/stage-readings';
import type { IntervalsQuery } from '../query/intervals-query';
import type { TableQuery } from '../query/table-query';
import { fetchIntervals, writeIntervalTables, type IntervalDeps, type IntervalTableResult } from './interval-pull';

/** Runs a batch against a workbook: Excel.run in Excel, the memory workbook in preview mode. */
export type ExcelRunner = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface PullControls {
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
}

function deps(controls: PullControls): RefreshDeps {
  const client = apiClient();
  return {
    readings: (request, signal) => client.readings(request, signal),
    intervals: (request, signal) => client.intervals(request, signal),
    now: () => new Date(),
    signal: controls.signal,
    onProgress: controls.onProgress,
  };
}

function intervalDeps(controls: PullControls): IntervalDeps {
  const client = apiClient();
  return { intervals: (request, signal) => client.intervals(request, signal), now: () => new Date(), signal: controls.signal };
}

/**
 * Consumption or statistics per interval into new tables, optionally with a chart beside each.
 * The figures are fetched completely before the workbook is touched.
 */
export function runGetIntervals(
  run: ExcelRunner,
  query: IntervalsQuery,
  placement: Placement,
  chart: boolean,
  controls: PullControls = {},
): Promise<{ sheet: string; created: IntervalTableResult[] }> {
  return exclusively('getting figures', async () => {
    const fetched = await fetchIntervals(query, intervalDeps(controls));
    if (fetched.tables.length === 0) throw new Error('The server sent no figures for these sources. Pick the sources again and retry.');
    return run((context) => writeIntervalTables(context, fetched, placement, chart));
  });
}

/** Get readings, one pull at a time per runtime (pane and ribbon share it). */
export function runGetReadings(run: ExcelRunner, query: TableQuery, placement: Placement, controls: PullControls = {}): Promise<GetReadingsResult> {
  return exclusively('getting readings', () => run((context) => getReadings(context, query, placement, deps(controls))));
}

/** Refresh all, one pull at a time per runtime. */
export function runRefreshAll(run: ExcelRunner, controls: PullControls = {}): Promise<RefreshReport> {
  return exclusively('refreshing tables', async () => {
    // Readings tables and calculated tables alike, in the order they were made.
    const report = await run((context) => refreshAll(context, deps(controls)));
    // Cell functions (=DCS.CONSUMPTION, the invoice-check sheet) fetch again on a full recalculation:
    // in a batch of its own, so that however it fares, the tables' refresh stands as reported.
    try {
      await run((context) => recalculateDcsFunctions(context));
    } catch (error) {
      report.formulasNotRecalculated = error instanceof Error ? error.message : String(error);
    }
    return report;
  });
}

/** After a sign-in, cell functions that showed "sign in" fetch their figures (issue: a reopened workbook). */
export function recalculateAfterSignIn(run: ExcelRunner): Promise<void> {
  return run(async (context) => {
    await recalculateDcsFunctions(context);
  });
}

/** A short account of a refresh, for people. */
export function describeRefresh(report: RefreshReport): string {
  const parts: string[] = [];
  if (report.refreshed.length > 0) {
    parts.push(
      `Refreshed ${report.refreshed.length} table${report.refreshed.length === 1 ? '' : 's'}: ${report.refreshed.map((t) => `${t.table} (${t.rows.toLocaleString()} rows)`).join(', ')}.`,
    );
  }
  for (const failure of report.failed) parts.push(`${failure.label} was not refreshed and still holds its previous data: ${failure.message}`);
  if (report.forgotten.length > 0) parts.push(`No longer in the workbook, so forgotten: ${report.forgotten.join(', ')}.`);
  if (report.formulasNotRecalculated !== undefined) {
    parts.push(`The DCS formulas were not recalculated (${report.formulasNotRecalculated}); use Refresh all again to recalculate them.`);
  }
  if (report.cancelled) parts.push(`Cancelled; not refreshed (unchanged): ${report.skipped.join(', ') || 'none'}.`);
  if (parts.length === 0) parts.push('There are no DCS tables in this workbook yet: use Get readings first.');
  return parts.join('\n');
}
