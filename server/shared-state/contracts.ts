/**
 * What several server instances must share, as interfaces that both the Redis implementations in
 * this folder and the in-process ones (`./local`, wrapping today's classes) satisfy. A server
 * without REDIS_URL keeps using the in-process ones, exactly as before.
 */

/** The pace, span cap and lock contracts belong to the DCS client, which takes them as options. */
export type { EndpointPace, RateLimitHeaders, Release, SessionLock, SpanCap } from 'dcs-client';
export type { SignInLimiter, SignInLimits, SignInOutcome, SignInVerdict } from './sign-in-limiter';

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
  /** Whether the session is live, without extending it. */
  has(key: string): Promise<boolean>;
  /** Ends the session for every instance; true when it existed. */
  delete(key: string): Promise<boolean>;
}
