/**
 * Failed sign-ins counted in Redis by rate-limiter-flexible, so that the limit holds across
 * instances, with the in-process `SignInThrottle`'s rules: per client address and user name in
 * fixed one-minute windows, and (five times looser) per address alone, so spraying one password
 * over many user names is slow too. An attempt takes a point when it begins; a success gives it
 * back, a failure keeps it. If Redis fails, counting goes on in this process rather than letting
 * every attempt through.
 */
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SignInLimiter, ThrottleVerdict } from './contracts';
import { keys } from './keys';

const WINDOW_SECONDS = 60;
/** The address-wide limit is this many times the per-user one (as `SignInThrottle`). */
const ADDRESS_FACTOR = 5;

function limiter(redis: Redis, keyPrefix: string, points: number): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: WINDOW_SECONDS,
    insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS }),
  });
}

export class RedisSignInLimiter implements SignInLimiter {
  private readonly perUser: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(redis: Redis, limitPerMinute: number) {
    this.perUser = limiter(redis, `${keys.signInPrefix}:user`, limitPerMinute);
    this.perAddress = limiter(redis, `${keys.signInPrefix}:address`, limitPerMinute * ADDRESS_FACTOR);
  }

  async begin(address: string, username: string): Promise<ThrottleVerdict> {
    const userKey = userKeyOf(address, username);
    const refusedForUser = await take(this.perUser, userKey);
    if (refusedForUser) return refusedForUser;
    const refusedForAddress = await take(this.perAddress, address);
    if (refusedForAddress) {
      await this.perUser.reward(userKey);
      return refusedForAddress;
    }
    return { allowed: true };
  }

  async finish(address: string, username: string, failed: boolean): Promise<void> {
    if (failed) return;
    await Promise.all([this.perUser.reward(userKeyOf(address, username)), this.perAddress.reward(address)]);
  }
}

/** Takes a point; a refusal gives it straight back, so refused attempts never count. */
async function take(rateLimiter: RateLimiterRedis, key: string): Promise<ThrottleVerdict | undefined> {
  try {
    await rateLimiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    await rateLimiter.reward(key);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
}

/** User names are hashed with the address: the key says nothing about who was tried. */
function userKeyOf(address: string, username: string): string {
  return createHash('sha256').update(`${address}\0${username.trim().toLowerCase()}`).digest('hex').slice(0, 32);
}
