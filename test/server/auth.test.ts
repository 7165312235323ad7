import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_FEATURES } from 'dcs-simulator';
import { type ApiErrorBody, basicAuth, getJson, signIn, startTestServer, type TestServer } from './helpers';

interface SourceJson {
  id: string;
}

describe('authentication on /api routes when public access is off', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false });
  });
  after(() => server.close());

  const sources = (headers: Record<string, string>) => getJson<SourceJson[] | ApiErrorBody>(`${server.url}/api/sources`, headers);

  it('accepts the session cookie', async () => {
    const session = await signIn(server.url);
    const res = await sources({ Cookie: session.cookie });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body) && res.body.length > 10);
  });

  it('accepts Authorization: Bearer with the token from sign-in', async () => {
    const session = await signIn(server.url);
    const res = await sources({ Authorization: `Bearer ${session.token}` });
    assert.equal(res.status, 200);
  });

  it('accepts Authorization: Basic, signing in to DCS once and reusing that sign-in', async () => {
    const auth = basicAuth('demo', 'demo');
    const first = await sources({ Authorization: auth });
    assert.equal(first.status, 200);
    const before = server.simulator!.requestCount;
    const second = await sources({ Authorization: auth });
    assert.equal(second.status, 200);
    assert.equal(server.simulator!.requestCount, before, 'no new DCS sign-in (nor meter fetch) for the same credentials');
    assert.deepEqual(second.body, first.body);
  });

  it('answers 401 for Basic credentials DCS refuses', async () => {
    const res = await sources({ Authorization: basicAuth('demo', 'wrong') });
    assert.equal(res.status, 401);
    assert.equal((res.body as ApiErrorBody).error.code, 'unauthenticated');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
  });

  it('answers 401 with no credentials, saying how to sign in', async () => {
    const res = await sources({});
    assert.equal(res.status, 401);
    assert.match((res.body as ApiErrorBody).error.message, /POST \/api\/session.*Basic.*Bearer/);
  });

  it('answers 401 for an unknown bearer token or an unsupported scheme', async () => {
    assert.equal((await sources({ Authorization: 'Bearer not-a-token' })).status, 401);
    const digest = await sources({ Authorization: 'Digest username="demo"' });
    assert.equal(digest.status, 401);
    assert.match((digest.body as ApiErrorBody).error.message, /'Digest' is not supported/);
  });

  it('keeps a session working when DCS expires its own sign-in (the client signs in again)', async () => {
    const session = await signIn(server.url);
    server.simulator!.expireAllSessions();
    const res = await getJson(`${server.url}/api/readings?id=R${DEMO_FEATURES.electricityRegisterId}&start=2024-01-01&end=2024-01-02`, {
      Authorization: `Bearer ${session.token}`,
    });
    assert.equal(res.status, 200);
  });

  it('serves each user with their own DCS rights (viewer gets 403 from DCS on a hidden register)', async () => {
    const viewer = await signIn(server.url, 'viewer', 'viewer');
    const url = `${server.url}/api/readings?id=R${DEMO_FEATURES.viewerForbiddenRegisterId}&start=2024-01-01&end=2024-01-02`;
    const refused = await getJson<ApiErrorBody>(url, { Cookie: viewer.cookie });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const demo = await signIn(server.url);
    assert.equal((await getJson(url, { Cookie: demo.cookie })).status, 200);
  });
});

describe('public access (DCS public endpoint) when enabled', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: true });
  });
  after(() => server.close());

  it('serves callers without credentials through the public endpoint and says so', async () => {
    const res = await getJson<SourceJson[]>(`${server.url}/api/sources`);
    assert.equal(res.status, 200);
    assert.ok(res.body.length > 10);
    const who = await getJson(`${server.url}/api/session`);
    assert.deepEqual(who.body, { username: 'public', role: 'Public', public: true });
  });

  it('does not fall back to public access when credentials are present but wrong', async () => {
    assert.equal((await getJson(`${server.url}/api/sources`, { Authorization: 'Bearer stale-token' })).status, 401);
    assert.equal((await getJson(`${server.url}/api/sources`, { Cookie: 'dcs_session=stale' })).status, 401);
  });

  it('reports public access in /api/health', async () => {
    const health = await getJson<{ publicAccess: boolean }>(`${server.url}/api/health`);
    assert.equal(health.body.publicAccess, true);
  });
});

describe('one pace towards DCS for every session (DCS_RATE_LIMIT)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false, dcsRateLimit: 20 });
  });
  after(() => server.close());

  it('spaces DCS calls from different sessions as if they were one caller', async () => {
    const sessions = [await signIn(server.url), await signIn(server.url, 'viewer', 'viewer')];
    const url = (i: number) => `${server.url}/api/readings?id=R${DEMO_FEATURES.viewerAllowedRegisterId}&start=2024-01-0${i + 1}&end=2024-01-0${i + 2}`;
    const before = server.simulator!.requestCount;
    const started = Date.now();
    // 5 pulls per session, both sessions at once: 10 DCS calls at 20 per second take >= 450 ms
    // together, where two separately paced sessions would finish in about half that.
    const results = await Promise.all(sessions.flatMap((s) => [0, 1, 2, 3, 4].map((i) => getJson(url(i), { Cookie: s.cookie }))));
    const elapsed = Date.now() - started;
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(server.simulator!.requestCount - before, 10);
    assert.ok(elapsed >= 430, `10 DCS calls at 20/s took only ${elapsed} ms`);
  });
});
