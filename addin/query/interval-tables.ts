import type { IntervalCalc, IntervalJson, IntervalSourceJson, IntervalsJson, IntervalType } from '../../server/api/types';
import { DAYS_1900_TO_1904, wallClockSerial, type DateSystem } from '../excel/dates';
import type { IntervalsQuery } from './intervals-query';

/** What a cell holds here; "" leaves it empty (a figure that cannot be had, not a made-up 0). */
export type IntervalCell = number | string;

/** How a table's cells are formatted and charted. */
export type ColumnKind = 'date' | 'number' | 'text';

/** One table to write: header row, data rows, and what each column is. */
export interface IntervalTable {
  /** Source ids in the table (one for a per-source table). */
  sourceIds: string[];
  /** The line above the table. */
  title: string;
  /** The title of its chart: the title line without "DCS: " and without the list of sources the legend shows. */
  chartTitle: string;
  headers: string[];
  kinds: ColumnKind[];
  rows: IntervalCell[][];
  /**
   * Columns 0..chartColumns-1 are the time column and the figures worth a chart (0: no chart,
   * e.g. the long layout, where one column mixes sources).
   */
  chartColumns: number;
  /**
   * The unit of each charted figure (columns 1..chartColumns-1; "" for a ratio): figures in
   * different units (kWh and kW) are drawn on charts of their own, never against one value axis.
   */
  chartUnits: string[];
  /** Line for time series; columns for consumption per day, week, month... */
  chartType: 'line' | 'columns';
  /** Number format of the start column (date only for days and longer). */
  dateFormat: string;
}

const INTERVAL_WORDS: Record<IntervalType, { adjective: string; per: string }> = {
  halfHour: { adjective: 'half-hourly', per: 'half-hour' },
  hour: { adjective: 'hourly', per: 'hour' },
  day: { adjective: 'daily', per: 'day' },
  week: { adjective: 'weekly', per: 'week' },
  month: { adjective: 'monthly', per: 'month' },
  quarter: { adjective: 'quarterly', per: 'quarter' },
  year: { adjective: 'yearly', per: 'year' },
};

/**
 * Each figure in words, for headers, titles and the functions' descriptions; written in the order
 * the tables' columns take (numbers worth charting first, times last), which CALC_ORDER reads.
 */
export const CALC_WORDS: Record<IntervalCalc, string> = {
  consumption: 'consumption',
  maxDemand: 'max demand',
  loadFactor: 'load factor',
  baseload: 'baseload',
  outOfHours: 'out of hours',
  heatingDegreeDays: 'heating degree days',
  coolingDegreeDays: 'cooling degree days',
  carbon: 'carbon',
  mean: 'mean',
  min: 'min',
  max: 'max',
  maxAt: 'time of max',
  maxDemandAt: 'time of max demand',
};

/** The order figures appear in (an object's string keys keep the order they were written in). */
const CALC_ORDER = Object.keys(CALC_WORDS) as IntervalCalc[];

/** Whether a calculation's value is a time (shown as a date in the table's zone). */
export function isTimeCalc(calc: IntervalCalc): boolean {
  return calc === 'maxAt' || calc === 'maxDemandAt';
}

/** The unit a calculation's column states: the source's (kWh), its demand's (kW), none for a ratio. */
export function calcUnit(calc: IntervalCalc, source: Pick<IntervalSourceJson, 'unit' | 'demandUnit'>): string {
  if (calc === 'loadFactor' || isTimeCalc(calc)) return '';
  if (calc === 'heatingDegreeDays' || calc === 'coolingDegreeDays') return 'degree days';
  if (calc === 'carbon') return 'kgCO2e';
  return calc === 'maxDemand' || calc === 'baseload' ? (source.demandUnit ?? '') : source.unit;
}

/** Date-only for whole days and longer; with the time below a day. */
export function dateFormatFor(interval: IntervalType): string {
  return interval === 'halfHour' || interval === 'hour' ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
}

/** `+01:00` of an ISO timestamp with an offset (`Z` is `+00:00`): tells 01:30 from 01:30 on a clock-change night. */
export function offsetOf(iso: string): string {
  const match = /([+-]\d{2}:\d{2}|Z)$/.exec(iso);
  if (!match) throw new Error(`The server sent a timestamp without an offset ("${iso}"). Update the server.`);
  return match[1] === 'Z' ? '+00:00' : match[1];
}

function figure(interval: IntervalJson, calc: IntervalCalc): IntervalCell {
  const value = interval[calc];
  if (value === null || value === undefined) return '';
  if (isTimeCalc(calc)) return wallClockSerial(String(value));
  return typeof value === 'number' && Number.isFinite(value) ? value : '';
}

function calcsOf(sources: readonly IntervalSourceJson[]): IntervalCalc[] {
  const wanted = new Set(sources.flatMap((s) => s.calcs));
  return CALC_ORDER.filter((c) => wanted.has(c));
}

/** "Main incomer: kWh (R1001)" style label. */
function sourceLabel(source: IntervalSourceJson): string {
  return `${source.name} (${source.id})`;
}

function valueHeader(calc: IntervalCalc, unit: string, zone: string): string {
  if (isTimeCalc(calc)) return `${capitalise(CALC_WORDS[calc])} (${zone})`;
  return unit ? `${capitalise(CALC_WORDS[calc])} (${unit})` : capitalise(CALC_WORDS[calc]);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function titleOf(what: string, query: Pick<IntervalsQuery, 'interval' | 'timeZone'>, range: string): string {
  return `DCS: ${what}, ${INTERVAL_WORDS[query.interval].adjective}, ${range}, ${query.interval === 'halfHour' || query.interval === 'hour' ? 'times' : `${INTERVAL_WORDS[query.interval].per}s`} in ${query.timeZone}`;
}

/** The title line (with what the short headers leave out, if anything) and the chart's title. */
function titles(heading: string, sources?: string): { title: string; chartTitle: string } {
  return { title: sources ? `${heading}. ${sources}` : heading, chartTitle: heading.replace(/^DCS: /, '') };
}

function chartTypeFor(query: Pick<IntervalsQuery, 'interval' | 'what'>): 'line' | 'columns' {
  return query.what === 'consumption' && query.interval !== 'halfHour' && query.interval !== 'hour' ? 'columns' : 'line';
}

/**
 * Columns after the figures: the offset, and how complete each interval is. A half-hourly table
 * has no "Half-hours" column: it would be 1 in every row.
 */
function trailerHeaders(withQuality: boolean, interval: IntervalType): { headers: string[]; kinds: ColumnKind[] } {
  const headers = interval === 'halfHour' ? ['UTC offset'] : ['UTC offset', 'Half-hours'];
  const kinds: ColumnKind[] = interval === 'halfHour' ? ['text'] : ['text', 'number'];
  if (withQuality) {
    headers.push('Missing', 'Estimated');
    kinds.push('number', 'number');
  }
  return { headers, kinds };
}

function trailer(interval: IntervalJson, withQuality: boolean, type: IntervalType): IntervalCell[] {
  const cells: IntervalCell[] = type === 'halfHour' ? [offsetOf(interval.start)] : [offsetOf(interval.start), interval.periods];
  if (withQuality) cells.push(interval.missing, interval.interpolated);
  return cells;
}

/** One table for one source: start, its figures, offset, half-hours, missing, estimated. */
function perSourceTable(source: IntervalSourceJson, query: Pick<IntervalsQuery, 'interval' | 'timeZone' | 'what'>, range: string): IntervalTable {
  const calcs = calcsOf([source]);
  const numeric = calcs.filter((c) => !isTimeCalc(c)).length;
  const tail = trailerHeaders(true, query.interval);
  return {
    sourceIds: [source.id],
    ...titles(titleOf(`${sourceLabel(source)}, ${calcs.map((c) => CALC_WORDS[c]).join(', ')} (${source.unit || 'no unit'})`, query, range)),
    headers: [`Start (${query.timeZone})`, ...calcs.map((c) => valueHeader(c, calcUnit(c, source), query.timeZone)), ...tail.headers],
    kinds: ['date', ...calcs.map((c): ColumnKind => (isTimeCalc(c) ? 'date' : 'number')), ...tail.kinds],
    rows: source.intervals.map((i) => [wallClockSerial(i.start), ...calcs.map((c) => figure(i, c)), ...trailer(i, true, query.interval)]),
    chartColumns: 1 + numeric,
    chartUnits: calcs.filter((c) => !isTimeCalc(c)).map((c) => calcUnit(c, source)),
    chartType: chartTypeFor(query),
    dateFormat: dateFormatFor(query.interval),
  };
}

/** One row per source and interval, the source named in each row. Not charted: one column mixes sources. */
function longTable(sources: readonly IntervalSourceJson[], query: Pick<IntervalsQuery, 'interval' | 'timeZone' | 'what'>, range: string): IntervalTable {
  const calcs = calcsOf(sources);
  const tail = trailerHeaders(true, query.interval);
  const rows: IntervalCell[][] = [];
  // The Unit column is the sources' unit; a figure in another unit (kW of demand) says its own when all sources agree.
  const sharedUnit = (c: IntervalCalc): string => {
    const units = new Set(sources.map((s) => calcUnit(c, s)));
    return c === 'maxDemand' && units.size === 1 ? [...units][0] : '';
  };
  for (const source of sources) {
    for (const i of source.intervals) {
      rows.push([source.id, source.name, source.unit, wallClockSerial(i.start), ...calcs.map((c) => figure(i, c)), ...trailer(i, true, query.interval)]);
    }
  }
  return {
    sourceIds: sources.map((s) => s.id),
    ...titles(titleOf(`${sources.length} sources, ${calcs.map((c) => CALC_WORDS[c]).join(', ')}`, query, range)),
    headers: ['Source id', 'Source', 'Unit', `Start (${query.timeZone})`, ...calcs.map((c) => valueHeader(c, sharedUnit(c), query.timeZone)), ...tail.headers],
    kinds: ['text', 'text', 'text', 'date', ...calcs.map((c): ColumnKind => (isTimeCalc(c) ? 'date' : 'number')), ...tail.kinds],
    rows,
    chartColumns: 0,
    chartUnits: [],
    chartType: chartTypeFor(query),
    dateFormat: dateFormatFor(query.interval),
  };
}

/**
 * One row per interval, one column per source and figure. Headers are short (source id, figure,
 * unit: "R1001 consumption (kWh)"), so columns and chart legends stay readable; the title line
 * above says the rest: the interval, the span, the zone whose days (or hours...) the figures cover,
 * and each source's id, name and unit.
 * The rows follow the first source's intervals; every source of one request has the same ones.
 */
function wideTable(sources: readonly IntervalSourceJson[], query: Pick<IntervalsQuery, 'interval' | 'timeZone' | 'what'>, range: string): IntervalTable {
  const columns = sources.flatMap((source) => calcsOf([source]).map((calc) => ({ source, calc })));
  // Numbers first (charted), times of maximum after them.
  columns.sort((a, b) => Number(isTimeCalc(a.calc)) - Number(isTimeCalc(b.calc)));
  const header = ({ source, calc }: (typeof columns)[number]) => {
    // Times are on the zone's wall clock, as the Start column's header and the title line say.
    if (isTimeCalc(calc)) return `${source.id} ${CALC_WORDS[calc]}`;
    const unit = calcUnit(calc, source);
    return `${source.id} ${CALC_WORDS[calc]}${unit ? ` (${unit})` : ''}`;
  };
  const charted = columns.filter((c) => !isTimeCalc(c.calc));
  const byStart = sources.map((s) => new Map(s.intervals.map((i) => [i.start, i])));
  const first = sources[0]?.intervals ?? [];
  const tail = trailerHeaders(false, query.interval);
  return {
    sourceIds: sources.map((s) => s.id),
    ...titles(
      titleOf(`${sources.length} source${sources.length === 1 ? '' : 's'}, ${[...new Set(columns.map((c) => CALC_WORDS[c.calc]))].join(', ')}`, query, range),
      sources.map((source) => `${source.id}: ${source.name} (${source.unit || 'no unit'})`).join('; '),
    ),
    headers: [`Start (${query.timeZone})`, ...columns.map(header), ...tail.headers],
    kinds: ['date', ...columns.map((c): ColumnKind => (isTimeCalc(c.calc) ? 'date' : 'number')), ...tail.kinds],
    rows: first.map((i) => [
      wallClockSerial(i.start),
      ...columns.map(({ source, calc }) => {
        const match = byStart[sources.indexOf(source)].get(i.start);
        return match ? figure(match, calc) : '';
      }),
      ...trailer(i, false, query.interval),
    ]),
    chartColumns: 1 + charted.length,
    chartUnits: charted.map(({ source, calc }) => calcUnit(calc, source)),
    chartType: chartTypeFor(query),
    dateFormat: dateFormatFor(query.interval),
  };
}

/** The tables a query's answer is written as, in its layout. `range` describes the span for titles. */
export function intervalTables(
  answer: IntervalsJson,
  query: Pick<IntervalsQuery, 'interval' | 'timeZone' | 'what' | 'layout'>,
  range: string,
): IntervalTable[] {
  if (answer.sources.length === 0) return [];
  if (query.layout === 'long') return [longTable(answer.sources, query, range)];
  if (query.layout === 'wide') return [wideTable(answer.sources, query, range)];
  return answer.sources.map((source) => perSourceTable(source, query, range));
}

/**
 * A table's rows for a workbook in `system`. Rows are built in the 1900 system (the figures are
 * fetched before the workbook is asked); a 1904 workbook counts days from 1904, 1,462 fewer.
 */
export function rowsInDateSystem(table: Pick<IntervalTable, 'rows' | 'kinds'>, system: DateSystem): IntervalCell[][] {
  if (system === 1900) return table.rows;
  const dateColumns = table.kinds.flatMap((kind, j) => (kind === 'date' ? [j] : []));
  return table.rows.map((row) => row.map((cell, j) => (typeof cell === 'number' && dateColumns.includes(j) ? cell - DAYS_1900_TO_1904 : cell)));
}
