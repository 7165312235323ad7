import { CancelledError } from './errors';
import { replaceTableRows } from './place';
import { failureOf, planPull, rowsAvailableBelow, checkFits, titleFor, type PullDeps, type TableFailure, type TableResult } from './pull';
import { forgetTable, loadSavedTables, saveTableQuery } from './saved-queries';
import { stageReadings } from './stage-readings';

export interface RefreshReport {
  refreshed: TableResult[];
  /** Tables whose refresh failed: each still holds exactly its previous rows. */
  failed: TableFailure[];
  /** Tables that no longer exist in the workbook; their queries were forgotten. */
  forgotten: string[];
  /** Tables not reached because the user cancelled. */
  skipped: string[];
  cancelled: boolean;
}

/**
 * "Refresh all": re-runs the remembered query of every DCS table in the workbook, one table at
 * a time. Relative ranges (last full month, ...) resolve against now, so they move forward.
 * Each table's new rows are staged completely before the table is touched: a table whose
 * refresh fails, for whatever reason, keeps exactly the rows it had, and the report says why.
 */
export async function refreshAll(context: Excel.RequestContext, deps: PullDeps): Promise<RefreshReport> {
  const report: RefreshReport = { refreshed: [], failed: [], forgotten: [], skipped: [], cancelled: false };
  const saved = await loadSavedTables(context);
  for (const [index, entry] of saved.entries()) {
    if (deps.signal?.aborted) {
      report.cancelled = true;
      report.skipped.push(...saved.slice(index).map((s) => s.table));
      break;
    }
    if (entry.problem !== undefined) {
      report.failed.push({ label: entry.table, message: `Cannot refresh ${entry.table}: ${entry.problem}. Pull it again as a new table.` });
      continue;
    }
    const table = context.workbook.tables.getItemOrNullObject(entry.table);
    table.load('name');
    await context.sync();
    if (table.isNullObject) {
      await forgetTable(context, entry.table);
      report.forgotten.push(entry.table);
      continue;
    }
    try {
      const now = deps.now();
      const plan = planPull(entry.query, now);
      const header = table.getHeaderRowRange();
      header.load('rowIndex');
      await context.sync();
      const available = rowsAvailableBelow(header.rowIndex - 1);
      checkFits(plan, available);
      const staged = await stageReadings(context, plan.request, {
        readings: deps.readings,
        layout: entry.query.layout,
        maxRows: available,
        maxBlockBytes: deps.maxBlockBytes,
        signal: deps.signal,
        label: entry.table,
        onProgress: deps.onProgress,
      });
      try {
        const title = titleFor(plan, staged);
        await replaceTableRows(context, table, staged, { previous: entry.title, next: title });
        await saveTableQuery(context, entry.table, entry.query, title, now);
        report.refreshed.push({ table: entry.table, sourceIds: entry.query.sourceIds, rows: staged.rowCount });
      } finally {
        await staged.staging?.discard(context);
      }
    } catch (error) {
      if (error instanceof CancelledError) {
        report.cancelled = true;
        report.skipped.push(...saved.slice(index).map((s) => s.table));
        break;
      }
      report.failed.push(failureOf(entry.table, error));
    }
  }
  return report;
}
