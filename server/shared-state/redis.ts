/**
 * The connection to Redis (REDIS_URL). Connecting fails fast at start with what to check; once
 * up, ioredis reconnects by itself and a command issued while Redis is away fails after a few
 * tries instead of hanging a request. A Redis that holds the connection open but answers nothing
 * (frozen, swapping, a half-open link) is caught by the command timeout (REDIS_TIMEOUT).
 */
import Redis from 'ioredis';

/** REDIS_TIMEOUT's default: every command is a few small keys, answered in well under a millisecond when Redis is well. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

export async function connectRedis(url: string, onError: (error: Error) => void, commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`REDIS_URL: '${url}' is not a URL; give redis://host:6379 (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL: '${parsed.protocol}' is not a Redis scheme; give redis://host:6379 (or rediss:// for TLS)`);
  }
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectTimeout: 10_000, commandTimeout: commandTimeoutMs });
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
/** ioredis's message when a command outlives `commandTimeout`. */
const REDIS_COMMAND_TIMED_OUT = 'Command timed out';

export function isRedisUnavailable(error: unknown): boolean {
  // ioredis's own failures; a refused connection is retried by ioredis and ends as the first.
  return (
    error instanceof Error &&
    (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.' || error.message === REDIS_COMMAND_TIMED_OUT)
  );
}
