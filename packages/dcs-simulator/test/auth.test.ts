import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunningSimulator } from '../src';
import { details, get, request, signIn, start } from './helpers';

describe('simulator: signing in and out', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  it('signs in with JSON credentials, answering the user, role and app version and a COHERENT-DCS-API cookie', async () => {
    const answer = await request(sim.url + 'authentication/signin', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo' }),
    });
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.text);
    assert.deepEqual(Object.keys(body), ['username', 'role', 'appVersion']);
    assert.equal(body.username, 'demo');
    assert.equal(body.role, 'Operator');
    const cookie = String(answer.headers['set-cookie']?.[0]);
    assert.match(cookie, /^COHERENT-DCS-API=[^;]{20,};/);
    assert.match(cookie, /path=\//i);
    assert.match(cookie, /httponly/i);
  });

  it('accepts the session cookie on /meters, /virtualMeters and /readings', async () => {
    const cookie = await signIn(sim);
    for (const path of ['meters', 'virtualMeters', 'readings?id=R1001&startTime=2025-01-01T00:00:00Z&periodCount=1']) {
      assert.equal((await get(sim, path, cookie)).status, 200, path);
    }
  });

  it('refuses wrong credentials with 401 and a details message, setting no cookie', async () => {
    const answer = await request(sim.url + 'authentication/signin', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'nope' }),
    });
    assert.equal(answer.status, 401);
    assert.match(details(answer), /username or password is incorrect/);
    assert.equal(answer.headers['set-cookie'], undefined);
  });

  it('refuses a sign-in body that is not JSON credentials with 400', async () => {
    const answer = await request(sim.url + 'authentication/signin', { method: 'POST', body: 'username=demo' });
    assert.equal(answer.status, 400);
    assert.match(details(answer), /JSON/);
  });

  it('answers 401 with details to an authenticated query without a cookie or with an unknown one', async () => {
    for (const cookie of [undefined, 'COHERENT-DCS-API=not-a-token']) {
      const answer = await get(sim, 'meters', cookie);
      assert.equal(answer.status, 401);
      assert.match(details(answer), /sign/i);
    }
  });

  it('signs out with 204, an emptied cookie, and the token no longer works', async () => {
    const cookie = await signIn(sim);
    const answer = await request(sim.url + 'authentication/signout', { method: 'POST', headers: { Cookie: cookie } });
    assert.equal(answer.status, 204);
    assert.match(String(answer.headers['set-cookie']?.[0]), /^COHERENT-DCS-API=;.*expires=Thu, 01 Jan 1970/i);
    assert.equal((await get(sim, 'meters', cookie)).status, 401);
  });

  it('answers sign-out with 204 even without a token', async () => {
    const answer = await request(sim.url + 'authentication/signout', { method: 'POST' });
    assert.equal(answer.status, 204);
  });

  it('lets an expired account sign in but answers 403 saying it has expired to every query', async () => {
    const cookie = await signIn(sim, 'expired');
    for (const path of ['meters', 'virtualMeters', 'readings?id=R1001&startTime=2025-01-01T00:00:00Z&periodCount=1']) {
      const answer = await get(sim, path, cookie);
      assert.equal(answer.status, 403, path);
      assert.match(details(answer), /expired/);
    }
  });

  it('makes every existing cookie answer 401 after expireAllSessions(), while new sign-ins work', async () => {
    const cookie = await signIn(sim);
    sim.expireAllSessions();
    const answer = await get(sim, 'meters', cookie);
    assert.equal(answer.status, 401);
    assert.match(details(answer), /expired/);
    assert.equal((await get(sim, 'meters', await signIn(sim))).status, 200);
  });
});

describe('simulator: session lifetime', () => {
  it('expires a session after sessionTtlSeconds: the cookie then answers 401', async () => {
    const sim = await start({ sessionTtlSeconds: 0.15 });
    try {
      const cookie = await signIn(sim);
      assert.equal((await get(sim, 'meters', cookie)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answer = await get(sim, 'meters', cookie);
      assert.equal(answer.status, 401);
      assert.match(details(answer), /expired.*sign in again/);
    } finally {
      await sim.close();
    }
  });

  it('gives the cookie an expiry date when sessions expire', async () => {
    const sim = await start({ sessionTtlSeconds: 3600 });
    try {
      const answer = await request(sim.url + 'authentication/signin', {
        method: 'POST',
        body: JSON.stringify({ username: 'demo', password: 'demo' }),
      });
      const expires = /expires=([^;]+)/.exec(String(answer.headers['set-cookie']?.[0]))?.[1];
      assert.ok(expires, 'cookie has an expires attribute');
      const inMs = Date.parse(expires) - Date.now();
      assert.ok(inMs > 3500_000 && inMs <= 3601_000, `expires in about an hour (${inMs} ms)`);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: public (unauthenticated) endpoint', () => {
  it('serves /public/meters, /public/virtualMeters and /public/readings without a sign-in by default', async () => {
    const sim = await start();
    try {
      for (const path of ['public/meters', 'public/virtualMeters', 'public/readings?id=R1001&startTime=2025-01-01T00:00:00Z&periodCount=1']) {
        assert.equal((await get(sim, path)).status, 200, path);
      }
    } finally {
      await sim.close();
    }
  });

  it('answers 404 with details on /public/... when publicMode is false', async () => {
    const sim = await start({ publicMode: false });
    try {
      const answer = await get(sim, 'public/meters');
      assert.equal(answer.status, 404);
      assert.match(details(answer), /public.*not enabled/);
    } finally {
      await sim.close();
    }
  });
});
