/**
 * DCS's endpoint-wide rate limit: a fixed window of N requests per period, shared by every
 * caller of the endpoint. Runs on the wall clock.
 */

export type RateDecision = { allowed: true; headers: Record<string, string> } | { allowed: false; retryAfterSeconds: number };

/** `1s`, `1m`, `12h`, `1d`: the form DCS uses in X-Rate-Limit-Limit. */
export function formatRatePeriod(periodSeconds: number): string {
  if (periodSeconds >= 86400 && periodSeconds % 86400 === 0) return `${periodSeconds / 86400}d`;
  if (periodSeconds >= 3600 && periodSeconds % 3600 === 0) return `${periodSeconds / 3600}h`;
  if (periodSeconds >= 60 && periodSeconds % 60 === 0) return `${periodSeconds / 60}m`;
  return `${periodSeconds}s`;
}

export class RateLimiter {
  private windowStart = -Infinity;
  private used = 0;
  private readonly periodMs: number;
  private readonly label: string;

  constructor(
    private readonly requests: number,
    periodSeconds: number,
  ) {
    this.periodMs = periodSeconds * 1000;
    this.label = formatRatePeriod(periodSeconds);
  }

  take(nowMs: number = Date.now()): RateDecision {
    if (nowMs >= this.windowStart + this.periodMs) {
      this.windowStart = nowMs;
      this.used = 0;
    }
    const resetMs = this.windowStart + this.periodMs;
    if (this.used >= this.requests) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)) };
    }
    this.used++;
    return {
      allowed: true,
      headers: {
        'X-Rate-Limit-Limit': this.label,
        'X-Rate-Limit-Remaining': String(this.requests - this.used),
        'X-Rate-Limit-Reset': new Date(resetMs).toISOString(),
      },
    };
  }
}
