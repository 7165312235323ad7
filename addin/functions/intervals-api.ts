/**
 * The add-in's call to `GET /api/intervals` (consumption and statistics per interval, in a time
 * zone), as JSON in the long layout: one entry per source, each with its intervals.
 */
import type { IntervalCalc, IntervalsJson, IntervalType } from '../../server/api/types';
import type { Fetch } from '../api/http';
import { getJson, type JsonClient } from './json-api';

export interface IntervalsRequest {
  ids: string[];
  /** Local to `timeZone` (`YYYY-MM-DD` or `YYYY-MM-DDTHH:mm:ss`), or with an offset; half-open [start, end). */
  start: string;
  end: string;
  interval: IntervalType;
  timeZone: string;
  /** Undefined: the server's default per source (consumption, or mean/min/max for instantaneous ones). */
  calcs?: IntervalCalc[];
}

export interface IntervalsApi {
  intervals(request: IntervalsRequest, signal?: AbortSignal): Promise<IntervalsJson>;
}

/** The query string `GET /api/intervals` takes (see INTERVALS-CONTRACT: id, start, end, interval, timeZone, calc). */
function intervalsSearchParams(request: IntervalsRequest): URLSearchParams {
  const params = new URLSearchParams({
    id: request.ids.join(','),
    start: request.start,
    end: request.end,
    interval: request.interval,
    timeZone: request.timeZone,
    output: 'json',
    layout: 'long',
  });
  if (request.calcs && request.calcs.length > 0) params.set('calc', request.calcs.join(','));
  return params;
}

export function httpIntervalsApi(client: JsonClient, fetch: Fetch): IntervalsApi {
  return {
    intervals: (request, signal) => getJson(client, fetch, `api/intervals?${intervalsSearchParams(request)}`, 'intervals request', isIntervalsJson, signal),
  };
}

function isIntervalsJson(value: unknown): value is IntervalsJson {
  if (typeof value !== 'object' || value === null) return false;
  const sources = (value as { sources?: unknown }).sources;
  return (
    Array.isArray(sources) &&
    sources.every(
      (s) => typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string' && Array.isArray((s as { intervals?: unknown }).intervals),
    )
  );
}
