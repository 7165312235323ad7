/**
 * How a cell function fails: an Excel error code plus a message saying which argument is wrong
 * and why, or what the user must do. DOM-free and free of the CustomFunctions global, so the
 * argument checks can be unit-tested in Node; the entry points in functions.ts turn a
 * FunctionFailure into a CustomFunctions.Error.
 */
import { ApiRequestError, isAbort } from '../api/client';

/** The Excel errors used; only #VALUE! and #N/A show a custom message in Excel. */
export type FailureCode = 'invalidValue' | 'notAvailable';

export class FunctionFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'FunctionFailure';
  }
}

/** A wrong argument: #VALUE! with `<argument>: <why>`. */
export function badArgument(argument: string, why: string): FunctionFailure {
  return new FunctionFailure('invalidValue', `${argument}: ${why}`);
}

export const SIGN_IN_MESSAGE =
  'Not signed in to DCS. On the DCS tab choose Get readings and sign in in the pane, then choose Refresh all (or press Ctrl+Alt+F9) to recalculate.';

export function notSignedIn(): FunctionFailure {
  return new FunctionFailure('notAvailable', SIGN_IN_MESSAGE);
}

/**
 * The functions' argument for each server parameter whose name differs: the functions take
 * firstDay and lastDay (the last day included), which reach the server as start and end or lastDay.
 */
const ARGUMENT_OF: Readonly<Record<string, string>> = { start: 'firstDay', end: 'lastDay' };

/** A server 400's message ("end: ...") naming the argument as the formula shows it ("lastDay: ..."). */
function inArgumentTerms(error: ApiRequestError): string {
  const argument = error.parameter === undefined ? undefined : ARGUMENT_OF[error.parameter];
  if (argument === undefined || !error.message.startsWith(`${error.parameter}:`)) return error.message;
  return `${argument}${error.message.slice(error.parameter!.length)}`;
}

/**
 * Any error from a function's work, as the failure the cell shows. The server's 400 answers
 * name the parameter at fault (as the formula's argument), so they stay #VALUE!; everything
 * else (no data, no access, no connection) is #N/A with the server's own advice.
 */
export function toFailure(error: unknown): FunctionFailure {
  if (error instanceof FunctionFailure) return error;
  if (error instanceof ApiRequestError) {
    if (error.needsSignIn) return notSignedIn();
    if (error.status === 400) return new FunctionFailure('invalidValue', inArgumentTerms(error));
    return new FunctionFailure('notAvailable', error.message);
  }
  if (isAbort(error)) return new FunctionFailure('notAvailable', 'The request was cancelled; recalculate to try again.');
  const message = error instanceof Error ? error.message : String(error);
  return new FunctionFailure('notAvailable', message);
}
