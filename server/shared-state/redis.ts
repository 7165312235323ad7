/**
 * The connection to Redis (REDIS_URL). Connecting fails fast at start with what to check; once
 * up, ioredis reconnects by itself and a command issued while Redis is away fails after a few
 * tries instead of hanging a request.
 */
import Redis from 'ioredis';

export async function connectRedis(url: string, onError: (error: Error) => void): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`REDIS_URL: '${url}' is not a URL; give redis://host:6379 (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL: '${parsed.protocol}' is not a Redis scheme; give redis://host:6379 (or rediss:// for TLS)`);
  }
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectTimeout: 10_000 });
  redis.on('error', onError);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Redis at REDIS_URL (${parsed.host}) cannot be reached: ${detail}. Check that it runs and the URL is right.`, { cause: error });
  }
  return redis;
}

/**
 * Whether `error` says Redis could not be reached for a command (away, restarting, or this
 * instance's connection closed), as opposed to a bug. Such a request fails closed: without the
 * shared pace, lock and sessions an instance could not keep DCS's limit or check a token.
 */
export function isRedisUnavailable(error: unknown): boolean {
  // ioredis's own failures; a refused connection is retried by ioredis and ends as the first.
  return error instanceof Error && (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.');
}
