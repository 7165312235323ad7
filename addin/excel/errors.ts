/** Errors of a readings pull, each saying what the user can do about it. */

/** The result cannot fit in a worksheet; raised before anything is written. */
export class RowLimitError extends Error {
  constructor(
    readonly rows: number,
    readonly available: number,
  ) {
    super(
      `This request gives about ${rows.toLocaleString('en-GB')} rows, but only ${available.toLocaleString('en-GB')} fit below the chosen place in an Excel sheet. ` +
        'Nothing was written. Narrow the request: choose a shorter time span, a longer period type (e.g. day instead of half-hour), ' +
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

/** The message of anything thrown, for showing to the user. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
