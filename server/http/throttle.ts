/**
 * Slows password guessing through our server (and through it, against DCS): failed sign-ins are
 * counted per client address and user name in fixed one-minute windows. Successful sign-ins are
 * never counted, so a gateway or reverse proxy signing in many users from one address is never
 * throttled; a guesser is, for each user name it tries, and (at a looser limit) for the address
 * as a whole, so spraying one password over many user names is slow too.
 */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;
/** The address-wide failure limit is this many times the per-user one. */
const ADDRESS_FACTOR = 5;

interface Window {
  startedAt: number;
  failures: number;
  /** Attempts under way: counted against the limit so parallel guesses cannot slip through. */
  inFlight: number;
}

export class SignInThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number,
  ) {}

  /**
   * Says whether `address` may try to sign in as `username` now; if so, the attempt is under way
   * until `finish` is called with whether it failed.
   */
  begin(address: string, username: string): ThrottleVerdict {
    const now = this.now();
    this.forgetOldWindows(now);
    const keys = this.keys(address, username);
    const windows = keys.map((key) => this.window(key, now));
    const limits = [this.limitPerMinute, this.limitPerMinute * ADDRESS_FACTOR];
    for (let i = 0; i < windows.length; i++) {
      if (windows[i].failures + windows[i].inFlight >= limits[i]) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windows[i].startedAt + WINDOW_MS - now) / 1000)) };
      }
    }
    for (const window of windows) window.inFlight++;
    return { allowed: true };
  }

  /** Ends an attempt `begin` allowed; only a failure (a refused password) is counted. */
  finish(address: string, username: string, failed: boolean): void {
    const now = this.now();
    for (const key of this.keys(address, username)) {
      const window = this.window(key, now);
      window.inFlight = Math.max(0, window.inFlight - 1);
      if (failed) window.failures++;
    }
  }

  private keys(address: string, username: string): string[] {
    return [`${address}\0${username.trim().toLowerCase()}`, address];
  }

  private window(key: string, now: number): Window {
    let window = this.windows.get(key);
    if (!window) {
      window = { startedAt: now, failures: 0, inFlight: 0 };
      this.windows.set(key, window);
    } else if (now - window.startedAt >= WINDOW_MS) {
      window.startedAt = now;
      window.failures = 0;
    }
    return window;
  }

  private forgetOldWindows(now: number): void {
    if (this.windows.size < 1000) return;
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS && window.inFlight === 0) this.windows.delete(key);
    }
  }
}
