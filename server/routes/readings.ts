/**
 * GET /api/readings: readings of one or more sources over a span, streamed as json, ndjson or
 * csv. Long spans go through the DCS client's largeReadings (windowing, pacing, re-sign-in).
 *
 * With DATABASE_URL, settled history comes from the readings store (http/stored-readings.ts).
 *
 * Failure handling is the point of this module:
 * - before the first chunk is sent, any failure is an ordinary error answer (400/401/403/...);
 *   with several ids, every one is checked against the caller's source list before that;
 * - after it, an ndjson body gets an `{error}` record, and every format is cut off by
 *   destroying the connection, so no reader can mistake a partial pull for a complete one;
 * - when the caller goes away, the DCS stream is closed and its spool freed;
 * - a caller that stops taking the answer (STALLED_READER_TIMEOUT) is cut off the same way as a
 *   failure after the first chunk, and its spool freed; DCS never waits for it (the client spools);
 * - a request whose DCS cost is over DCS_CALL_BUDGET is refused (400) before DCS is asked.
 */
import { Router, type Request, type Response } from 'express';
import type { OutputFormat, SourceHeader } from '../api/types';
import { countPeriods, type ReadingsHeader, type ReadingsStream } from 'dcs-client';
import { findSource, loadCatalogue } from '../catalogue';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { budgetGuard, budgetLimits, checkDcsBudget } from '../http/dcs-budget';
import { stalledReaderMs } from '../dcs-settings';
import { readingsCallOptions } from '../http/readings-calls';
import type { DcsHandle } from '../session-handle';
import { readingsReader, type ReadingsReader } from '../http/stored-readings';
import { isAbortError } from '../http/errors';
import { ResponseSink } from '../output/sink';
import { timestampWriter, utcTimestamps, type TimestampWriter } from '../output/timestamps';
import { CONTENT_TYPES, createWriter, type ReadingsWriter } from '../output/writers';
import { MAX_SOURCES, parseReadingsQuery, type ReadingsRequest } from './readings-query';
import { parseGroupId } from '../groups/group';
import { resolveTargets, targetId } from '../groups/resolve';
import { failStream } from './stream-failure';

export function createReadingsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/readings', requireDcs(ctx), async (req: Request, res: Response) => {
    const query = await withGroupMembers(ctx, res.locals.handle!, parseReadingsQuery(req.query, ctx.config.defaultTimeZone));
    const limits = await budgetLimits(ctx, res.locals.dcs!);
    checkDcsBudget({
      sources: query.ids.length,
      startMs: query.start.getTime(),
      endMs: query.end.getTime(),
      periodType: query.periodType,
      ...limits,
    });
    const output = query.output ?? negotiateOutput(req);
    if (query.ids.length > 1) await checkEverySourceVisible(res.locals.handle!, query.ids);
    await streamReadings(ctx, res, readingsReader(ctx, res.locals.handle!), query, output, budgetGuard(limits, query.ids.length));
  });
  return router;
}

/**
 * A group's id stands for its members (those the caller may read), each with its own readings:
 * readings are a source's own, so a group has no summed readings (its sum is in /api/intervals).
 */
async function withGroupMembers(ctx: AppContext, handle: DcsHandle, query: ReadingsRequest): Promise<ReadingsRequest> {
  if (!query.ids.some((id) => parseGroupId(id) !== undefined)) return query;
  const sources = await resolveTargets(ctx.groups, await loadCatalogue(handle), query.ids, 'members', MAX_SOURCES);
  return { ...query, ids: sources.map(targetId) };
}

/**
 * Sources after the first are opened after the first byte, too late for an error answer of their
 * own; so with several ids each is checked against the caller's own source list first (cached per
 * session), and one the caller may not see is a 404 before anything is sent, as on /api/intervals.
 */
async function checkEverySourceVisible(handle: DcsHandle, ids: readonly string[]): Promise<void> {
  const catalogue = await loadCatalogue(handle);
  for (const id of ids) findSource(catalogue, id);
}

/** ?output= wins; else the Accept header; else json. */
export function negotiateOutput(req: Request): OutputFormat {
  const accepted = req.accepts(['application/json', 'application/x-ndjson', 'application/ndjson', 'text/csv']);
  if (accepted === 'text/csv') return 'csv';
  if (accepted === 'application/x-ndjson' || accepted === 'application/ndjson') return 'ndjson';
  return 'json';
}

async function streamReadings(
  ctx: AppContext,
  res: Response,
  reader: ReadingsReader,
  query: ReadingsRequest,
  output: OutputFormat,
  onWindow: (window: { count: number }) => void,
): Promise<void> {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort(new DOMException('the caller closed the connection', 'AbortError'));
  });
  const sink = new ResponseSink(res, stalledReaderMs(ctx.config));
  const jsonTime = utcTimestamps();
  const csvTime: TimestampWriter = output === 'csv' ? timestampWriter(query.timeZone) : jsonTime;
  const writer = createWriter(output, sink, csvTime, jsonTime);
  const log = ctx.logger.child({ route: 'readings', user: res.locals.principal?.username });
  let stream: ReadingsStream | undefined;
  let readings = 0;

  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[output]);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    for (const [index, id] of query.ids.entries()) {
      const opened: ReadingsStream = await reader.largeReadings(
        {
          id,
          start: query.start,
          end: query.end,
          periodType: query.periodType,
          calibrated: query.calibrated,
          interpolated: query.interpolated,
          format: query.format,
        },
        { ...readingsCallOptions(ctx.config, abort.signal), onWindow },
      );
      stream = opened;
      // Nothing is buffered until DCS has answered for the first source, so that an early
      // refusal (403, 400, ...) still gets its own status rather than a cut-off 200.
      if (index === 0) writer.begin();
      writer.source(sourceHeader(opened.header, jsonTime));
      readings += await copyReadings(opened, writer, sink);
      writer.endSource();
      await opened.close();
      stream = undefined;
    }
    writer.end({ sources: query.ids.length, readings });
    await sink.end();
    log.debug('readings sent', { sources: query.ids.length, readings, output, chars: sink.written });
  } catch (error) {
    await stream?.close().catch(() => undefined);
    if (abort.signal.aborted || isAbortError(error)) {
      log.info('readings abandoned by the caller', { readings });
      return;
    }
    failStream(ctx, res, sink, writer, error, { route: 'readings', sent: readings });
  }
}

/** Copies every batch, pausing while the response is full (backpressure reaches DCS). */
async function copyReadings(stream: ReadingsStream, writer: ReadingsWriter, sink: ResponseSink): Promise<number> {
  let count = 0;
  for await (const batch of stream.batches()) {
    writer.readings(batch);
    count += batch.length;
    await sink.settle();
  }
  return count;
}

export function sourceHeader(header: ReadingsHeader, time: TimestampWriter): SourceHeader {
  const start = header.startTime.getTime();
  const end = header.endTime.getTime();
  return {
    id: header.id,
    name: header.name,
    unit: header.unit,
    periodType: header.periodType,
    format: header.format,
    startTime: time.format(start),
    endTime: time.format(end),
    expectedCount: countPeriods(start, end, header.periodType),
  };
}
