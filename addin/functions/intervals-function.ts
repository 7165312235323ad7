/**
 * =DCS.INTERVALS(ids, firstDay, lastDay, interval, [calc], [timeZone]): consumption or statistics per
 * interval (half-hour to year) in a time zone, from the server's `GET /api/intervals`, spilled as
 * a header row and one row per interval: its start as a date, then one column per source and
 * calculation. Sub-day intervals get a UTC-offset column, so the repeated hour of an autumn clock
 * change is unambiguous.
 */
import type { IntervalCalc, IntervalJson, IntervalsJson, IntervalSourceJson, IntervalType } from '../../server/api/types';
import { DATE_TIME_FORMAT } from '../excel/cells';
import { wallClockSerial, type DateSystem } from '../excel/dates';
import { DEFAULT_MAX_ROWS, readCalcs, readInterval, readSourceIds, readTime, readTimeZone, type CellArgument, type TimeArgument } from './arguments';
import { dateSystemOf, guard, spilledDate, type Cell, type FunctionsContext } from './cell-functions';
import { formatForPeriod } from './date-cells';
import { CALC_WORDS, calcUnit, isTimeCalc } from '../query/interval-tables';
import { badArgument, FunctionFailure, notSignedIn, toFailure } from './failure';

/** Intervals per day, roughly, for refusing a request too large to spill before asking the server. */
const PER_DAY: Record<IntervalType, number> = { halfHour: 48, hour: 24, day: 1, week: 1 / 7, month: 1 / 28, quarter: 1 / 90, year: 1 / 365 };

export async function intervals(
  ctx: FunctionsContext,
  ids: CellArgument | CellArgument[][],
  firstDay: CellArgument,
  lastDay: CellArgument,
  interval: CellArgument,
  calc: CellArgument,
  timeZone: CellArgument,
  signal?: AbortSignal,
): Promise<Cell[][]> {
  const system = await dateSystemOf(ctx);
  const args = readArguments({ ids, firstDay, lastDay, interval, calc, timeZone }, system, await ctx.defaultTimeZone());
  if (!ctx.session.isSignedIn) throw notSignedIn();
  if (!ctx.intervals)
    throw new FunctionFailure(
      'notAvailable',
      'This add-in runtime cannot ask for intervals. Close and reopen the DCS pane (or the workbook), then recalculate.',
    );
  let json: IntervalsJson;
  try {
    json = await ctx.intervals.intervals(args, signal);
  } catch (error) {
    throw toFailure(error);
  }
  return intervalsTable(json, { zone: args.timeZone, interval: args.interval, system, toDate: (serial, format) => spilledDate(ctx, serial, format) });
}

interface RawArguments {
  ids: CellArgument | CellArgument[][];
  firstDay: CellArgument;
  lastDay: CellArgument;
  interval: CellArgument;
  calc: CellArgument;
  timeZone: CellArgument;
}

function readArguments(raw: RawArguments, system: DateSystem, fallbackZone: string) {
  const args = guard(() => {
    const interval = readInterval(raw.interval);
    return {
      ids: readSourceIds(raw.ids),
      start: boundary(readTime(raw.firstDay, 'firstDay', system), 'start'),
      end: boundary(readTime(raw.lastDay, 'lastDay', system), 'end'),
      interval,
      calcs: readCalcs(raw.calc),
      timeZone: readTimeZone(raw.timeZone, fallbackZone),
    };
  });
  const days = (Date.parse(args.end.slice(0, 19)) - Date.parse(args.start.slice(0, 19))) / 86_400_000;
  if (days <= 0) throw badArgument('lastDay', `${args.end} is not after firstDay ${args.start}; a date as lastDay includes that whole day`);
  const rows = Math.round(days * PER_DAY[args.interval]) * args.ids.length;
  if (rows > DEFAULT_MAX_ROWS) throw tooManyIntervals(rows, args.interval);
  return args;
}

/** What the server takes: a date as firstDay is that day's beginning; a date as lastDay includes that day. */
export function boundary(time: TimeArgument, argument: 'start' | 'end'): string {
  if (!time.dateOnly || argument === 'start') return time.text;
  return new Date(Date.parse(`${time.text}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function tooManyIntervals(rows: number, interval: IntervalType): FunctionFailure {
  const longer = interval === 'halfHour' || interval === 'hour' ? ' ("day" instead of "' + interval + '")' : '';
  return new FunctionFailure(
    'notAvailable',
    `About ${rows.toLocaleString('en-GB')} intervals is more than one formula spills (${DEFAULT_MAX_ROWS.toLocaleString('en-GB')}). ` +
      `Narrow it: a shorter span from firstDay to lastDay, a longer interval${longer}, or fewer ids; for larger pulls use the task pane.`,
  );
}

/** The spill: header row, then one row per interval start; sources and calculations across. */
interface TableShape {
  zone: string;
  interval: IntervalType;
  system: DateSystem;
  toDate: (serial: number, numberFormat: string) => Cell;
}

function intervalsTable(json: IntervalsJson, shape: TableShape): Cell[][] {
  const { zone, interval, system, toDate } = shape;
  if (json.sources.length === 0) throw new FunctionFailure('notAvailable', 'The server returned no sources for these ids. Check them with =DCS.SOURCES().');
  const subDay = interval === 'halfHour' || interval === 'hour';
  const header: Cell[] = [`Start (${zone})`, ...(subDay ? ['UTC offset'] : [])];
  for (const source of json.sources) for (const calc of source.calcs) header.push(columnHeader(source, calc));

  const starts: string[] = [];
  const bySource = json.sources.map((source) => {
    const map = new Map<string, IntervalJson>();
    for (const figures of source.intervals) {
      if (!map.has(figures.start) && !starts.includes(figures.start)) starts.push(figures.start);
      map.set(figures.start, figures);
    }
    return map;
  });
  if (starts.length > DEFAULT_MAX_ROWS) throw tooManyIntervals(starts.length, interval);
  const format = formatForPeriod(interval);
  const rows: Cell[][] = starts.map((start) => {
    const row: Cell[] = [toDate(wallClockSerial(start, system), format), ...(subDay ? [offsetOf(start)] : [])];
    json.sources.forEach((source, i) => {
      const figures = bySource[i].get(start);
      for (const calc of source.calcs) row.push(figureCell(figures, calc, shape));
    });
    return row;
  });
  return [header, ...rows];
}

function columnHeader(source: IntervalSourceJson, calc: IntervalCalc): string {
  const unit = calcUnit(calc, source) ? ` (${calcUnit(calc, source)})` : '';
  return `${source.id} ${source.name}${unit}: ${CALC_WORDS[calc]}`;
}

/** A figure, '' where there is none (missing data, consumption of an instantaneous source). */
function figureCell(figures: IntervalJson | undefined, calc: IntervalCalc, shape: TableShape): Cell {
  const value = figures?.[calc];
  if (value === null || value === undefined) return '';
  if (isTimeCalc(calc)) return shape.toDate(wallClockSerial(String(value), shape.system), DATE_TIME_FORMAT);
  return typeof value === 'number' ? value : String(value);
}

/** "+01:00" from "2023-10-29T01:00:00+01:00"; "+00:00" for "Z". */
function offsetOf(iso: string): string {
  const match = /(Z|[+-]\d{2}:\d{2})$/i.exec(iso);
  if (!match) return '';
  return match[1].toUpperCase() === 'Z' ? '+00:00' : match[1];
}
