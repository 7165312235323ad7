/**
 * Sign-in attempts per client address, counted in Redis by rate-limiter-flexible so that the
 * limit holds across instances (the same fixed one-minute windows as `SignInThrottle`). If Redis
 * fails, counting goes on in this process rather than letting every attempt through.
 */
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SignInLimiter, ThrottleVerdict } from './contracts';
import { keys } from './keys';

export class RedisSignInLimiter implements SignInLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, limitPerMinute: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.signInPrefix,
      points: limitPerMinute,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points: limitPerMinute, duration: 60 }),
    });
  }

  async attempt(address: string): Promise<ThrottleVerdict> {
    try {
      await this.limiter.consume(address);
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}
