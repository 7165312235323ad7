/** Hard limits of Excel that the writer works within. */

/** Rows in one worksheet. */
export const SHEET_ROWS = 1_048_576;

/**
 * Excel on the web rejects any single request over 5 MB (RequestPayloadSizeLimitExceeded).
 * Blocks are sized by their estimated bytes to a fifth of that, which leaves room for the
 * request's own envelope and keeps each sync short enough for a progress bar to move.
 */
export const WEB_REQUEST_LIMIT_BYTES = 5_000_000;
export const DEFAULT_BLOCK_BYTES = 1_000_000;

/** Rows above each table's data: its title line and its header row. */
export const ROWS_ABOVE_DATA = 2;
