/**
 * =DCS.CUSUM(id, temperature, baselineFirstDay, baselineLastDay, firstDay, lastDay, [interval],
 * [timeZone], [baseTemperature]): monitoring and targeting in a cell. The server's
 * `GET /api/cusum` fits consumption = intercept + slope × heating degree days over the baseline
 * and gives, for every interval of the baseline and then of the report period, the expected
 * consumption, the difference and the running sum; this spills it as a header row (the line's
 * equation and r² in the Expected column's header) and one row per interval. Last days are
 * included in full, as in every DCS function.
 */
import type { CusumJson } from '../../server/api/types';
import type { CusumRequest } from '../api/client';
import { wallClockSerial } from '../excel/dates';
import { DEFAULT_MAX_ROWS, isOmitted, plainArgument, readInterval, readSourceId, readTime, readTimeZone, type CellArgument } from './arguments';
import { dateSystemOf, guard, spilledDate, type Cell, type FunctionsContext } from './cell-functions';
import { formatForPeriod } from './date-cells';
import { badArgument, FunctionFailure, notSignedIn, toFailure } from './failure';
import { boundary } from './intervals-function';

/** The intervals a performance line is drawn over (degree days are per day). */
const CUSUM_INTERVALS = ['day', 'week', 'month'] as const;

export interface CusumArguments {
  id: CellArgument;
  temperature: CellArgument;
  baselineFirstDay: CellArgument;
  baselineLastDay: CellArgument;
  firstDay: CellArgument;
  lastDay: CellArgument;
  interval: CellArgument;
  timeZone: CellArgument;
  baseTemperature: CellArgument;
}

export async function cusum(ctx: FunctionsContext, raw: CusumArguments, signal?: AbortSignal): Promise<Cell[][]> {
  const system = await dateSystemOf(ctx);
  const fallbackZone = await ctx.defaultTimeZone();
  const request = guard((): CusumRequest => {
    const span = (first: CellArgument, last: CellArgument, names: [string, string]) => [
      boundary(readTime(first, names[0], system), 'start'),
      boundary(readTime(last, names[1], system), 'end'),
    ];
    const [baselineStart, baselineEnd] = span(raw.baselineFirstDay, raw.baselineLastDay, ['baselineFirstDay', 'baselineLastDay']);
    const [start, end] = span(raw.firstDay, raw.lastDay, ['firstDay', 'lastDay']);
    return {
      id: readSourceId(raw.id),
      temperature: readSourceId(raw.temperature, 'temperature'),
      baselineStart,
      baselineEnd,
      start,
      end,
      interval: readCusumInterval(raw.interval),
      timeZone: readTimeZone(raw.timeZone, fallbackZone),
      baseTemperature: readBaseTemperature(raw.baseTemperature),
    };
  });
  if (!ctx.session.isSignedIn) throw notSignedIn();
  if (!ctx.cusum)
    throw new FunctionFailure('notAvailable', 'This add-in runtime cannot ask for a CUSUM. Close and reopen the DCS pane (or the workbook), then recalculate.');
  let json: CusumJson;
  try {
    json = await ctx.cusum.cusum(request, signal);
  } catch (error) {
    throw toFailure(error);
  }
  if (json.intervals.length > DEFAULT_MAX_ROWS)
    throw new FunctionFailure(
      'notAvailable',
      `${json.intervals.length.toLocaleString('en-GB')} intervals is more than one formula spills; choose "week" or "month".`,
    );
  return cusumTable(json, (start) => spilledDate(ctx, wallClockSerial(start, system), formatForPeriod('day')));
}

function readCusumInterval(cell: CellArgument): CusumRequest['interval'] {
  const interval = readInterval(cell);
  const allowed = CUSUM_INTERVALS.find((i) => i === interval);
  if (!allowed) throw badArgument('interval', `"${interval}" cannot carry degree days (they are per day); use "day" (default), "week" or "month"`);
  return allowed;
}

/** °C, a number or numeric text; omitted: the server's default (15.5 °C). */
function readBaseTemperature(cell: CellArgument): number | undefined {
  const value = plainArgument(cell);
  if (isOmitted(value)) return undefined;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (typeof value === 'boolean' || !Number.isFinite(number) || number < -50 || number > 50)
    throw badArgument('baseTemperature', `${JSON.stringify(value)} is not a temperature in °C; give a number such as 15.5 (the UK convention)`);
  return number;
}

/** The header names the source, the unit and the fitted line; '' stands for a figure there is none of. */
export function cusumTable(json: CusumJson, toDate: (start: string) => Cell): Cell[][] {
  const unit = json.source.unit;
  const { intercept, slope, r2 } = json.model;
  const line = `${round(intercept)} + ${round(slope)} × degree days${r2 === null ? '' : `, r² ${r2.toFixed(3)}`}`;
  const header: Cell[] = [
    'Period',
    `Start (${json.timeZone})`,
    `${json.source.id} ${json.source.name} (${unit})`,
    `${json.degreeDays === 'cooling' ? 'Cooling' : 'Heating'} degree days (base ${json.baseTemperature} °C, ${json.temperature.id})`,
    `Expected (${unit}) = ${line}`,
    `Difference (${unit})`,
    `CUSUM (${unit})`,
    'Estimated half-hours',
    'Missing half-hours',
    'Days without temperature',
  ];
  const rows = json.intervals.map((row): Cell[] => [
    row.period,
    toDate(row.start),
    row.consumption ?? '',
    row.degreeDays ?? '',
    row.expected ?? '',
    row.difference ?? '',
    row.cusum,
    row.interpolated,
    row.missing,
    row.daysWithoutTemperature,
  ]);
  return [header, ...rows];
}

/** Four significant figures for the header's equation only; the cells hold the exact figures. */
function round(value: number): string {
  return Number(value.toPrecision(4)).toLocaleString('en-GB', { maximumFractionDigits: 4 });
}
