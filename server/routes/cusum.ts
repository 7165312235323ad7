/**
 * GET /api/cusum: the performance line of a source's consumption against heating (or cooling)
 * degree days over a baseline, and for every interval of the baseline and the report period the
 * expected consumption, the difference and the CUSUM. Shapes: docs/monitoring-and-targeting.md;
 * the calculation: server/analysis/cusum-report.ts.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { CusumJson, CusumsJson } from '../api/types';
import { cusumReport, cusumReports, CUSUM_INTERVALS, type CusumReport, type CusumRequest } from '../analysis/cusum-report';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { budgetLimits, checkHalfHourBudget } from '../http/dcs-budget';
import { HttpError } from '../http/errors';
import { badParameter, RequestError } from '../request-errors';
import { refuseUnknownParameters, singleText, sourceIdsParameter } from '../http/params';
import { timeZoneParameter } from '../time/parameters';
import { readingsCallOptions } from '../http/readings-calls';
import { readingsReader } from '../http/stored-readings';
import { formatIntervalTime, readBaseTemperature, resolveIntervalsRequest } from '../intervals';

export const CUSUM_PARAMETERS = [
  'id',
  'temperature',
  'baselineStart',
  'baselineEnd',
  'start',
  'end',
  'interval',
  'timeZone',
  'baseTemperature',
  'degreeDays',
] as const;

export function createCusumRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/cusum', requireDcs(ctx), async (req: Request, res: Response) => {
    const request = parseCusumQuery(req.query, ctx.config.defaultTimeZone);
    const handle = res.locals.handle;
    if (!handle) throw new Error('requireDcs did not set the DCS client');
    const span = { startMs: Math.min(request.baseline.startMs, request.report.startMs), endMs: Math.max(request.baseline.endMs, request.report.endMs) };
    checkHalfHourBudget(await budgetLimits(ctx, handle.dcs), 2, span);
    const report = await cusumReport(handle, request, {
      calls: readingsCallOptions(ctx.config),
      maxWindowDays: ctx.config.dcsMaxWindowDays,
      reader: readingsReader(ctx, handle),
    });
    res.json(cusumToJson(report, request));
  });
  // Many sources against one temperature: the temperature is pulled once for them all.
  const json = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });
  router.post('/cusum', requireDcs(ctx), json, async (req: Request, res: Response) => {
    const { ids, request } = parseCusumBody(req.body, ctx.config.defaultTimeZone);
    const handle = res.locals.handle;
    if (!handle) throw new Error('requireDcs did not set the DCS client');
    const span = { startMs: Math.min(request.baseline.startMs, request.report.startMs), endMs: Math.max(request.baseline.endMs, request.report.endMs) };
    checkHalfHourBudget(await budgetLimits(ctx, handle.dcs), ids.length + 1, span);
    const reports = await cusumReports(handle, ids, request, {
      calls: readingsCallOptions(ctx.config),
      maxWindowDays: ctx.config.dcsMaxWindowDays,
      reader: readingsReader(ctx, handle),
    });
    const body: CusumsJson = { reports: reports.map((report) => cusumToJson(report, request)) };
    res.json(body);
  });
  router.use('/cusum', (error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const parseFailed = error instanceof SyntaxError && (error as { type?: string }).type === 'entity.parse.failed';
    next(
      parseFailed
        ? badParameter('body', 'not valid JSON; send {"ids": ["R1165", ...], "temperature": "R1164", "baselineStart", ...} with Content-Type: application/json')
        : error,
    );
  });
  return router;
}

/** Sources in one POST /api/cusum: each is one pull over the span, so the DCS budget is what really limits. */
const MAX_CUSUM_SOURCES = 500;

/** The POST body: `ids` (an array of source ids) and the GET's other parameters, as JSON strings or numbers. */
function parseCusumBody(body: unknown, defaultTimeZone: string): { ids: string[]; request: CusumRequest } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badParameter('body', 'send a JSON object {"ids": [...], "temperature", "baselineStart", "baselineEnd", "start", "end", "interval"?, ...}');
  const { ids: rawIds, ...rest } = body as Record<string, unknown>;
  if (!Array.isArray(rawIds) || rawIds.some((id) => typeof id !== 'string'))
    throw badParameter('ids', 'give the consuming sources as an array of ids, e.g. "ids": ["R1165", "VM3"]');
  const query: Record<string, unknown> = { id: rawIds.join(',') };
  for (const [name, value] of Object.entries(rest)) {
    if (name === 'id') throw badParameter('id', 'the POST takes "ids", an array');
    query[name] = typeof value === 'number' ? String(value) : value;
  }
  const ids = sourceIdsParameter(query.id, MAX_CUSUM_SOURCES);
  return { ids, request: parseCusumQuery(query as Request['query'], defaultTimeZone, ids[0], 'POST /api/cusum') };
}

function parseCusumQuery(query: Request['query'], defaultTimeZone: string, firstId?: string, what = 'GET /api/cusum'): CusumRequest {
  refuseUnknownParameters(query, CUSUM_PARAMETERS, what);
  const one = (name: string): string | undefined => singleText(query[name], name)?.trim();
  const [id] = firstId ? [firstId] : sourceIdsParameter(query.id, 1);
  const temperature = one('temperature');
  if (!temperature) throw badParameter('temperature', 'missing; give the id of an outside air temperature register (°C), e.g. temperature=R1157');
  const [temperatureId] = sourceIdsParameter(temperature, 1);
  const interval = one('interval') || 'day';
  if (!CUSUM_INTERVALS.some((i) => i === interval))
    throw badParameter('interval', `'${interval}' cannot carry degree days; use one of ${CUSUM_INTERVALS.join(', ')}`);
  const timeZone = timeZoneParameter(one('timeZone'), defaultTimeZone);
  const span = (startName: string, endName: string) => {
    const read = resolveIntervalsRequest({
      ids: [id],
      start: one(startName) ?? '',
      end: one(endName) ?? '',
      endParameter: 'end',
      interval,
      timeZone,
      defaultTimeZone,
    });
    return { startMs: read.startMs, endMs: read.endMs };
  };
  return {
    id,
    temperatureId,
    baseline: renamed(() => span('baselineStart', 'baselineEnd'), { start: 'baselineStart', end: 'baselineEnd' }),
    report: span('start', 'end'),
    interval: interval as CusumRequest['interval'],
    timeZone,
    baseTemperature: readBaseTemperature(one('baseTemperature')),
    kind: degreeDayKind(one('degreeDays')),
  };
}

/** Reads the baseline's bounds with the span rules of start/end, naming the baseline's own parameters in a refusal. */
function renamed<T>(read: () => T, names: { start: string; end: string }): T {
  try {
    return read();
  } catch (error) {
    if ((error instanceof RequestError || error instanceof HttpError) && (error.parameter === 'start' || error.parameter === 'end')) {
      const message = error.message.slice(error.parameter.length + 2);
      throw badParameter(names[error.parameter], message);
    }
    throw error;
  }
}

function degreeDayKind(text: string | undefined): 'heating' | 'cooling' {
  if (text === undefined || text === '' || text === 'heating') return 'heating';
  if (text === 'cooling') return 'cooling';
  throw badParameter('degreeDays', `'${text}' is not a kind of degree days; use heating (the default) or cooling`);
}

function cusumToJson(report: CusumReport, request: CusumRequest): CusumJson {
  const time = (ms: number) => formatIntervalTime(ms, request.timeZone);
  return {
    source: { id: report.source.id, name: report.source.name, unit: report.source.unit },
    temperature: { id: report.temperature.id, name: report.temperature.name, unit: report.temperature.unit },
    interval: request.interval,
    timeZone: request.timeZone,
    degreeDays: request.kind,
    baseTemperature: request.baseTemperature,
    model: report.model,
    intervals: report.rows.map((row) => ({
      period: row.period,
      start: time(row.startMs),
      end: time(row.endMs),
      consumption: row.consumption,
      degreeDays: row.degreeDays,
      expected: row.expected,
      difference: row.difference,
      cusum: row.cusum,
      interpolated: row.interpolated,
      missing: row.missing,
      daysWithoutTemperature: row.daysWithoutTemperature,
    })),
  };
}
