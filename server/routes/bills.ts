/**
 * `POST /api/bills`: shadow bills line by line, and invoice checks, from DCS's half-hours
 * (server/bills/). Takes one bill `{supply, period, tariff, invoice?}` and answers a `BillJson`,
 * or `{"bills": [...]}` and answers `BillsJson`. Every source is checked against the caller's
 * catalogue and the DCS cost against DCS_CALL_BUDGET before anything is pulled.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { BillJson, BillsJson } from '../api/types';
import { BillInputError, checkSupplySources, computeBills, parseBillsBody, planPulls, type BillRequest } from '../bills';
import { DEMO_BILLS, type DemoBill } from '../bills/demo-bills';
import { findSource, loadCatalogue, type CatalogueSource } from '../catalogue';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { budgetLimits, estimateDcsCost, type BudgetLimits } from '../http/dcs-budget';
import { HttpError } from '../http/errors';
import { takesNoParameters } from '../http/params';
import { badParameter } from '../request-errors';
import { readingsCallOptions } from '../http/readings-calls';
import { readingsReader } from '../http/stored-readings';

/** Room for 2,000 bills with their invoices. */
const BODY_LIMIT = '4mb';

export function createBillsRouter(ctx: AppContext): Router {
  const router = Router();
  const json = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  router.post('/bills', requireDcs(ctx), takesNoParameters('POST /api/bills'), json, async (req: Request, res: Response) => {
    const handle = res.locals.handle;
    if (!handle) throw new Error('requireDcs did not set the DCS client');
    const { many, requests } = asHttp(() => parseBillsBody(req.body, ctx.config.defaultTimeZone));
    const catalogue = await loadCatalogue(handle);
    const sourceOf = (id: string): CatalogueSource => findSource(catalogue, id);
    const fieldOf = (index: number): string => (many ? `bills[${index}]` : '');
    asHttp(() => checkSupplySources(requests, sourceOf, fieldOf));
    checkBudget(await budgetLimits(ctx, handle.dcs), requests);
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort(new DOMException('the caller went away', 'AbortError'));
    });
    const bills = await computeBills(handle.dcs, requests, {
      sourceOf,
      calls: readingsCallOptions(ctx.config),
      signal: abort.signal,
      maxWindowDays: ctx.config.dcsMaxWindowDays,
      reader: readingsReader(ctx, handle),
    });
    const body: BillJson | BillsJson = many ? { bills, sources: planPulls(requests).size } : bills[0];
    res.json(body);
  });
  // The demo's tariffs and invoices name the embedded simulator's registers: elsewhere they mean nothing.
  router.get('/bills/demo', requireDcs(ctx), takesNoParameters('GET /api/bills/demo'), (_req: Request, res: Response) => {
    if (!ctx.simulator) throw new HttpError(404, 'not_found', 'the demo bills are for the embedded simulator only; this server reads a real DCS');
    const body: { bills: DemoBill[] } = { bills: [...DEMO_BILLS] };
    res.json(body);
  });
  // A body that is not JSON gets the bills' own advice, not the sign-in route's.
  router.use('/bills', (error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const parseFailed = error instanceof SyntaxError && (error as { type?: string }).type === 'entity.parse.failed';
    next(
      parseFailed ? badParameter('body', 'not valid JSON; send a bill {"supply", "period", "tariff", "invoice"?} with Content-Type: application/json') : error,
    );
  });
  return router;
}

/** A BillInputError as the 400 that names its field. */
function asHttp<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof BillInputError) throw new HttpError(400, 'bad_request', error.message, error.field);
    throw error;
  }
}

/** One pull per source over its span: refused over DCS_CALL_BUDGET before anything is asked. */
function checkBudget(limits: BudgetLimits, requests: readonly BillRequest[]): void {
  let calls = 0;
  const spans = planPulls(requests);
  for (const span of spans.values()) {
    calls += estimateDcsCost({ sources: 1, ...span, periodType: 'halfHour', maxWindowDays: limits.maxWindowDays, now: limits.now }).calls;
  }
  if (calls > limits.budget) {
    throw badParameter(
      'bills',
      `these bills would cost about ${calls} DCS calls (${spans.size} sources, each pulled once over its bills' span), over this server's budget of ${limits.budget} (DCS_CALL_BUDGET); send fewer bills at a time`,
    );
  }
}
