import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../../server/server';
import { type ApiErrorBody, getJson, signIn, startTestServer, type TestServer, waitFor } from './helpers';

function postSession(url: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Response> {
  return fetch(`${url}/api/session`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('POST/GET/DELETE /api/session over plain HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false });
  });
  after(() => server.close());

  it('signs in: 200 with user, role and token, and an HttpOnly SameSite=Lax cookie (no Secure on HTTP)', async () => {
    const res = await postSession(server.url, { username: 'demo', password: 'demo' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { username: string; role: string; token: string };
    assert.equal(body.username, 'demo');
    assert.equal(body.role, 'Operator');
    assert.match(body.token, /^[A-Za-z0-9_-]{40,}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, new RegExp(`^dcs_session=${body.token};`));
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
  });

  it('answers 401 for a wrong password, naming no password', async () => {
    const res = await postSession(server.url, { username: 'demo', password: 'not-the-password' });
    assert.equal(res.status, 401);
    const body = (await res.json()) as ApiErrorBody;
    assert.equal(body.error.code, 'unauthenticated');
    assert.match(body.error.message, /user name and password/);
    assert.doesNotMatch(body.error.message, /not-the-password/);
  });

  it('answers 400 naming the missing field, or the body when it is not JSON', async () => {
    const noPassword = await postSession(server.url, { username: 'demo' });
    assert.equal(noPassword.status, 400);
    assert.deepEqual(((await noPassword.json()) as ApiErrorBody).error.parameter, 'password');
    const noUser = await postSession(server.url, { password: 'demo' });
    assert.equal(((await noUser.json()) as ApiErrorBody).error.parameter, 'username');
    const notJson = await postSession(server.url, 'username=demo&password=demo', { 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as ApiErrorBody).error.message, /^body: .*application\/json/);
    const broken = await postSession(server.url, '{"username": "demo",', { 'Content-Type': 'application/json' });
    assert.equal(broken.status, 400);
    assert.match(((await broken.json()) as ApiErrorBody).error.message, /not valid JSON/);
  });

  it('GET /api/session tells who is signed in (cookie or bearer), without the token; 401 for nobody', async () => {
    const session = await signIn(server.url, 'viewer', 'viewer');
    const byCookie = await getJson(`${server.url}/api/session`, { Cookie: session.cookie });
    assert.equal(byCookie.status, 200);
    assert.deepEqual(byCookie.body, { username: 'viewer', role: 'Viewer' });
    const byBearer = await getJson(`${server.url}/api/session`, { Authorization: `Bearer ${session.token}` });
    assert.deepEqual(byBearer.body, { username: 'viewer', role: 'Viewer' });
    const nobody = await getJson<ApiErrorBody>(`${server.url}/api/session`);
    assert.equal(nobody.status, 401);
    assert.equal(nobody.body.error.code, 'unauthenticated');
    assert.match(nobody.body.error.message, /POST \/api\/session/);
  });

  it('DELETE /api/session answers 204, clears the cookie, signs out of DCS, and the token stops working', async () => {
    const session = await signIn(server.url);
    const before = server.simulator!.requestCount;
    const res = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: session.cookie } });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('set-cookie') ?? '', /^dcs_session=; .*Max-Age=0/);
    assert.ok(server.simulator!.requestCount > before, 'the server called DCS to sign out');
    const afterwards = await getJson<ApiErrorBody>(`${server.url}/api/session`, { Authorization: `Bearer ${session.token}` });
    assert.equal(afterwards.status, 401);
    assert.match(afterwards.body.error.message, /unknown or its session has expired/);
  });
});

describe('sign-in throttling and session lifetime', () => {
  let server: TestServer;
  let clock = Date.now();
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false, signInLimit: 3, signInWindowSeconds: 1, sessionTtl: 60, now: () => clock });
  });
  after(() => server.close());

  it('refuses the 4th sign-in attempt in a window from one address with 429 and Retry-After, then allows again', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await postSession(server.url, { username: 'demo', password: `wrong-${i}` })).status, 401);
    }
    const refused = await postSession(server.url, { username: 'demo', password: 'demo' });
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as ApiErrorBody).error.code, 'too_many_sign_ins');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.equal(retryAfter, 1, 'the rest of the (here one-second) window');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await postSession(server.url, { username: 'demo', password: 'demo' })).status, 200);
  });

  it('keeps a session alive while it is used (sliding lifetime) and ends it after SESSION_TTL idle', async () => {
    clock += 61_000; // a fresh throttle window
    const session = await signIn(server.url);
    const whoAmI = () => getJson(`${server.url}/api/session`, { Authorization: `Bearer ${session.token}` });
    clock += 45_000;
    assert.equal((await whoAmI()).status, 200);
    clock += 45_000; // 90 s after sign-in, but only 45 s after last use
    assert.equal((await whoAmI()).status, 200);
    clock += 61_000;
    const before = server.simulator!.requestCount;
    assert.equal((await whoAmI()).status, 401);
    await waitFor(() => server.logs.some((l) => /"msg":"session ended".*"reason":"expired"/.test(l)));
    await waitFor(() => server.simulator!.requestCount > before); // the DCS sign-out
  });

  it('signs idle sessions out of DCS without waiting for their next use', async () => {
    clock += 61_000;
    const session = await signIn(server.url);
    const sessions = server.context.sessions;
    assert.ok(sessions.size >= 1);
    const ended = () => server.logs.filter((l) => /"msg":"session ended".*"reason":"expired"/.test(l)).length;
    const endedBefore = ended();
    clock += 61_000;
    await sessions.expireIdle();
    assert.equal(sessions.size, 0, 'every idle session was ended');
    assert.ok(ended() > endedBefore);
    assert.equal((await getJson(`${server.url}/api/session`, { Cookie: session.cookie })).status, 401);
  });
});

describe('HTTPS with a generated development certificate', () => {
  it('generates a localhost certificate on first start, reuses it, and marks the cookie Secure; SameSite=None; Partitioned', async () => {
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-certs-'));
    const agent = new https.Agent({ rejectUnauthorized: false });
    try {
      const first = await startServer({ port: 0, https: true, certDir, logLevel: 'silent' });
      try {
        assert.match(first.url, /^https:\/\//);
        assert.equal(first.tls?.generated, true);
        assert.ok(fs.existsSync(path.join(certDir, 'localhost-cert.pem')));
        const { status, setCookie } = await new Promise<{ status: number; setCookie: string }>((resolve, reject) => {
          const req = https.request(`${first.url}/api/session`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: String(res.headers['set-cookie'] ?? '') }));
          });
          req.on('error', reject);
          req.end(JSON.stringify({ username: 'demo', password: 'demo' }));
        });
        assert.equal(status, 200);
        assert.match(setCookie, /; HttpOnly/);
        assert.match(setCookie, /; Secure; SameSite=None; Partitioned/);
      } finally {
        await first.close();
      }
      const second = await startServer({ port: 0, https: true, certDir, logLevel: 'silent' });
      assert.equal(second.tls?.generated, false, 'the certificate from the first start is reused');
      await second.close();
    } finally {
      agent.destroy();
      fs.rmSync(certDir, { recursive: true, force: true });
    }
  });
});
