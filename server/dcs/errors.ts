/**
 * Everything the DCS client throws, as classes a caller can tell apart with `instanceof`.
 * Each carries the HTTP status (when DCS answered) and DCS's own `details` text, and its message
 * says what to do next. Messages never contain a password or a session cookie.
 */

export interface DcsErrorInit {
  status?: number;
  details?: string;
  cause?: unknown;
}

export class DcsError extends Error {
  /** The HTTP status DCS answered with, when it answered. */
  readonly status?: number;
  /** DCS's own explanation (the `details` field of its error body), when it gave one. */
  readonly details?: string;

  constructor(message: string, init: DcsErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    if (init.status !== undefined) this.status = init.status;
    if (init.details !== undefined) this.details = init.details;
  }
}

/** The query is wrong and was refused before anything was sent to DCS. */
export class DcsQueryError extends DcsError {}

/** DCS answered 400: it did not accept the query. */
export class DcsBadRequestError extends DcsError {}

/** DCS answered 400 because the span asked for is longer than it allows in one call. */
export class DcsSpanTooLongError extends DcsBadRequestError {}

/** DCS answered 401, or refused to sign in. */
export class DcsAuthenticationError extends DcsError {}

/** DCS answered 403: the user may not see this data, or the account is expired or outside its access dates. */
export class DcsForbiddenError extends DcsError {}

/** DCS kept answering 429 (too many requests) after the client's retry budget was spent. */
export class DcsRateLimitError extends DcsError {
  /** How long DCS asked the caller to wait before trying again, when it said. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, init: DcsErrorInit & { retryAfterSeconds?: number } = {}) {
    super(message, init);
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** DCS answered 5xx (after retries, for the statuses that are retried). */
export class DcsServerError extends DcsError {}

/** The connection could not be made, or was dropped before the answer was complete. */
export class DcsNetworkError extends DcsError {}

/** DCS took longer than the configured time to connect, answer, or send the next part of an answer. */
export class DcsTimeoutError extends DcsError {}

/** DCS's answer is not what DCS sends (not JSON, truncated JSON, missing fields). */
export class DcsProtocolError extends DcsError {}

/**
 * A readings stream was not read for longer than its spool's `stalledReaderMs` while readings
 * waited for it: the stream was ended and its spooled readings dropped. Not DCS's fault; ask again.
 */
export class DcsStalledReaderError extends DcsError {}
