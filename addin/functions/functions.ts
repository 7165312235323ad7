/**
 * The DCS cell functions (namespace DCS): =DCS.CONSUMPTION, =DCS.QUALITY, =DCS.READINGS,
 * =DCS.SOURCES, =DCS.INTERVALS, =DCS.DEMAND, =DCS.CUSUM. The build generates functions.json from the JSDoc below and appends the
 * CustomFunctions.associate calls. They run in the shared runtime, so they use the task pane's
 * sign-in. Each entry point only hands over to cell-functions.ts (argument checks, requests,
 * result shapes: unit-tested) and turns a FunctionFailure into the Excel error the cell shows.
 *
 * Dates: firstDay and lastDay may be date cells (Excel serials), DATE(...), or text "2024-04-01" /
 * "2024-04-01 06:30". A date as lastDay INCLUDES that whole day (invoices state periods inclusive
 * of their last day); a date and time as lastDay is the first instant not included. Times are
 * read in the timeZone argument, or the workbook's zone (chosen in the pane) when it is left out.
 */
// Parameters are typed inline as `string | number | boolean | null`: the metadata generator
// reads a union as Excel's "any" (it cannot follow a type alias), and the readers in
// arguments.ts check what actually arrived. Spilled results are `any[][]`: they hold dates as formatted
// numbers (date-cells.ts), which Excel accepts only for results of type any.
import * as cells from './cell-functions';
import { FunctionFailure } from './failure';
import { demand as demandFunction } from './demand-function';
import { cusum as cusumFunction } from './cusum-function';
import { intervals as intervalsFunction } from './intervals-function';
import { functionsContext } from './runtime-context';

/**
 * Consumption of a register or virtual meter over a billing period, in its unit (e.g. kWh).
 * @customfunction CONSUMPTION
 * @cancelable
 * @param id Source id: "R<register>" or "VM<virtual meter>", e.g. "R1001". =DCS.SOURCES() lists them.
 * @param firstDay First day of the period (a date), or a date and time.
 * @param lastDay Last day of the period, included in full (a date); or a date and time, the first instant not included.
 * @param [timeZone] Time zone of the dates, e.g. "Europe/London". Default: the workbook's, chosen in the DCS pane.
 * @param [band] Only the half-hours of a time-of-use band, e.g. "Mon-Sun 00:00-07:00" or "Mon-Fri 16:00-19:00; holidays 2024-12-25".
 * @returns The consumption over the period.
 */
export async function consumption(
  id: string | number | boolean | null,
  firstDay: string | number | boolean | null,
  lastDay: string | number | boolean | null,
  timeZone: string | number | boolean | null | undefined,
  band: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation,
): Promise<number> {
  return excelErrors(invocation, (signal) => cells.consumption(functionsContext(), id, firstDay, lastDay, timeZone, signal, band));
}

/**
 * How far to trust DCS.CONSUMPTION's figure: how many half-hours behind it were estimated, crossed a register reset, or are missing; or how many half-hours the period has.
 * @customfunction QUALITY
 * @cancelable
 * @param id Source id, e.g. "R1001".
 * @param firstDay First day of the period (a date), or a date and time.
 * @param lastDay Last day of the period, included in full (a date); or a date and time, the first instant not included.
 * @param measure "interpolated", "resets", "missing" or "periods".
 * @param [timeZone] Time zone of the dates, e.g. "Europe/London". Default: the workbook's, chosen in the DCS pane.
 * @param [band] As DCS.CONSUMPTION's: the counts of the band's half-hours only.
 * @returns The number of half-hours.
 */
export async function quality(
  id: string | number | boolean | null,
  firstDay: string | number | boolean | null,
  lastDay: string | number | boolean | null,
  measure: string | number | boolean | null,
  timeZone: string | number | boolean | null | undefined,
  band: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation,
): Promise<number> {
  return excelErrors(invocation, (signal) => cells.quality(functionsContext(), id, firstDay, lastDay, measure, timeZone, signal, band));
}

/**
 * A supply's maximum demand and power quality over whole days, as a shadow bill measures them: peak kW or kVA, power factor, reactive energy beyond the allowance; or how many half-hours behind them were estimated or missing.
 * @customfunction DEMAND
 * @cancelable
 * @param id The supply's active energy register (kWh), e.g. "R1001".
 * @param reactiveId Its reactive energy register (kVArh), e.g. "R1147"; "" when it has none (kW measures and counts only).
 * @param firstDay First day of the period (a date).
 * @param lastDay Last day of the period, included in full (a date).
 * @param measure "maxKw", "maxKva", "powerFactor", "excessKvarh", "kvarh", "kwh", "loadFactor", "missing", "estimated", "resets" or "periods".
 * @param [timeZone] Time zone of the days, e.g. "Europe/London". Default: the workbook's, chosen in the DCS pane.
 * @param [allowance] kVArh allowed per kWh in each half-hour before it is excess. Default 0.33.
 * @returns The figure.
 */
export async function demand(
  id: string | number | boolean | null,
  reactiveId: string | number | boolean | null,
  firstDay: string | number | boolean | null,
  lastDay: string | number | boolean | null,
  measure: string | number | boolean | null,
  timeZone: string | number | boolean | null | undefined,
  allowance: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation,
): Promise<number> {
  const args = { id, reactive: reactiveId, start: firstDay, end: lastDay, measure, timeZone: timeZone ?? null, allowance: allowance ?? null };
  return excelErrors(invocation, (signal) => demandFunction(functionsContext(), args, signal));
}

/**
 * Readings of one source as a table that spills: a header row, then timestamp (a date), value(s) and status. At most 10,000 rows unless options say maxRows=.
 * @customfunction READINGS
 * @cancelable
 * @param id Source id, e.g. "R1001".
 * @param firstDay First day (a date), or a date and time.
 * @param lastDay Last day, included in full (a date); or a date and time, the first instant not included.
 * @param [periodType] "halfHour" (default), "hour", "day", "week" or "month".
 * @param [options] Separated by ";": "complete", "uncalibrated", "noInterpolation", "noHeader", "timeZone=Europe/London", "maxRows=50000".
 * @returns The readings, one row each.
 */
export async function readings(
  id: string | number | boolean | null,
  firstDay: string | number | boolean | null,
  lastDay: string | number | boolean | null,
  periodType: string | number | boolean | null | undefined,
  options: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the metadata plugin reads any[][] as a spill of mixed cell values (text, numbers, dates)
): Promise<any[][]> {
  return excelErrors(invocation, (signal) => cells.readings(functionsContext(), id, firstDay, lastDay, periodType, options, signal));
}

/**
 * Consumption or statistics per interval (half-hour to year) in a time zone, as a table that spills: a header row, then each interval's start (a date) and one column per source and calculation.
 * @customfunction INTERVALS
 * @cancelable
 * @param ids Source ids: "R1001", "R1001,VM3", or a range of cells holding ids.
 * @param firstDay First day (a date), or a date and time on an interval boundary.
 * @param lastDay Last day, included in full (a date); or a date and time, the first instant not included.
 * @param interval "halfHour", "hour", "day", "week", "month", "quarter" or "year".
 * @param [calc] "consumption", "maxDemand" (kW), "maxDemandAt", "loadFactor", "mean", "min", "max", "maxAt", several separated by commas. Default: consumption for meters, mean,min,max for instantaneous sources.
 * @param [timeZone] Time zone of the dates and intervals, e.g. "Europe/London". Default: the workbook's, chosen in the DCS pane.
 * @returns One row per interval.
 */
export async function intervals(
  ids: Array<Array<string | number | boolean | null>>,
  firstDay: string | number | boolean | null,
  lastDay: string | number | boolean | null,
  interval: string | number | boolean | null,
  calc: string | number | boolean | null | undefined,
  timeZone: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the metadata plugin reads any[][] as a spill of mixed cell values (text, numbers, dates)
): Promise<any[][]> {
  return excelErrors(invocation, (signal) => intervalsFunction(functionsContext(), ids, firstDay, lastDay, interval, calc, timeZone, signal));
}

/**
 * Monitoring and targeting: the line consumption = a + b × heating degree days fitted over a baseline, and per interval the expected consumption, the difference and its running sum (CUSUM), as a table that spills: a header row, then the baseline's intervals and the report period's.
 * @customfunction CUSUM
 * @cancelable
 * @param id Source id of what consumes, e.g. gas in kWh: "R1165".
 * @param temperature Source id of an outside air temperature register in °C, e.g. "R1164".
 * @param baselineFirstDay First day of the baseline the line is fitted over (a date); a year is usual.
 * @param baselineLastDay Last day of the baseline, included in full (a date).
 * @param firstDay First day of the report period (a date).
 * @param lastDay Last day of the report period, included in full (a date).
 * @param [interval] "day" (default), "week" or "month".
 * @param [timeZone] Time zone of the dates and days, e.g. "Europe/London". Default: the workbook's, chosen in the DCS pane.
 * @param [baseTemperature] Base temperature of the degree days in °C. Default: 15.5.
 * @returns One row per interval.
 */
export async function cusum(
  id: string | number | boolean | null,
  temperature: string | number | boolean | null,
  baselineFirstDay: string | number | boolean | null,
  baselineLastDay: string | number | boolean | null,
  firstDay: string | number | boolean | null,
  lastDay: string | number | boolean | null,
  interval: string | number | boolean | null | undefined,
  timeZone: string | number | boolean | null | undefined,
  baseTemperature: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the metadata plugin reads any[][] as a spill of mixed cell values (text, numbers, dates)
): Promise<any[][]> {
  const args = { id, temperature, baselineFirstDay, baselineLastDay, firstDay, lastDay, interval, timeZone, baseTemperature };
  return excelErrors(invocation, (signal) => cusumFunction(functionsContext(), args, signal));
}

/**
 * The registers and virtual meters you may read, as a table that spills: id, name, unit, kind.
 * @customfunction SOURCES
 * @cancelable
 * @param [search] Text to look for in meter and register names. Default: list all.
 * @returns One row per source.
 */
export async function sources(
  search: string | number | boolean | null | undefined,
  invocation: CustomFunctions.CancelableInvocation, // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the metadata plugin reads any[][] as a spill of mixed cell values (text, numbers, dates)
): Promise<any[][]> {
  return excelErrors(invocation, (signal) => cells.sources(functionsContext(), search, signal));
}

/**
 * Runs a function's work with a signal that aborts when Excel cancels the call (the user edits
 * the formula, or closes the workbook, or Excel gives up: see @cancelable), so its requests to
 * the server stop at once; a FunctionFailure becomes the #VALUE! or #N/A (with its message) the
 * cell shows.
 */
async function excelErrors<T>(invocation: CustomFunctions.CancelableInvocation | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (invocation) invocation.onCanceled = () => controller.abort();
  try {
    return await work(controller.signal);
  } catch (error) {
    if (error instanceof FunctionFailure) throw new CustomFunctions.Error(CustomFunctions.ErrorCode[error.code], error.message);
    const message = error instanceof Error ? error.message : String(error);
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, message);
  }
}
