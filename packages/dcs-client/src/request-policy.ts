/**
 * The client's request policy, in one place: which failures are tried again and how long to wait
 * first, how a rate limit (429) is waited out, when the session is signed in again, and what the
 * caller's hooks are told about each of those. The client asks it at every decision; nothing else
 * counts retries or computes waits.
 *
 * Grouped as ky groups it: `retry: { limit, statusCodes, backoff: { initialMs, maxMs },
 * rateLimit: { retries, maxWaitMs } }`. What may be retried at all is the client's to say: GETs
 * and sign-in (which has no effect beyond a new session), never after DCS refused the credentials.
 */
import { sleep } from './abort';
import { attachRequest, DcsRateLimitError, displayUrl, type DcsError, type DcsRequestTarget } from './errors';
import { isRetryable } from './retryable';
import type { RequestEvent, RequestHooks, RetryOptions } from './types';

/** Retry settings with every default filled in. */
export interface ResolvedRetry {
  limit: number;
  statusCodes: readonly number[];
  backoff: { initialMs: number; maxMs: number };
  rateLimit: { retries: number; maxWaitMs: number };
}

export const RETRY_DEFAULTS: ResolvedRetry = {
  limit: 5,
  statusCodes: [502, 503, 504],
  backoff: { initialMs: 500, maxMs: 30_000 },
  // A busy shared DCS refuses many callers at once; each waits its turn again, as DCS asks, for as
  // long as maxWaitMs allows in all, however many 429s that takes.
  rateLimit: { retries: Number.POSITIVE_INFINITY, maxWaitMs: 300_000 },
};

/** One request's 429s so far: how many, and how long it has waited for them (ms). */
export interface RateLimitWaits {
  count: number;
  waitedMs: number;
}

/** Statuses with a rule of their own, never "just retried": 401 signs in again, 429 waits as DCS asks. */
const OWN_RULE_STATUSES = [401, 429];

/** Pause after a 429 that names no Retry-After. */
const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 1;

function checkNumber(name: string, value: number | undefined, integer: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`DcsClient option ${name} must be a ${integer ? 'whole ' : ''}number 0 or more, not ${String(value)}.`);
  }
}

function checkStatusCodes(codes: readonly number[] | undefined): void {
  if (codes === undefined) return;
  const ok =
    Array.isArray(codes) &&
    (codes as unknown[]).every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 400 && c <= 599 && !OWN_RULE_STATUSES.includes(c));
  if (!ok) {
    throw new RangeError(
      `DcsClient option retry.statusCodes must list HTTP statuses from 400 to 599 (not 401 or 429, which have rules of their own), not ${JSON.stringify(codes)}.`,
    );
  }
}

/** Checks the `retry` option and fills in its defaults. */
export function resolveRetry(retry: RetryOptions | undefined): ResolvedRetry {
  if (retry !== undefined && (typeof retry !== 'object' || retry === null)) {
    throw new TypeError('DcsClient option retry must be an object such as { limit: 5, backoff: { initialMs: 500 } }.');
  }
  checkNumber('retry.limit', retry?.limit, true);
  checkStatusCodes(retry?.statusCodes);
  checkNumber('retry.backoff.initialMs', retry?.backoff?.initialMs, false);
  checkNumber('retry.backoff.maxMs', retry?.backoff?.maxMs, false);
  checkNumber('retry.rateLimit.retries', retry?.rateLimit?.retries, true);
  checkNumber('retry.rateLimit.maxWaitMs', retry?.rateLimit?.maxWaitMs, false);
  return {
    limit: retry?.limit ?? RETRY_DEFAULTS.limit,
    statusCodes: [...(retry?.statusCodes ?? RETRY_DEFAULTS.statusCodes)],
    backoff: {
      initialMs: retry?.backoff?.initialMs ?? RETRY_DEFAULTS.backoff.initialMs,
      maxMs: retry?.backoff?.maxMs ?? RETRY_DEFAULTS.backoff.maxMs,
    },
    rateLimit: {
      retries: retry?.rateLimit?.retries ?? RETRY_DEFAULTS.rateLimit.retries,
      maxWaitMs: retry?.rateLimit?.maxWaitMs ?? RETRY_DEFAULTS.rateLimit.maxWaitMs,
    },
  };
}

/** Checks the `hooks` option. */
export function checkHooks(hooks: RequestHooks | undefined): void {
  if (hooks === undefined) return;
  for (const name of ['onRetry', 'onResignIn', 'onRateLimit'] as const) {
    if (hooks[name] !== undefined && typeof hooks[name] !== 'function') throw new TypeError(`DcsClient option hooks.${name} must be a function.`);
  }
}

/** What a 429 said: how long to wait, and DCS's words. */
export interface RateLimitAnswer {
  retryAfterSeconds: number | undefined;
  details: string | undefined;
}

/** Where the policy holds requests during a rate limit: the endpoint every client of it shares. */
export interface PauseTarget {
  pauseUntil(untilMs: number): void;
}

export class RequestPolicy {
  constructor(
    readonly retry: ResolvedRetry,
    private readonly hooks: RequestHooks = {},
  ) {}

  /** A fresh retry budget: one per call, or per window of a long readings stream. */
  attempts(): Attempts {
    return new Attempts(this);
  }

  /** The longest wait for a rate limit before a request fails instead. */
  get maxRateLimitWaitMs(): number {
    return this.retry.rateLimit.maxWaitMs;
  }

  /**
   * After a 429 of one request (`waits`: its 429s before this one, updated here): holds every
   * client of the endpoint for as long as DCS asked (the retry then waits its turn), or throws
   * DcsRateLimitError when DCS asks for longer than `rateLimit.maxWaitMs`, when the request has
   * already waited that long in all, or after `rateLimit.retries` waits when that is set.
   */
  rateLimited(answer: RateLimitAnswer, waits: RateLimitWaits, target: DcsRequestTarget & { action: string }, endpoint: PauseTarget): void {
    const seconds = answer.retryAfterSeconds ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
    const waitMs = seconds * 1000;
    const { retries, maxWaitMs } = this.retry.rateLimit;
    endpoint.pauseUntil(Date.now() + Math.min(waitMs, maxWaitMs));
    waits.count += 1;
    const attempt = waits.count;
    if (attempt > retries || waitMs > maxWaitMs || waits.waitedMs + waitMs > maxWaitMs) {
      const why =
        waitMs > maxWaitMs
          ? `DCS asked to wait ${seconds} s, longer than retry.rateLimit.maxWaitMs (${maxWaitMs} ms) allows`
          : attempt > retries
            ? `DCS still refused after waiting ${retries} times`
            : `DCS still refused after ${Math.round(waits.waitedMs / 1000)} s of waiting, and retry.rateLimit.maxWaitMs (${maxWaitMs} ms) allows no more`;
      throw attachRequest(
        new DcsRateLimitError(
          `DCS is rate-limiting requests (429) and refused to ${target.action}: ${why}${answer.details ? ` ("${answer.details}")` : ''}. Try again in ${Math.ceil(
            seconds,
          )} s, or configure a slower rateLimit so that every client of this DCS stays under its limit.`,
          { status: 429, retryAfterSeconds: seconds, ...(answer.details !== undefined ? { details: answer.details } : {}) },
        ),
        target,
      );
    }
    waits.waitedMs += waitMs;
    tell(this.hooks.onRateLimit, event(target, attempt, { status: 429 }, waitMs));
  }

  /** The session expired mid-call: tells the hook that the client signs in again (once per call). */
  resigningIn(target: DcsRequestTarget): void {
    tell(this.hooks.onResignIn, event(target, 1, { status: 401 }, 0));
  }

  /** Waits before retry number `attempt` (1 for the first), telling the hook first. */
  async backOff(attempt: number, target: DcsRequestTarget, cause: { status?: number; error?: unknown }, signal: AbortSignal | undefined): Promise<void> {
    const { initialMs, maxMs } = this.retry.backoff;
    const base = Math.min(initialMs * 2 ** (attempt - 1), maxMs);
    const waitMs = base * (0.5 + Math.random() * 0.5);
    tell(this.hooks.onRetry, event(target, attempt, cause, waitMs));
    await sleep(waitMs, signal);
  }
}

/**
 * The retry budget of one call (or one window of a long stream): each failure that is retried
 * counts against `retry.limit`. The one place that decides whether a failure is tried again.
 */
export class Attempts {
  private failures = 0;

  constructor(private readonly policy: RequestPolicy) {}

  /**
   * A request failed without an answer (connection refused or dropped, an answer cut short):
   * rethrows it unless it is safe to try again and the budget allows; else waits, then returns.
   */
  async afterFailure(error: unknown, target: DcsRequestTarget, signal: AbortSignal | undefined): Promise<void> {
    attachRequest(error, target);
    if (!isRetryable(error) || this.failures >= this.policy.retry.limit) throw error;
    this.failures++;
    await this.policy.backOff(this.failures, requestOf(error, target), { error }, signal);
  }

  /** DCS answered `status`: true (after waiting) when the call should be repeated. */
  async afterStatus(status: number, target: DcsRequestTarget, signal: AbortSignal | undefined): Promise<boolean> {
    if (!this.policy.retry.statusCodes.includes(status) || this.failures >= this.policy.retry.limit) return false;
    this.failures++;
    await this.policy.backOff(this.failures, target, { status }, signal);
    return true;
  }
}

/** The request an error names, else the one the caller was making. */
function requestOf(error: unknown, target: DcsRequestTarget): DcsRequestTarget {
  const e = error as Partial<DcsError>;
  return e.url !== undefined && e.method !== undefined ? { method: e.method, url: e.url } : target;
}

/** Hooks observe; they cannot change what the client does, so one that throws is ignored. */
function tell(hook: ((event: RequestEvent) => void) | undefined, payload: RequestEvent): void {
  try {
    hook?.(payload);
  } catch {
    // A logging hook's failure must not fail the caller's request.
  }
}

function event(target: DcsRequestTarget, attempt: number, cause: { status?: number; error?: unknown }, waitMs: number): RequestEvent {
  return {
    method: target.method,
    url: displayUrl(target.url),
    attempt,
    ...(cause.status !== undefined ? { status: cause.status } : {}),
    ...(cause.error !== undefined ? { error: cause.error } : {}),
    waitMs: Math.round(waitMs),
  };
}
