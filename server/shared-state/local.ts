/**
 * The in-process implementations of the shared-state contracts: today's classes behind the same
 * interfaces as the Redis ones, for a single instance without REDIS_URL.
 */
import { TransactionLock } from 'dcs-client';
import type { Release, SessionLock, SessionRecord, SharedSessionStore } from './contracts';

/** The endpoint's pace and span cap in this process's memory live with the DCS client, which uses them by default. */
export { LocalEndpointPace, LocalSpanCap } from 'dcs-client';
export { localSignInLimiter } from './sign-in-limiter';

/** `TransactionLock` already has the shape; this names the fact. */
export function localSessionLock(): SessionLock {
  const lock = new TransactionLock();
  return { acquire: (signal?: AbortSignal): Promise<Release> => lock.acquire(signal) };
}

/** Sessions in this process's memory (nothing leaves it, so nothing needs sealing). */
export class LocalSessionStore implements SharedSessionStore {
  private readonly records = new Map<string, { record: SessionRecord; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async save(key: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    this.records.set(key, { record, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async touch(key: string, ttlSeconds: number): Promise<SessionRecord | undefined> {
    const entry = this.records.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.records.delete(key);
      return undefined;
    }
    entry.expiresAt = this.now() + ttlSeconds * 1000;
    return entry.record;
  }

  async has(key: string): Promise<boolean> {
    const entry = this.records.get(key);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  async delete(key: string): Promise<boolean> {
    return this.records.delete(key);
  }
}
