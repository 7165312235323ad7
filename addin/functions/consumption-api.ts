/**
 * The add-in's consumption calls, batched as Microsoft recommends for custom functions that call
 * a remote service (learn.microsoft.com/office/dev/add-ins/excel/custom-functions-batching): the
 * formulas of one recalculation arrive within a few milliseconds of each other, so each call is
 * queued, and the queue is sent as one `POST /api/consumption/batch` (a few, if it is large). The
 * server pulls each source once over the periods asked of it together, and answers each formula
 * on its own: one bad cell gets its own error, the others their figures. DOM-free: the
 * platform's fetch is passed in.
 *
 * Identical formulas (a figure and its quality counts over one period) share one entry while it
 * runs and its answer for a few seconds after.
 */
import type { ConsumptionBatchAnswer, ConsumptionBatchItem, ConsumptionBatchJson, ConsumptionBatchRequest, ConsumptionResult } from '../../server/api/types';
import { ApiRequestError } from '../api/client';
import type { Fetch } from '../api/http';
import { getJson, type JsonClient } from './json-api';

/**
 * One formula's question: a source, a period as the user gave it, a zone (and a band). A plain
 * date as the end is the LAST DAY INCLUDED, as invoices state periods (sent as `lastDay`); a
 * date-time is the first instant not included (sent as `end`).
 */
export type ConsumptionRequest = ConsumptionBatchItem & { timeZone: string };

/** The request for a formula's arguments, with its end under the name the server reads it by. */
export function consumptionRequest(id: string, start: string, end: string, timeZone: string, band?: string): ConsumptionRequest {
  const lastDay = /^\d{4}-\d{2}-\d{2}$/.test(end);
  return { id, start, ...(lastDay ? { lastDay: end } : { end }), timeZone, ...(band !== undefined && { band }) };
}

export interface ConsumptionApi {
  /** One answer per request, in order. */
  batch(requests: ConsumptionRequest[], signal?: AbortSignal): Promise<ConsumptionBatchAnswer[]>;
}

/** What one batch may carry (the server's MAX_BATCH_REQUESTS and MAX_IDS). */
export const BATCH_LIMITS = { requests: 1000, sources: 50 };

/**
 * The HTTP call, authenticated like every other add-in call (the session's Bearer token). An
 * error answer for the whole batch becomes ApiRequestError with the server's message; a 401 ends
 * the session here too.
 */
export function httpConsumptionApi(client: JsonClient, fetch: Fetch): ConsumptionApi {
  return {
    batch: async (requests, signal) => {
      const body: ConsumptionBatchRequest = { requests };
      const json = await getJson(client, fetch, 'api/consumption/batch', 'consumption request', isBatchJson, signal, body);
      if (json.results.length !== requests.length) {
        throw new ApiRequestError(`The server answered ${json.results.length} of ${requests.length} consumption requests. Try again.`, 200, 'bad_answer');
      }
      return json.results;
    },
  };
}

function isBatchJson(value: unknown): value is ConsumptionBatchJson {
  if (typeof value !== 'object' || value === null) return false;
  const results = (value as { results?: unknown }).results;
  return (
    Array.isArray(results) &&
    results.every((r: unknown) => {
      if (typeof r !== 'object' || r === null) return false;
      const answer = r as { result?: { consumption?: unknown }; error?: { message?: unknown } };
      return typeof answer.result?.consumption === 'number' || typeof answer.error?.message === 'string';
    })
  );
}

/** One request's own answer: its figure, or its error as the server worded it for that cell alone. */
function settle(answer: ConsumptionBatchAnswer): ConsumptionResult {
  if ('result' in answer) return answer.result;
  // The server names the field as `requests[7].end`; a cell has only its own arguments.
  const own = (text: string) => text.replace(/^requests\[\d+\]\./, '');
  const parameter = answer.error.parameter === undefined ? undefined : own(answer.error.parameter);
  throw new ApiRequestError(own(answer.error.message), answer.status, answer.error.code, parameter);
}

export interface ConsumptionMemoOptions {
  /** How long an answer is reused. Default 5 s: long enough for one recalculation. */
  ttlMs?: number;
  /** Batches sent to the server at a time. Default 2, leaving the browser's connections free for the pane. */
  maxConcurrent?: number;
  /** How long the queue waits for more formulas of the same recalculation. Default 50 ms. */
  batchDelayMs?: number;
  now?: () => number;
}

interface Waiting {
  request: ConsumptionRequest;
  resolve(result: ConsumptionResult): void;
  reject(error: unknown): void;
}

/** One source's figure per (id, start, end, zone), shared by every formula that asks for it, asked in batches. */
export class ConsumptionMemo {
  readonly #api: ConsumptionApi;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #delayMs: number;
  readonly #entries = new Map<string, { expiresAt: number; result: Promise<ConsumptionResult> }>();
  readonly #gate: Gate;
  #queue: Waiting[] = [];
  #scheduled = false;

  constructor(api: ConsumptionApi, options: ConsumptionMemoOptions = {}) {
    this.#api = api;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#now = options.now ?? Date.now;
    this.#delayMs = options.batchDelayMs ?? 50;
    this.#gate = new Gate(options.maxConcurrent ?? 2);
  }

  /** The figure for one source (in a band, when given); failures are not remembered, so a recalculation retries. */
  get(id: string, start: string, end: string, timeZone: string, band?: string): Promise<ConsumptionResult> {
    const key = JSON.stringify([id, start, end, timeZone, band ?? null]);
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.#now()) return hit.result;
    const request = consumptionRequest(id, start, end, timeZone, band);
    const result = new Promise<ConsumptionResult>((resolve, reject) => this.#enqueue({ request, resolve, reject }));
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

  #enqueue(waiting: Waiting): void {
    this.#queue.push(waiting);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => this.#flush(), this.#delayMs);
  }

  /** Sends what has queued up, in batches within the server's limits. */
  #flush(): void {
    this.#scheduled = false;
    const queued = this.#queue;
    this.#queue = [];
    for (const batch of splitIntoBatches(queued)) void this.#gate.run(() => this.#send(batch));
  }

  async #send(batch: Waiting[]): Promise<void> {
    try {
      const answers = await this.#api.batch(batch.map((w) => w.request));
      batch.forEach((waiting, i) => {
        try {
          waiting.resolve(settle(answers[i]));
        } catch (error) {
          waiting.reject(error);
        }
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

/** Consecutive batches of at most BATCH_LIMITS requests and sources, each source's requests kept together. */
function splitIntoBatches(queued: Waiting[]): Waiting[][] {
  const bySource = new Map<string, Waiting[]>();
  for (const waiting of queued) {
    const group = bySource.get(waiting.request.id);
    if (group) group.push(waiting);
    else bySource.set(waiting.request.id, [waiting]);
  }
  const batches: Waiting[][] = [];
  let current: Waiting[] = [];
  let sources = 0;
  for (const group of bySource.values()) {
    for (let i = 0; i < group.length; i += BATCH_LIMITS.requests) {
      const part = group.slice(i, i + BATCH_LIMITS.requests);
      if (current.length + part.length > BATCH_LIMITS.requests || sources + 1 > BATCH_LIMITS.sources) {
        batches.push(current);
        current = [];
        sources = 0;
      }
      current.push(...part);
      sources++;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
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
