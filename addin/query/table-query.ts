import type { PeriodType, ReadingsFormat } from '../../server/api/types';
import type { ReadingsRequest } from '../api/client';
import { PERIOD_TYPES } from './period-types';
import { RANGE_PRESETS, resolveRange, type ResolvedRange, type TimeRange } from './presets';
import { normaliseSourceId } from './source-id';

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

/** The server request for a query at the instant `now` (relative ranges resolve against it). */
export function toReadingsRequest(query: TableQuery, now: Date): { request: ReadingsRequest; resolved: ResolvedRange } {
  const resolved = resolveRange(query.range, now, query.options.timeZone, query.options.periodType);
  return {
    resolved,
    request: {
      ids: query.sourceIds,
      start: resolved.start,
      end: resolved.end,
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('its saved query is not valid JSON');
  }
  const q = value as Partial<TableQuery> | null;
  if (typeof q !== 'object' || q === null || q.version !== 1) throw new Error('its saved query is from an unknown version of the add-in');
  if (!Array.isArray(q.sourceIds) || q.sourceIds.length === 0 || !q.sourceIds.every((id) => typeof id === 'string' && normaliseSourceId(id) !== undefined)) {
    throw new Error('its saved query has no valid source ids');
  }
  const range = q.range;
  const rangeOk =
    typeof range === 'object' &&
    range !== null &&
    ((range.kind === 'relative' && RANGE_PRESETS.includes(range.preset)) ||
      (range.kind === 'fixed' && typeof range.start === 'string' && typeof range.end === 'string'));
  if (!rangeOk) throw new Error('its saved query has no valid time range');
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
  return { version: 1, sourceIds: [...q.sourceIds], range, options: { ...(o as ReadingsOptions) }, layout: q.layout };
}
