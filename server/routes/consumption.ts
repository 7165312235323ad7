/**
 * `GET /api/consumption`: what each named source consumed over a billing period, for checking a
 * supplier's invoice against the meter.
 *
 *   id        one or more source ids (R<register>, VM<virtual meter>); repeat the parameter or
 *             separate with commas
 *   start     first moment of the period: a date (start of that day) or a date-time
 *   end       the first instant NOT included: a date (the start of that day) or a date-time
 *   lastDay   instead of end: the period's last day, included (invoices state periods so)
 *   timeZone  IANA zone for dates and date-times without an offset; missing or blank: the
 *             server's DEFAULT_TIME_ZONE
 *   combine   for group ids (`group:<slug>`): absent = a result per member the caller may read,
 *             `sum` = one result, the members' sum (all readable, one unit; else 403 / 400)
 *   band      optional time-of-use band (server/time/bands.ts), e.g. `Mon-Sun 00:00-07:00`: only
 *             half-hours whose local start is in it count
 *
 * Answers `ConsumptionJson` (server/api/types.ts). Sources are measured one after another on
 * the caller's DCS session; any failure fails the whole answer (no partial results).
 *
 * `POST /api/consumption/batch` takes `{"requests": [{id, start, end, timeZone}, ...]}` (the
 * formulas of one recalculation) and answers one entry per request, in order: `{result}` as
 * above, or `{error, status}` for that request alone (server/http/consumption-batch.ts).
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ConsumptionBatchJson, ConsumptionJson, ConsumptionResult } from '../api/types';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { isAbortError, sendError } from '../http/errors';
import { answerConsumptionBatch, batchRequests, consumptionResultJson, groupResultJson } from '../http/consumption-batch';
import { measureConsumption, refuseInstantaneous, type Measurement } from '../consumption/measure';
import { resolveBillingPeriod } from '../consumption/period';
import { loadCatalogue, type CatalogueSource } from '../catalogue';
import { isGroupSum, parseCombine, resolveTargets } from '../groups';
import { badParameter } from '../request-errors';
import { refuseUnknownParameters, singleText, sourceIdsParameter, spanEndParameter } from '../http/params';
import { bandParameter } from '../time/parameters';
import { bandMatcher } from '../time/bands';
import { budgetLimits, checkHalfHourBudget } from '../http/dcs-budget';
import { readingsCallOptions } from '../http/readings-calls';
import { readingsReader } from '../http/stored-readings';

/** The most ids one request may name; each is a separate pull from DCS. */
const MAX_IDS = 50;

/** Every parameter GET /api/consumption takes; any other is refused. */
const CONSUMPTION_PARAMETERS = ['id', 'start', 'end', 'lastDay', 'timeZone', 'band', 'combine'];

export function createConsumptionRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/consumption', requireDcs(ctx), answering(ctx, 'consumption failed', answerConsumption));
  router.post('/consumption/batch', requireDcs(ctx), batchBody, answering(ctx, 'consumption batch failed', answerBatch));
  return router;
}

type Answer = (ctx: AppContext, req: Request, res: Response, signal: AbortSignal) => Promise<void>;

/** Runs an answer that stops when the caller goes away; its failures become error answers. */
function answering(ctx: AppContext, what: string, answer: Answer): express.RequestHandler {
  return (req, res) => {
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort(new DOMException('the caller went away', 'AbortError'));
    });
    answer(ctx, req, res, abort.signal).catch((error: unknown) => {
      if (abort.signal.aborted && isAbortError(error)) return;
      const sent = sendError(res, error);
      if (sent.status >= 500) ctx.logger.error(what, { path: req.path, error });
    });
  };
}

const readJson = express.json({ limit: '512kb', type: ['application/json', 'application/*+json'] });

/** The JSON body, with a refusal that says what a batch looks like (not the sign-in's wording). */
function batchBody(req: Request, res: Response, next: NextFunction): void {
  readJson(req, res, (error?: unknown) => {
    if (error instanceof SyntaxError) return next(badParameter('body', 'not valid JSON; send {"requests": [{"id", "start", "end", "timeZone"}, ...]}'));
    if (error === undefined && !req.is(['application/json', 'application/*+json'])) {
      return next(badParameter('body', 'send the batch as JSON, with Content-Type: application/json'));
    }
    next(error);
  });
}

async function answerBatch(ctx: AppContext, req: Request, res: Response, signal: AbortSignal): Promise<void> {
  const requests = batchRequests(req.body);
  const handle = res.locals.handle;
  if (!handle) throw new Error('requireDcs did not set the DCS client');
  const limits = await budgetLimits(ctx, handle.dcs);
  const lookup = { catalogue: await loadCatalogue(handle), groups: new Map((await ctx.groups.list()).map((group) => [group.id, group])) };
  const results = await answerConsumptionBatch(handle.dcs, lookup, requests, {
    limits,
    defaultTimeZone: ctx.config.defaultTimeZone,
    calls: readingsCallOptions(ctx.config),
    signal,
    maxWindowDays: limits.maxWindowDays,
    reader: readingsReader(ctx, handle),
  });
  const body: ConsumptionBatchJson = { results };
  res.json(body);
}

async function answerConsumption(ctx: AppContext, req: Request, res: Response, signal: AbortSignal): Promise<void> {
  refuseUnknownParameters(req.query, CONSUMPTION_PARAMETERS, 'GET /api/consumption');
  const ids = sourceIdsParameter(req.query.id, MAX_IDS);
  const end = spanEndParameter(singleText(req.query.end, 'end'), singleText(req.query.lastDay, 'lastDay'));
  const period = resolveBillingPeriod({
    start: singleText(req.query.start, 'start') ?? '',
    end: end.text,
    endParameter: end.parameter,
    timeZone: singleText(req.query.timeZone, 'timeZone'),
    defaultTimeZone: ctx.config.defaultTimeZone,
  });
  const band = bandParameter(singleText(req.query.band, 'band'));
  const handle = res.locals.handle;
  if (!handle) throw new Error('requireDcs did not set the DCS client');
  const dcs = handle.dcs;

  const targets = await resolveTargets(ctx.groups, await loadCatalogue(handle), ids, parseCombine(singleText(req.query.combine, 'combine')), MAX_IDS);
  const sourcesOf = (target: (typeof targets)[number]): CatalogueSource[] => (isGroupSum(target) ? target.members : [target]);
  // Refuse before pulling anything: the answer is all or nothing.
  targets.flatMap(sourcesOf).forEach(refuseInstantaneous);
  const limits = await budgetLimits(ctx, dcs);
  checkHalfHourBudget(limits, new Set(targets.flatMap(sourcesOf).map((source) => source.id)).size, period);
  // Each source measured once, even when a group and one of its members are both asked for.
  const measured = new Map<string, Measurement>();
  const measure = async (source: CatalogueSource): Promise<Measurement> => {
    let measurement = measured.get(source.id);
    if (measurement === undefined) {
      measurement = await measureConsumption(dcs, source, period, {
        calls: readingsCallOptions(ctx.config),
        signal,
        maxWindowDays: limits.maxWindowDays,
        reader: readingsReader(ctx, handle),
        band: band && bandMatcher(band, period.timeZone),
      });
      measured.set(source.id, measurement);
    }
    return measurement;
  };
  const results: ConsumptionResult[] = [];
  for (const target of targets) {
    const measurements: Measurement[] = [];
    for (const source of sourcesOf(target)) measurements.push(await measure(source));
    const json = isGroupSum(target) ? groupResultJson(target, measurements, period) : consumptionResultJson(measurements[0], period);
    results.push({ ...json, ...(band && { band: band.text }) });
  }
  const body: ConsumptionJson = { results };
  res.json(body);
}
