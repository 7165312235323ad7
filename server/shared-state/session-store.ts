/**
 * Sessions shared by every instance: a token issued by one instance works on all of them, its
 * lifetime slides on each use wherever it is used, and ending it ends it everywhere. Each
 * session is one Redis string with a TTL (GETEX extends it atomically on use); the DCS cookies
 * inside are sealed by `CookieCipher`, and so is the DCS password, which is sealed first with a key
 * only the session token gives (`token-sealed-password`). Keys are token hashes, never tokens.
 */
import type Redis from 'ioredis';
import type { SessionRecord, SharedSessionStore } from './contracts';
import type { CookieCipher } from './cookie-cipher';
import { keys } from './keys';

interface StoredSession {
  u: string;
  r: string;
  k: SessionRecord['kind'];
  /** Sealed DCS cookies. */
  c: string;
  t: number;
  /** The token-sealed DCS credentials, sealed again with the cipher (token sessions only). */
  p?: string;
}

export class RedisSessionStore implements SharedSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: CookieCipher,
  ) {}

  async save(key: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    const stored: StoredSession = {
      u: record.username,
      r: record.role,
      k: record.kind,
      c: this.cipher.seal(record.dcsCookies, key),
      t: record.createdAt,
      ...(record.sealedCredentials !== undefined ? { p: this.cipher.seal(record.sealedCredentials, key) } : {}),
    };
    await this.redis.set(keys.session(key), JSON.stringify(stored), 'PX', toMs(ttlSeconds));
  }

  async touch(key: string, ttlSeconds: number): Promise<SessionRecord | undefined> {
    const text = await this.redis.getex(keys.session(key), 'PX', toMs(ttlSeconds));
    if (text === null) return undefined;
    const stored = JSON.parse(text) as StoredSession;
    const dcsCookies = this.cipher.open(stored.c, key);
    // Sealed with another key (rotated) or tampered with: as good as signed out.
    if (dcsCookies === undefined) {
      await this.redis.del(keys.session(key));
      return undefined;
    }
    const sealedCredentials = stored.p === undefined ? undefined : this.cipher.open(stored.p, key);
    return {
      username: stored.u,
      role: stored.r,
      kind: stored.k,
      dcsCookies,
      createdAt: stored.t,
      ...(sealedCredentials !== undefined ? { sealedCredentials } : {}),
    };
  }

  async has(key: string): Promise<boolean> {
    return (await this.redis.exists(keys.session(key))) > 0;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(keys.session(key))) > 0;
  }
}

function toMs(ttlSeconds: number): number {
  if (!(ttlSeconds > 0)) throw new RangeError(`A session lifetime of ${ttlSeconds} s cannot be right; give a positive number of seconds.`);
  return Math.ceil(ttlSeconds * 1000);
}
