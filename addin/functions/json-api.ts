/**
 * One GET (or, given a body, one POST) of a JSON answer from the add-in's server, authenticated like every other add-in call
 * (the session's Bearer token), for the cell functions' calls (consumption, intervals). DOM-free:
 * the platform's fetch is passed in. Error answers become ApiRequestError with the server's
 * message; a 401 ends the session here too; cancelling (the signal) rejects with its AbortError.
 *
 * Every call here only reads (GETs, and POSTs that only compute: the consumption batch, the
 * demand bills), so one that never reached an answer is sent once more before the cell shows
 * an error: a kept-alive connection closed by the server or a proxy as it was reused fails the
 * request without the server having answered it, and a browser retries only some of those.
 */
import { ApiRequestError, isApiError } from '../api/client';
import type { Fetch, HttpResponse } from '../api/http';
import type { Session } from '../api/session';

export interface JsonClient {
  url(path: string): string;
  readonly session: Session;
}

/**
 * `what` names the request in messages ("consumption request"); `isExpected` checks the body's
 * shape; `post` is sent as a JSON body (a POST) when given.
 */
export async function getJson<T>(
  client: JsonClient,
  fetch: Fetch,
  path: string,
  what: string,
  isExpected: (body: unknown) => body is T,
  signal?: AbortSignal,
  post?: unknown,
): Promise<T> {
  let response: HttpResponse;
  const headers = { Accept: 'application/json', ...client.session.authorizationHeaders() };
  const init =
    post === undefined
      ? { headers, signal }
      : { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(post), signal };
  try {
    response = await fetchOnceMore(fetch, client.url(path), init);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiRequestError(
      `Could not reach the DCS Excel server (${error instanceof Error ? error.message : String(error)}). Check your network connection and that the server is running.`,
      0,
      'network',
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) client.session.end();
    if (isApiError(body)) throw new ApiRequestError(body.error.message, response.status, body.error.code, body.error.parameter);
    throw new ApiRequestError(
      `The server answered the ${what} with HTTP ${response.status}. Try again; if it keeps happening, check the server's log.`,
      response.status,
      response.status === 401 ? 'unauthenticated' : 'bad_answer',
    );
  }
  if (!isExpected(body)) {
    throw new ApiRequestError(
      `The server's answer to the ${what} was not what the add-in expects. Check that the add-in and the server are the same version.`,
      response.status,
      'bad_answer',
    );
  }
  return body;
}

function isAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** The fetch, and once more when it failed without an answer (not when cancelled, not when answered with an error). */
async function fetchOnceMore(fetch: Fetch, url: string, init: Parameters<Fetch>[1]): Promise<HttpResponse> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (isAbort(error) || init?.signal?.aborted) throw error;
    return fetch(url, init);
  }
}
