import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EndpointState, DcsRateLimitError } from 'dcs-client';
import { LocalEndpointPace, LocalSessionStore, LocalSpanCap, type SessionRecord } from '../../server/shared-state';

// The in-process twins behave as the Redis implementations do, so a single instance without
// REDIS_URL can use the same interfaces.

describe('in-process shared-state twins', () => {
  test("a Retry-After pause holds the endpoint's next request, and a longer one than allowed fails at once", async () => {
    const pace = new LocalEndpointPace(new EndpointState('test pace'));
    await pace.pauseFor(200);
    const started = Date.now();
    await pace.awaitTurn(10_000);
    assert.ok(Date.now() - started >= 150);
    await pace.pauseFor(5000);
    await assert.rejects(pace.awaitTurn(1000), DcsRateLimitError);
  });

  test('the span cap only ever tightens', async () => {
    const cap = new LocalSpanCap(new EndpointState('test cap'));
    assert.equal(await cap.get(), undefined);
    await cap.tighten(90);
    await cap.tighten(120);
    assert.equal(await cap.get(), 90);
  });

  test('sessions slide with use, run out without it, and end on delete', async () => {
    let now = 0;
    const sessions = new LocalSessionStore(() => now);
    const record: SessionRecord = { username: 'alice', role: 'User', kind: 'token', dcsCookies: 'c', createdAt: 0 };
    await sessions.save('a', record, 10);
    now = 9_000;
    assert.deepEqual(await sessions.touch('a', 10), record);
    now = 18_000;
    assert.deepEqual(await sessions.touch('a', 10), record, 'the lifetime was extended by the last use');
    now = 28_001;
    assert.equal(await sessions.touch('a', 10), undefined);
    await sessions.save('b', record, 10);
    assert.equal(await sessions.delete('b'), true);
    assert.equal(await sessions.touch('b', 10), undefined);
  });
});
