/** Errors of a readings pull, each saying what the user can do about it. */
import { ApiRequestError } from '../api/client';

/** The result cannot fit in a worksheet; raised before anything is written. */
export class RowLimitError extends Error {
  constructor(
    readonly rows: number,
    readonly available: number,
  ) {
    super(
      `This request gives about ${rows.toLocaleString('en-GB')} rows, but only ${available.toLocaleString('en-GB')} fit below the chosen place in an Excel sheet. ` +
        'Nothing was written. Narrow the request: choose a shorter range, a longer Interval (e.g. Day instead of Half-hour), ' +
        'or fewer sources per table (one table per source instead of one long table).',
    );
    this.name = 'RowLimitError';
  }
}

/** The user pressed Cancel. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled. Tables that were not finished were left as they were.');
    this.name = 'CancelledError';
  }
}

/** The server's readings stream broke off or reported a failure partway. */
export class IncompleteReadingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteReadingsError';
  }
}

/**
 * The message of anything thrown, for showing to the user in the pane or a ribbon message: the
 * server's own words, except where they are written for API callers (HTTP methods, paths,
 * headers), which are said as the pane's user meets the trouble, with the pane's buttons.
 */
export function messageOf(error: unknown): string {
  if (error instanceof ApiRequestError) return inPaneWords(error);
  if (error instanceof Error) return error.message;
  return String(error);
}

function inPaneWords(error: ApiRequestError): string {
  if (error.code === 'too_many_sessions') {
    return 'Your DCS user has as many sessions open on this server as it allows. Choose Sign out in the DCS pane of another workbook or browser, or wait until idle sessions end, then sign in again.';
  }
  if (error.needsSignIn && /\/api\/|Authorization:/.test(error.message)) {
    return 'Your DCS session has ended (signed out elsewhere, or the server restarted or ended an idle session). Sign in again.';
  }
  const message = error.message.replace(/ \(GET \/api\/sources lists them\)/g, ' (search the Sources box to find them)');
  const field = error.parameter === undefined ? undefined : PANE_FIELDS[error.parameter];
  return field && message.startsWith(`${error.parameter}: `) ? `${field}: ${message.slice(error.parameter!.length + 2)}` : message;
}

/** The pane's field for each request parameter it fills, so that a refusal names what the user sees. */
const PANE_FIELDS: Readonly<Record<string, string>> = {
  id: 'Sources',
  start: 'Range',
  end: 'Range',
  timeZone: 'Time zone',
  interval: 'Interval',
  periodType: 'Interval',
  calc: 'What to get',
};
