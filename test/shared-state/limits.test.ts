import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSharedState, type SharedState } from '../../server/shared-state';
import { skipWithoutRedis, startRedis, type RunningService } from '../support/services';
import { closeAll, instances, KEY, unique } from './helpers';

describe('shared span cap and sign-in counters (Redis)', { skip: skipWithoutRedis(__filename) }, () => {
  let redis: RunningService;
  let states: SharedState[];

  before(async () => {
    redis = await startRedis();
    states = await instances(redis.url, 2);
  });
  after(async () => {
    if (states) await closeAll(states);
    await redis?.stop();
  });

  test('a span cap learned by one instance is used by the others and only ever tightens', async () => {
    const endpoint = unique('endpoint');
    assert.equal(await states[1].spanCap(endpoint).get(), undefined);
    await states[0].spanCap(endpoint).tighten(90);
    assert.equal(await states[1].spanCap(endpoint).get(), 90);
    await states[1].spanCap(endpoint).tighten(120);
    assert.equal(await states[0].spanCap(endpoint).get(), 90);
    await states[1].spanCap(endpoint).tighten(31);
    assert.equal(await states[0].spanCap(endpoint).get(), 31);
  });

  test('failed sign-ins are counted across instances, per address and user name', async () => {
    const address = unique('203.0.113.7');
    const [one, two] = [states[0].signInLimiter(3), states[1].signInLimiter(3)];
    for (let i = 0; i < 3; i++) {
      const limiter = i % 2 === 0 ? one : two;
      assert.deepEqual(await limiter.begin(address, 'alice'), { allowed: true });
      await limiter.finish(address, 'alice', true);
    }
    const refused = await two.begin(address, 'Alice ');
    assert.equal(refused.allowed, false);
    assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60);
    assert.deepEqual(await one.begin(address, 'bob'), { allowed: true }, 'another user from the address may still try');
    assert.deepEqual(await one.begin(unique('198.51.100.1'), 'alice'), { allowed: true }, 'and alice from elsewhere');
  });

  test('successful sign-ins are never counted: a gateway signing in many users is not throttled', async () => {
    const gateway = unique('192.0.2.10');
    const limiter = states[0].signInLimiter(2);
    for (let i = 0; i < 15; i++) {
      assert.deepEqual(await limiter.begin(gateway, `user${i % 3}`), { allowed: true }, `sign-in ${i + 1}`);
      await limiter.finish(gateway, `user${i % 3}`, false);
    }
  });

  test('attempts under way count, so parallel guesses on two instances cannot slip through', async () => {
    const address = unique('203.0.113.8');
    const [one, two] = [states[0].signInLimiter(2), states[1].signInLimiter(2)];
    const verdicts = await Promise.all([one.begin(address, 'carol'), two.begin(address, 'carol'), one.begin(address, 'carol')]);
    assert.equal(verdicts.filter((v) => v.allowed).length, 2);
    await one.finish(address, 'carol', false);
    assert.deepEqual(await two.begin(address, 'carol'), { allowed: true }, 'a finished success frees its place');
  });

  test('spraying one password over many user names is slowed by the address-wide limit', async () => {
    const address = unique('203.0.113.9');
    const limiter = states[1].signInLimiter(1);
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await limiter.begin(address, `victim${i}`), { allowed: true });
      await limiter.finish(address, `victim${i}`, true);
    }
    assert.equal((await limiter.begin(address, 'victim5')).allowed, false);
  });
});

describe('opening the shared state', () => {
  test('a bad encryption key is refused before anything connects', async () => {
    await assert.rejects(openSharedState({ redisUrl: 'redis://127.0.0.1:1', sessionEncryptionKey: 'short' }), /SESSION_ENCRYPTION_KEY/);
  });

  test('an unreachable Redis is named without its password, saying what to check', async () => {
    await assert.rejects(openSharedState({ redisUrl: 'redis://:hunter2@127.0.0.1:1', sessionEncryptionKey: KEY }), (error: Error) => {
      assert.match(error.message, /cannot be reached.*Check that it runs/);
      assert.ok(!error.message.includes('hunter2'));
      return true;
    });
  });

  test('a URL that is not redis:// is refused with an example', async () => {
    await assert.rejects(openSharedState({ redisUrl: 'http://127.0.0.1:6379', sessionEncryptionKey: KEY }), /REDIS_URL: .*redis:\/\/host:6379/);
  });
});
