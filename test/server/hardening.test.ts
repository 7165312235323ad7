/**
 * Issue 12 at the HTTP edge: malformed requests get their own 4xx, links never echo request
 * headers, cookie sessions cannot be used from other sites, nothing hidden leaks in a 403 or
 * /api/health, sessions are capped, and the sign-in throttle only slows down wrong passwords.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Source } from '../../server/api/types';
import { eachLimited } from '../../server/each-limited';
import { DEMO_FEATURES } from 'dcs-simulator';
import { type ApiErrorBody, basicAuth, getJson, signIn, startTestServer, type TestServer } from './helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const DAY = `SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with node:http, so that Host and other headers go out exactly as given. */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function postSession(url: string, body: Buffer | string, headers: Record<string, string>): Promise<Answer> {
  return request(`${url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

const errorOf = (answer: Answer): ApiErrorBody['error'] => (JSON.parse(answer.body) as ApiErrorBody).error;

describe('malformed requests get a 4xx that says what is wrong, never a 5xx', () => {
  let server: TestServer;
  let staticDir: string;
  before(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-hardening-'));
    fs.writeFileSync(path.join(staticDir, 'taskpane.js'), 'console.log(1);\n');
    fs.writeFileSync(path.join(staticDir, 'taskpane.js.map'), '{"version":3,"sources":["secret.ts"]}');
    server = await startTestServer({ staticDir });
  });
  after(async () => {
    await server.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers 413 to a sign-in body over the limit, also when it only grows when decompressed', async () => {
    const big = await postSession(server.url, JSON.stringify({ username: 'x'.repeat(20_000), password: 'y' }), {});
    assert.equal(big.status, 413);
    assert.equal(errorOf(big).code, 'payload_too_large');
    assert.match(errorOf(big).message, /larger than the 16384-byte limit/);
    const bomb = await postSession(server.url, zlib.gzipSync(Buffer.alloc(1_000_000, 32)), { 'Content-Encoding': 'gzip' });
    assert.equal(bomb.status, 413);
  });

  it('answers 415 to an unknown charset or Content-Encoding, naming it', async () => {
    const charset = await postSession(server.url, '{}', { 'Content-Type': 'application/json; charset=klingon' });
    assert.equal(charset.status, 415);
    assert.match(errorOf(charset).message, /charset 'klingon' is not supported; send UTF-8/);
    const encoding = await postSession(server.url, '{}', { 'Content-Encoding': 'zip' });
    assert.equal(encoding.status, 415);
    assert.match(errorOf(encoding).message, /Content-Encoding 'zip' is not supported/);
  });

  it('answers 400 to a body that is not valid gzip, deflate or br', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await postSession(server.url, 'this is not compressed', { 'Content-Encoding': encoding });
      assert.equal(res.status, 400, encoding);
      assert.match(errorOf(res).message, /could not be read/);
    }
  });

  it('answers 400 to a $filter with 2,000 nested parentheses, on every entity set', async () => {
    const deep = encodeURIComponent(`${'('.repeat(2000)}Value eq 1${')'.repeat(2000)}`);
    for (const set of ['Readings', 'Sources', 'Meters']) {
      const res = await request(`${server.url}/odata/${set}?$filter=${deep}`);
      assert.equal(res.status, 400, set);
      assert.match(res.body, /more than 32 deep/);
    }
  });

  it('answers 416 with Content-Range to an unsatisfiable Range on a static file, and serves no source maps', async () => {
    const res = await request(`${server.url}/taskpane.js`, { headers: { Range: 'bytes=5000-6000' } });
    assert.equal(res.status, 416);
    assert.equal(res.headers['content-range'], 'bytes */16');
    assert.equal((await request(`${server.url}/taskpane.js`, { headers: { Range: 'bytes=0-6' } })).status, 206);
    const map = await request(`${server.url}/taskpane.js.map`);
    assert.equal(map.status, 404);
    assert.doesNotMatch(map.body, /secret\.ts/);
  });
});

describe('links in answers come from configuration, never from request headers', () => {
  const forged = { Host: 'evil.example.com', 'X-Forwarded-Host': 'evil.example.com', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Prefix': '/x' };
  const filter = encodeURIComponent(DAY);

  async function links(server: TestServer, headers: Record<string, string>): Promise<{ context: string; next: string }> {
    const res = await request(`${server.url}/odata/Readings?$filter=${filter}`, { headers: { Prefer: 'odata.maxpagesize=5', ...headers } });
    assert.equal(res.status, 200, res.body);
    const body = JSON.parse(res.body) as { '@odata.context': string; '@odata.nextLink': string };
    return { context: body['@odata.context'], next: body['@odata.nextLink'] };
  }

  it('by default names the listening URL whatever Host and X-Forwarded-* say', async () => {
    const server = await startTestServer();
    try {
      const { context, next } = await links(server, forged);
      assert.equal(context, `${server.url}/odata/$metadata#Readings`);
      assert.ok(next.startsWith(`${server.url}/odata/Readings?`), next);
    } finally {
      await server.close();
    }
  });

  it('names PUBLIC_URL (with its path) when configured', async () => {
    const server = await startTestServer({ publicUrl: 'https://dcs-excel.example.com/metering/' });
    try {
      const { context, next } = await links(server, forged);
      assert.equal(context, 'https://dcs-excel.example.com/metering/odata/$metadata#Readings');
      assert.ok(next.startsWith('https://dcs-excel.example.com/metering/odata/Readings?'));
    } finally {
      await server.close();
    }
  });

  it('believes X-Forwarded-Proto/-Host/-Prefix only from a proxy named in TRUST_PROXY', async () => {
    const trusting = await startTestServer({ trustProxy: ['loopback'] });
    const elsewhere = await startTestServer({ trustProxy: ['10.1.2.3'] });
    try {
      const proxied = await links(trusting, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'proxy.example.com', 'X-Forwarded-Prefix': '/metering' });
      assert.equal(proxied.context, 'https://proxy.example.com/metering/odata/$metadata#Readings');
      const untrusted = await links(elsewhere, forged);
      assert.equal(untrusted.context, `${elsewhere.url}/odata/$metadata#Readings`);
    } finally {
      await trusting.close();
      await elsewhere.close();
    }
  });
});

describe('cookie sessions, HSTS, /api/health and 403s', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ allowedOrigins: ['https://allowed.example.com'] });
  });
  after(() => server.close());

  it('refuses a cookie-authenticated DELETE /api/session from a foreign origin with 403, and the session lives on', async () => {
    const session = await signIn(server.url);
    const refused = await request(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: session.cookie, Origin: 'https://evil.example.com' } });
    assert.equal(refused.status, 403);
    assert.match(errorOf(refused).message, /origin https:\/\/evil\.example\.com may not change anything with this browser's DCS session/);
    assert.equal((await getJson(`${server.url}/api/session`, { Cookie: session.cookie })).status, 200, 'still signed in');
    const post = await request(`${server.url}/api/session`, {
      method: 'POST',
      headers: { Cookie: session.cookie, Origin: 'null', 'Content-Type': 'text/plain' },
      body: 'x',
    });
    assert.equal(post.status, 403, 'an opaque (null) origin is foreign too');
  });

  it('lets the same origin, an ALLOWED_ORIGINS origin and Bearer callers from anywhere end sessions', async () => {
    const same = await signIn(server.url);
    const own = await request(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: same.cookie, Origin: server.url } });
    assert.equal(own.status, 204);
    assert.equal((await getJson(`${server.url}/api/session`, { Cookie: same.cookie })).status, 401, 'that session ended');
    const allowed = await signIn(server.url);
    const fromAllowed = await request(`${server.url}/api/session`, {
      method: 'DELETE',
      headers: { Cookie: allowed.cookie, Origin: 'https://allowed.example.com' },
    });
    assert.equal(fromAllowed.status, 204);
    const bearer = await signIn(server.url);
    const withToken = await request(`${server.url}/api/session`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${bearer.token}`, Origin: 'https://evil.example.com' },
    });
    assert.equal(withToken.status, 204);
    assert.equal((await getJson(`${server.url}/api/session`, { Authorization: `Bearer ${bearer.token}` })).status, 401, 'that session ended');
  });

  it('shows the DCS URL in /api/health only to a signed-in caller (cookie, Bearer or live Basic)', async () => {
    const anonymous = await getJson<{ dcsUrl?: string }>(`${server.url}/api/health`);
    assert.equal(anonymous.body.dcsUrl, undefined);
    assert.equal((await getJson<{ dcsUrl?: string }>(`${server.url}/api/health`, { Authorization: basicAuth('demo', 'wrong') })).body.dcsUrl, undefined);
    const session = await signIn(server.url);
    assert.equal(
      (await getJson<{ dcsUrl?: string }>(`${server.url}/api/health`, { Authorization: `Bearer ${session.token}` })).body.dcsUrl,
      server.simulator!.url,
    );
  });

  it('refuses a hidden register without naming it, its meter or its unit: 403 "not allowed" on /api, 404 on /odata (no credential prompt)', async () => {
    const demo = await signIn(server.url);
    const hiddenId = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;
    const sources = await getJson<Source[]>(`${server.url}/api/sources`, { Cookie: demo.cookie });
    const hidden = sources.body.find((s) => s.id === hiddenId)!;
    const names = [hidden.name, hidden.meter?.name].filter((n): n is string => typeof n === 'string' && n !== '');
    assert.ok(names.length > 0);
    const viewer = { Authorization: basicAuth('viewer', 'viewer') };
    const api = await getJson<ApiErrorBody>(`${server.url}/api/readings?id=${hiddenId}&start=2024-01-01&end=2024-01-02`, viewer);
    assert.equal(api.status, 403);
    assert.match(api.body.error.message, /^not allowed/);
    // OData answers 404 for a source the caller may not see (a 403 makes Power Query ask for a password that cannot help).
    const odata = await getJson<ApiErrorBody>(`${server.url}/odata/Readings?$filter=${encodeURIComponent(DAY.replace(ELEC, hiddenId))}`, viewer);
    assert.equal(odata.status, 404);
    assert.match(odata.body.error.message, /no source .* that you may see in DCS/);
    for (const res of [api, odata]) {
      const body = JSON.stringify(res.body);
      for (const name of names) assert.ok(!body.includes(name), `the refusal names '${name}': ${body}`);
      const unit = hidden.unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.doesNotMatch(body, new RegExp(`(?<!\\p{L})${unit}(?!\\p{L})`, 'u'), `the refusal gives the unit '${hidden.unit}'`);
    }
  });
});

describe('HSTS over HTTPS', () => {
  it('sends Strict-Transport-Security over HTTPS for a real host name, not over HTTP nor for localhost', async () => {
    const { startServer } = await import('../../server/server');
    const https = await import('node:https');
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-hsts-'));
    const server = await startServer({ port: 0, https: true, certDir, logLevel: 'silent', simulator: {} });
    try {
      const get = (host: string) =>
        new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
          https
            .get(`${server.url}/api/health`, { headers: { Host: host }, rejectUnauthorized: false, agent: false }, (res) => {
              res.resume();
              resolve(res.headers);
            })
            .on('error', reject);
        });
      assert.equal((await get('dcs-excel.example.com:3000'))['strict-transport-security'], 'max-age=31536000');
      assert.equal((await get('localhost:3000'))['strict-transport-security'], undefined);
    } finally {
      await server.close();
      fs.rmSync(certDir, { recursive: true, force: true });
    }
    const plain = await startTestServer();
    try {
      assert.equal((await request(`${plain.url}/api/health`, { headers: { Host: 'dcs-excel.example.com' } })).headers['strict-transport-security'], undefined);
    } finally {
      await plain.close();
    }
  });
});

describe('session caps and sign-outs', () => {
  it('refuses a user a session over MAX_SESSIONS_PER_USER with 429 saying to sign out elsewhere; others still sign in', async () => {
    const server = await startTestServer({ dcsPublicAccess: false, maxSessionsPerUser: 2, maxSessions: 3 });
    try {
      const first = await signIn(server.url);
      await signIn(server.url);
      const before = server.simulator!.requestCount;
      const third = await postSession(server.url, JSON.stringify({ username: 'demo', password: 'demo' }), {});
      assert.equal(third.status, 429);
      assert.equal(errorOf(third).code, 'too_many_sessions');
      assert.match(errorOf(third).message, /already has 2 sessions open .* sign out elsewhere/);
      assert.equal(server.simulator!.requestCount, before, 'no DCS sign-in was spent on it');
      const basic = await getJson<ApiErrorBody>(`${server.url}/api/session`, { Authorization: basicAuth('demo', 'demo') });
      assert.equal(basic.status, 429, 'Basic credentials open sessions too');
      await signIn(server.url, 'viewer', 'viewer');
      const full = await postSession(server.url, JSON.stringify({ username: 'viewer', password: 'viewer' }), {});
      assert.equal(full.status, 503);
      assert.equal(errorOf(full).code, 'server_busy');
      assert.equal(full.headers['retry-after'], '60');
      await request(`${server.url}/api/session`, { method: 'DELETE', headers: { Authorization: `Bearer ${first.token}` } });
      assert.equal((await postSession(server.url, JSON.stringify({ username: 'demo', password: 'demo' }), {})).status, 200, 'room again after a sign-out');
    } finally {
      await server.close();
    }
  });

  it('holds the cap when sign-ins of one user race each other', async () => {
    const server = await startTestServer({ dcsPublicAccess: false, maxSessionsPerUser: 2 });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => postSession(server.url, JSON.stringify({ username: 'demo', password: 'demo' }), {})));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 429, 429, 429, 429]);
      assert.equal(server.context.sessions.size, 2);
    } finally {
      await server.close();
    }
  });

  it('signs sessions out a few at a time (at most 8 at once), and every one of them', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimited(
      Array.from({ length: 50 }, (_, i) => i),
      8,
      async (i) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        if (i % 7 === 0) throw new Error('a failed sign-out does not stop the others');
        done.push(i);
      },
    );
    assert.equal(most, 8);
    assert.equal(done.length, 50 - 8);
    const server = await startTestServer({ dcsPublicAccess: false });
    await Promise.all(Array.from({ length: 12 }, () => signIn(server.url)));
    await server.close();
    assert.equal(server.logs.filter((l) => /"msg":"session ended".*"reason":"server stopping"/.test(l)).length, 12);
  });
});

describe('sign-in throttle: failures only, per address and user name', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false, signInLimit: 3 });
  });
  after(() => server.close());

  it('never throttles a gateway signing in many times successfully from one address', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await getJson(`${server.url}/api/session`, { Authorization: basicAuth(i % 2 === 0 ? 'demo' : 'viewer', i % 2 === 0 ? 'demo' : 'viewer') });
      assert.equal(res.status, 200);
      await signIn(server.url);
    }
  });

  it('throttles one user name after its failures while another user from the same address still signs in', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await postSession(server.url, JSON.stringify({ username: 'viewer', password: `wrong-${i}` }), {})).status, 401);
    }
    const refused = await postSession(server.url, JSON.stringify({ username: 'Viewer', password: 'viewer' }), {});
    assert.equal(refused.status, 429, 'user names are compared without case');
    assert.match(errorOf(refused).message, /too many failed sign-ins for this user name/);
    assert.equal((await postSession(server.url, JSON.stringify({ username: 'demo', password: 'demo' }), {})).status, 200);
  });

  it('throttles unknown user names from the address after 5x the limit of failures (password spraying), never a user who signed in from it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) {
      statuses.push((await postSession(server.url, JSON.stringify({ username: `nobody-${i}`, password: 'x' }), {})).status);
    }
    // viewer's failures above do not count against the address: viewer has signed in from it.
    assert.deepEqual(statuses, [...Array(15).fill(401), 429, 429]);
    const refused = await postSession(server.url, JSON.stringify({ username: 'nobody-new', password: 'x' }), {});
    assert.match(errorOf(refused).message, /user names not signed in from here before/);
    const before = server.simulator!.requestCount;
    const demo = await postSession(server.url, JSON.stringify({ username: 'demo', password: 'demo' }), {});
    assert.equal(demo.status, 200, 'demo, who signed in from this address before the flood, still signs in');
    assert.ok(server.simulator!.requestCount > before);
  });

  it('answers credentials DCS refused moments ago with 401 without asking DCS again', async () => {
    const wrong = () => postSession(server.url, JSON.stringify({ username: 'demo', password: 'an-old-password' }), {});
    assert.equal((await wrong()).status, 401);
    const before = server.simulator!.requestCount;
    for (let i = 0; i < 5; i++) assert.equal((await wrong()).status, 401);
    const basic = await getJson(`${server.url}/api/session`, { Authorization: basicAuth('demo', 'an-old-password') });
    assert.equal(basic.status, 401);
    assert.equal(server.simulator!.requestCount - before, 0, 'DCS calls for 6 repeats of refused credentials');
  });
});

describe('requests in progress per user (MAX_REQUESTS_PER_USER)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false, maxRequestsPerUser: 2 });
  });
  after(() => server.close());

  it('answers one more than the cap with 429 and Retry-After before asking DCS, and frees the places as requests end', async () => {
    const auth = { Authorization: basicAuth('demo', 'demo') };
    assert.equal((await getJson(`${server.url}/api/session`, auth)).status, 200, 'signed in (Basic)');
    // Each pull waits a little at DCS, so three are in progress together.
    server.simulator!.setFaults({ latencyMs: 300 });
    try {
      const path = `${server.url}/api/readings?id=R1001&start=2024-01-01&end=2024-02-01&output=csv`;
      const [a, b] = [fetch(path, { headers: auth }), fetch(path, { headers: auth })];
      await new Promise((resolve) => setTimeout(resolve, 150));
      const before = server.simulator!.requestCount;
      const third = await fetch(path, { headers: auth });
      assert.equal(third.status, 429);
      assert.equal(third.headers.get('retry-after'), '5');
      assert.match(((await third.json()) as ApiErrorBody).error.message, /MAX_REQUESTS_PER_USER/);
      assert.equal(server.simulator!.requestCount, before, 'no DCS call for the refused request');
      const done = await Promise.all([a, b]);
      assert.deepEqual(
        done.map((r) => r.status),
        [200, 200],
      );
      await Promise.all(done.map((r) => r.arrayBuffer()));
      const again = await fetch(path, { headers: auth });
      assert.equal(again.status, 200, 'places freed once the requests ended');
      await again.arrayBuffer();
    } finally {
      server.simulator!.setFaults({});
    }
  });
});
