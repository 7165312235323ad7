/**
 * The security settings of issue 12 are read and checked with the rest of the configuration:
 * a bad value stops the server at start-up with a message naming the variable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/config';
import { configRefusal, loadFromEnv } from './config-helpers';

describe('security settings', () => {
  it('has safe defaults: no public URL, no trusted proxy, 20 sessions per user, 1000 in all', () => {
    const config = loadFromEnv({});
    assert.equal(config.publicUrl, undefined);
    assert.deepEqual(config.trustProxy, []);
    assert.equal(config.maxSessionsPerUser, 20);
    assert.equal(config.maxSessions, 1000);
  });

  it('reads PUBLIC_URL without its trailing slash, and refuses what cannot be a base for links', () => {
    assert.equal(loadFromEnv({ PUBLIC_URL: 'https://dcs-excel.example.com/metering/' }).publicUrl, 'https://dcs-excel.example.com/metering');
    assert.equal(loadFromEnv({ PUBLIC_URL: 'https://dcs-excel.example.com' }).publicUrl, 'https://dcs-excel.example.com');
    assert.match(configRefusal({ PUBLIC_URL: 'dcs-excel.example.com' }).message, /^PUBLIC_URL: .* is not a URL/);
    assert.match(configRefusal({ PUBLIC_URL: 'ftp://example.com' }).message, /must start with https:\/\//);
    assert.match(configRefusal({ PUBLIC_URL: 'https://example.com/?a=1' }).message, /without user, \?query or #fragment/);
    assert.throws(() => resolveConfig({ publicUrl: 'nonsense' }), /PUBLIC_URL/);
  });

  it('reads TRUST_PROXY as addresses, ranges or named ranges, and refuses anything else', () => {
    assert.deepEqual(loadFromEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1, fd00::/8' }).trustProxy, ['loopback', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/1']) {
      assert.match(configRefusal({ TRUST_PROXY: bad }).message, /^TRUST_PROXY: .* is not an address of a proxy/, bad);
    }
  });

  it('reads MAX_SESSIONS and MAX_SESSIONS_PER_USER as positive whole numbers', () => {
    const config = loadFromEnv({ MAX_SESSIONS: '50', MAX_SESSIONS_PER_USER: '3' });
    assert.equal(config.maxSessions, 50);
    assert.equal(config.maxSessionsPerUser, 3);
    assert.match(configRefusal({ MAX_SESSIONS: '0' }).message, /^MAX_SESSIONS: /);
    assert.match(configRefusal({ MAX_SESSIONS_PER_USER: 'many' }).message, /^MAX_SESSIONS_PER_USER: /);
    assert.throws(() => resolveConfig({ maxSessions: 1.5 }), /MAX_SESSIONS/);
  });
});
