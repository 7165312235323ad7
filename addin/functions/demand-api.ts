/**
 * The add-in's demand and power-quality calls, for =DCS.DEMAND. A supply's peak kW and kVA, power
 * factor and excess reactive energy over a billing period are what `POST /api/bills` works out
 * for a shadow bill (its `demand` and `quality` blocks), so the function asks exactly that: a bill
 * on a zero tariff, which carries no money and only the measures. The formulas of one
 * recalculation are queued for a moment and sent as one `{"bills": [...]}`, which the server
 * answers pulling each register once over the span of all of them. A bill the server refuses
 * (400 naming `bills[i]`) fails its own formulas; the others are asked again without it.
 * DOM-free: the platform's fetch is passed in.
 */
import type { BillDemandJson, BillJson, BillQualityJson, BillsJson } from '../../server/api/types';
import { ApiRequestError } from '../api/client';
import type { Fetch } from '../api/http';
import { getJson, type JsonClient } from './json-api';

/** One formula's question: a supply (active register, optional reactive one), whole local days, the reactive allowance. */
export interface DemandRequest {
  import: string;
  reactive?: string;
  firstDay: string;
  lastDay: string;
  timeZone: string;
  allowance: number;
}

export interface DemandAnswer {
  demand: BillDemandJson;
  quality: BillQualityJson;
}

export type DemandBatch = (requests: DemandRequest[], signal?: AbortSignal) => Promise<DemandAnswer[]>;

/** The server's limit on bills in one request (MAX_BILLS). */
const MAX_BILLS = 2000;

/** A bill that carries no money: one all-day unit rate at 0, and the reactive allowance when there is a reactive register. */
export function demandBill(request: DemandRequest): unknown {
  const { import: active, reactive, firstDay, lastDay, timeZone, allowance } = request;
  return {
    supply: { import: active, ...(reactive !== undefined && { reactive }) },
    period: { firstDay, lastDay, timeZone },
    tariff: { units: [{ name: 'Units', rate: 0 }], vatRate: 0, ...(reactive !== undefined && { reactive: { allowance, rate: 0 } }) },
  };
}

export function httpDemandBatch(client: JsonClient, fetch: Fetch): DemandBatch {
  return async (requests, signal) => {
    const body = { bills: requests.map(demandBill) };
    const json = await getJson(client, fetch, 'api/bills', 'demand request', isBillsJson, signal, body);
    if (json.bills.length !== requests.length) {
      throw new ApiRequestError(`The server answered ${json.bills.length} of ${requests.length} demand requests. Try again.`, 200, 'bad_answer');
    }
    return json.bills.map((bill) => ({ demand: bill.demand ?? { kwh: 0, maxDemandKw: null, maxDemandKwAt: null, loadFactor: null }, quality: bill.quality }));
  };
}

function isBillsJson(value: unknown): value is BillsJson {
  const bills = (value as { bills?: unknown } | null)?.bills;
  return Array.isArray(bills) && bills.every((b: unknown) => typeof (b as BillJson | null)?.quality?.periods === 'number');
}

interface Waiting {
  request: DemandRequest;
  resolve(answer: DemandAnswer): void;
  reject(error: unknown): void;
}

/** One answer per distinct request, shared by every formula that asks it, asked in batches. */
export class DemandMemo {
  readonly #batch: DemandBatch;
  readonly #delayMs: number;
  readonly #entries = new Map<string, Promise<DemandAnswer>>();
  #queue: Waiting[] = [];

  constructor(batch: DemandBatch, options: { batchDelayMs?: number } = {}) {
    this.#batch = batch;
    this.#delayMs = options.batchDelayMs ?? 50;
  }

  /** Remembered until clear() (Refresh asks again); failures are forgotten at once, so a recalculation retries. */
  get(request: DemandRequest): Promise<DemandAnswer> {
    const key = JSON.stringify(request);
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const answer = new Promise<DemandAnswer>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (this.#queue.length === 1) setTimeout(() => void this.#flush(), this.#delayMs);
    });
    this.#entries.set(key, answer);
    answer.catch(() => {
      if (this.#entries.get(key) === answer) this.#entries.delete(key);
    });
    return answer;
  }

  clear(): void {
    this.#entries.clear();
  }

  async #flush(): Promise<void> {
    const queued = this.#queue;
    this.#queue = [];
    for (let i = 0; i < queued.length; i += MAX_BILLS) await this.#send(queued.slice(i, i + MAX_BILLS));
  }

  /** Sends the batch; a bill refused by name fails alone and the rest go again. */
  async #send(batch: Waiting[]): Promise<void> {
    let pending = batch;
    while (pending.length > 0) {
      try {
        const answers = await this.#batch(pending.map((w) => w.request));
        pending.forEach((w, i) => w.resolve(answers[i]));
        return;
      } catch (error) {
        const index = refusedBill(error, pending.length);
        if (index === undefined) {
          for (const w of pending) w.reject(error);
          return;
        }
        pending[index].reject(ownError(error as ApiRequestError));
        pending = pending.filter((_, i) => i !== index);
      }
    }
  }
}

/** The bill a 400 names (`bills[3].supply.import`), when it names one of those sent. */
function refusedBill(error: unknown, count: number): number | undefined {
  if (!(error instanceof ApiRequestError) || error.status < 400 || error.status > 499 || count < 2) return undefined;
  const match = /^bills\[(\d+)\]/.exec(error.parameter ?? '');
  const index = match ? Number(match[1]) : NaN;
  return index < count ? index : undefined;
}

/** The error as the formula's own: `bills[3].supply.import` is the cell's `supply.import`. */
function ownError(error: ApiRequestError): ApiRequestError {
  const own = (text: string): string => text.replace(/bills\[\d+\]\./g, '');
  return new ApiRequestError(own(error.message), error.status, error.code, error.parameter === undefined ? undefined : own(error.parameter));
}
