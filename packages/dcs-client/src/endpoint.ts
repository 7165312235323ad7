/**
 * What the client knows about one DCS endpoint (an API root in one mode, authenticated or public),
 * shared by every DcsClient in this process that talks to it. DCS rate-limits and caps spans per
 * endpoint for all its users together, so one client learning that the server is busy, or that it
 * refuses spans over N days, is news for all of them. This is the clients' default
 * `EndpointRegistry` (`localEndpoints`); a server with REDIS_URL passes one shared by its instances.
 */
import { systemClock } from './abort';
import { DcsRateLimitError } from './errors';
import { parseIsoToMs } from './time';
import type { Clock, EndpointPace, EndpointRegistry, RateLimitHeaders, SpanCap } from './types';

export type { RateLimitHeaders } from './types';

export type EndpointMode = 'authenticated' | 'public';

/**
 * Waiting for the rate window's reset a little longer than the server said: the reset time is on
 * the server's clock and timers may fire a millisecond early, and a request that arrives just
 * before the reset is refused with a whole second's Retry-After.
 */
const RESET_MARGIN_MS = 100;

/**
 * The pace learned from 429s: the first 429 spaces requests this far apart, each further one
 * doubles the gap (up to the most), and the gap halves every half-life without a 429, so the pace
 * creeps back towards DCS's limit and finds it again rather than staying slow for ever.
 */
const LEARNED_FIRST_GAP_MS = 100;
const LEARNED_MAX_GAP_MS = 5000;
const LEARNED_HALF_LIFE_MS = 30_000;

export class EndpointState {
  /** Smallest gap between two requests, from the most restrictive configured pace. */
  private minIntervalMs = 0;
  /** The gap learned from DCS's 429s at the last one, and when that was (see LEARNED_HALF_LIFE_MS). */
  private learnedGapMs = 0;
  private learnedAtMs = 0;
  /** The end of the pause the 429 that last slowed the pace asked for. */
  private learnedPauseEndMs = 0;
  private nextSlotMs = 0;
  /** No request leaves before this time (a 429's Retry-After, or an exhausted rate window). */
  private pauseUntilMs = 0;
  /** Requests left in the server's current rate window, as last reported (and counted down since). */
  private remaining: number | undefined;
  private resetAtMs = 0;
  /** The longest span (days) to ask for in one readings call, learned from DCS refusing longer ones. */
  private learnedMaxWindowDays: number | undefined;

  /** `clock`: what the pace waits by; the real one unless a test passes a virtual one. */
  constructor(
    readonly key: string,
    readonly clock: Clock = systemClock,
  ) {}

  /** Paces requests to at most `requestsPerSecond`; the strictest pace configured for the endpoint wins. */
  setPace(requestsPerSecond: number): void {
    this.minIntervalMs = Math.max(this.minIntervalMs, 1000 / requestsPerSecond);
  }

  get maxWindowDays(): number | undefined {
    return this.learnedMaxWindowDays;
  }

  /** Remembers that spans over `days` are refused (only ever tightens). */
  limitWindowDays(days: number): void {
    if (this.learnedMaxWindowDays === undefined || days < this.learnedMaxWindowDays) this.learnedMaxWindowDays = days;
  }

  /**
   * DCS refused a request as too frequent (429), pausing the endpoint until `pauseUntilMs`: besides that pause, space
   * requests further apart from now on, so that the requests waiting out the pause do not all go
   * at once when it ends and meet another 429. Needed when no pace is configured, and harmless
   * when one is (the stricter gap wins).
   */
  slowDown(pauseUntilMs: number, now = this.clock.now()): void {
    // 429s to requests sent before the last 429's pause ended are the same news: one step per pause.
    if (now < this.learnedPauseEndMs) return;
    this.learnedPauseEndMs = pauseUntilMs;
    this.learnedGapMs = Math.min(LEARNED_MAX_GAP_MS, Math.max(LEARNED_FIRST_GAP_MS, 2 * this.learnedGap(now)));
    this.learnedAtMs = now;
  }

  /** The learned gap now: halved for every half-life since the last 429; nothing once below a millisecond. */
  learnedGap(now = this.clock.now()): number {
    const gap = this.learnedGapMs * 0.5 ** ((now - this.learnedAtMs) / LEARNED_HALF_LIFE_MS);
    return gap < 1 ? 0 : gap;
  }

  /** Makes every client of the endpoint hold its next request until `untilMs`. */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pauseUntilMs) this.pauseUntilMs = untilMs;
  }

  /** Reads DCS's X-Rate-Limit-Remaining / -Reset; when none remain, pauses until the reset (at most `maxWaitMs`). */
  observe(limits: RateLimitHeaders, maxWaitMs: number, now = this.clock.now()): void {
    if (limits.remaining === undefined) return;
    this.remaining = limits.remaining;
    this.resetAtMs = (limits.resetAtMs ?? now + 1000) + RESET_MARGIN_MS;
    if (this.remaining <= 0) this.pauseUntil(Math.min(this.resetAtMs, now + maxWaitMs));
  }

  /**
   * Waits until this endpoint may be sent another request: after any pause, after the configured
   * pace allows, and not while the server's rate window is known to be used up. Reserves the slot.
   * A pause longer than `maxWaitMs` (set by a more patient client) fails at once instead.
   */
  async awaitTurn(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (this.remaining !== undefined && this.resetAtMs <= now) this.remaining = undefined;
      if (this.remaining !== undefined && this.remaining <= 0) {
        this.pauseUntil(Math.min(this.resetAtMs, now + maxWaitMs));
        this.remaining = undefined;
      }
      if (this.pauseUntilMs > now) {
        const waitMs = this.pauseUntilMs - now;
        if (waitMs > maxWaitMs) {
          const seconds = Math.ceil(waitMs / 1000);
          throw new DcsRateLimitError(
            `DCS's rate limit holds every request to this endpoint for another ${seconds} s, longer than retry.rateLimit.maxWaitMs (${maxWaitMs} ms) allows. Try again in ${seconds} s.`,
            { retryAfterSeconds: seconds },
          );
        }
        await this.clock.sleep(waitMs, signal);
        continue;
      }
      const slot = Math.max(now, this.nextSlotMs);
      this.nextSlotMs = slot + Math.max(this.minIntervalMs, this.learnedGap(now));
      if (slot > now) {
        await this.clock.sleep(slot - now, signal);
        // A pause that began while this request waited for its slot still applies.
        if (this.pauseUntilMs > this.clock.now()) continue;
      }
      if (this.remaining !== undefined) this.remaining--;
      return;
    }
  }
}

/** The key of an API root in a mode, as every `EndpointRegistry` knows it. `apiRoot` is normalised with a trailing slash. */
export function endpointKey(apiRoot: string, mode: EndpointMode): string {
  return `${mode} ${apiRoot.toLowerCase()}`;
}

/**
 * The key of the one pace every client of a DCS server keeps to, signed in or public. DCS counts
 * its two endpoints in separate windows, but `rateLimit` (DCS_RATE_LIMIT) is what this program
 * may send that server in all: a shared DCS's capacity is one, so public and signed-in traffic
 * (and the mirror, whichever way it reads) take turns in one schedule and never add up to twice
 * the rate. A 429 or an exhausted window seen on either endpoint holds both, erring towards fewer calls.
 */
export function paceKey(apiRoot: string): string {
  return `pace ${apiRoot.toLowerCase()}`;
}

/** `EndpointState`'s pace behind the `EndpointPace` interface that shared (Redis) paces also satisfy. */
export class LocalEndpointPace implements EndpointPace {
  constructor(private readonly state: EndpointState) {}

  awaitTurn(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    return this.state.awaitTurn(maxWaitMs, signal);
  }

  async pauseFor(ms: number): Promise<void> {
    const now = this.state.clock.now();
    this.state.slowDown(now + ms, now);
    this.state.pauseUntil(now + ms);
  }

  async observe(limits: RateLimitHeaders, maxWaitMs: number): Promise<void> {
    this.state.observe(limits, maxWaitMs);
  }
}

/** `EndpointState`'s learned span cap behind the `SpanCap` interface. */
export class LocalSpanCap implements SpanCap {
  constructor(private readonly state: EndpointState) {}

  async get(): Promise<number | undefined> {
    return this.state.maxWindowDays;
  }

  async tighten(days: number): Promise<void> {
    this.state.limitWindowDays(days);
  }
}

/**
 * Endpoints shared by the clients given this registry, in this process's memory, paced by `clock`.
 * Every client's default is one of these (`localEndpoints`, the real clock); a test makes its own
 * with a virtual clock and passes it as the clients' `endpoints`.
 */
export function createLocalEndpoints(clock: Clock = systemClock): EndpointRegistry {
  const states = new Map<string, EndpointState>();
  const stateByKey = (key: string): EndpointState => {
    let state = states.get(key);
    if (!state) {
      state = new EndpointState(key, clock);
      states.set(key, state);
    }
    return state;
  };
  return {
    pace(key: string, requestsPerSecond: number | undefined): EndpointPace {
      const state = stateByKey(key);
      if (requestsPerSecond !== undefined) state.setPace(requestsPerSecond);
      return new LocalEndpointPace(state);
    },
    spanCap(key: string): SpanCap {
      return new LocalSpanCap(stateByKey(key));
    },
  };
}

/** Every client's default: endpoints shared by the clients of this process, in its memory. */
export const localEndpoints: EndpointRegistry = createLocalEndpoints();

/** Parses DCS's rate-limit headers; tolerant of an epoch or a seconds count for the reset. */
export function readRateLimitHeaders(headers: Record<string, string | string[] | undefined>, now = Date.now()): RateLimitHeaders {
  const remainingText = first(headers['x-rate-limit-remaining']);
  const resetText = first(headers['x-rate-limit-reset']);
  const result: RateLimitHeaders = {};
  if (remainingText !== undefined && remainingText.trim() !== '') {
    const remaining = Number(remainingText);
    if (Number.isFinite(remaining)) result.remaining = remaining;
  }
  if (resetText !== undefined && resetText.trim() !== '') {
    const iso = parseIsoToMs(resetText);
    if (iso !== undefined) result.resetAtMs = iso;
    else {
      const n = Number(resetText);
      if (Number.isFinite(n)) result.resetAtMs = n > 1e12 ? n : n > 1e9 ? n * 1000 : now + n * 1000;
      else {
        const date = Date.parse(resetText);
        if (!Number.isNaN(date)) result.resetAtMs = date;
      }
    }
  }
  return result;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
