/**
 * Everything the DCS client throws, as classes a caller can tell apart with `instanceof`, each
 * with a stable `code` (as undici's errors have) for callers that map errors without importing
 * the classes: logs, metrics, the server's answers. Each carries the HTTP status (when DCS
 * answered), DCS's own `details` text, and the `method` and `url` of the request that failed
 * (when one was sent); its message says what to do next. Nothing here ever holds a password, a
 * session cookie or a token: the URL is the request's, which has none (credentials go in a POST
 * body, the session in a header).
 */

/** One code per class; a subclass has its own. Stable: callers may switch on them. */
export type DcsErrorCode =
  | 'DCS_ERROR'
  | 'DCS_QUERY'
  | 'DCS_BAD_REQUEST'
  | 'DCS_SPAN_TOO_LONG'
  | 'DCS_AUTHENTICATION'
  | 'DCS_FORBIDDEN'
  | 'DCS_RATE_LIMITED'
  | 'DCS_SERVER'
  | 'DCS_NETWORK'
  | 'DCS_TIMEOUT'
  | 'DCS_PROTOCOL'
  | 'DCS_STALLED_READER';

export interface DcsErrorInit {
  status?: number;
  details?: string;
  cause?: unknown;
  method?: string;
  url?: string | URL;
}

/** The request an error belongs to, for messages, logs and hooks. */
export interface DcsRequestTarget {
  method: string;
  url: string | URL;
}

export class DcsError extends Error {
  /** What went wrong, for code that switches on it; `DCS_ERROR` for an answer no subclass covers (a redirect, a 404). */
  static readonly code: DcsErrorCode = 'DCS_ERROR';
  readonly code: DcsErrorCode;
  /** The HTTP status DCS answered with, when it answered. */
  readonly status?: number;
  /** DCS's own explanation (the `details` field of its error body), when it gave one. */
  readonly details?: string;
  /** The request's method, when a request was sent. */
  method?: string;
  /** The request's URL (API root, path and query; never credentials), when a request was sent. */
  url?: string;

  constructor(message: string, init: DcsErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = new.target.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.details !== undefined) this.details = init.details;
    if (init.method !== undefined && init.url !== undefined) attachRequest(this, { method: init.method, url: init.url });
  }
}

/** The query is wrong and was refused before anything was sent to DCS. */
export class DcsQueryError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_QUERY';
}

/** DCS answered 400: it did not accept the query. */
export class DcsBadRequestError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_BAD_REQUEST';
}

/** DCS answered 400 because the span asked for is longer than it allows in one call. */
export class DcsSpanTooLongError extends DcsBadRequestError {
  static override readonly code: DcsErrorCode = 'DCS_SPAN_TOO_LONG';
}

/** DCS answered 401, or refused to sign in. */
export class DcsAuthenticationError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_AUTHENTICATION';
}

/** DCS answered 403: the user may not see this data, or the account is expired or outside its access dates. */
export class DcsForbiddenError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_FORBIDDEN';
}

/** DCS kept answering 429 (too many requests) after the client's retry budget was spent. */
export class DcsRateLimitError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_RATE_LIMITED';
  /** How long DCS asked the caller to wait before trying again, when it said. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, init: DcsErrorInit & { retryAfterSeconds?: number } = {}) {
    super(message, init);
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** DCS answered 5xx (after retries, for the statuses that are retried). */
export class DcsServerError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_SERVER';
}

/** The connection could not be made, or was dropped before the answer was complete. */
export class DcsNetworkError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_NETWORK';
}

/** DCS took longer than the configured time to connect, answer, or send the next part of an answer. */
export class DcsTimeoutError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_TIMEOUT';
}

/** DCS's answer is not what DCS sends (not JSON, truncated JSON, missing fields). */
export class DcsProtocolError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_PROTOCOL';
}

/**
 * A readings stream was not read for longer than its spool's `stalledReaderMs` while readings
 * waited for it: the stream was ended and its spooled readings dropped. Not DCS's fault; ask again.
 */
export class DcsStalledReaderError extends DcsError {
  static override readonly code: DcsErrorCode = 'DCS_STALLED_READER';
}

/** A URL as it may be shown: without user, password or fragment. */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '';
  }
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * Records which request a DcsError belongs to, unless it already knows (an error keeps the
 * request that caused it: a failed sign-in stays the sign-in's). Other values pass untouched.
 */
export function attachRequest<E>(error: E, target: DcsRequestTarget): E {
  if (error instanceof DcsError && error.url === undefined) {
    error.method = target.method;
    error.url = displayUrl(target.url);
  }
  return error;
}
