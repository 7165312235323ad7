/**
 * Why a request cannot be answered as asked, said in the request's own terms and without HTTP:
 * the calculation modules (intervals, consumption, the catalogue) throw these, and the HTTP layer
 * maps each stable `code` to its status in one place (`toErrorAnswer`, `server/http/errors.ts`).
 */

export type RequestErrorCode =
  /** A parameter's value is missing, malformed or not usable; `parameter` names it. */
  | 'BAD_PARAMETER'
  /** A source id the caller's DCS account cannot see (or that does not exist). */
  | 'UNKNOWN_SOURCE'
  /** A group id no group has. */
  | 'UNKNOWN_GROUP'
  /** An answer that would need a source the caller may not read (a group's sum with such a member). */
  | 'NOT_ALLOWED';

export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
    /** The query parameter or body field at fault, when there is one. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** A bad parameter; the message starts with its name. */
export function badParameter(parameter: string, message: string): RequestError {
  return new RequestError('BAD_PARAMETER', `${parameter}: ${message}`, parameter);
}
