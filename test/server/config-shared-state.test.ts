import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/server';
import { NO_ENV_FILE, configRefusal } from './config-helpers';

const KEY = randomBytes(32).toString('base64');

describe('shared state settings (REDIS_URL, SESSION_ENCRYPTION_KEY)', () => {
  it('keeps everything in this process when neither is set', () => {
    const config = loadConfig({}, NO_ENV_FILE);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.sessionEncryptionKey, undefined);
  });

  it('reads both', () => {
    const config = loadConfig({ REDIS_URL: 'redis://cache.example.com:6379/2', SESSION_ENCRYPTION_KEY: KEY }, NO_ENV_FILE);
    assert.equal(config.redisUrl, 'redis://cache.example.com:6379/2');
    assert.equal(config.sessionEncryptionKey, KEY);
  });

  it('refuses REDIS_URL without SESSION_ENCRYPTION_KEY, saying how to make one', () => {
    const error = configRefusal({ REDIS_URL: 'redis://127.0.0.1:6379' });
    assert.equal(error.variable, 'SESSION_ENCRYPTION_KEY');
    assert.match(error.message, /required when REDIS_URL is set/);
    assert.match(error.message, /openssl rand -base64 32/);
  });

  it('refuses a key that is not 32 bytes, without echoing it', () => {
    const error = configRefusal({ REDIS_URL: 'redis://127.0.0.1:6379', SESSION_ENCRYPTION_KEY: 'correct-horse-battery-staple' });
    assert.equal(error.variable, 'SESSION_ENCRYPTION_KEY');
    assert.ok(!error.message.includes('correct-horse'));
  });

  it('refuses a REDIS_URL that is not a Redis URL', () => {
    assert.equal(configRefusal({ REDIS_URL: 'http://127.0.0.1:6379', SESSION_ENCRYPTION_KEY: KEY }).variable, 'REDIS_URL');
    assert.equal(configRefusal({ REDIS_URL: 'localhost', SESSION_ENCRYPTION_KEY: KEY }).variable, 'REDIS_URL');
  });

  it('does not start when Redis cannot be reached, saying what to check', async () => {
    // Port 1 on loopback: nothing listens there.
    await assert.rejects(
      startServer({ port: 0, https: false, logLevel: 'silent', redisUrl: 'redis://127.0.0.1:1', sessionEncryptionKey: KEY }),
      /Redis at REDIS_URL \(127\.0\.0\.1:1\) cannot be reached.*Check that it runs/,
    );
  });
});
