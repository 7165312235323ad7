/**
 * The consumption formulas of one recalculation, answered together (`POST /api/consumption/batch`):
 * each source is pulled once over the span its periods cover together
 * (`measureConsumptionOver`), whatever the number of cells asking for it, and each period's
 * figure is exactly the one `GET /api/consumption` gives for it alone. A bad request (an unknown
 * id, a period ending before it starts) or a failed pull gets its own error; the others their figures.
 */
import type { ConsumptionBatchAnswer, ConsumptionResult } from '../api/types';
import type { DcsClient } from 'dcs-client';
import { type BudgetLimits, checkHalfHourBudget, estimateDcsCost } from './dcs-budget';
import { HttpError, toErrorAnswer } from './errors';
import { badParameter, RequestError } from '../request-errors';
import { singleText, sourceIdsParameter, spanEndParameter } from './params';
import { bandParameter } from '../time/parameters';
import { bandMatcher, type Band } from '../time/bands';
import { measureConsumptionOver, refuseInstantaneous, type Measurement, type MeasureOptions } from '../consumption/measure';
import { resolveBillingPeriod, type BillingPeriod } from '../consumption/period';
import { findSource, type Catalogue, type CatalogueSource } from '../catalogue';

/** The most different sources one batch may name; each is a separate pull from DCS. */
const MAX_IDS = 50;
import { ceilToPeriod } from 'dcs-client';

/** The most formulas one batch may carry; the add-in sends a recalculation in batches of at most this. */
export const MAX_BATCH_REQUESTS = 1000;

/** The fields one request may have: those `GET /api/consumption` takes, for one source. */
const ITEM_FIELDS = ['id', 'start', 'end', 'lastDay', 'timeZone', 'band'];

/** The wire form of one figure; `GET /api/consumption` answers the same. */
export function consumptionResultJson(measurement: Measurement, period: BillingPeriod): ConsumptionResult {
  return {
    id: measurement.id,
    name: measurement.name,
    unit: measurement.unit,
    start: new Date(period.startMs).toISOString(),
    end: new Date(period.endMs).toISOString(),
    consumption: measurement.consumption,
    periods: measurement.periods,
    interpolated: measurement.interpolated,
    resets: measurement.resets,
    missing: measurement.missing,
    method: measurement.method,
    timeZone: period.timeZone,
  };
}

/** The body's `requests`, checked as a whole (its shape and size); each entry is read on its own later. */
export function batchRequests(body: unknown): unknown[] {
  const requests = typeof body === 'object' && body !== null ? (body as { requests?: unknown }).requests : undefined;
  if (!Array.isArray(requests)) {
    throw badParameter(
      'requests',
      'missing; send {"requests": [{"id": "R1001", "start": "2024-04-01", "end": "2024-04-30", "timeZone": "Europe/London"}, ...]}',
    );
  }
  const unknown = Object.keys(body as object).filter((key) => key !== 'requests');
  if (unknown.length > 0) throw badParameter(unknown[0], `not a field of a consumption batch; the body has only "requests"`);
  if (requests.length === 0) throw badParameter('requests', 'is empty; give at least one {"id", "start", "end"}');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badParameter('requests', `${requests.length} requests is more than one batch takes (${MAX_BATCH_REQUESTS}); send them in several batches`);
  }
  return requests;
}

interface Asked {
  source: CatalogueSource;
  period: BillingPeriod;
  band?: Band;
}

/** Reads one entry as `GET /api/consumption` reads its query, one source; errors name `requests[i].field`. */
function readRequest(entry: unknown, index: number, catalogue: Catalogue, defaultTimeZone: string): Asked {
  const at = (error: unknown): never => {
    if (error instanceof RequestError && error.parameter !== undefined) {
      throw new RequestError(error.code, `requests[${index}].${error.message}`, `requests[${index}].${error.parameter}`);
    }
    if (error instanceof HttpError && error.parameter !== undefined) {
      throw new HttpError(error.status, error.code, `requests[${index}].${error.message}`, `requests[${index}].${error.parameter}`);
    }
    throw error;
  };
  try {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw badParameter('id', 'each request is an object {"id", "start", "end", "timeZone"}');
    const fields = entry as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((key) => !ITEM_FIELDS.includes(key));
    if (unknown.length > 0) throw badParameter(unknown[0], `not a field of a consumption request; the fields are ${ITEM_FIELDS.join(', ')}`);
    const ids = sourceIdsParameter(singleText(fields.id, 'id'), 1);
    if (ids.length !== 1) throw badParameter('id', 'one source per request');
    const end = spanEndParameter(singleText(fields.end, 'end'), singleText(fields.lastDay, 'lastDay'));
    const period = resolveBillingPeriod({
      start: singleText(fields.start, 'start') ?? '',
      end: end.text,
      endParameter: end.parameter,
      timeZone: singleText(fields.timeZone, 'timeZone'),
      defaultTimeZone,
    });
    const band = bandParameter(singleText(fields.band, 'band'));
    const source = findSource(catalogue, ids[0]);
    refuseInstantaneous(source);
    return { source, period, ...(band && { band }) };
  } catch (error) {
    return at(error);
  }
}

function errorAnswer(error: unknown): ConsumptionBatchAnswer {
  const answer = toErrorAnswer(error);
  return { error: answer.body.error, status: answer.status };
}

/** Every request read, grouped by source in order of first appearance; unreadable ones answered at once. */
function groupBySource(
  requests: unknown[],
  catalogue: Catalogue,
  defaultTimeZone: string,
  answers: ConsumptionBatchAnswer[],
): Map<string, Array<{ index: number; asked: Asked }>> {
  const groups = new Map<string, Array<{ index: number; asked: Asked }>>();
  requests.forEach((entry, index) => {
    let asked: Asked;
    try {
      asked = readRequest(entry, index, catalogue, defaultTimeZone);
    } catch (error) {
      answers[index] = errorAnswer(error);
      return;
    }
    // A band's hours are local to the period's zone: one pull per source, band and zone.
    const key = asked.band ? JSON.stringify([asked.source.id, asked.band.text, asked.period.timeZone]) : asked.source.id;
    const group = groups.get(key) ?? [];
    group.push({ index, asked });
    groups.set(key, group);
  });
  return groups;
}

/** From the earliest start to the latest end of a source's periods. */
function unionSpan(periods: readonly BillingPeriod[]): { startMs: number; endMs: number } {
  return { startMs: Math.min(...periods.map((p) => p.startMs)), endMs: Math.max(...periods.map((p) => p.endMs)) };
}

/** Refuses the batch, before anything is pulled, when its sources together would cost DCS more than one request may. */
function checkBatchBudget(limits: BudgetLimits, groups: Map<string, Array<{ asked: Asked }>>): void {
  if (groups.size > MAX_IDS) {
    throw badParameter(
      'requests',
      `${groups.size} different sources is more than one batch takes (${MAX_IDS}); send the requests of at most ${MAX_IDS} sources per batch`,
    );
  }
  let calls = 0;
  for (const group of groups.values()) {
    const span = unionSpan(group.map((g) => g.asked.period));
    calls += estimateDcsCost({
      ...limits,
      sources: 1,
      startMs: ceilToPeriod(span.startMs, 'halfHour'),
      endMs: ceilToPeriod(span.endMs, 'halfHour'),
      periodType: 'halfHour',
    }).calls;
  }
  if (calls > limits.budget) {
    throw badParameter(
      'requests',
      `this batch would cost about ${calls} DCS calls, over the limit of ${limits.budget} per request (DCS_CALL_BUDGET); send fewer sources or shorter periods per batch`,
    );
  }
}

export interface BatchOptions extends MeasureOptions {
  limits: BudgetLimits;
  /** The server's DEFAULT_TIME_ZONE, for requests without a timeZone. */
  defaultTimeZone: string;
}

/** One answer per request, in order. Throws only for what concerns the whole batch (its size, its cost). */
export async function answerConsumptionBatch(
  dcs: DcsClient,
  catalogue: Catalogue,
  requests: unknown[],
  options: BatchOptions,
): Promise<ConsumptionBatchAnswer[]> {
  const answers: ConsumptionBatchAnswer[] = new Array<ConsumptionBatchAnswer>(requests.length);
  const groups = groupBySource(requests, catalogue, options.defaultTimeZone, answers);
  checkBatchBudget(options.limits, groups);
  for (const group of groups.values()) {
    const { source, band, period } = group[0].asked;
    // Several cells often ask for the same period (a figure and its quality counts): measured once.
    const spanKey = (p: BillingPeriod) => `${p.startMs}/${p.endMs}`;
    const spans = [...new Map(group.map((g) => [spanKey(g.asked.period), g.asked.period])).values()];
    try {
      checkHalfHourBudget(options.limits, 1, unionSpan(spans), `requests[${group[0].index}].end`);
      const measured = await measureConsumptionOver(dcs, source, spans, { ...options, band: band && bandMatcher(band, period.timeZone) });
      const bySpan = new Map(spans.map((span, i) => [spanKey(span), measured[i]]));
      for (const { index, asked } of group) {
        answers[index] = { result: { ...consumptionResultJson(bySpan.get(spanKey(asked.period))!, asked.period), ...(band && { band: band.text }) } };
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      for (const { index } of group) answers[index] = errorAnswer(error);
    }
  }
  return answers;
}
