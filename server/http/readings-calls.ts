/**
 * How every route of the server asks the DCS client for readings: with the spool settings
 * (SPOOL_MEMORY_MB, SPOOL_DIR, STALLED_READER_TIMEOUT) and the server's clock (so no period after
 * now is asked for), whichever DCS client the caller was given.
 */
import type { ServerConfig } from '../config';
import type { LargeReadingsOptions } from 'dcs-client';
import { spoolOptions } from '../dcs-settings';

export function readingsCallOptions(config: ServerConfig, signal?: AbortSignal): LargeReadingsOptions {
  return {
    ...(signal ? { signal } : {}),
    now: config.now ?? Date.now,
    spool: spoolOptions(config),
  };
}
