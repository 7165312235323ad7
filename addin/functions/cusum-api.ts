/**
 * The add-in's call to `GET /api/cusum` (the performance line of a source's consumption against
 * degree days over a baseline, and the CUSUM per interval), for DCS.CUSUM.
 */
import type { CusumJson } from '../../server/api/types';
import { cusumSearchParams, type CusumRequest } from '../api/client';
import type { Fetch } from '../api/http';
import { getJson, type JsonClient } from './json-api';

export interface CusumApi {
  cusum(request: CusumRequest, signal?: AbortSignal): Promise<CusumJson>;
}

export function httpCusumApi(client: JsonClient, fetch: Fetch): CusumApi {
  return {
    cusum: (request, signal) => getJson(client, fetch, `api/cusum?${cusumSearchParams(request)}`, 'CUSUM request', isCusumJson, signal),
  };
}

function isCusumJson(value: unknown): value is CusumJson {
  if (typeof value !== 'object' || value === null) return false;
  const { model, intervals, source } = value as { model?: unknown; intervals?: unknown; source?: unknown };
  return (
    typeof model === 'object' &&
    model !== null &&
    typeof (model as { slope?: unknown }).slope === 'number' &&
    typeof source === 'object' &&
    source !== null &&
    Array.isArray(intervals)
  );
}
