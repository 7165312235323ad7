/**
 * The add-in's call to `GET /api/intervals` (consumption and statistics per interval, in a time
 * zone), as JSON in the long layout: one entry per source, each with its intervals.
 */
import type { IntervalsJson } from '../../server/api/types';
import { intervalsSearchParams, type IntervalsRequest } from '../api/client';
import type { Fetch } from '../api/http';
import { getJson, type JsonClient } from './json-api';

export interface IntervalsApi {
  intervals(request: IntervalsRequest, signal?: AbortSignal): Promise<IntervalsJson>;
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
