import type { PeriodType, ReadingsFormat } from '../../server/api/types';
import type { ReadingsRequest } from '../api/client';
import { PERIOD_TYPES } from './period-types';
import { resolveRange, type ResolvedRange, type TimeRange } from './presets';
import { readingsMisfit } from './reading-boundaries';
import { idsAndSpan, parseSavedQuery } from './saved-query';

/** How the readings of several sources are laid out. */
export type TableLayout = 'perSource' | 'long';

export interface ReadingsOptions {
  periodType: PeriodType;
  calibrated: boolean;
  interpolated: boolean;
  format: ReadingsFormat;
  /** UTC or an IANA zone name: the zone of the range and of the timestamps written. */
  timeZone: string;
}

/**
 * What a table was pulled from, remembered in the workbook so that Refresh all can pull it again.
 * Holds no credentials: whoever refreshes uses their own sign-in.
 */
export interface TableQuery {
  version: 1;
  /** The source ids in the table (one for a per-source table, several for a long one). */
  sourceIds: string[];
  range: TimeRange;
  options: ReadingsOptions;
  layout: TableLayout;
}

const FORMATS: readonly ReadingsFormat[] = ['standard', 'complete'];

/** The pane's names of the intervals readings come in (its Interval list). */
export const INTERVAL_LABELS: Record<PeriodType, string> = { halfHour: 'Half-hour', hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' };

/**
 * The pane's advice when DCS has no `periodType` readings for this span in `zone` (its day, week
 * and month readings start at UTC boundaries), in the pane's words (its Interval list, its "What
 * to get" choices); undefined when it has.
 */
export function readingsMisfitAdvice(resolved: ResolvedRange, zone: string, periodType: PeriodType): string | undefined {
  const misfit = readingsMisfit(resolved, zone, periodType);
  if (!misfit) return undefined;
  const where = misfit.end === 'start' ? 'starts' : 'ends';
  const local = misfit.wall === misfit.utc ? `${misfit.wall} UTC` : `${misfit.wall} ${zone} (${misfit.utc} UTC)`;
  const halfHoursFit = periodType !== 'halfHour' && readingsMisfit(resolved, zone, 'halfHour') === undefined;
  const orHalfHours = halfHoursFit ? ', or the Half-hour interval for readings' : '';
  // Calculated days and longer follow any zone's calendar; hours and half-hours off UTC's grid (India, Nepal) do not.
  const choose = isClockInterval(periodType)
    ? `Choose the UTC time zone for ${INTERVAL_LABELS[periodType]} readings, or an interval of a Day or longer${orHalfHours}.`
    : `Choose "Consumption per interval" for ${INTERVAL_LABELS[periodType].toLowerCase()}s by the ${zone} calendar${orHalfHours}.`;
  return `DCS's ${INTERVAL_LABELS[periodType]} readings run from ${misfit.periodStarts}, and this range ${where} at ${local}, so none fit. ${choose}`;
}

/** Half-hours and hours: measured on the clock, not the calendar. */
export function isClockInterval(periodType: PeriodType): boolean {
  return periodType === 'halfHour' || periodType === 'hour';
}

/** The server request for a query at the instant `now` (relative ranges resolve against it). */
export function toReadingsRequest(query: TableQuery, now: Date): { request: ReadingsRequest; resolved: ResolvedRange } {
  const resolved = resolveRange(query.range, now, query.options.timeZone, query.options.periodType);
  const advice = readingsMisfitAdvice(resolved, query.options.timeZone, query.options.periodType);
  if (advice) throw new Error(advice); // a saved table refreshed when its range no longer fits
  return {
    resolved,
    request: {
      ...idsAndSpan(query, resolved),
      timeZone: query.options.timeZone,
      periodType: query.options.periodType,
      calibrated: query.options.calibrated,
      interpolated: query.options.interpolated,
      format: query.options.format,
    },
  };
}

/**
 * A query read back from the workbook, checked field by field: the workbook may have been edited
 * by anything. Throws an Error naming what is wrong.
 */
export function parseTableQuery(text: string): TableQuery {
  const q = parseSavedQuery<TableQuery>(text, (q) => q.version === 1);
  const o = q.options as Partial<ReadingsOptions> | undefined;
  const optionsOk =
    typeof o === 'object' &&
    o !== null &&
    PERIOD_TYPES.includes(o.periodType as PeriodType) &&
    FORMATS.includes(o.format as ReadingsFormat) &&
    typeof o.calibrated === 'boolean' &&
    typeof o.interpolated === 'boolean' &&
    typeof o.timeZone === 'string' &&
    o.timeZone !== '';
  if (!optionsOk) throw new Error('its saved query has invalid options');
  if (q.layout !== 'perSource' && q.layout !== 'long') throw new Error('its saved query has an unknown layout');
  return { version: 1, sourceIds: [...q.sourceIds], range: q.range, options: { ...(o as ReadingsOptions) }, layout: q.layout };
}
