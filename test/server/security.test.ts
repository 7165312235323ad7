import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, REDACTED } from '../../server/http/logger';
import { basicAuth, signIn, startTestServer, type TestServer } from './helpers';

const ALLOWED = 'https://allowed.example.com';

describe('headers, CORS, the add-in files and logging', () => {
  let server: TestServer;
  let staticDir: string;
  before(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-dist-'));
    fs.writeFileSync(path.join(staticDir, 'taskpane.html'), '<!doctype html><title>Task pane</title>');
    fs.writeFileSync(path.join(staticDir, 'manifest.xml'), '<?xml version="1.0"?><OfficeApp/>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'icon-32.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    server = await startTestServer({ staticDir, allowedOrigins: [ALLOWED] });
  });
  after(async () => {
    await server.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('sends nosniff, a referrer policy and a CSP that admits Office.js and Office framing, on pages and API alike', async () => {
    for (const route of ['/taskpane.html', '/api/health']) {
      const res = await fetch(`${server.url}${route}`);
      assert.equal(res.status, 200, route);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(res.headers.get('x-frame-options'), null, 'Office on the web frames the add-in');
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
      assert.match(csp, /frame-ancestors [^;]*https:/);
      assert.doesNotMatch(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-powered-by'), null);
    }
  });

  it('serves the built add-in at the root: task pane, manifest and assets', async () => {
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), 'taskpane.html', 'relative: under a proxy path the browser stays under it');
    const page = await fetch(`${server.url}/taskpane.html`);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /Task pane/);
    const manifest = await fetch(`${server.url}/manifest.xml`);
    assert.match(manifest.headers.get('content-type') ?? '', /xml/);
    assert.equal(manifest.headers.get('cache-control'), 'no-cache');
    const icon = await fetch(`${server.url}/assets/icon-32.png`);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/png');
    assert.equal((await fetch(`${server.url}/missing.js`)).status, 404);
  });

  it('allows CORS with credentials for configured origins only', async () => {
    const allowed = await fetch(`${server.url}/api/health`, { headers: { Origin: ALLOWED } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    const preflight = await fetch(`${server.url}/api/readings`, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const other = await fetch(`${server.url}/api/health`, { headers: { Origin: 'https://evil.example.com' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const otherPreflight = await fetch(`${server.url}/api/session`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'DELETE' },
    });
    assert.equal(otherPreflight.status, 403);
    assert.equal(otherPreflight.headers.get('access-control-allow-origin'), null);
    assert.match(((await otherPreflight.json()) as { error: { message: string } }).error.message, /ALLOWED_ORIGINS/);
  });

  it('never writes passwords or session tokens to the log, while logging sign-ins and requests', async () => {
    const secret = 'Tr0ub4dor&3-never-log-me';
    const wrong = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: secret }),
    });
    assert.equal(wrong.status, 401);
    const basicWrong = await fetch(`${server.url}/api/sources`, { headers: { Authorization: basicAuth('demo', secret) } });
    assert.equal(basicWrong.status, 401);
    const session = await signIn(server.url);
    await fetch(`${server.url}/api/sources?q=library`, { headers: { Authorization: `Bearer ${session.token}` } });
    await fetch(`${server.url}/api/health`, { headers: { Cookie: session.cookie } });
    await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: session.cookie } });

    const log = server.logs.join('\n');
    assert.ok(
      server.logs.some((l) => JSON.parse(l).msg === 'session opened'),
      'sign-ins are logged',
    );
    assert.ok(
      server.logs.some((l) => JSON.parse(l).path === '/api/sources'),
      'requests are logged',
    );
    assert.ok(!log.includes(secret), 'a password appeared in the log');
    assert.ok(!log.includes(session.token), 'a session token appeared in the log');
    assert.ok(!log.includes(Buffer.from(`demo:${secret}`).toString('base64')), 'Basic credentials appeared in the log');
    for (const line of server.logs) assert.doesNotThrow(() => JSON.parse(line), 'every log line is JSON');
  });

  it('redacts secret-looking fields at any depth, whatever a caller passes to the logger', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', (l) => lines.push(l));
    logger.info('x', { headers: { authorization: 'Basic abc', Cookie: 'dcs_session=t' }, body: { password: 'p', nested: [{ token: 't' }] }, user: 'demo' });
    const record = JSON.parse(lines[0]);
    assert.equal(record.headers.authorization, REDACTED);
    assert.equal(record.headers.Cookie, REDACTED);
    assert.equal(record.body.password, REDACTED);
    assert.equal(record.body.nested[0].token, REDACTED);
    assert.equal(record.user, 'demo');
  });
});

describe('requests that would spend DCS calls: cross-site and HEAD', () => {
  let server: TestServer;
  let session: Awaited<ReturnType<typeof signIn>>;
  const readings = '/api/readings?id=R1001&start=2024-01-01&end=2024-01-08';
  before(async () => {
    server = await startTestServer({ allowedOrigins: [ALLOWED] });
    session = await signIn(server.url);
  });
  after(() => server.close());

  /** DCS requests the simulator saw while `send` ran. */
  async function dcsCallsOf(send: () => Promise<Response>): Promise<{ status: number; calls: number; body: string }> {
    const before = server.simulator!.requestCount;
    const res = await send();
    const body = await res.text();
    return { status: res.status, calls: server.simulator!.requestCount - before, body };
  }

  it('refuses a cookie-carrying GET that another site made (Sec-Fetch-Site or Origin) with 403 and 0 DCS calls', async () => {
    const viaLink = await dcsCallsOf(() => fetch(`${server.url}${readings}`, { headers: { Cookie: session.cookie, 'Sec-Fetch-Site': 'cross-site' } }));
    assert.deepEqual([viaLink.status, viaLink.calls], [403, 0]);
    assert.match(viaLink.body, /another site.*ALLOWED_ORIGINS/);
    const viaFetch = await dcsCallsOf(() => fetch(`${server.url}${readings}`, { headers: { Cookie: session.cookie, Origin: 'https://evil.example.com' } }));
    assert.deepEqual([viaFetch.status, viaFetch.calls], [403, 0]);
    const odata = await dcsCallsOf(() => fetch(`${server.url}/odata/Sources`, { headers: { Cookie: session.cookie, 'Sec-Fetch-Site': 'same-site' } }));
    assert.deepEqual([odata.status, odata.calls], [403, 0]);
  });

  it('serves the same GET from our own pages, an allowed origin, a typed URL, and Bearer callers anywhere', async () => {
    const allowed: Record<string, string>[] = [
      { Cookie: session.cookie, 'Sec-Fetch-Site': 'same-origin', Origin: server.url },
      { Cookie: session.cookie, 'Sec-Fetch-Site': 'cross-site', Origin: ALLOWED },
      { Cookie: session.cookie, 'Sec-Fetch-Site': 'none' },
      { Authorization: `Bearer ${session.token}`, 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example.com' },
    ];
    for (const headers of allowed) {
      const res = await fetch(`${server.url}${readings}`, { headers });
      assert.equal(res.status, 200, `${JSON.stringify(headers)}: ${await res.clone().text()}`);
      await res.arrayBuffer();
    }
  });

  it('answers HEAD on routes that read DCS with 405 (Allow: GET) and 0 DCS calls, signed in or not', async () => {
    for (const route of [readings, '/api/sources', '/api/consumption?id=R1001&start=2024-01-01&lastDay=2024-01-31', '/odata/Sources']) {
      const before = server.simulator!.requestCount;
      const res = await fetch(`${server.url}${route}`, { method: 'HEAD', headers: { Authorization: `Bearer ${session.token}` } });
      assert.equal(res.status, 405, route);
      assert.equal(res.headers.get('allow'), 'GET', route);
      assert.equal(server.simulator!.requestCount - before, 0, route);
    }
  });
});
