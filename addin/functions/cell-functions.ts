/**
 * What each DCS cell function does, free of Excel's globals: read the arguments, ask the server,
 * shape the answer as Excel wants it. The JSDoc-annotated entry points in functions.ts call
 * these with the shared runtime's session and API client, and turn a thrown FunctionFailure into
 * a CustomFunctions.Error.
 */
import type { ConsumptionResult, NdjsonRecord, PeriodType, Source, SourceHeader } from '../../server/api/types';
import type { ReadingsRequest } from '../api/client';
import { isApiError } from '../api/client';
import { ZonedSerials, type DateSystem } from '../excel/dates';
import {
  DEFAULT_MAX_ROWS,
  plainArgument,
  readBand,
  readPeriodType,
  readQualityMeasure,
  readReadingsOptions,
  readSearch,
  readSourceId,
  readTime,
  readTimeZone,
  type CellArgument,
  type QualityMeasure,
  type TimeArgument,
} from './arguments';
import { readingsMisfit } from '../query/reading-boundaries';
import type { ConsumptionMemo } from './consumption-api';
import type { DemandMemo } from './demand-api';
import { dateCell, formatForPeriod, type DateCell, type DateCellKind } from './date-cells';
import { badArgument, FunctionFailure, notSignedIn, toFailure } from './failure';
import type { CusumApi } from './cusum-api';
import type { IntervalsApi } from './intervals-api';

/** A cell of a spilled result: text, a number, or a date (a number with a date format). */
export type Cell = string | number | DateCell;

/** What the functions need from the add-in's runtime. */
export interface FunctionsContext {
  session: { readonly isSignedIn: boolean };
  consumption: ConsumptionMemo;
  api: {
    sources(query: string, signal?: AbortSignal): Promise<Source[]>;
    readings(request: ReadingsRequest, signal?: AbortSignal): AsyncIterable<NdjsonRecord>;
  };
  /** `GET /api/intervals`, for DCS.INTERVALS. */
  intervals?: IntervalsApi;
  /** Demand and power quality (`POST /api/bills`), for DCS.DEMAND. */
  demand?: DemandMemo;
  /** `GET /api/cusum`, for DCS.CUSUM. */
  cusum?: CusumApi;
  /** The zone used when a function is given none: the workbook's (chosen in the pane; the computer's until then). */
  defaultTimeZone(): string | Promise<string>;
  /** The workbook's date system, which date cells passed in and spilled out count in; 1900 when absent. */
  dateSystem?(): Promise<DateSystem>;
  /**
   * Which formatted number this Excel takes for a date (date-cells.ts: a Double from ExcelApi
   * 1.19, a FormattedNumber from 1.16, else bare serials). 'Double' when absent.
   */
  dateCellKind?(): DateCellKind;
}

/** A date for a spill: a formatted number where Excel takes one, else the bare serial. */
export function spilledDate(ctx: FunctionsContext, serial: number, numberFormat: string): Cell {
  const kind = ctx.dateCellKind?.() ?? 'Double';
  return kind === 'serial' ? serial : dateCell(serial, numberFormat, kind);
}

/** The workbook's date system, asked only when a date must be converted. */
export async function dateSystemOf(ctx: FunctionsContext): Promise<DateSystem> {
  return (await ctx.dateSystem?.()) ?? 1900;
}

/** True when any of the values is a date serial (a number), which needs the date system to read. */
function anySerial(...values: CellArgument[]): boolean {
  return values.some((v) => typeof plainArgument(v) === 'number');
}

/** =DCS.CONSUMPTION(id, firstDay, lastDay, [timeZone], [band]): the arguments are consumptionResult's. */
export async function consumption(...args: Parameters<typeof consumptionResult>): Promise<number> {
  const result = await consumptionResult(...args);
  return result.consumption;
}

/** =DCS.QUALITY(id, firstDay, lastDay, measure, [timeZone], [band]) */
export async function quality(
  ctx: FunctionsContext,
  id: CellArgument,
  firstDay: CellArgument,
  lastDay: CellArgument,
  measure: CellArgument,
  timeZone: CellArgument,
  signal?: AbortSignal,
  band?: CellArgument,
): Promise<number> {
  const wanted = guard(() => readQualityMeasure(measure));
  if (wanted === undefined) throw badArgument('measure', 'is empty; use "interpolated", "resets", "missing" or "periods"');
  const result = await consumptionResult(ctx, id, firstDay, lastDay, timeZone, signal, band);
  return qualityCount(result, wanted);
}

export function qualityCount(result: ConsumptionResult, measure: QualityMeasure): number {
  return result[measure];
}

async function consumptionResult(
  ctx: FunctionsContext,
  id: CellArgument,
  firstDay: CellArgument,
  lastDay: CellArgument,
  timeZone: CellArgument,
  signal?: AbortSignal,
  band?: CellArgument,
): Promise<ConsumptionResult> {
  const system = anySerial(firstDay, lastDay) ? await dateSystemOf(ctx) : 1900;
  const fallbackZone = await ctx.defaultTimeZone();
  const request = guard(() => ({
    id: readSourceId(id),
    start: readTime(firstDay, 'firstDay', system),
    end: readTime(lastDay, 'lastDay', system),
    timeZone: readTimeZone(timeZone, fallbackZone),
    band: readBand(band ?? null),
  }));
  if (!ctx.session.isSignedIn) throw notSignedIn();
  try {
    // A plain lastDay date is included: it goes to the server as lastDay (consumption-api.ts).
    // The request is shared by every formula asking the same (see ConsumptionMemo), so cancelling
    // this formula stops waiting for it but leaves it running for the others.
    return await untilAborted(ctx.consumption.get(request.id, request.start.text, request.end.text, request.timeZone, request.band), signal);
  } catch (error) {
    throw toFailure(error);
  }
}

/** The promise's outcome, or an AbortError as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  const aborted = () => new DOMException('The formula was cancelled.', 'AbortError');
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** =DCS.READINGS(id, firstDay, lastDay, [periodType], [options]) */
export async function readings(
  ctx: FunctionsContext,
  id: CellArgument,
  firstDay: CellArgument,
  lastDay: CellArgument,
  periodType: CellArgument,
  options: CellArgument,
  signal?: AbortSignal,
): Promise<Cell[][]> {
  const system = await dateSystemOf(ctx);
  const fallbackZone = await ctx.defaultTimeZone();
  const args = guard(() => {
    const parsed = readReadingsOptions(options);
    const zone = parsed.timeZone ?? fallbackZone;
    const clock = new ZonedSerials(zone, system);
    return {
      id: readSourceId(id),
      start: wallClockText(readTime(firstDay, 'firstDay', system), clock, 'start'),
      end: wallClockText(readTime(lastDay, 'lastDay', system), clock, 'end'),
      periodType: readPeriodType(periodType),
      options: parsed,
      clock,
    };
  });
  if (args.end <= args.start) {
    throw badArgument(
      'lastDay',
      `${args.end.replace('T', ' ')} is not after firstDay ${args.start.replace('T', ' ')}; a date as lastDay includes that whole day, a date and time as lastDay is the first instant not included`,
    );
  }
  checkReadingsFit(args, args.clock.zone);
  if (!ctx.session.isSignedIn) throw notSignedIn();
  const request: ReadingsRequest = {
    ids: [args.id],
    start: args.start,
    end: args.end,
    timeZone: args.clock.zone,
    periodType: args.periodType,
    calibrated: args.options.calibrated,
    interpolated: args.options.interpolated,
    format: args.options.format,
  };
  try {
    const limit = { maxRows: args.options.maxRows ?? DEFAULT_MAX_ROWS, periodType: args.periodType };
    const toDate = (serial: number, numberFormat: string) => spilledDate(ctx, serial, numberFormat);
    return await readingsTable(ctx.api.readings(request, signal), args.clock, args.options.header, limit, toDate);
  } catch (error) {
    throw toFailure(error);
  }
}

/**
 * DCS keeps its hour, day, week and month readings from UTC boundaries (days from midnight UTC):
 * a span in another zone that does not fall on them has no readings, which the server would
 * refuse with advice for API users. Say it here in the formula's own terms.
 */
function checkReadingsFit(args: { start: string; end: string; periodType: PeriodType }, zone: string): void {
  const misfit = readingsMisfit(args, zone, args.periodType);
  if (!misfit) return;
  const argument = misfit.end === 'start' ? 'firstDay' : 'lastDay';
  const at = `the span ${misfit.end === 'start' ? 'starts' : 'ends'} at ${misfit.wall}`;
  const where = zone === 'UTC' || misfit.wall === misfit.utc ? `${at} UTC` : `${at} in ${zone}, which is ${misfit.utc} UTC`;
  // Half-hours fit in any whole-hour zone: only a time off the half-hour misses them.
  const instead =
    args.periodType === 'halfHour'
      ? `give a time on the hour or half-hour (${zone})`
      : `use periodType "halfHour", or DCS.INTERVALS(id, firstDay, lastDay, "${args.periodType}") for ${args.periodType}s by the ${zone} calendar`;
  throw badArgument(argument, `${where}, but DCS's ${args.periodType} readings run from ${misfit.periodStarts}, so none fit; ${instead}`);
}

/**
 * The wall-clock text the readings API takes (`YYYY-MM-DDTHH:mm:ss` in the zone). A date as end
 * means the end of that day, as everywhere in these functions; a time with an offset is first
 * moved onto the zone's wall clock.
 */
export function wallClockText(time: TimeArgument, clock: ZonedSerials, argument: 'start' | 'end'): string {
  if (time.dateOnly) {
    if (argument === 'start') return `${time.text}T00:00:00`;
    const next = new Date(Date.parse(`${time.text}T00:00:00Z`) + 86_400_000);
    return next.toISOString().slice(0, 19);
  }
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(time.text);
  if (!offset) return time.text;
  const instant = Date.parse(time.text);
  return new Date(instant + clock.offsetMs(instant)).toISOString().slice(0, 19);
}

/**
 * The spilled table: a header row, then one row per reading with its timestamp as an Excel date
 * (a formatted number, so the cell shows a date) on the zone's wall clock. A stream that ends
 * without its end record, or with an error record, fails the function: a half-filled table must
 * never pass for the whole period.
 */
export async function readingsTable(
  records: AsyncIterable<NdjsonRecord>,
  clock: ZonedSerials,
  header: boolean,
  limit: { maxRows: number; periodType: PeriodType },
  toDate: (serial: number, numberFormat: string) => Cell = dateCell,
): Promise<Cell[][]> {
  const { maxRows, periodType } = limit;
  const format = formatForPeriod(periodType);
  const rows: Cell[][] = [];
  let source: SourceHeader | undefined;
  let ended = false;
  for await (const record of records) {
    if (isApiError(record)) throw new FunctionFailure('notAvailable', `The readings stopped partway: ${record.error.message}`);
    if ('source' in record) {
      source = record.source;
      if (source.expectedCount > maxRows) throw tooManyRows(source.expectedCount, maxRows, periodType);
      continue;
    }
    if ('end' in record) {
      ended = true;
      break;
    }
    if (rows.length >= maxRows) throw tooManyRows(rows.length + 1, maxRows, periodType);
    const serial = toDate(clock.serialOfIso(record.timestamp), format);
    rows.push(
      'totalValue' in record
        ? [serial, cellValue(record.totalValue), cellValue(record.periodValue), record.status]
        : [serial, cellValue(record.value), record.status],
    );
  }
  if (!ended || !source)
    throw new FunctionFailure('notAvailable', 'The readings stream ended before it was complete (the connection may have dropped). Recalculate to try again.');
  if (!header) return rows.length > 0 ? rows : [['']];
  return [readingsHeader(source, clock.zone), ...rows];
}

export function readingsHeader(source: SourceHeader, zone: string): string[] {
  const stamp = `Timestamp (${zone})`;
  const unit = source.unit ? ` (${source.unit})` : '';
  return source.format === 'complete'
    ? [stamp, `${source.name}: total${unit}`, `${source.name}: period value${unit}`, 'Status']
    : [stamp, `${source.name}${unit}`, 'Status'];
}

/** DCS sends NaN and infinities as text; Excel shows them as text, which SUM skips. */
function cellValue(value: number | string): Cell {
  return typeof value === 'number' ? value : String(value);
}

/**
 * Large spills can stay #BUSY! for a long time in Excel on the web, so a formula spills at most
 * DEFAULT_MAX_ROWS rows unless its options raise the cap; the message says how to narrow.
 */
function tooManyRows(rows: number, maxRows: number, periodType: string): FunctionFailure {
  const longer = periodType === 'halfHour' ? ' ("day" instead of "halfHour")' : '';
  return new FunctionFailure(
    'notAvailable',
    `About ${rows.toLocaleString('en-GB')} readings is more than this formula spills (${maxRows.toLocaleString('en-GB')} rows). ` +
      `Narrow it: a shorter span from firstDay to lastDay, a longer periodType${longer}, or daily/monthly totals with DCS.INTERVALS; ` +
      'or raise the cap with "maxRows=50000" in options (up to 100,000; big spills are slow, above all in Excel on the web); ' +
      "for larger pulls use the task pane's Get readings.",
  );
}

/** =DCS.SOURCES([search]) */
export async function sources(ctx: FunctionsContext, search: CellArgument, signal?: AbortSignal): Promise<Cell[][]> {
  const text = guard(() => readSearch(search));
  if (!ctx.session.isSignedIn) throw notSignedIn();
  let found: Source[];
  try {
    found = await ctx.api.sources(text, signal);
  } catch (error) {
    throw toFailure(error);
  }
  if (found.length === 0) {
    throw new FunctionFailure(
      'notAvailable',
      text === ''
        ? 'DCS lists no registers or virtual meters that you may see.'
        : `No source's name contains "${text}". Try a shorter search, or =DCS.SOURCES() for all.`,
    );
  }
  return sourcesTable(found);
}

export function sourcesTable(found: readonly Source[]): Cell[][] {
  return [['Id', 'Name', 'Unit', 'Kind'], ...found.map((s): Cell[] => [s.id, s.meter ? `${s.meter.name}: ${s.name}` : s.name, s.unit, kindOf(s)])];
}

/** Says which sources DCS.CONSUMPTION refuses (instantaneous ones) right in the list. */
function kindOf(source: Source): string {
  const kind = source.kind === 'register' ? 'register' : 'virtual meter';
  return source.isInstantaneous ? `instantaneous ${kind}` : kind;
}

/** Runs argument readers, letting their FunctionFailure through and wrapping anything else. */
export function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FunctionFailure) throw error;
    throw new FunctionFailure('invalidValue', error instanceof Error ? error.message : String(error));
  }
}
