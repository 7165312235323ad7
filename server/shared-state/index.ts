/**
 * State shared by every server instance through Redis (REDIS_URL): the DCS pace and learned span
 * cap per endpoint, the transaction lock per DCS session, sessions, and sign-in counters. See
 * `./contracts` for the interfaces and `./local` for their in-process twins.
 */
import type Redis from 'ioredis';
import { systemClock, type Clock } from 'dcs-client';
import type { EndpointPace, SessionLock, SharedSessionStore, SignInLimiter, SignInLimits, SpanCap } from './contracts';
import { CookieCipher } from './cookie-cipher';
import { LuaScript } from './lua-script';
import { RedisEndpointPace } from './pace';
import { connectRedis } from './redis';
import { RedisSessionLock, type SessionLockOptions } from './session-lock';
import { RedisSessionStore } from './session-store';
import { redisSignInLimiter } from './sign-in-limiter';
import { RedisSpanCap } from './span-cap';
import { keys } from './keys';

export type * from './contracts';
export { CookieCipher } from './cookie-cipher';
export { openCredentials, sealCredentials } from './token-sealed-password';
export { LocalEndpointPace, LocalSessionStore, LocalSpanCap, localSessionLock, localSignInLimiter } from './local';

export interface SharedStateOptions {
  /** REDIS_URL: `redis://[:password@]host:6379[/db]`, or `rediss://` for TLS. */
  redisUrl: string;
  /** SESSION_ENCRYPTION_KEY: 32 bytes, base64 or hex; the same on every instance. */
  sessionEncryptionKey: string;
  /** REDIS_TIMEOUT in ms: longest wait for one command's answer. Default 2000. */
  commandTimeoutMs?: number;
  /** Lease of a session's transaction lock (ms): how long a dead instance can block a session. Default 5000. */
  lockLeaseMs?: number;
  /** Told of Redis trouble that does not fail a request (reconnecting, a lapsed lock). */
  onError?: (error: Error) => void;
  /** What the pace's waits sleep by; default the real clock (tests pass one that records the waits). */
  clock?: Clock;
}

export interface SharedState {
  /** `endpointKey` as the DCS client's `endpointKey()` builds it: `${mode} ${apiRoot}`. */
  pace(endpointKey: string, requestsPerSecond: number | undefined): EndpointPace;
  spanCap(endpointKey: string): SpanCap;
  /** `sessionKey`: the session's key in the session store (a token hash). */
  sessionLock(sessionKey: string): SessionLock;
  readonly sessions: SharedSessionStore;
  signInLimiter(limits: SignInLimits): SignInLimiter;
  close(): Promise<void>;
}

/** Checks the key, connects to Redis, and returns the shared state; rejects saying what to fix. */
export async function openSharedState(options: SharedStateOptions): Promise<SharedState> {
  const cipher = CookieCipher.fromText(options.sessionEncryptionKey);
  const onError = options.onError ?? (() => undefined);
  const redis = await connectRedis(options.redisUrl, onError, options.commandTimeoutMs);
  await LuaScript.preload(redis);
  return new RedisSharedState(redis, cipher, { leaseMs: options.lockLeaseMs, onError }, options.clock ?? systemClock);
}

class RedisSharedState implements SharedState {
  readonly sessions: SharedSessionStore;

  constructor(
    private readonly redis: Redis,
    cipher: CookieCipher,
    private readonly lockOptions: SessionLockOptions,
    private readonly clock: Clock,
  ) {
    this.sessions = new RedisSessionStore(redis, cipher);
  }

  pace(endpointKey: string, requestsPerSecond: number | undefined): EndpointPace {
    return new RedisEndpointPace(this.redis, endpointKey, requestsPerSecond, this.clock);
  }

  spanCap(endpointKey: string): SpanCap {
    return new RedisSpanCap(this.redis, endpointKey);
  }

  sessionLock(sessionKey: string): SessionLock {
    return new RedisSessionLock(this.redis, sessionKey, this.lockOptions);
  }

  signInLimiter(limits: SignInLimits): SignInLimiter {
    return redisSignInLimiter(this.redis, keys.signInPrefix, limits);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
