/**
 * A Redis that keeps its connections open but answers nothing (frozen with SIGSTOP: swapping, a
 * stuck host, a half-open link) must not hang requests: each command gives up after REDIS_TIMEOUT
 * and the request is answered 503 with Retry-After. Thawed, the same request succeeds again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signIn, startTestServer, type TestServer } from '../server/helpers';
import { skipWithoutRedis, startRedis, type RunningService } from '../support/services';
import { KEY } from './helpers';

/** Far longer than any REDIS_TIMEOUT here: reaching it means the request hung. */
const HANG_MS = 30_000;

describe('a frozen Redis (SIGSTOP)', { skip: skipWithoutRedis(__filename) }, () => {
  let redis: RunningService;
  let server: TestServer;
  before(async () => {
    redis = await startRedis();
    // REDIS_TIMEOUT left at its default.
    server = await startTestServer({ redisUrl: redis.url, sessionEncryptionKey: KEY, logLevel: 'warn' });
  });
  after(async () => {
    if (redis) process.kill(redis.pid!, 'SIGCONT');
    await server?.close();
    await redis?.stop();
  });

  it('answers 503 with Retry-After within the command timeout, then serves again once Redis thaws', async (t) => {
    const { token } = await signIn(server.url);
    const get = () => fetch(`${server.url}/api/sources`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(HANG_MS) });
    assert.equal((await get()).status, 200);
    process.kill(redis.pid!, 'SIGSTOP');
    let seconds: number;
    let res: Response;
    try {
      const started = performance.now();
      res = await get();
      seconds = (performance.now() - started) / 1000;
    } finally {
      process.kill(redis.pid!, 'SIGCONT');
    }
    t.diagnostic(`seconds to a 503 with Redis frozen: ${seconds.toFixed(2)} (REDIS_TIMEOUT ${server.config.redisTimeout} s)`);
    assert.equal(res.status, 503);
    assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'server_busy');
    assert.match(body.error.message, /Redis/);
    assert.equal((await get()).status, 200, 'served again once Redis answers');
  });
});
