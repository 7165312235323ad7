/**
 * The sign-in limiter: one set of rules, counted by rate-limiter-flexible in this process's
 * memory or (REDIS_URL) in Redis, so that the limits hold however many instances run.
 *
 * - Failed sign-ins per client address and user name: `limit` per window. Only this pair is
 *   refused beyond it, so guessing one user's password stays slow.
 * - Failed sign-ins per address over all user names: 5 × `limit` per window, so spraying one
 *   password over many names is slow too. It never refuses a user name that signed in
 *   successfully from that address within the last day: a stranger behind the same NAT, gateway
 *   or proxy who floods junk names cannot lock out the people who work there.
 * - Credentials DCS refused within the window are refused again without asking DCS (a script
 *   retrying a stale password costs DCS one call a window, not one a request). They are kept as
 *   an HMAC under a server key, never as text, and are not counted again.
 *
 * An attempt takes its points when it begins (so parallel guesses cannot slip through) and gives
 * them back unless DCS refused the password. If Redis fails, counting goes on in this process
 * rather than letting every attempt through.
 */
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The address-wide failure limit is this many times the per-user one. */
const ADDRESS_FACTOR = 5;
/** How long a successful sign-in keeps its user name clear of the address-wide limit. */
const KNOWN_USER_SECONDS = 86_400;
const DEFAULT_WINDOW_SECONDS = 60;

/** One sign-in attempt: who, from where, and its credentials as a keyed hash (see SessionStore.refusalKeyOf). */
export interface SignInAttempt {
  address: string;
  username: string;
  credentials: string;
}

export type SignInOutcome = 'accepted' | 'refused' | 'failed';

export type SignInVerdict =
  /** Go ahead, then report how it ended (`refused`: DCS refused the password; `failed`: anything else). */
  | { allowed: true; finish(outcome: SignInOutcome): Promise<void> }
  /** Too many failures: for this user name from this address, or from this address for names not seen here. */
  | { allowed: false; scope: 'user' | 'address'; retryAfterSeconds: number }
  /** DCS refused exactly these credentials moments ago. */
  | { allowed: false; scope: 'refused-before' };

export interface SignInLimiter {
  begin(attempt: SignInAttempt): Promise<SignInVerdict>;
}

export interface SignInLimits {
  /** SIGN_IN_LIMIT: failures per address and user name per window. */
  limit: number;
  /** Seconds; default 60. Not a setting (tests shorten it). */
  windowSeconds?: number;
}

/** How a limiter's counters are kept: a rate-limiter-flexible limiter per rule. */
type Counters = (keyPrefix: string, points: number, durationSeconds: number) => RateLimiterAbstract;

export function localSignInLimiter(limits: SignInLimits): SignInLimiter {
  return new RuleSignInLimiter(limits, (keyPrefix, points, duration) => new RateLimiterMemory({ keyPrefix, points, duration }));
}

export function redisSignInLimiter(redis: Redis, keyPrefix: string, limits: SignInLimits): SignInLimiter {
  return new RuleSignInLimiter(
    limits,
    (rule, points, duration) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}:${rule}`,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      }),
  );
}

class RuleSignInLimiter implements SignInLimiter {
  private readonly perUser: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly knownUsers: RateLimiterAbstract;
  private readonly refused: RateLimiterAbstract;
  private readonly window: number;

  constructor(limits: SignInLimits, counters: Counters) {
    const window = limits.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    this.window = window;
    this.perUser = counters('user', limits.limit, window);
    this.perAddress = counters('address', limits.limit * ADDRESS_FACTOR, window);
    this.knownUsers = counters('known', 1, KNOWN_USER_SECONDS);
    this.refused = counters('refused', 1, window);
  }

  async begin(attempt: SignInAttempt): Promise<SignInVerdict> {
    const userKey = userKeyOf(attempt.address, attempt.username);
    const forUser = await take(this.perUser, userKey);
    if (forUser !== undefined) return { allowed: false, scope: 'user', retryAfterSeconds: forUser };
    const counted: [RateLimiterAbstract, string][] = [[this.perUser, userKey]];
    const giveBack = () => Promise.all(counted.map(([limiter, key]) => limiter.reward(key))).then(() => undefined);
    if ((await this.knownUsers.get(userKey)) === null) {
      const forAddress = await take(this.perAddress, attempt.address);
      if (forAddress !== undefined) {
        await giveBack();
        return { allowed: false, scope: 'address', retryAfterSeconds: forAddress };
      }
      counted.push([this.perAddress, attempt.address]);
    }
    if ((await this.refused.get(attempt.credentials)) !== null) {
      await giveBack();
      return { allowed: false, scope: 'refused-before' };
    }
    return {
      allowed: true,
      finish: async (outcome) => {
        if (outcome === 'refused') {
          await this.refused.set(attempt.credentials, 1, this.window);
          return;
        }
        await giveBack();
        if (outcome === 'accepted') await this.knownUsers.set(userKey, 1, KNOWN_USER_SECONDS);
      },
    };
  }
}

/** Takes a point; on refusal gives it straight back (refused attempts never count) and returns the seconds to wait. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    await limiter.reward(key);
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

/** User names are hashed with the address: the key says nothing about who was tried. */
function userKeyOf(address: string, username: string): string {
  return createHash('sha256').update(`${address}\0${username.trim().toLowerCase()}`).digest('hex').slice(0, 32);
}
