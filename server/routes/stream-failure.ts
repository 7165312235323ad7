/**
 * How a streamed answer fails: before its first byte has left, as an ordinary error answer with
 * its own status; after, with an error record where the format can carry one (ndjson) and a cut
 * connection, so no reader can mistake a partial answer for a complete one.
 */
import type { Response } from 'express';
import type { ApiError } from '../api/types';
import type { AppContext } from '../http/context';
import { toErrorAnswer } from '../http/errors';
import type { ResponseSink } from '../output/sink';

export function failStream(
  ctx: AppContext,
  res: Response,
  sink: ResponseSink,
  writer: { fail(error: ApiError): void } | undefined,
  error: unknown,
  what: { route: string; sent: number },
): void {
  const answer = toErrorAnswer(error);
  const level = answer.status >= 500 ? 'error' : 'warn';
  ctx.logger[level](`${what.route} failed`, { status: answer.status, code: answer.body.error.code, afterRecords: what.sent, started: sink.started, error });
  if (!sink.started) {
    // Nothing has left yet: answer with a proper status instead of a broken 200.
    sink.discard();
    res.removeHeader('Content-Type');
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
    return;
  }
  writer?.fail(answer.body);
  void sink.abort();
}
