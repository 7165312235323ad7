/**
 * GET /api/intervals: consumption and statistics per local half-hour, hour, day, week, month,
 * quarter or year for one or more sources, as json, ndjson or csv, long or wide. Parameters and
 * shapes: docs/http-api.md "Consumption and statistics per period"; the calculation: server/intervals/.
 *
 * Failures behave as on /api/readings: before the first byte an ordinary error answer, after it
 * an ndjson error record and a cut connection, never a silently short table.
 */
import { Router, type Request, type Response } from 'express';
import type { IntervalCalc, IntervalLayout, OutputFormat } from '../api/types';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { isAbortError } from '../http/errors';
import { badParameter } from '../request-errors';
import { budgetLimits, checkHalfHourBudget } from '../http/dcs-budget';
import { refuseUnknownParameters, singleText, sourceIdsParameter, spanEndParameter } from '../http/params';
import { stalledReaderMs } from '../dcs-settings';
import { readingsCallOptions } from '../http/readings-calls';
import { readingsReader } from '../http/stored-readings';
import type { DcsHandle } from '../session-handle';
import { loadCatalogue } from '../catalogue';
import { INTERVAL_CALCS, intervalBoundaries, resolveIntervalsRequest, streamSourceIntervals, targetCalcs, type IntervalsRequest } from '../intervals';
import { isGroupSum, parseCombine, resolveTargets, type Combine, type Target } from '../groups';
import { createIntervalsWriter, type IntervalsShape, type IntervalsWriter } from '../output/interval-writers';
import { ResponseSink } from '../output/sink';
import { CONTENT_TYPES } from '../output/writers';
import { negotiateOutput } from './readings';
import { parseBoolean, parseOutput } from './readings-query';
import { MAX_SOURCES } from '../http/params';
import { failStream } from './stream-failure';
import { emissionFactorsOf } from '../analysis/carbon';

/** A wide table is held whole until its last column is in: 8 bytes a cell, 40 MB at most. */
export const MAX_WIDE_CELLS = 5_000_000;

interface IntervalsQuery {
  request: IntervalsRequest;
  combine: Combine;
  output?: OutputFormat;
  layout: IntervalLayout;
}

export function createIntervalsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/intervals', requireDcs(ctx), async (req: Request, res: Response) => {
    const query = parseIntervalsQuery(req.query, ctx.config.defaultTimeZone);
    const handle = res.locals.handle;
    if (!handle) throw new Error('requireDcs did not set the DCS client');
    const sources = await resolveTargets(ctx.groups, await loadCatalogue(handle), query.request.ids, query.combine, MAX_SOURCES);
    const shape = shapeOf(query, query.output ?? negotiateOutput(req), sources);
    // Refused over DCS_CALL_BUDGET before anything is asked of DCS (a group's sum pulls each member once).
    const pulls = sources.reduce((n, target) => n + (isGroupSum(target) ? target.members.length : 1), 0);
    checkHalfHourBudget(await budgetLimits(ctx, handle.dcs), pulls * (query.request.compare ? 2 : 1), query.request);
    await sendIntervals(ctx, res, handle, sources, query.request, shape);
  });
  return router;
}

/** Every parameter GET /api/intervals takes; any other is refused (a misspelt one would be ignored). */
export const INTERVALS_PARAMETERS = [
  'id',
  'start',
  'end',
  'lastDay',
  'interval',
  'timeZone',
  'calc',
  'calibrated',
  'interpolated',
  'output',
  'layout',
  'band',
  'occupied',
  'baseTemperature',
  'compare',
  'fuel',
  'combine',
] as const;

function parseIntervalsQuery(query: Request['query'], defaultTimeZone: string): IntervalsQuery {
  refuseUnknownParameters(query, INTERVALS_PARAMETERS, 'GET /api/intervals');
  const one = (name: string): string | undefined => singleText(query[name], name)?.trim();
  const ids = sourceIdsParameter(query.id, MAX_SOURCES);
  const end = spanEndParameter(one('end'), one('lastDay'));
  const request = resolveIntervalsRequest({
    ids,
    start: one('start') ?? '',
    end: end.text,
    endParameter: end.parameter,
    interval: one('interval'),
    timeZone: one('timeZone'),
    defaultTimeZone,
    calibrated: parseBoolean('calibrated', one('calibrated')),
    interpolated: parseBoolean('interpolated', one('interpolated')),
    calc: one('calc'),
    band: one('band'),
    occupied: one('occupied'),
    baseTemperature: one('baseTemperature'),
    compare: one('compare'),
    fuel: one('fuel'),
  });
  return { request, combine: parseCombine(one('combine')), output: parseOutput(one('output')), layout: parseLayout(one('layout')) };
}

function parseLayout(text: string | undefined): IntervalLayout {
  if (text === undefined || text === '') return 'long';
  const lower = text.toLowerCase();
  if (lower === 'long' || lower === 'wide') return lower;
  throw badParameter('layout', `'${text}' is not a layout; use long (a row per source and interval) or wide (a row per interval, a column per source)`);
}

/** Which columns the answer has, checked before anything is asked of DCS. */
function shapeOf(query: IntervalsQuery, output: OutputFormat, sources: readonly Target[]): IntervalsShape {
  const { request, layout } = query;
  const perSource = sources.map((source) => targetCalcs(source, request.calcs));
  const union = INTERVAL_CALCS.filter((calc) => perSource.some((calcs) => calcs.includes(calc)));
  const boundaries = intervalBoundaries(request.startMs, request.endMs, request.interval, request.timeZone);
  if (request.compare && (output === 'csv' || layout === 'wide')) {
    throw badParameter('compare', 'previousYear is given in json and ndjson (long layout): use output=json or output=ndjson');
  }
  if (layout === 'wide') checkWide(union, perSource, output, boundaries.length - 1, sources.length);
  return { output, layout, interval: request.interval, timeZone: request.timeZone, calcs: union, boundaries, sourceCount: sources.length };
}

function checkWide(union: IntervalCalc[], perSource: IntervalCalc[][], output: OutputFormat, intervals: number, sources: number): void {
  if (output === 'ndjson') throw badParameter('layout', 'wide is for csv and json; ndjson is always long (a record per source and interval)');
  if (union.length !== 1 || perSource.some((calcs) => calcs.length !== 1)) {
    throw badParameter(
      'calc',
      `layout=wide shows exactly one calculation per source, and ${union.length > 1 ? `these sources would show ${union.join(', ')}` : 'none was chosen'}; give one, e.g. calc=consumption or calc=max`,
    );
  }
  if (intervals * sources > MAX_WIDE_CELLS) {
    throw badParameter(
      'layout',
      `a wide table of ${intervals} intervals × ${sources} sources is more than ${MAX_WIDE_CELLS} cells; use layout=long, fewer sources or a longer interval`,
    );
  }
}

async function sendIntervals(
  ctx: AppContext,
  res: Response,
  handle: DcsHandle,
  sources: readonly Target[],
  request: IntervalsRequest,
  shape: IntervalsShape,
): Promise<void> {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort(new DOMException('the caller closed the connection', 'AbortError'));
  });
  const sink = new ResponseSink(res, stalledReaderMs(ctx.config));
  const log = ctx.logger.child({ route: 'intervals', user: res.locals.principal?.username });
  let writer: IntervalsWriter | undefined;
  let sent = 0;
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[shape.output]);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    const events = streamSourceIntervals(handle, sources, request, {
      calls: readingsCallOptions(ctx.config),
      signal: abort.signal,
      maxWindowDays: ctx.config.dcsMaxWindowDays,
      boundaries: shape.boundaries,
      reader: readingsReader(ctx, handle),
      emissionFactors: emissionFactorsOf(ctx.config.carbonFactorsFile),
    });
    for await (const event of events) {
      // Nothing is buffered until DCS has answered for the first source, so that an early
      // refusal (403, 400, ...) still gets its own status rather than a cut-off 200.
      writer ??= createIntervalsWriter(shape, sink);
      if (event.type === 'source') writer.source(event.source);
      else {
        writer.intervals(event.intervals);
        sent += event.intervals.length;
        await sink.settle();
      }
    }
    (writer ?? createIntervalsWriter(shape, sink)).end({ sources: sources.length, intervals: sent });
    await sink.end();
    log.debug('intervals sent', { sources: sources.length, intervals: sent, output: shape.output, layout: shape.layout });
  } catch (error) {
    if (abort.signal.aborted || isAbortError(error)) {
      log.info('intervals abandoned by the caller', { intervals: sent });
      return;
    }
    failStream(ctx, res, sink, writer, error, { route: 'intervals', sent });
  }
}
