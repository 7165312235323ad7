/**
 * What the add-in's browser tests share: the built task pane served by the real server (plain
 * HTTP, embedded DCS simulator), headless Chromium driven by playwright-core, a stand-in for
 * office.js injected into the page, the demo user's API token (to ask the API what the pane
 * should show), and the folder screenshots go to.
 *
 * Needs the built add-in (npm run build:addin; ADDIN_DIST overrides where) and /usr/bin/chromium.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type StartedServer } from '../../../server/server';
import { skipSuite } from '../../support/services';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const ADDIN_DIST = process.env.ADDIN_DIST ? path.resolve(process.env.ADDIN_DIST) : path.join(REPO_ROOT, 'dist');
/** Screenshots and other output of the browser tests (gitignored). */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
/** Where the task pane loads office.js from; the tests answer with a stub instead. */
export const OFFICE_JS = 'https://appsforoffice.microsoft.com/**';
const DEMO_USER = { username: 'demo', password: 'demo' };

/**
 * The `skip` option of a browser test suite. Without Chromium the suite is skipped with a warning,
 * except on CI, where a skipped suite would pass unnoticed: there the test file fails instead.
 */
export function skipWithoutChromium(suite: string): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  return skipSuite(suite, `${CHROMIUM} is missing: the add-in's browser tests cannot run. Install it: apt-get install -y chromium`);
}

export interface BrowserRig {
  server: StartedServer;
  /** Where the pages are opened: the server's root, or its base path behind the test's proxy. */
  pageBase: string;
  /** Paths the proxy was asked for outside the base path (none when there is no proxy). */
  strayRequests: string[];
  browser: Browser;
  /** The demo user's Bearer token. */
  token: string;
  /** GET on the server's API as the demo user; `url` is absolute or relative to the server. */
  api(url: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A reverse proxy on a free loopback port that publishes `target` under `basePath` (as a site's
 * web server publishes an application under /metering/): the prefix is stripped on the way in;
 * anything outside it is answered 404 and recorded.
 */
async function startPathProxy(basePath: string, target: () => string): Promise<{ url: string; stray: string[]; close(): Promise<void> }> {
  const stray: string[] = [];
  const proxy = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(basePath)) {
      stray.push(url);
      res.writeHead(404).end();
      return;
    }
    const upstream = new URL(target());
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: `/${url.slice(basePath.length)}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${basePath}`, stray, close: () => new Promise((resolve) => proxy.close(() => resolve())) };
}

/**
 * Starts the server on the built add-in, signs the demo user in to its API, and launches Chromium.
 * With `basePath` (e.g. `/metering/`) the server is published under that path through a proxy,
 * with PUBLIC_URL saying so, as deployed behind an organisation's web server.
 */
export async function startBrowserRig(options: { basePath?: string } = {}): Promise<BrowserRig> {
  if (!fs.existsSync(path.join(ADDIN_DIST, 'taskpane.html'))) {
    throw new Error(`${ADDIN_DIST}/taskpane.html is missing: build the add-in first (npm run build:addin).`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let serverUrl = '';
  const proxy = options.basePath === undefined ? undefined : await startPathProxy(options.basePath, () => serverUrl);
  // Groups made in a test are kept in a folder of its own, not in the repository's data/.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-pane-data-'));
  const server = await startServer({
    https: false,
    port: 0,
    logLevel: 'silent',
    staticDir: ADDIN_DIST,
    dataDir,
    ...(proxy ? { publicUrl: proxy.url } : {}),
  });
  serverUrl = server.url;
  let browser: Browser | undefined;
  try {
    const signIn = await fetch(new URL('api/session', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(DEMO_USER),
    });
    const { token } = (await signIn.json()) as { token: string };
    const { chromium } = await import('playwright-core');
    const launched = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browser = launched;
    return {
      server,
      pageBase: proxy?.url ?? server.url,
      strayRequests: proxy?.stray ?? [],
      browser: launched,
      token,
      api: (url) => fetch(new URL(url, server.url), { headers: { Authorization: `Bearer ${token}` } }),
      close: async () => {
        await launched.close();
        await server.close();
        await proxy?.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    await proxy?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A compiled module as a script for the page: it and the modules it requires by relative path
 * (the in-memory Excel model is several) run with their own `exports`, then `use`, which sees the
 * entry module's as `exports`. Only relative requires are followed: the page has no Node.
 */
export function moduleAsPageScript(compiledFile: string, use: string): string {
  const modules = new Map<string, { code: string; requires: Record<string, string> }>();
  const visit = (file: string): void => {
    if (modules.has(file)) return;
    const code = fs.readFileSync(file, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
    const requires: Record<string, string> = {};
    modules.set(file, { code, requires });
    for (const [, request] of code.matchAll(/require\("(\.[^"]+)"\)/g)) {
      requires[request] = require.resolve(path.resolve(path.dirname(file), request));
      visit(requires[request]);
    }
  };
  visit(compiledFile);
  const table = [...modules].map(
    ([file, m]) => `${JSON.stringify(file)}: { requires: ${JSON.stringify(m.requires)}, run: function (exports, require) {\n${m.code};\n} }`,
  );
  return `(function () {
  var modules = {${table.join(',\n')}};
  var loaded = {};
  function load(file) {
    if (loaded[file]) return loaded[file];
    var exports = (loaded[file] = {});
    modules[file].run(exports, function (request) { return load(modules[file].requires[request]); });
    return exports;
  }
  var exports = load(${JSON.stringify(compiledFile)});
${use}
})();`;
}

/**
 * Opens the task pane in `page`, with office.js answered by `officeJs`, or failing to load as in
 * a plain browser offline when it is undefined. Errors in the page are logged.
 */
export async function openTaskPane(page: Page, rig: BrowserRig, officeJs: string | undefined): Promise<void> {
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.route(OFFICE_JS, (route) =>
    officeJs === undefined ? route.abort('internetdisconnected') : route.fulfill({ contentType: 'application/javascript', body: officeJs }),
  );
  await page.goto(new URL('taskpane.html', rig.pageBase).href);
}

/** Signs the demo user in through the pane's form and waits for the pane's work area. */
export async function signInThroughPane(page: Page): Promise<void> {
  await page.fill('#username', DEMO_USER.username);
  await page.fill('#password', DEMO_USER.password);
  await page.click('#sign-in-button');
  await page.waitForSelector('#work:not([hidden])');
}

/** Presses a ribbon button (an action the add-in associated) and waits for it to complete its event. */
export function pressRibbonButton(page: Page, action: string): Promise<boolean> {
  return page.evaluate(
    (name) =>
      new Promise<boolean>((resolve) => {
        const actions = (globalThis as unknown as { __actions: Record<string, (event: { completed(): void }) => void> }).__actions;
        actions[name]({ completed: () => resolve(true) });
      }),
    action,
  );
}
