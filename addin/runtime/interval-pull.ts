import type { IntervalsJson } from '../../server/api/types';
import type { IntervalsRequest } from '../api/client';
import { writeRowsInBlocks } from '../excel/blocks';
import type { CellValue } from '../excel/cells';
import { addTableCharts } from '../excel/chart';
import { CancelledError, RowLimitError } from '../excel/errors';
import { ROWS_ABOVE_DATA, SHEET_ROWS } from '../excel/limits';
import { intervalTables, rowsInDateSystem, type IntervalTable } from '../query/interval-tables';
import { readDateSystem } from '../excel/date-system';
import type { DateSystem } from '../excel/dates';
import { describeIntervalSpan, toIntervalsRequest, type IntervalsQuery } from '../query/intervals-query';
import { estimatePeriods, type ResolvedRange } from '../query/presets';
import { saveTableQuery } from '../excel/saved-queries';
import { addSheet, checkEmpty, startAnchor, tableNamePart, uniqueTableName, type Placement } from '../excel/new-tables';

/** What a calculated pull needs from outside Excel (injected: tests and preview mode use it too). */
export interface IntervalDeps {
  intervals: (request: IntervalsRequest, signal?: AbortSignal) => Promise<IntervalsJson>;
  now: () => Date;
  signal?: AbortSignal;
}

/** A query's answer, fetched completely before Excel is touched, as the tables to write. */
export interface FetchedIntervals {
  query: IntervalsQuery;
  tables: IntervalTable[];
  now: Date;
}

/**
 * Figures one pull may ask for. The answer arrives as one JSON document held in the pane's
 * memory, so a year of half-hours for 200 sources is refused before it is asked for.
 */
export const MAX_INTERVAL_FIGURES = 500_000;

/** Refuses, before anything is requested, a pull whose table cannot fit in a sheet or in memory. */
export function checkIntervalsSize(query: IntervalsQuery, resolved: ResolvedRange): void {
  const intervals = query.interval === 'quarter' || query.interval === 'year' ? 1 : estimatePeriods(resolved, query.interval);
  const figures = intervals * query.sourceIds.length;
  const rows = query.layout === 'long' ? figures : intervals;
  const available = SHEET_ROWS - ROWS_ABOVE_DATA;
  if (rows > available) throw new RowLimitError(rows, available);
  if (figures > MAX_INTERVAL_FIGURES) {
    throw new Error(
      `This request asks for about ${figures.toLocaleString('en-GB')} figures (${intervals.toLocaleString('en-GB')} intervals for each of ${query.sourceIds.length} sources); ` +
        `one pull can take ${MAX_INTERVAL_FIGURES.toLocaleString('en-GB')}. Nothing was written. Choose a longer interval (day instead of half-hour), a shorter range, or fewer sources.`,
    );
  }
}

export async function fetchIntervals(query: IntervalsQuery, deps: IntervalDeps): Promise<FetchedIntervals> {
  const now = deps.now();
  const { request, resolved } = toIntervalsRequest(query, now);
  checkIntervalsSize(query, resolved);
  const answer = await deps.intervals(request, deps.signal);
  if (deps.signal?.aborted) throw new CancelledError();
  return { query, tables: intervalTables(answer, query, describeIntervalSpan(query.range, query.interval, resolved)), now };
}

export interface IntervalTableResult {
  table: string;
  rows: number;
  chart: boolean;
}

const NEW_SHEET_NAME = 'DCS data';
const CHART_WIDTH_COLUMNS = 8;
const TABLE_STYLE = 'TableStyleMedium2';

/**
 * Writes fetched tables side by side (one empty column between, a chart after each table when
 * asked), each under its title line, and remembers each table's query for Refresh all.
 * Refuses before writing anything when a table cannot fit or the cells are not empty.
 */
export async function writeIntervalTables(
  context: Excel.RequestContext,
  fetched: FetchedIntervals,
  placement: Placement,
  chart: boolean,
): Promise<{ sheet: string; created: IntervalTableResult[] }> {
  const start = await startAnchor(context, placement);
  for (const table of fetched.tables) {
    const available = SHEET_ROWS - start.row - ROWS_ABOVE_DATA;
    if (table.rows.length > available) throw new RowLimitError(table.rows.length, available);
  }
  const sheet = start.sheet ?? (await addSheet(context, NEW_SHEET_NAME));
  if (start.sheet) await checkEmpty(context, tablesArea(sheet, start.row, start.column, fetched.tables, chart), 'the tables');
  const system = await readDateSystem(context);
  sheet.load('name');
  await context.sync();
  const created: IntervalTableResult[] = [];
  let column = start.column;
  for (const table of fetched.tables) {
    const name = await uniqueTableName(context, tableNameBase(fetched.query, table));
    const drawChart = chart && table.chartColumns > 1 && table.rows.length > 0;
    const id = await writeTable(context, sheet, { row: start.row, column, system }, table, name);
    if (drawChart) {
      const top = start.row + 2;
      const rows = table.rows.length;
      addTableCharts(sheet, {
        type: table.chartType,
        subDaily: fetched.query.interval === 'halfHour' || fetched.query.interval === 'hour',
        title: table.chartTitle,
        categories: sheet.getRangeByIndexes(top, column, rows, 1),
        series: table.chartUnits.map((unit, j) => ({ values: sheet.getRangeByIndexes(top, column + 1 + j, rows, 1), name: table.headers[1 + j], unit })),
        row: start.row + 1,
        column: column + table.headers.length + 1,
      });
    }
    const query = fetched.query.layout === 'perSource' ? { ...fetched.query, sourceIds: table.sourceIds } : fetched.query;
    await saveTableQuery(context, { id, name }, query, table.title, fetched.now);
    created.push({ table: name, rows: table.rows.length, chart: drawChart });
    column += table.headers.length + 1 + (drawChart ? CHART_WIDTH_COLUMNS + 1 : 0);
  }
  sheet.activate();
  await context.sync();
  return { sheet: sheet.name, created };
}

/**
 * Title, header and rows (in blocks under Excel on the web's request limit), then the table and
 * formats. Returns the new table's id, by which Refresh all remembers it.
 */
async function writeTable(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  at: { row: number; column: number; system: DateSystem },
  table: IntervalTable,
  name: string,
): Promise<string> {
  const { row, column, system } = at;
  const width = table.headers.length;
  const dataRows = Math.max(table.rows.length, 1);
  const title = sheet.getRangeByIndexes(row, column, 1, 1);
  // Text is written as text: without "@" Excel would parse a title or header that looks like a formula or number.
  title.numberFormat = [['@']];
  title.values = [[table.title]];
  title.format.font.bold = true;
  const header = sheet.getRangeByIndexes(row + 1, column, 1, width);
  header.numberFormat = [table.headers.map(() => '@')];
  header.values = [table.headers];
  applyTextFormats(sheet, row + 2, column, dataRows, table);
  await writeRowsInBlocks(context, sheet, { top: row + 2, left: column, width }, rowsToWrite(table, system));
  const created = sheet.tables.add(sheet.getRangeByIndexes(row + 1, column, dataRows + 1, width), true);
  created.name = name;
  created.style = TABLE_STYLE;
  created.load('id');
  applyDateFormats(sheet, row + 2, column, dataRows, table);
  await context.sync();
  return created.id;
}

/** The rows to write: a table with no intervals gets one row saying so (an Excel table needs a row). */
export function rowsToWrite(table: IntervalTable, system: DateSystem): CellValue[][] {
  return table.rows.length > 0 ? rowsInDateSystem(table, system) : [[...new Array<CellValue>(table.headers.length - 1).fill(''), 'No intervals in this range']];
}

/** Text columns take the Text format before their values, so Excel keeps them as written. */
export function applyTextFormats(sheet: Excel.Worksheet, top: number, left: number, rows: number, table: IntervalTable): void {
  for (const [j, kind] of table.kinds.entries()) {
    if (kind === 'text') sheet.getRangeByIndexes(top, left + j, rows, 1).numberFormat = [['@']];
  }
}

export function applyDateFormats(sheet: Excel.Worksheet, top: number, left: number, rows: number, table: IntervalTable): void {
  for (const [j, kind] of table.kinds.entries()) {
    // The time of a maximum is a half-hour, whatever the interval.
    if (kind === 'date') sheet.getRangeByIndexes(top, left + j, rows, 1).numberFormat = [[j === 0 ? table.dateFormat : 'yyyy-mm-dd hh:mm']];
  }
}

function tableNameBase(query: IntervalsQuery, table: IntervalTable): string {
  const what = query.what === 'consumption' ? 'Consumption' : 'Statistics';
  return query.layout === 'perSource' ? `DCS_${tableNamePart(table.sourceIds[0])}_${what}` : `DCS_${what}`;
}

/** The cells the tables (and their charts) will cover, side by side. */
function tablesArea(sheet: Excel.Worksheet, row: number, column: number, tables: IntervalTable[], chart: boolean): Excel.Range {
  const width = tables.reduce((sum, t) => sum + t.headers.length + 1 + (chart && t.chartColumns > 1 ? CHART_WIDTH_COLUMNS + 1 : 0), 0) - 1;
  const height = Math.max(...tables.map((t) => t.rows.length), 1) + ROWS_ABOVE_DATA;
  return sheet.getRangeByIndexes(row, column, height, width);
}
