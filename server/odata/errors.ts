/**
 * Errors in the OData JSON format (`{"error": {"code", "message", "target"?}}`), which Power Query
 * and Excel show to the user verbatim. Status and wording for DCS failures come from the server's
 * own mapping (server/http/errors.ts), so /odata and /api say the same thing about the same fault.
 */
import type { Response } from 'express';
import { toErrorAnswer } from '../http/errors';
import { ODATA_VERSION_HEADERS } from './protocol';

/** What the OData feed refuses: a status, a machine code, and a message saying what to do instead. */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The query option or path segment at fault, as OData's `target`. */
    readonly target?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ODataError';
  }
}

/** 400 for one query option; `target` names it, the message says what is supported. */
export function badOption(target: string, message: string): ODataError {
  return new ODataError(400, 'bad_request', `${target}: ${message}`, target);
}

export interface ODataErrorBody {
  error: { code: string; message: string; target?: string };
}

export interface ODataErrorAnswer {
  status: number;
  body: ODataErrorBody;
  headers: Record<string, string>;
}

export function toODataErrorAnswer(error: unknown): ODataErrorAnswer {
  if (error instanceof ODataError) {
    const body: ODataErrorBody = { error: { code: error.code, message: error.message } };
    if (error.target !== undefined) body.error.target = error.target;
    return { status: error.status, body, headers: error.headers };
  }
  const answer = toErrorAnswer(error);
  const body: ODataErrorBody = { error: { code: answer.body.error.code, message: answer.body.error.message } };
  if (answer.body.error.parameter !== undefined) body.error.target = answer.body.error.parameter;
  return { status: answer.status, body, headers: answer.headers };
}

/** Writes the error as the whole answer. Only valid before the answer has started. */
export function sendODataError(res: Response, error: unknown): ODataErrorAnswer {
  const answer = toODataErrorAnswer(error);
  if (!res.headersSent) {
    for (const [name, value] of Object.entries({ ...ODATA_VERSION_HEADERS, ...answer.headers })) res.setHeader(name, value);
    res.status(answer.status);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(answer.body));
  }
  return answer;
}

/**
 * A failure after `200 OK` has gone out. OData says the payload must then be left malformed, so
 * that no client mistakes a partial result for a complete one: we write the error as a bare JSON
 * object in the middle of the `value` array (readable by a person, invalid for a parser), and cut
 * the connection without the final chunk, so the transfer itself is incomplete too.
 */
export function abortStartedAnswer(res: Response, error: unknown): void {
  const answer = toODataErrorAnswer(error);
  if (res.destroyed || !res.writable) {
    res.destroy();
    return;
  }
  // Let the explanation reach the client before cutting the connection, but never wait on a
  // client that has stopped reading. No error argument to destroy(): it would surface as an
  // unhandled 'error' event.
  const cut = (): void => {
    clearTimeout(timer);
    res.destroy();
  };
  const timer = setTimeout(cut, 2000);
  res.write(`\n${JSON.stringify(answer.body)}\n`, cut);
}
