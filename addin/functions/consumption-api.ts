/**
 * The add-in's call to `GET /api/consumption`, and a small memo in front of it. DOM-free: the
 * platform's fetch is passed in.
 *
 * A sheet asks for the same figure several times at once (the metered quantity and its three
 * quality counts are four formulas over one pull), so identical requests share one HTTP call
 * while it runs and its answer for a few seconds after; and at most a few calls run at a time,
 * leaving the browser's connections free for the task pane.
 */
import type { ConsumptionJson, ConsumptionResult } from '../../server/api/types';
import { ApiRequestError } from '../api/client';
import type { Fetch } from '../api/http';
import { getJson, type JsonClient } from './json-api';

export interface ConsumptionRequest {
  ids: string[];
  /**
   * Local to `timeZone`. `start`: a plain date (from the start of that day) or a date-time. `end`:
   * a plain date is the LAST DAY INCLUDED, as invoices state periods (sent as `lastDay`); a
   * date-time is the first instant not included (sent as `end`).
   */
  start: string;
  end: string;
  timeZone: string;
  /** Only the half-hours of this time-of-use band (`band=`), when given. */
  band?: string;
}

export interface ConsumptionApi {
  consumption(request: ConsumptionRequest, signal?: AbortSignal): Promise<ConsumptionJson>;
}

/** The query string `GET /api/consumption` takes. */
export function consumptionSearchParams(request: ConsumptionRequest): URLSearchParams {
  const lastDay = /^\d{4}-\d{2}-\d{2}$/.test(request.end);
  const params = new URLSearchParams({
    id: request.ids.join(','),
    start: request.start,
    [lastDay ? 'lastDay' : 'end']: request.end,
    timeZone: request.timeZone,
  });
  if (request.band !== undefined) params.set('band', request.band);
  return params;
}

/**
 * The HTTP call, authenticated like every other add-in call (the session's Bearer token). Error
 * answers become ApiRequestError with the server's message; a 401 ends the session here too.
 */
export function httpConsumptionApi(client: JsonClient, fetch: Fetch): ConsumptionApi {
  return {
    consumption: (request, signal) =>
      getJson(client, fetch, `api/consumption?${consumptionSearchParams(request)}`, 'consumption request', isConsumptionJson, signal),
  };
}

function isConsumptionJson(value: unknown): value is ConsumptionJson {
  if (typeof value !== 'object' || value === null) return false;
  const results = (value as { results?: unknown }).results;
  return Array.isArray(results) && results.every((r) => typeof r === 'object' && r !== null && typeof (r as ConsumptionResult).consumption === 'number');
}

export interface ConsumptionMemoOptions {
  /** How long an answer is reused. Default 5 s: long enough for one recalculation. */
  ttlMs?: number;
  /** Calls to the server at a time. Default 4. */
  maxConcurrent?: number;
  now?: () => number;
}

/** One source's figure per (id, start, end, zone), shared by every formula that asks for it. */
export class ConsumptionMemo {
  readonly #api: ConsumptionApi;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { expiresAt: number; result: Promise<ConsumptionResult> }>();
  readonly #gate: Gate;

  constructor(api: ConsumptionApi, options: ConsumptionMemoOptions = {}) {
    this.#api = api;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#now = options.now ?? Date.now;
    this.#gate = new Gate(options.maxConcurrent ?? 4);
  }

  /** The figure for one source (in a band, when given); failures are not remembered, so a recalculation retries. */
  get(id: string, start: string, end: string, timeZone: string, band?: string): Promise<ConsumptionResult> {
    const key = JSON.stringify([id, start, end, timeZone, band ?? null]);
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.#now()) return hit.result;
    const result = this.#gate
      .run(() => this.#api.consumption({ ids: [id], start, end, timeZone, ...(band !== undefined && { band }) }))
      .then((json) => {
        const found = json.results.find((r) => r.id === id);
        if (!found) throw new ApiRequestError(`The server's answer did not include ${id}. Try again.`, 200, 'bad_answer');
        return found;
      });
    // Kept while running (so simultaneous formulas share it), and for ttlMs once answered.
    const entry = { expiresAt: Number.POSITIVE_INFINITY, result };
    this.#entries.set(key, entry);
    result.then(
      () => {
        entry.expiresAt = this.#now() + this.#ttlMs;
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return result;
  }

  /** Forgets every remembered answer (Refresh asks DCS again). */
  clear(): void {
    this.#entries.clear();
  }
}

/** At most `limit` tasks at a time; the rest wait in order. */
class Gate {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
