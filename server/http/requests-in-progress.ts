/**
 * How many requests each signed-in DCS user has in progress on this instance, capped by
 * MAX_REQUESTS_PER_USER: each wide pull holds a DCS stream, a spool and output buffers, so one
 * user opening many at once could take the server's memory from everyone. One more than the cap
 * is answered 429 with Retry-After before anything is asked of DCS.
 */
import { HttpError } from './errors';

/** Seconds to suggest: a wide pull usually finishes within a few. */
const RETRY_AFTER_SECONDS = 5;

export class RequestsInProgress {
  private readonly byUser = new Map<string, number>();

  /** Counts a request of `username`, or throws 429 when `cap` are already in progress; call the returned function when it ends. */
  begin(username: string, cap: number): () => void {
    const user = username.trim().toLowerCase();
    const running = this.byUser.get(user) ?? 0;
    if (running >= cap) {
      throw new HttpError(
        429,
        'rate_limited',
        `the DCS user "${username}" already has ${running} requests in progress on this server, the most allowed at once (MAX_REQUESTS_PER_USER); wait for one to finish and try again`,
        undefined,
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    this.byUser.set(user, running + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.byUser.get(user) ?? 1) - 1;
      if (left <= 0) this.byUser.delete(user);
      else this.byUser.set(user, left);
    };
  }
}
