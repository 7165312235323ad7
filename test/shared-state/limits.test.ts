import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSharedState } from '../../server/shared-state';
import { skipWithoutRedis } from '../support/services';
import { KEY, redisInstancesForSuite, unique } from './helpers';

describe('shared span cap (Redis)', { skip: skipWithoutRedis(__filename) }, () => {
  const shared = redisInstancesForSuite(2);

  test('a span cap learned by one instance is used by the others and only ever tightens', async () => {
    const states = shared();
    const endpoint = unique('endpoint');
    assert.equal(await states[1].spanCap(endpoint).get(), undefined);
    await states[0].spanCap(endpoint).tighten(90);
    assert.equal(await states[1].spanCap(endpoint).get(), 90);
    await states[1].spanCap(endpoint).tighten(120);
    assert.equal(await states[0].spanCap(endpoint).get(), 90);
    await states[1].spanCap(endpoint).tighten(31);
    assert.equal(await states[0].spanCap(endpoint).get(), 31);
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
