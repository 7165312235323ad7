/**
 * The task pane in a real browser (headless Chromium) against the real server and its embedded
 * DCS simulator. Excel is played by a stub of Office.js served in place of Microsoft's CDN
 * script: it hosts the add-in's in-memory workbook, so the test can read back every cell written.
 * Screenshots of the pane go to test-artifacts/ (gitignored).
 *
 * Needs dist/ (npm run build:addin) and /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Source } from '../../server/api/types';
import { naiveDateTimeToSerial, serialToText } from '../../addin/excel/dates';
import { columnLetters, type Cell } from '../../addin/preview/memory-excel';
import {
  ARTIFACTS,
  moduleAsPageScript,
  openTaskPane,
  pressRibbonButton,
  signInThroughPane,
  skipWithoutChromium,
  startBrowserRig,
  type BrowserRig,
} from './support/browser';

const PANE_SIZE = { width: 380, height: 1400 };

/**
 * The stand-in for office.js: Office.onReady says "Excel", Excel.run runs batches against the
 * add-in's in-memory workbook (the same model the unit tests use), and window.__excel lets the
 * test read the workbook back. Ribbon actions are kept in window.__actions so the test can press them.
 */
function officeStub(): string {
  return moduleAsPageScript(
    require.resolve('../../addin/preview/memory-excel'),
    `var workbook = exports.createMemoryExcel();
    window.__excel = workbook.view;
    window.__actions = {};
    var info = { host: 'Excel', platform: 'OfficeOnline' };
    window.Office = {
      HostType: { Excel: 'Excel' },
      onReady: function (callback) { if (callback) callback(info); return Promise.resolve(info); },
      actions: { associate: function (name, fn) { window.__actions[name] = fn; } },
      addin: { showAsTaskpane: function () { window.__paneShown = true; return Promise.resolve(); } },
      context: { requirements: { isSetSupported: function () { return true; } } },
    };
    window.Excel = { run: function () { return workbook.run.apply(workbook, arguments); } };
    window.CustomFunctions = { associate: function () {} };`,
  );
}

/** What the stub puts on the page's window, as seen from page.evaluate callbacks. */
interface StubbedWindow {
  __excel: { tableValues(name: string): Cell[][]; settings(): unknown; cell(sheet: string, row: number, column: number): Cell };
  document: { querySelectorAll(selector: string): { forEach(fn: (element: { remove(): void }) => void): void } };
}

/** Waits for the pane's next message bar and returns its text, failing if it is not a success. */
async function successMessage(page: Page): Promise<string> {
  const message = page.locator('#status .message').first();
  await message.waitFor({ timeout: 60_000 });
  const text = (await message.locator('span').first().textContent()) ?? '';
  assert.match((await message.getAttribute('class')) ?? '', /success/, `the pane said: ${text}`);
  return text;
}

interface CsvRow {
  id: string;
  timestamp: string;
  value: string;
  status: number;
}

function parseCsv(text: string): CsvRow[] {
  const [header, ...lines] = text.trim().split('\n');
  assert.equal(header, 'id,timestamp,value,status');
  return lines.map((line) => {
    const [id, timestamp, value, status] = line.split(',');
    return { id, timestamp, value, status: Number(status) };
  });
}

/** Asserts that a table's rows hold exactly what the server's csv says, in Excel's terms. */
function assertTableMatchesCsv(table: Cell[][], csv: CsvRow[]): void {
  const body = table.slice(1);
  assert.equal(body.length, csv.length, 'one table row per csv reading');
  assert.ok(csv.length > 24 * 2 * 27, `a month of half-hours expected, got ${csv.length}`);
  for (const [i, expected] of csv.entries()) {
    const [timestamp, value, status, interpolated, reset, note] = body[i];
    // csv: the zone's wall clock plus its offset, e.g. 2024-06-01T00:30:00+01:00.
    const wallClock = expected.timestamp.slice(0, 19);
    assert.ok(
      Math.abs((timestamp as number) - naiveDateTimeToSerial(wallClock)) < 1e-6,
      `row ${i + 1}: ${serialToText(timestamp as number)} vs ${expected.timestamp}`,
    );
    const number = Number(expected.value);
    if (Number.isFinite(number)) {
      assert.equal(value, number, `row ${i + 1} value`);
      assert.equal(note, '');
    } else {
      assert.equal(value, '', `row ${i + 1}: ${expected.value} leaves the cell empty`);
      assert.equal(note, expected.value);
    }
    assert.equal(status, expected.status);
    assert.equal(interpolated, (expected.status & 1) !== 0);
    assert.equal(reset, (expected.status & 2) !== 0);
  }
}

describe('Excel add-in in a browser', { skip: skipWithoutChromium('the task pane tests') }, () => {
  let rig: BrowserRig;
  let register: Source;

  before(async () => {
    rig = await startBrowserRig();
    const sources = (await (await rig.api('api/sources')).json()) as Source[];
    register =
      sources.find((s) => s.kind === 'register' && !s.isInstantaneous && /electric/i.test(`${s.meter?.name} ${s.name} ${s.unit}`)) ??
      sources.find((s) => s.kind === 'register' && !s.isInstantaneous)!;
    assert.ok(register, 'the simulator lists a cumulative register');
  });

  after(async () => {
    await rig?.close();
  });

  async function openPane(stubOffice: boolean): Promise<Page> {
    const page = await rig.browser.newPage({ viewport: PANE_SIZE });
    await openTaskPane(page, rig, stubOffice ? officeStub() : undefined);
    return page;
  }

  async function signInAndPick(page: Page): Promise<void> {
    await signInThroughPane(page);
    assert.equal(await page.inputValue('#password'), '', 'the password field is cleared after sign-in');
    assert.match((await page.textContent('#who')) ?? '', /demo/);

    // Type part of the register's name: the list filters as you type.
    await page.fill('#source-search', register.name.slice(0, 6));
    const option = page.locator(`.option[data-id="${register.id}"]`);
    await option.waitFor();
    await option.click();
    await page.waitForSelector('.chip');
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await page.selectOption('#preset', 'lastFullMonth');
    // Readings as DCS stores them (the pane's default for a cumulative register is consumption).
    await page.click('#what fluent-radio[value="readings"]');
  }

  it("signs in, pulls last full month into a table equal to the server's csv, and refreshes it", async () => {
    const page = await openPane(true);
    await page.waitForSelector('#sign-in:not([hidden])');
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-1-sign-in.png'), fullPage: true });
    await signInAndPick(page);
    const groups = await page.locator('.group-header').allTextContents();
    assert.ok(groups.includes(register.meter!.name), `results grouped by meter: ${groups.join(', ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-2-picked.png'), fullPage: true });

    const pulls: string[] = [];
    const authorizations: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (!request.url().includes('/api/readings?')) return;
      pulls.push(request.url());
      authorizations.push(request.headers()['authorization']);
    });
    await page.selectOption('#period-type', 'halfHour');
    await page.click('#get-data');
    await successMessage(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-3-readings.png'), fullPage: true });

    // The Authorization header, not a cookie, carries the session; the token never reaches the workbook.
    const tableName = `DCS_${register.id}`;
    const table = await page.evaluate((name) => (globalThis as unknown as StubbedWindow).__excel.tableValues(name), tableName);
    const settings = await page.evaluate(() => JSON.stringify((globalThis as unknown as StubbedWindow).__excel.settings()));
    assert.doesNotMatch(settings, /demo|token|password/i, 'no credentials in the workbook');
    assert.match(settings, /lastFullMonth/, 'the relative preset is remembered');

    assert.equal(pulls.length, 1);
    assert.match(authorizations[0] ?? '', /^Bearer \S+$/, 'API calls carry the Bearer token');
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } };
      return Array.from({ length: w.localStorage.length }, (_, i) => w.localStorage.getItem(w.localStorage.key(i)!)).join('\n');
    });
    assert.doesNotMatch(stored, /demo/, "the password is not kept in the browser's storage");
    const csvUrl = pulls[0].replace('output=ndjson', 'output=csv');
    const csv = parseCsv(await (await rig.api(csvUrl)).text());
    assert.ok(csv.every((row) => row.id === register.id));
    assert.equal(table[0][1], `Value (${register.unit})`);
    assertTableMatchesCsv(table, csv);
    const title = await page.evaluate(() => (globalThis as unknown as StubbedWindow).__excel.cell('DCS readings', 0, 0));
    // A new workbook's zone is the computer's, shown by name (issue 19).
    const computerZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.match(String(title), new RegExp(`${register.unit}.*half-hourly.*Last full month.*times in ${computerZone}`));

    // Refresh all from the pane, then from the ribbon (without the pane's help).
    await page.evaluate(() => (globalThis as unknown as StubbedWindow).document.querySelectorAll('#status .message').forEach((m) => m.remove()));
    await page.click('#refresh-all');
    assert.match(await successMessage(page), new RegExp(`Refreshed 1 table: ${tableName}`));
    assert.equal(pulls.length, 2, 'the refresh pulled again');
    const [first, again] = pulls.map((url) => new URL(url).searchParams);
    assert.equal(again.get('id'), first.get('id'));
    assert.match(again.get('start') ?? '', /^\d{4}-\d{2}-01T00:00:00$/, 'last full month starts on the 1st');
    const refreshed = await page.evaluate((name) => (globalThis as unknown as StubbedWindow).__excel.tableValues(name), tableName);
    // Compared with the csv of the refresh's own query (the month may have turned meanwhile).
    const csvAgain = parseCsv(await (await rig.api(pulls[1].replace('output=ndjson', 'output=csv'))).text());
    assertTableMatchesCsv(refreshed, csvAgain);

    assert.equal(await pressRibbonButton(page, 'refreshAll'), true, 'the ribbon command completes its event');
    assert.equal(pulls.length, 3, 'the ribbon refresh pulled again');
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-4-refreshed.png'), fullPage: true });
    await page.close();
  });

  it('explains outside Excel that it runs inside Excel, and offers a working preview mode', async () => {
    const page = await openPane(false); // office.js cannot load: a plain browser offline
    await page.waitForSelector('#outside-excel:not([hidden])');
    assert.match((await page.textContent('#outside-excel')) ?? '', /runs inside Excel/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-5-outside-excel.png'), fullPage: true });

    await page.click('#start-preview');
    await page.waitForSelector('#preview:not([hidden])');
    await signInAndPick(page);
    // DCS counts days in UTC, so a daily pull asks for UTC days.
    await page.selectOption('#period-type', 'day');
    await page.selectOption('#time-zone', 'UTC');
    await page.click('#get-data');
    await successMessage(page);

    const cells = page.locator('#grid td');
    assert.match((await page.locator('#grid td[data-cell="A1"]').textContent()) ?? '', /^DCS: /);
    assert.equal(await page.locator('#grid td[data-cell="A2"]').textContent(), 'Timestamp (UTC)');
    assert.match((await page.locator('#grid td[data-cell="A3"]').textContent()) ?? '', /^\d{4}-\d{2}-01 00:00$/, 'dates shown as dates');
    assert.ok((await cells.count()) > 100);
    assert.equal(await page.locator('.tab[aria-selected="true"]').textContent(), 'DCS readings');
    assert.equal(columnLetters(1), 'B');
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-6-preview.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'addin-7-preview-wide.png') });
    await page.close();
  });
});
