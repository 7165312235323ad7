/**
 * The deployment docs/deployment.md describes, run end to end: nginx (Debian's package) with the
 * repository's own deploy/nginx/dcs-excel.conf, terminating TLS, in front of TWO server instances
 * under /metering/. The instances share one Redis and one DCS (the simulator) and run as the guide
 * says: plain HTTP on loopback, `PUBLIC_URL=https://<proxy>/metering`, `TRUST_PROXY=loopback`.
 *
 * Only the addresses of the configuration are changed for the test (a free port instead of 443,
 * the instances' ports, a throwaway certificate); every other line is the file users install.
 * Headless Chromium then loads the pane through the proxy, signs in and pulls; the OData feed and
 * the add-in manifest are fetched through the proxy, and every link in them must name the proxy.
 *
 * Needs nginx, redis-server, /usr/bin/chromium and the built add-in (npm run build:addin).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { resolveConfig } from '../../server/config';
import { startServer, type StartedServer } from '../../server/server';
import { startSimulator, type RunningSimulator } from 'dcs-simulator';
import { loadTls } from '../../server/tls';
import type { Cell } from '../../addin/preview/memory-excel';
import type { IntervalsWideJson } from '../../server/api/types';
import {
  ADDIN_DIST,
  CHROMIUM,
  CHROMIUM_ARGS,
  OFFICE_JS,
  REPO_ROOT,
  moduleAsPageScript,
  signInThroughPane,
  skipWithoutChromium,
} from '../addin/support/browser';
import { SIMULATOR_NOW, basicAuth } from '../server/helpers';
import { freePort, skipWithoutNginx, skipWithoutRedis, startNginx, startRedis, type RunningNginx, type RunningService } from '../support/services';

const SITE = path.join(REPO_ROOT, 'deploy', 'nginx', 'dcs-excel.conf');
const PREFIX = '/metering';
const SOURCE = 'R1001';
/** Small pages, so that the feed has next links to follow. */
const ODATA_PAGE_SIZE = 100;

interface LocalAddresses {
  port: number;
  upstreams: string[];
  certPath: string;
  keyPath: string;
}

/** Replaces `from` in `text`, failing (so the test says what to update) when the file no longer has it. */
function replaceOnce(text: string, from: RegExp, to: string): string {
  assert.match(text, from, `${SITE} no longer has ${String(from)}: update this test's substitutions with it`);
  return text.replace(from, to);
}

/** deploy/nginx/dcs-excel.conf with only its addresses made local: HTTPS on `port`, the instances, a throwaway certificate. */
function localSite(site: string, local: LocalAddresses): string {
  let text = replaceOnce(site, /(upstream dcs_excel \{\n)(?:\s*server [^\n]+;\n)+/, `$1${local.upstreams.map((u) => `    server ${u};\n`).join('')}`);
  text = replaceOnce(text, /listen 80;/, `listen 127.0.0.1:${local.port + 1};`);
  text = replaceOnce(text, /listen 443 ssl http2;/, `listen 127.0.0.1:${local.port} ssl http2;`);
  text = text.replace(/^\s*listen \[::\]:\d+[^\n]*\n/gm, ''); // no IPv6 needed on loopback
  text = replaceOnce(text, /ssl_certificate\s+\S+;/, `ssl_certificate ${local.certPath};`);
  return replaceOnce(text, /ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${local.keyPath};`);
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe(
  'the deployment guide, run: nginx in front of two instances under /metering/',
  { skip: skipWithoutNginx(__filename) || skipWithoutRedis(__filename) || skipWithoutChromium('the proxy test') },
  () => {
    let redis: RunningService;
    let dcs: RunningSimulator;
    let nginx: RunningNginx;
    let browser: Browser;
    let cert: string;
    let base: string;
    const instances: StartedServer[] = [];
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-proxy-cert-'));

    /** GET through the proxy (its certificate trusted), as the demo user. */
    function get(url: string): Promise<Answer> {
      return new Promise((resolve, reject) => {
        const request = https.get(new URL(url, `${base}/`), { ca: cert, headers: { Authorization: basicAuth('demo', 'demo') } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        request.on('error', reject);
      });
    }

    /** Every absolute http(s) address in `text`, except XML namespaces and OData's standard vocabularies (not addresses of ours). */
    function linksIn(text: string): string[] {
      const namespaces = /^https?:\/\/(docs\.oasis-open\.org|oasis-tcs\.github\.io\/odata-vocabularies|schemas\.microsoft\.com|www\.w3\.org)\//;
      return [...text.matchAll(/https?:\/\/[^"'<>\s]+/g)].map((m) => m[0]).filter((link) => !namespaces.test(link));
    }

    before(async () => {
      assert.ok(fs.existsSync(path.join(ADDIN_DIST, 'taskpane.html')), `${ADDIN_DIST}/taskpane.html is missing: build the add-in first (npm run build:addin)`);
      redis = await startRedis();
      dcs = await startSimulator({ now: () => SIMULATOR_NOW });
      const port = await freePort();
      base = `https://localhost:${port}${PREFIX}`;
      const key = randomBytes(32).toString('base64');
      for (let i = 0; i < 2; i++) {
        instances.push(
          await startServer({
            https: false,
            host: '127.0.0.1',
            port: 0,
            dcsUrl: dcs.url,
            dcsPublicAccess: false,
            redisUrl: redis.url,
            sessionEncryptionKey: key,
            publicUrl: base,
            trustProxy: ['loopback'],
            staticDir: ADDIN_DIST,
            odataPageSize: ODATA_PAGE_SIZE,
            logLevel: 'silent',
          }),
        );
      }
      const tls = await loadTls(resolveConfig({ certDir }));
      cert = tls.cert;
      const upstreams = instances.map((instance) => new URL(instance.url).host);
      const site = localSite(fs.readFileSync(SITE, 'utf8'), { port, upstreams, certPath: tls.certPath, keyPath: path.join(certDir, 'localhost-key.pem') });
      nginx = await startNginx(site, port);
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });

    after(async () => {
      await browser?.close();
      await nginx?.stop();
      for (const instance of instances) await instance.close();
      await dcs?.close();
      await redis?.stop();
      fs.rmSync(certDir, { recursive: true, force: true });
    });

    it('loads the pane through the proxy, signs in and pulls a month of daily consumption, served by both instances', async () => {
      const context = await browser.newContext({ viewport: { width: 350, height: 1200 }, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      const officeHost = moduleAsPageScript(require.resolve('../addin/support/office-host'), 'exports.installOfficeHost(window);');
      await page.route(OFFICE_JS, (route) => route.fulfill({ contentType: 'application/javascript', body: officeHost }));
      // The address a user is given: /metering/ redirects to the pane, and stays under the path.
      await page.goto(`${base}/`);
      assert.equal(page.url(), `${base}/taskpane.html`);
      await signInThroughPane(page).catch(async () =>
        assert.fail(`signing in through the proxy failed; the pane says: ${await page.locator('body').innerText()}`),
      );
      await page.fill('#source-search', SOURCE);
      await page.locator(`.option[data-id="${SOURCE}"]`).click();
      await page.selectOption('#preset', 'custom');
      await page.fill('#start-date', '2025-03-01');
      await page.fill('#end-date', '2025-03-31');
      await page.selectOption('#period-type', 'day');
      await page.selectOption('#time-zone', 'Europe/London');
      await page.click('#get-data');
      const success = page.locator('#status .message[data-kind="success"]');
      await success.waitFor({ timeout: 60_000 }).catch(async () => assert.fail(`the pane says: ${await page.locator('#status').textContent()}`));

      const names = await page.evaluate(() => (globalThis as unknown as { __excel: { tableNames(): string[] } }).__excel.tableNames());
      assert.equal(names.length, 1, `one table: ${names.join(', ')}`);
      const table = await page.evaluate(
        (name) => (globalThis as unknown as { __excel: { tableValues(n: string): Cell[][] } }).__excel.tableValues(name),
        names[0],
      );
      const expected = JSON.parse(
        (await get(`api/intervals?id=${SOURCE}&start=2025-03-01&end=2025-04-01&interval=day&timeZone=Europe/London&calc=consumption&layout=wide&output=json`))
          .body,
      ) as IntervalsWideJson;
      const [header, ...rows] = table;
      const column = header.findIndex((title) => /consumption/i.test(String(title)));
      assert.ok(column > 0, `a consumption column: ${header.join(' | ')}`);
      assert.equal(rows.length, 31, 'a row per day of March');
      assert.deepEqual(
        rows.map((row) => row[column]),
        expected.rows.map((row) => row.values[0] ?? ''),
        'the figures the API gives through the proxy',
      );
      await context.close();

      const apiCalls = nginx
        .accessLog()
        .split('\n')
        .filter((line) => line.includes(` ${PREFIX}/api/`));
      assert.ok(
        apiCalls.every((line) => line.startsWith('200 ')),
        `every API call through the proxy succeeded:\n${apiCalls.join('\n')}`,
      );
      const served = new Set(apiCalls.map((line) => line.split(' ')[1]));
      assert.deepEqual(
        [...served].sort(),
        instances.map((i) => new URL(i.url).host).sort(),
        'nginx spread the calls over both instances; the token worked on each',
      );
    });

    it('serves OData through the proxy with every link naming the proxy: service document, $metadata and next links', async () => {
      const service = await get('odata/');
      assert.equal(service.status, 200, service.body);
      assert.deepEqual(
        linksIn(service.body).filter((link) => !link.startsWith(`${base}/odata/`)),
        [],
        'service document',
      );
      assert.ok(linksIn(service.body).length > 0, 'the service document has a context link');
      const metadata = await get('odata/$metadata');
      assert.equal(metadata.status, 200, metadata.body);
      assert.deepEqual(
        linksIn(metadata.body).filter((link) => !link.startsWith(`${base}/`)),
        [],
        '$metadata',
      );

      let next: string | undefined =
        `odata/Readings?$filter=SourceId eq '${SOURCE}' and Timestamp ge 2025-01-01T00:00:00Z and Timestamp lt 2025-01-08T00:00:00Z`;
      let rows = 0;
      let pages = 0;
      while (next !== undefined) {
        const page = await get(next);
        assert.equal(page.status, 200, page.body);
        const body = JSON.parse(page.body) as { value: unknown[]; '@odata.nextLink'?: string };
        assert.deepEqual(
          linksIn(page.body).filter((link) => !link.startsWith(`${base}/odata/`)),
          [],
          `page ${pages + 1}`,
        );
        rows += body.value.length;
        pages++;
        next = body['@odata.nextLink'];
      }
      assert.equal(rows, 7 * 48, 'a week of half-hours, all pages followed through the proxy');
      assert.equal(pages, Math.ceil((7 * 48) / ODATA_PAGE_SIZE));
    });

    it('serves the add-in manifest through the proxy with every address at the proxy, and each one answers', async () => {
      const manifest = await get('manifest.xml');
      assert.equal(manifest.status, 200);
      // The AppDomain is an origin, not an address under the path: checked on its own below.
      const links = linksIn(manifest.body.replace(/<AppDomain>[^<]*<\/AppDomain>/g, ''));
      assert.ok(links.length > 8, `the manifest's addresses: ${links.join(', ')}`);
      assert.deepEqual(
        links.filter((link) => !link.startsWith(`${base}/`)),
        [],
        'every address in the manifest is under the proxy',
      );
      assert.match(manifest.body, new RegExp(`<AppDomain>${new URL(base).origin}</AppDomain>`));
      for (const link of new Set(links)) {
        const answer = await get(link);
        assert.equal(answer.status, 200, `${link} answers through the proxy`);
      }
    });
  },
);
