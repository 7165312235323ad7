import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { CookieCipher, openSharedState, type SessionRecord, type SharedState } from '../../server/shared-state';
import { skipWithoutRedis, startRedis, type RunningService } from '../support/services';
import { closeAll, instances, unique } from './helpers';

const COOKIES = 'ASP.NET_SessionId=s3cr3t-dcs-session; .ASPXAUTH=AUTH-COOKIE-VALUE';

function record(): SessionRecord {
  return { username: 'alice', role: 'User', kind: 'token', dcsCookies: COOKIES, createdAt: Date.parse('2026-01-01T00:00:00Z') };
}

describe('session encryption key', () => {
  test('accepts a 32-byte key in base64 or hex, and refuses anything else saying how to make one', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('base64url')]) {
      assert.ok(CookieCipher.fromText(text));
    }
    for (const text of ['', 'secret', randomBytes(16).toString('base64'), randomBytes(33).toString('hex')]) {
      assert.throws(() => CookieCipher.fromText(text), /SESSION_ENCRYPTION_KEY: .*openssl rand -base64 32/);
    }
  });

  test('a sealed value opens only with its key and for its own session', () => {
    const cipher = CookieCipher.fromText(randomBytes(32).toString('base64'));
    const sealed = cipher.seal(COOKIES, 'session-a');
    assert.equal(cipher.open(sealed, 'session-a'), COOKIES);
    assert.equal(cipher.open(sealed, 'session-b'), undefined);
    assert.equal(CookieCipher.fromText(randomBytes(32).toString('base64')).open(sealed, 'session-a'), undefined);
    assert.notEqual(cipher.seal(COOKIES, 'session-a'), sealed, 'a fresh IV each time');
  });
});

describe('shared sessions (Redis)', { skip: skipWithoutRedis(__filename) }, () => {
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

  test('a session saved by one instance is known to another, DCS cookies and all', async () => {
    const key = unique('hash');
    await states[0].sessions.save(key, record(), 60);
    assert.deepEqual(await states[1].sessions.touch(key, 60), record());
  });

  test('signing out on one instance signs out everywhere', async () => {
    const key = unique('hash');
    await states[0].sessions.save(key, record(), 60);
    assert.equal(await states[1].sessions.delete(key), true);
    assert.equal(await states[0].sessions.touch(key, 60), undefined);
  });

  test('the lifetime slides with use on any instance and runs out without it', async () => {
    const key = unique('hash');
    await states[0].sessions.save(key, record(), 0.4);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.ok(await states[i % 2].sessions.touch(key, 0.4), `still alive after ${(i + 1) * 250} ms of use`);
    }
    await new Promise((resolve) => setTimeout(resolve, 550));
    assert.equal(await states[1].sessions.touch(key, 0.4), undefined);
  });

  test('what Redis holds reveals neither the DCS cookies nor anything but the key it was given', async () => {
    const key = unique('hash');
    await states[0].sessions.save(key, record(), 60);
    const raw = new Redis(redis.url);
    try {
      const stored = (await raw.get(`dcs-excel:session:${key}`)) as string;
      assert.ok(stored);
      for (const secret of ['s3cr3t-dcs-session', 'AUTH-COOKIE-VALUE', 'ASPXAUTH']) assert.ok(!stored.includes(secret), secret);
    } finally {
      raw.disconnect();
    }
  });

  test('an instance with another encryption key treats the session as signed out', async () => {
    const key = unique('hash');
    await states[0].sessions.save(key, record(), 60);
    const misconfigured = await openSharedState({ redisUrl: redis.url, sessionEncryptionKey: randomBytes(32).toString('hex') });
    try {
      assert.equal(await misconfigured.sessions.touch(key, 60), undefined);
    } finally {
      await misconfigured.close();
    }
  });
});
