import { RANGE_PRESETS, type ResolvedRange, type TimeRange } from './presets';
import { normaliseSourceId } from './source-id';

/** What every saved query holds, whatever it pulls (readings: table-query.ts; intervals: intervals-query.ts). */
interface SavedQueryBase {
  version: 1;
  sourceIds: string[];
  range: TimeRange;
}

/**
 * A query read back from the workbook, its shared fields checked: the workbook may have been
 * edited by anything. `isOwnKind` recognises the version (and kind) of the caller's query; the
 * caller checks the rest. Throws an Error naming what is wrong.
 */
export function parseSavedQuery<Q extends SavedQueryBase>(text: string, isOwnKind: (q: Partial<Q>) => boolean): Partial<Q> & SavedQueryBase {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('its saved query is not valid JSON');
  }
  const q = value as Partial<Q> | null;
  if (typeof q !== 'object' || q === null || !isOwnKind(q)) throw new Error('its saved query is from an unknown version of the add-in');
  const ids: unknown = q.sourceIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && normaliseSourceId(id) !== undefined)) {
    throw new Error('its saved query has no valid source ids');
  }
  if (!isTimeRange(q.range)) throw new Error('its saved query has no valid time range');
  return q as Partial<Q> & SavedQueryBase;
}

/** What every server request of a saved query starts with: its ids and its resolved span. */
export function idsAndSpan(query: SavedQueryBase, resolved: ResolvedRange): { ids: string[]; start: string; end: string } {
  return { ids: query.sourceIds, start: resolved.start, end: resolved.end };
}

function isTimeRange(value: unknown): value is TimeRange {
  const range = value as TimeRange | null | undefined;
  return (
    typeof range === 'object' &&
    range !== null &&
    ((range.kind === 'relative' && RANGE_PRESETS.includes(range.preset)) ||
      (range.kind === 'fixed' && typeof range.start === 'string' && typeof range.end === 'string'))
  );
}
