/**
 * How an entity set's page and its `$count` are answered, the same for every set: the DCS pull is
 * abandoned when the client goes away, a failure before the first byte is an OData error, and a
 * failure after it cuts the answer short (the client sees a broken collection, not a short one).
 */
import type { Response } from 'express';
import { isAbortError } from '../http/errors';
import type { Logger } from '../http/logger';
import { abortStartedAnswer, sendODataError } from './errors';
import { CollectionWriter } from './json-writer';
import { ODATA_VERSION_HEADERS } from './protocol';

interface ServeSettings {
  stalledReaderMs: number;
  logger: Logger;
}

/** Aborts the DCS pull when the client goes away. */
export function abortOnClose(res: Response): AbortController {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller;
}

/**
 * `GET <set>/$count` as plain text. `quietOnAbortError`: an AbortError from below is taken as the
 * client having gone (Readings does; Intervals answers it as an error).
 */
export async function serveCount(
  res: Response,
  settings: ServeSettings,
  entitySet: string,
  count: (signal: AbortSignal) => Promise<number>,
  quietOnAbortError = false,
): Promise<void> {
  const controller = abortOnClose(res);
  try {
    const total = await count(controller.signal);
    for (const [name, value] of Object.entries(ODATA_VERSION_HEADERS)) res.setHeader(name, value);
    res.status(200).type('text/plain; charset=utf-8').send(String(total));
  } catch (error) {
    if ((quietOnAbortError && isAbortError(error)) || controller.signal.aborted) return;
    const answer = sendODataError(res, error);
    if (answer.status >= 500) settings.logger.error(`OData ${entitySet} count failed`, { error });
  }
}

/** `GET <set>`: one page, written by `write` into a collection writer. */
export async function servePage(
  res: Response,
  settings: ServeSettings,
  entitySet: string,
  write: (writer: CollectionWriter, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = abortOnClose(res);
  const writer = new CollectionWriter(res, settings.stalledReaderMs);
  try {
    await write(writer, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return;
    // Until the first chunk has gone out, the buffered rows can be dropped for a proper status.
    if (res.headersSent) {
      settings.logger.warn(`OData ${entitySet} page failed after it started; answer cut short`, { error, rows: writer.count });
      abortStartedAnswer(res, error);
      return;
    }
    const answer = sendODataError(res, error);
    if (answer.status >= 500) settings.logger.error(`OData ${entitySet} request failed`, { error });
  }
}
