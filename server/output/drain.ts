/**
 * Waiting for a caller to take the output already waiting for it, but not for ever: a caller that
 * takes none of it for STALLED_READER_TIMEOUT has stalled, and its pull is cut off (visibly, as a
 * failed pull) so that what the pull holds is freed. A caller that is merely slow, taking some
 * output within each such interval, is never cut off.
 */
import { HttpError } from '../http/errors';

/** What a response must offer to be waited on (an Express Response, or a node ServerResponse). */
interface DrainableResponse {
  readonly writableLength: number;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

class StalledReaderError extends HttpError {
  constructor(stalledMs: number) {
    super(
      408,
      'reader_stalled',
      `the caller took none of the answer for ${Math.round(stalledMs / 100) / 10} s (STALLED_READER_TIMEOUT), so the pull was cut off and is incomplete; read the answer as it arrives, and ask again`,
    );
    this.name = 'StalledReaderError';
  }
}

/**
 * Resolves on 'drain' or 'close'; rejects with StalledReaderError when, for `stalledMs`, none of
 * the waiting output has left. Infinity (or 0) waits for ever.
 */
export function waitForDrain(res: DrainableResponse, stalledMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let waiting = res.writableLength;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      res.off('drain', done);
      res.off('close', done);
    };
    function done(): void {
      cleanup();
      resolve();
    }
    const check = (): void => {
      const now = res.writableLength;
      if (now < waiting) {
        // Some output left since the last look: slow, not stalled.
        waiting = now;
        timer = setTimeout(check, stalledMs);
        return;
      }
      cleanup();
      reject(new StalledReaderError(stalledMs));
    };
    res.on('drain', done);
    res.on('close', done);
    if (stalledMs > 0 && Number.isFinite(stalledMs)) timer = setTimeout(check, stalledMs);
  });
}
