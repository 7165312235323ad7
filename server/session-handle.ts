/**
 * What a request works with once its caller is known: the session's DCS client, who the caller
 * is, and the session's small memo. The HTTP layer (`http/sessions.ts`) makes them; the
 * calculation modules and the catalogue only use them.
 */
import type { DcsClient, LargeReadingsOptions, ReadingsQuery, ReadingsStream, TimeInput } from 'dcs-client';

/**
 * Where a calculation gets readings: the caller's DCS client, or the readings store's read-through
 * in front of it (`readingsReader` in `http/stored-readings.ts` chooses).
 */
export interface ReadingsReader {
  largeReadings(query: ReadingsQuery & { start: TimeInput; end: TimeInput }, options?: LargeReadingsOptions): Promise<ReadingsStream>;
}

/** A typed name for one kind of value in a session's memo: the value's type travels with the key. */
export class CacheKey<T> {
  /** Never set: it only carries `T`, so that a key cannot be read back as another type. */
  declare private readonly valueType: T;

  constructor(readonly name: string) {}
}

/** Small per-session memo (e.g. the catalogue of sources), so repeated calls don't each ask DCS. */
export class SessionCache {
  private readonly entries = new Map<CacheKey<unknown>, { loadedAt: number; expiresAt: number; value: Promise<unknown> }>();

  constructor(private readonly now: () => number) {}

  /**
   * The cached value for `key`, or `load()`'s, kept for `ttlMs`. A failed load is not kept.
   * `maxAgeMs`: this caller takes the cached value only if it was loaded at most that long ago.
   */
  remember<T>(key: CacheKey<T>, ttlMs: number, load: () => Promise<T>, maxAgeMs = ttlMs): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now && now - hit.loadedAt <= maxAgeMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { loadedAt: now, expiresAt: now + ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Who is calling, as routes see it. */
export interface Principal {
  username: string;
  role: string;
  /** True when served through DCS's public endpoint without a sign-in. */
  public: boolean;
}

/** What a request works with once authenticated: a DCS client and its cache. */
export interface DcsHandle {
  readonly dcs: DcsClient;
  readonly cache: SessionCache;
  readonly principal: Principal;
}
