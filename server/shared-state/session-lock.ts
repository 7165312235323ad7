/**
 * One DCS transaction at a time per DCS session, across instances: a Redis key held with a
 * lease. The holder renews the lease while it works; an instance that dies (or loses Redis)
 * stops renewing and its lock lapses within one lease, so the session is never blocked for
 * longer than that. Waiters poll; unlike the in-process lock they are not served in order.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { sleep } from 'dcs-client';
import type { Release, SessionLock } from './contracts';
import { keys } from './keys';
import { LuaScript } from './lua-script';

export interface SessionLockOptions {
  /** How long a lock outlives its holder's last renewal. Default 5000 ms. */
  leaseMs?: number;
  /** How often a waiter tries again. Default 50 ms. */
  pollMs?: number;
  /** Told when a renewal fails or finds the lock lost (the holder's work may now overlap another's). */
  onError?: (error: Error) => void;
}

/** ARGV: owner token, lease ms. Extends the lease only if the caller still holds the lock. */
const RENEW = new LuaScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

/** ARGV: owner token. Deletes only the caller's own lock, never one a later holder took after a lapse. */
const RELEASE = new LuaScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

export class RedisSessionLock implements SessionLock {
  private readonly key: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly onError: (error: Error) => void;

  constructor(
    private readonly redis: Redis,
    sessionKey: string,
    options: SessionLockOptions = {},
  ) {
    this.key = keys.lock(sessionKey);
    this.leaseMs = options.leaseMs ?? 5000;
    this.pollMs = options.pollMs ?? 50;
    this.onError = options.onError ?? (() => undefined);
  }

  async acquire(signal?: AbortSignal): Promise<Release> {
    const owner = randomBytes(16).toString('hex');
    for (;;) {
      signal?.throwIfAborted();
      const taken = await this.redis.set(this.key, owner, 'PX', this.leaseMs, 'NX');
      if (taken === 'OK') return this.hold(owner);
      await sleep(this.pollMs, signal);
    }
  }

  private hold(owner: string): Release {
    const renew = (): void => {
      // A closed connection (this instance shutting down) will never renew again: the lease runs out.
      if (this.redis.status === 'end') {
        clearInterval(timer);
        return;
      }
      RENEW.run(this.redis, [this.key], [owner, this.leaseMs]).then(
        (extended) => {
          if (Number(extended) === 1) return;
          clearInterval(timer);
          this.onError(new Error('A DCS session lock lapsed while held (this instance stalled for longer than its lease).'));
        },
        (error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))),
      );
    };
    const timer = setInterval(renew, Math.max(10, Math.floor(this.leaseMs / 3)));
    timer.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      RELEASE.run(this.redis, [this.key], [owner]).catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
    };
  }
}
