import type { TableQuery } from '../query/table-query';
import { readDateSystem } from './date-system';
import { CancelledError } from './errors';
import { addSheet, checkEmpty, startAnchor, tableNamePart, uniqueTableName, type Placement } from './new-tables';
import { placeNewTable, type Anchor } from './place';
import { checkFits, failureOf, planPull, rowsAvailableBelow, titleFor, type PlannedPull, type PullDeps, type TableFailure, type TableResult } from './pull';
import { saveTableQuery } from './saved-queries';
import { stageReadings, type StagedReadings } from './stage-readings';

export interface GetReadingsResult {
  sheet: string;
  created: TableResult[];
  failed: TableFailure[];
  cancelled: boolean;
}

/** Base name of the sheet new tables go on. */
const NEW_SHEET_NAME = 'DCS readings';

/**
 * "Get readings": pulls a query into new Excel tables, one per source side by side (with one
 * empty column between, or more when a title line needs them) or one long table, each under a title line, and remembers each table's
 * query in the workbook for Refresh all. Every table is staged completely before it is written,
 * so a table either appears whole or not at all; one source failing does not stop the others.
 * Refuses the whole request before writing anything when a table cannot fit in a sheet.
 */
export async function getReadings(context: Excel.RequestContext, query: TableQuery, placement: Placement, deps: PullDeps): Promise<GetReadingsResult> {
  const now = deps.now();
  const queries: TableQuery[] = query.layout === 'long' ? [query] : query.sourceIds.map((id) => ({ ...query, sourceIds: [id] }));
  const plans = queries.map((q) => planPull(q, now));

  const start = await startAnchor(context, placement);
  const available = rowsAvailableBelow(start.row);
  for (const plan of plans) checkFits(plan, available);
  const onNewSheet = start.sheet === undefined;
  const sheet = start.sheet ?? (await addSheet(context, NEW_SHEET_NAME));
  sheet.load('name');
  await context.sync();

  const dateSystem = await readDateSystem(context);
  const result: GetReadingsResult = { sheet: sheet.name, created: [], failed: [], cancelled: false };
  let column = start.column;
  try {
    for (const plan of plans) {
      const label = plan.query.sourceIds.join(', ');
      try {
        const staged = await stageReadings(context, plan.request, {
          readings: deps.readings,
          layout: plan.query.layout,
          maxRows: available,
          maxBlockBytes: deps.maxBlockBytes,
          signal: deps.signal,
          label,
          onProgress: deps.onProgress,
          dateSystem,
        });
        const anchor: Anchor = { sheet, row: start.row, column };
        const { table, gap } = await placeStaged(context, staged, anchor, plan, onNewSheet, now);
        result.created.push({ table, sourceIds: plan.query.sourceIds, rows: staged.rowCount });
        column += staged.columns.headers.length + gap;
      } catch (error) {
        result.failed.push(failureOf(label, error));
      }
    }
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    result.cancelled = true;
  }
  if (onNewSheet && result.created.length === 0) {
    sheet.delete();
  } else {
    sheet.activate();
  }
  await context.sync();
  return result;
}

async function placeStaged(
  context: Excel.RequestContext,
  staged: StagedReadings,
  anchor: Anchor,
  plan: PlannedPull,
  onNewSheet: boolean,
  now: Date,
): Promise<{ table: string; gap: number }> {
  try {
    if (!onNewSheet) {
      const area = anchor.sheet.getRangeByIndexes(anchor.row, anchor.column, Math.max(staged.rowCount, 1) + 2, staged.columns.headers.length);
      await checkEmpty(context, area, 'this table');
    }
    const base = plan.query.layout === 'long' ? 'DCS_Readings' : `DCS_${tableNamePart(plan.query.sourceIds[0])}`;
    const name = await uniqueTableName(context, base);
    const title = titleFor(plan, staged);
    const { id, gap } = await placeNewTable(context, staged, anchor, name, title);
    await saveTableQuery(context, { id, name }, plan.query, title, now);
    return { table: name, gap };
  } finally {
    await staged.staging?.discard(context);
  }
}
