/**
 * The consumption formulas of one recalculation, answered together (`POST /api/consumption/batch`):
 * each source is pulled once over the span its periods cover together
 * (`measureConsumptionOver`), whatever the number of cells asking for it and whatever their bands
 * (a bill's Day, Night and total units of one register are one pull), and each period's figure is
 * exactly the one `GET /api/consumption` gives for it alone. A group's id answers the
 * sum of its members (a cell shows one figure), each member pulled once with the other requests
 * for it. A bad request (an unknown id, a period ending before it starts) or a failed pull gets its
 * own error; the others their figures.
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
import { groupSum, isGroupSum, parseGroupId, type Group, type GroupSum, type Target } from '../groups';
import { cleanNumber } from '../intervals/accumulator';

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

/** The wire form of a group's sum: its members' figures over the same period, added up. */
export function groupResultJson(sum: GroupSum, measurements: readonly Measurement[], period: BillingPeriod): ConsumptionResult {
  const total = (field: 'consumption' | 'periods' | 'interpolated' | 'resets' | 'missing'): number =>
    cleanNumber(measurements.reduce((n, measurement) => n + measurement[field], 0));
  return {
    id: sum.group.id,
    name: sum.group.name,
    unit: sum.unit,
    start: new Date(period.startMs).toISOString(),
    end: new Date(period.endMs).toISOString(),
    consumption: total('consumption'),
    periods: total('periods'),
    interpolated: total('interpolated'),
    resets: total('resets'),
    missing: total('missing'),
    members: sum.members.map((member) => member.id),
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
  target: Target;
  period: BillingPeriod;
  band?: Band;
}

/** Where a batch finds sources and groups: the caller's catalogue, every group by id. */
export interface BatchLookup {
  catalogue: Catalogue;
  groups: ReadonlyMap<string, Group>;
}

/** A source of the caller's catalogue, or a group's sum (all its members readable, one unit). */
function targetOf(id: string, lookup: BatchLookup): Target {
  const groupId = parseGroupId(id);
  if (groupId === undefined) {
    const source = findSource(lookup.catalogue, id);
    refuseInstantaneous(source);
    return source;
  }
  const group = lookup.groups.get(groupId);
  if (!group) throw new RequestError('UNKNOWN_GROUP', `id: there is no group ${groupId}; GET /api/groups lists the groups`, 'id');
  const sum = groupSum(group, lookup.catalogue);
  sum.members.forEach(refuseInstantaneous);
  return sum;
}

/** Reads one entry as `GET /api/consumption` reads its query, one source or group; errors name `requests[i].field`. */
function readRequest(entry: unknown, index: number, lookup: BatchLookup, defaultTimeZone: string): Asked {
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
    return { target: targetOf(ids[0], lookup), period, ...(band && { band }) };
  } catch (error) {
    return at(error);
  }
}

function errorAnswer(error: unknown): ConsumptionBatchAnswer {
  const answer = toErrorAnswer(error);
  return { error: answer.body.error, status: answer.status };
}

/** One span asked of a pull: a period, in a band read in the period's zone when there is one. */
interface AskedSpan {
  period: BillingPeriod;
  band?: Band;
}

/** One pull: a source, and every request whose answer needs it, whatever their periods and bands. */
interface Pull {
  source: CatalogueSource;
  /** The spans asked of it, once each, by `spanKey`. */
  spans: Map<string, AskedSpan>;
  /** The first request needing it (its errors' `end` is named after it). */
  firstIndex: number;
}

/** A band's hours are local to the period's zone, so a banded span is also told apart by its zone. */
const spanKey = ({ period, band }: AskedSpan): string =>
  band ? JSON.stringify([period.startMs, period.endMs, band.text, period.timeZone]) : `${period.startMs}/${period.endMs}`;

/** The sources behind a request: itself, or a group's members. */
function sourcesOf(asked: Asked): CatalogueSource[] {
  return isGroupSum(asked.target) ? asked.target.members : [asked.target];
}

/** Every request read; every source they need, once, with the spans asked of it. Unreadable requests are answered at once. */
function planPulls(requests: unknown[], lookup: BatchLookup, defaultTimeZone: string, answers: ConsumptionBatchAnswer[]) {
  const asked: Array<{ index: number; asked: Asked }> = [];
  const pulls = new Map<string, Pull>();
  requests.forEach((entry, index) => {
    let one: Asked;
    try {
      one = readRequest(entry, index, lookup, defaultTimeZone);
    } catch (error) {
      answers[index] = errorAnswer(error);
      return;
    }
    asked.push({ index, asked: one });
    for (const source of sourcesOf(one)) {
      const pull = pulls.get(source.id) ?? { source, spans: new Map(), firstIndex: index };
      pull.spans.set(spanKey(one), one);
      pulls.set(source.id, pull);
    }
  });
  return { asked, pulls };
}

/** From the earliest start to the latest end of a source's periods. */
function unionSpan(periods: readonly BillingPeriod[]): { startMs: number; endMs: number } {
  return { startMs: Math.min(...periods.map((p) => p.startMs)), endMs: Math.max(...periods.map((p) => p.endMs)) };
}

/** Refuses the batch, before anything is pulled, when its sources together would cost DCS more than one request may. */
function checkBatchBudget(limits: BudgetLimits, pulls: ReadonlyMap<string, Pull>): void {
  if (pulls.size > MAX_IDS) {
    throw badParameter(
      'requests',
      `${pulls.size} different sources (groups' members included) is more than one batch takes (${MAX_IDS}); send the requests of at most ${MAX_IDS} sources per batch`,
    );
  }
  let calls = 0;
  for (const pull of pulls.values()) {
    const span = unionSpan([...pull.spans.values()].map((asked) => asked.period));
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

/** Each pull's measurements by span, or the error it failed with. */
type Measured = { bySpan: Map<string, Measurement> } | { error: unknown };

/** One pull of one source over the span its requests cover together, each band's figure taken from it. */
async function measurePull(dcs: DcsClient, pull: Pull, options: BatchOptions): Promise<Measured> {
  const keys = [...pull.spans.keys()];
  const asked = [...pull.spans.values()];
  try {
    checkHalfHourBudget(options.limits, 1, unionSpan(asked.map((one) => one.period)), `requests[${pull.firstIndex}].end`);
    const spans = asked.map(({ period, band }) => ({ ...period, band: band && bandMatcher(band, period.timeZone) }));
    const measured = await measureConsumptionOver(dcs, pull.source, spans, options);
    return { bySpan: new Map(keys.map((key, i) => [key, measured[i]])) };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { error };
  }
}

/** One request's answer from its sources' measurements: the first failure among them, else its figure (a group's: the sum). */
function answerOf(asked: Asked, measured: ReadonlyMap<string, Measured>): ConsumptionBatchAnswer {
  const measurements: Measurement[] = [];
  for (const source of sourcesOf(asked)) {
    const result = measured.get(source.id)!;
    if ('error' in result) return errorAnswer(result.error);
    measurements.push(result.bySpan.get(spanKey(asked))!);
  }
  const { target, period, band } = asked;
  const json = isGroupSum(target) ? groupResultJson(target, measurements, period) : consumptionResultJson(measurements[0], period);
  return { result: { ...json, ...(band && { band: band.text }) } };
}

/** One answer per request, in order. Throws only for what concerns the whole batch (its size, its cost). */
export async function answerConsumptionBatch(
  dcs: DcsClient,
  lookup: BatchLookup,
  requests: unknown[],
  options: BatchOptions,
): Promise<ConsumptionBatchAnswer[]> {
  const answers: ConsumptionBatchAnswer[] = new Array<ConsumptionBatchAnswer>(requests.length);
  const { asked, pulls } = planPulls(requests, lookup, options.defaultTimeZone, answers);
  checkBatchBudget(options.limits, pulls);
  // Several cells often ask for the same period (a figure and its quality counts): measured once.
  const measured = new Map<string, Measured>();
  for (const [key, pull] of pulls) measured.set(key, await measurePull(dcs, pull, options));
  for (const { index, asked: one } of asked) answers[index] = answerOf(one, measured);
  return answers;
}
