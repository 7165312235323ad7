import { CancelledError } from './errors';
import { replaceTableRows } from './place';
import { failureOf, planPull, rowsAvailableBelow, checkFits, titleFor, type PullDeps, type TableFailure, type TableResult } from './pull';
import { readDateSystem } from './date-system';
import { adoptCopiedTables, forgetTable, loadSavedTables, saveTableQuery } from './saved-queries';
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
  await adoptCopiedTables(context, deps.now());
  const saved = await loadSavedTables(context);
  const dateSystem = await readDateSystem(context);
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
    // By id: a table the user renamed is still found; its current name goes in the report.
    const table = context.workbook.tables.getItemOrNullObject(entry.id);
    table.load('name');
    await context.sync();
    if (table.isNullObject) {
      await forgetTable(context, entry.id);
      report.forgotten.push(entry.table);
      continue;
    }
    const name = table.name;
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
        label: name,
        onProgress: deps.onProgress,
        dateSystem,
      });
      try {
        const title = titleFor(plan, staged);
        await replaceTableRows(context, table, staged, { previous: entry.title, next: title });
        await saveTableQuery(context, { id: entry.id, name }, entry.query, title, now);
        report.refreshed.push({ table: name, sourceIds: entry.query.sourceIds, rows: staged.rowCount });
      } finally {
        await staged.staging?.discard(context);
      }
    } catch (error) {
      if (error instanceof CancelledError) {
        report.cancelled = true;
        report.skipped.push(...saved.slice(index).map((s) => s.table));
        break;
      }
      report.failed.push(failureOf(name, error));
    }
  }
  return report;
}
