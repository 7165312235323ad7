/**
 * Counts sign-in attempts per client address in fixed one-minute windows, so that password
 * guessing through our server (and through it, against DCS) is slow.
 */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

export class SignInThrottle {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly limitPerMinute: number, private readonly now: () => number) {}

  /** Records one attempt by `address` and says whether it may go ahead. */
  attempt(address: string): ThrottleVerdict {
    const now = this.now();
    this.forgetOldWindows(now);
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(address, window);
    }
    window.count += 1;
    if (window.count <= this.limitPerMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000)) };
  }

  private forgetOldWindows(now: number): void {
    if (this.windows.size < 1000) return;
    for (const [address, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS) this.windows.delete(address);
    }
  }
}
