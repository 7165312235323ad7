import type { IntervalsQuery } from '../query/intervals-query';
import type { TableQuery } from '../query/table-query';
import { refreshIntervalTable } from '../runtime/interval-refresh';
import type { IntervalDeps } from '../runtime/interval-pull';
import type { DateSystem } from './dates';
import { CancelledError } from './errors';
import { readingsBody, replaceTableRows } from './place';
import { failureOf, planPull, rowsAvailableBelow, checkFits, titleFor, type PullDeps, type TableFailure, type TableResult } from './pull';
import { readDateSystem } from './date-system';
import { adoptCopiedTables, forgetTable, isIntervalsQuery, loadSavedTables, saveTableQuery, type SavedQuery, type SavedTable } from './saved-queries';
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
  /** Why the sheets' DCS formulas were not recalculated after the tables (their own batch). */
  formulasNotRecalculated?: string;
}

/** What Refresh all needs: a pull's, plus the calculated figures for the pane's consumption and statistics tables. */
export interface RefreshDeps extends PullDeps {
  intervals?: IntervalDeps['intervals'];
}

/** One remembered table, found by its id, and its query. */
interface Found {
  id: string;
  table: Excel.Table;
  name: string;
  title: string;
}

/**
 * "Refresh all": re-runs the remembered query of every DCS table in the workbook (readings tables
 * and calculated tables alike), one table at a time. Relative ranges (last full month, ...)
 * resolve against now, so they move forward. Each table's new rows are complete before the table
 * is touched: a table whose refresh fails, for whatever reason, keeps exactly the rows it had,
 * and the report says why.
 */
export async function refreshAll(context: Excel.RequestContext, deps: RefreshDeps): Promise<RefreshReport> {
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
    const found = await findTable(context, entry, deps.now());
    if (!found) {
      await forgetTable(context, entry.id);
      report.forgotten.push(entry.table);
      continue;
    }
    try {
      const query = entry.query;
      const result = isIntervalsQuery(query)
        ? await refreshCalculated(context, found, query, deps, dateSystem)
        : await refreshReadings(context, found, query, deps, dateSystem);
      report.refreshed.push(result);
    } catch (error) {
      if (error instanceof CancelledError) {
        report.cancelled = true;
        report.skipped.push(...saved.slice(index).map((s) => s.table));
        break;
      }
      report.failed.push(failureOf(found.name, error));
    }
  }
  return report;
}

/**
 * By id: a table the user renamed is still found; its current name goes in the report. Ids can
 * differ between platforms (office-js issue 1390), so a table not found by id is looked for by the
 * name it had when last pulled, and its saved query moved to its id here, before anything is forgotten.
 */
async function findTable(context: Excel.RequestContext, entry: SavedTable & { title: string; query: SavedQuery }, now: Date): Promise<Found | undefined> {
  const byId = context.workbook.tables.getItemOrNullObject(entry.id).load('name');
  const byName = context.workbook.tables.getItemOrNullObject(entry.table).load('id,name');
  await context.sync();
  if (!byId.isNullObject) return { id: entry.id, table: byId, name: byId.name, title: entry.title };
  if (byName.isNullObject) return undefined;
  await saveTableQuery(context, { id: byName.id, name: byName.name }, entry.query, entry.title, now);
  await forgetTable(context, entry.id);
  return { id: byName.id, table: byName, name: byName.name, title: entry.title };
}

async function refreshReadings(context: Excel.RequestContext, found: Found, query: TableQuery, deps: PullDeps, dateSystem: DateSystem): Promise<TableResult> {
  const now = deps.now();
  const plan = planPull(query, now);
  const header = found.table.getHeaderRowRange();
  header.load('rowIndex');
  await context.sync();
  const available = rowsAvailableBelow(header.rowIndex - 1);
  checkFits(plan, available);
  const staged = await stageReadings(context, plan.request, {
    readings: deps.readings,
    layout: query.layout,
    maxRows: available,
    maxBlockBytes: deps.maxBlockBytes,
    signal: deps.signal,
    label: found.name,
    onProgress: deps.onProgress,
    dateSystem,
  });
  try {
    const title = titleFor(plan, staged);
    await replaceTableRows(context, found.table, readingsBody(staged), { previous: found.title, next: title });
    await saveTableQuery(context, { id: found.id, name: found.name }, query, title, now);
    return { table: found.name, sourceIds: query.sourceIds, rows: staged.rowCount };
  } finally {
    await staged.staging?.discard(context);
  }
}

async function refreshCalculated(
  context: Excel.RequestContext,
  found: Found,
  query: IntervalsQuery,
  deps: RefreshDeps,
  dateSystem: DateSystem,
): Promise<TableResult> {
  if (!deps.intervals) throw new Error('calculated tables are refreshed from the task pane or the ribbon; open the DCS pane and choose Refresh all');
  const intervalDeps = { intervals: deps.intervals, now: deps.now, signal: deps.signal, maxBlockBytes: deps.maxBlockBytes, dateSystem };
  const fresh = await refreshIntervalTable(context, found.table, { query, title: found.title }, intervalDeps).catch((error: unknown) => {
    // A fetch cut short by the user's cancel may fail with a network error rather than CancelledError.
    throw deps.signal?.aborted ? new CancelledError() : error;
  });
  await saveTableQuery(context, { id: found.id, name: found.name }, query, fresh.title, fresh.now);
  return { table: found.name, sourceIds: query.sourceIds, rows: fresh.rows };
}
