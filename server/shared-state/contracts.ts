/**
 * What several server instances must share, as interfaces that both the Redis implementations in
 * this folder and the in-process ones (`./local`, wrapping today's classes) satisfy. A server
 * without REDIS_URL keeps using the in-process ones, exactly as before.
 */
import type { RateLimitHeaders } from '../dcs/endpoint';
import type { ThrottleVerdict } from '../http/throttle';

export type { RateLimitHeaders } from '../dcs/endpoint';
export type { ThrottleVerdict } from '../http/throttle';

/**
 * The pace of one DCS endpoint (an API root in one mode), shared by every caller of it. DCS
 * limits the endpoint for all its users together, so a 429 seen by one caller holds all of them.
 */
export interface EndpointPace {
  /**
   * Waits for the endpoint's next request slot and reserves it. Rejects with DcsRateLimitError
   * when the endpoint is held (Retry-After, exhausted window) for longer than `maxWaitMs`, and
   * with the signal's reason when aborted.
   */
  awaitTurn(maxWaitMs: number, signal?: AbortSignal): Promise<void>;
  /** A 429's Retry-After: no caller sends another request to the endpoint for `ms`. */
  pauseFor(ms: number): Promise<void>;
  /** DCS's X-Rate-Limit-Remaining / -Reset: when none remain, everyone waits for the reset (at most `maxWaitMs`). */
  observe(limits: RateLimitHeaders, maxWaitMs: number): Promise<void>;
}

/** The longest span (days) DCS accepts in one readings call, as learned from its refusals. */
export interface SpanCap {
  get(): Promise<number | undefined>;
  /** Records that spans over `days` are refused; only ever tightens. */
  tighten(days: number): Promise<void>;
}

/** Releases a lock; calling it again does nothing. */
export type Release = () => void;

/** One DCS transaction at a time per DCS session. */
export interface SessionLock {
  /** Resolves once the caller holds the lock; rejects with the signal's reason when aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<Release>;
}

/**
 * Failed sign-ins per client address and user name, so password guessing stays slow however many
 * instances run. The shape of the hardened in-process `SignInThrottle` (begin/finish), made async:
 * an attempt under way counts against the limit until it finishes; only a failure stays counted.
 */
export interface SignInLimiter {
  /** Whether `address` may try to sign in as `username` now; if allowed, call `finish` afterwards. */
  begin(address: string, username: string): Promise<ThrottleVerdict>;
  finish(address: string, username: string, failed: boolean): Promise<void>;
}

/** A signed-in session as every instance must know it. Never holds the password or the token. */
export interface SessionRecord {
  username: string;
  role: string;
  kind: 'token' | 'basic';
  /** The DCS session's cookies, as the DCS client exports them: encrypted whenever stored. */
  dcsCookies: string;
  /** Epoch ms of the sign-in. */
  createdAt: number;
}

/**
 * Sessions by key: the SHA-256 of the session token (or the HMAC of Basic credentials), as
 * `SessionStore` already keys them; never the token itself.
 */
export interface SharedSessionStore {
  save(key: string, record: SessionRecord, ttlSeconds: number): Promise<void>;
  /** The live session, its lifetime extended by `ttlSeconds` from now (sliding); undefined when unknown or expired. */
  touch(key: string, ttlSeconds: number): Promise<SessionRecord | undefined>;
  /** Ends the session for every instance; true when it existed. */
  delete(key: string): Promise<boolean>;
}
