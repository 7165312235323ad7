/**
 * A Lua script run atomically by Redis: sent once, then called by its SHA-1 (EVALSHA), and sent
 * again whenever Redis has forgotten it (restart, SCRIPT FLUSH).
 */
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

export class LuaScript {
  /** Every script defined, for `preloadScripts`. */
  private static readonly all: LuaScript[] = [];
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
    LuaScript.all.push(this);
  }

  /**
   * Loads every script into Redis up front, so that even a first call goes by SHA: a fallback
   * EVAL is sent after commands queued behind it (a lock release overtaken by a re-acquire).
   */
  static async preload(redis: Redis): Promise<void> {
    await Promise.all(LuaScript.all.map((script) => redis.script('LOAD', script.source)));
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Redis's own clock in epoch ms: one clock for every instance, whatever their clocks say. */
export const REDIS_NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
