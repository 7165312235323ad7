/**
 * Every failure becomes one `ApiError` answer with the right status. DCS client errors map to
 * statuses by their stable `code` (see CONTRIBUTING.md, "DCS error codes"): the caller learns
 * whether to fix the request (400), sign in (401), ask for access (403), wait (429) or try later
 * (502/504).
 */
import type { Response } from 'express';
import type { ApiError, ApiErrorCode } from '../api/types';
import { DcsError, DcsRateLimitError, type DcsErrorCode } from 'dcs-client';
import { RequestError, type RequestErrorCode } from '../request-errors';
import { isRedisUnavailable } from '../shared-state/redis';

/** An error that already knows its HTTP answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The answer for each code of the calculations' RequestError (`server/request-errors.ts`). */
const REQUEST_ANSWERS: Record<RequestErrorCode, { status: number; code: ApiErrorCode }> = {
  BAD_PARAMETER: { status: 400, code: 'bad_request' },
  UNKNOWN_SOURCE: { status: 404, code: 'not_found' },
  UNKNOWN_GROUP: { status: 404, code: 'not_found' },
  NOT_ALLOWED: { status: 403, code: 'forbidden' },
};

export interface ErrorAnswer {
  status: number;
  body: ApiError;
  headers: Record<string, string>;
}

/** The answer for any thrown value. Unknown errors are 500 and their text is not shown. */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  const answer = (status: number, code: ApiErrorCode, message: string, parameter?: string, headers: Record<string, string> = {}): ErrorAnswer => ({
    status,
    body: { error: parameter === undefined ? { code, message } : { code, message, parameter } },
    headers,
  });
  if (error instanceof HttpError) return answer(error.status, error.code, error.message, error.parameter, error.headers);
  if (error instanceof RequestError) {
    const { status, code } = REQUEST_ANSWERS[error.code];
    return answer(status, code, error.message, error.parameter);
  }
  if (error instanceof DcsError) {
    const dcs = dcsErrorAnswer(error);
    return answer(dcs.status, dcs.code, dcs.message, undefined, dcs.headers ?? {});
  }
  if (isBodyParseError(error))
    return answer(400, 'bad_request', 'body: not valid JSON; send {"username": "...", "password": "..."} with Content-Type: application/json');
  if (isRedisUnavailable(error)) {
    // Fails closed: without the shared pace, lock and sessions this instance can neither keep DCS's
    // limit for everyone nor tell whether a token is still signed in.
    return answer(
      503,
      'server_busy',
      'the server cannot reach its shared state (Redis, REDIS_URL) just now; try again in a few seconds, and if it persists tell the administrator',
      undefined,
      {
        'Retry-After': '5',
      },
    );
  }
  const client = clientErrorAnswer(error);
  if (client) return answer(client.status, client.code, client.message, undefined, client.headers);
  return answer(500, 'internal', 'internal server error; the server log has details');
}

interface DcsAnswer {
  status: number;
  code: ApiErrorCode;
  message: string;
  headers?: Record<string, string>;
}

/** The answer for each DCS error code; a code without its own line is a DCS failure (502). */
const DCS_ANSWERS: Partial<Record<DcsErrorCode, (error: DcsError) => DcsAnswer>> = {
  DCS_QUERY: (e) => ({ status: 400, code: 'bad_request', message: e.message }),
  DCS_SPAN_TOO_LONG: (e) => ({
    status: 502,
    code: 'dcs_failed',
    message: `DCS refused the time span as too long (${dcsDetails(e)}); set DCS_MAX_WINDOW_DAYS on the server below DCS's limit`,
  }),
  DCS_BAD_REQUEST: (e) => ({ status: 400, code: 'bad_request', message: `DCS rejected the query: ${dcsDetails(e)}` }),
  DCS_AUTHENTICATION: (e) => ({ status: 401, code: 'unauthenticated', message: `DCS did not accept the sign-in (${dcsDetails(e)}); sign in again` }),
  // DCS's own text names the register and its meter: echoing it would let a restricted user
  // learn hidden names by trying ids, so the answer says only that access is not allowed.
  DCS_FORBIDDEN: () => ({ status: 403, code: 'forbidden', message: FORBIDDEN_MESSAGE }),
  DCS_RATE_LIMITED: (e) => {
    const retry = e instanceof DcsRateLimitError ? e.retryAfterSeconds : undefined;
    return {
      status: 429,
      code: 'rate_limited',
      message: `DCS kept refusing requests as too frequent${retry !== undefined ? `; try again in ${retry} s` : '; try again later'}`,
      ...(retry !== undefined ? { headers: { 'Retry-After': String(Math.ceil(retry)) } } : {}),
    };
  },
  DCS_TIMEOUT: (e) => ({ status: 504, code: 'dcs_timeout', message: `DCS did not answer in time (${e.message}); try again, or ask for a shorter span` }),
  DCS_SERVER: (e) => ({ status: 502, code: 'dcs_failed', message: `DCS failed (${dcsDetails(e)}); try again later` }),
  DCS_NETWORK: (e) => ({ status: 502, code: 'dcs_failed', message: `could not reach DCS or the connection dropped (${e.message}); try again later` }),
  DCS_PROTOCOL: (e) => ({ status: 502, code: 'dcs_failed', message: `DCS sent an answer we could not read (${e.message})` }),
  DCS_STALLED_READER: (e) => ({ status: 408, code: 'reader_stalled', message: `the caller stopped reading: ${e.message}` }),
};

function dcsErrorAnswer(error: DcsError): DcsAnswer {
  const answer = DCS_ANSWERS[error.code];
  return answer ? answer(error) : { status: 502, code: 'dcs_failed', message: `DCS call failed (${dcsDetails(error)})` };
}

const FORBIDDEN_MESSAGE =
  'not allowed: this DCS user may not read the data asked for (or the account has expired or is outside its access dates); ask the DCS administrator for access';

interface ClientError {
  status: number;
  code: ApiErrorCode;
  message: string;
  headers: Record<string, string>;
}

/**
 * Failures that Express's own parts (the JSON body reader, the static file server) raise for a
 * bad request carry a 4xx `status` and a `type`; each becomes its own answer, never a 500.
 */
function clientErrorAnswer(error: unknown): ClientError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as {
    status?: unknown;
    statusCode?: unknown;
    type?: unknown;
    expose?: unknown;
    headers?: unknown;
    charset?: unknown;
    encoding?: unknown;
    limit?: unknown;
  };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  const headers: Record<string, string> = {};
  if (status === 416 && typeof e.headers === 'object' && e.headers !== null) {
    const range = (e.headers as Record<string, unknown>)['Content-Range'];
    if (typeof range === 'string') headers['Content-Range'] = range;
  }
  const make = (s: number, code: ApiErrorCode, message: string): ClientError => ({ status: s, code, message, headers });
  switch (e.type) {
    case 'entity.too.large':
      return make(
        413,
        'payload_too_large',
        `body: larger than the ${typeof e.limit === 'number' ? `${e.limit}-byte ` : ''}limit; send only {"username": "...", "password": "..."}`,
      );
    case 'charset.unsupported':
      return make(
        415,
        'unsupported_media_type',
        `body: the charset ${typeof e.charset === 'string' ? `'${e.charset}' ` : ''}is not supported; send UTF-8 JSON`,
      );
    case 'encoding.unsupported':
      return make(
        415,
        'unsupported_media_type',
        `body: Content-Encoding ${typeof e.encoding === 'string' ? `'${e.encoding}' ` : ''}is not supported; send the body uncompressed, or as gzip, deflate or br`,
      );
    case 'request.aborted':
      return make(400, 'bad_request', 'body: the request ended before its body was complete; send it again');
  }
  if (status === 416)
    return make(416, 'range_not_satisfiable', 'Range: asks for bytes outside the file; ask for a range inside it, or leave out the Range header');
  if (status === 400) {
    const detail = error instanceof Error && e.expose === true ? ` (${error.message})` : '';
    return make(400, 'bad_request', `body: could not be read${detail}; send valid JSON, uncompressed or correctly compressed as its Content-Encoding says`);
  }
  if (status === 404 || status === 405)
    return make(status, status === 404 ? 'not_found' : 'method_not_allowed', 'no such file or route; see docs/http-api.md for the routes');
  return make(status, 'bad_request', 'the request could not be handled as sent; check its method, headers and body');
}

/** Writes an error answer, unless the response has started (then the caller must abort it). */
export function sendError(res: Response, error: unknown): ErrorAnswer {
  const answer = toErrorAnswer(error);
  if (!res.headersSent) {
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  }
  return answer;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

function dcsDetails(error: DcsError): string {
  const details = typeof error.details === 'string' && error.details !== '' ? error.details : error.message;
  return error.status !== undefined ? `HTTP ${error.status}: ${details}` : details;
}

function isBodyParseError(error: unknown): boolean {
  return error instanceof SyntaxError && (error as { type?: string }).type === 'entity.parse.failed';
}
