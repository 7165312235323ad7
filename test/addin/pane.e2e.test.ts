/**
 * The pane as a user drives it, in headless Chromium at a task pane's width (350 px), against
 * the real server and its DCS simulator, with Excel played by the add-in's in-memory workbook
 * behind a stand-in for office.js. Screenshots go to test-artifacts/pane-*.png.
 *
 * Needs dist/ (npm run build:addin) and /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { IntervalsWideJson, Source } from '../../server/api/types';
import { naiveDateTimeToSerial } from '../../addin/excel/dates';
import type { Cell, ChartInfo } from '../../addin/preview/memory-excel';
import {
  ARTIFACTS,
  moduleAsPageScript,
  openTaskPane,
  REPO_ROOT,
  signInThroughPane,
  skipWithoutChromium,
  startBrowserRig,
  type BrowserRig,
} from './support/browser';

const PANE = { width: 350, height: 1800 };

interface StubOptions {
  /** Office.onReady never answers (a slow host): the ribbon must work all the same. */
  neverReady?: boolean;
  /** Office.context.officeTheme, e.g. Excel's dark theme. */
  theme?: { bodyBackgroundColor: string; bodyForegroundColor: string; isDarkTheme?: boolean };
  /** Settings the workbook was saved with (a file reopened). */
  settings?: Record<string, unknown>;
}

/** office.js stand-in: Excel.run on the add-in's in-memory workbook, exposed as window.__excel. */
function officeStub(options: StubOptions = {}): string {
  return moduleAsPageScript(
    require.resolve('../../addin/preview/memory-excel'),
    `var workbook = exports.createMemoryExcel();
    window.__excel = workbook.view;
    window.__run = function (batch) { return workbook.run(batch); };
    var saved = ${JSON.stringify(options.settings ?? {})};
    workbook.run(function (context) {
      Object.keys(saved).forEach(function (key) { context.workbook.settings.add(key, saved[key]); });
      return context.sync();
    });
    window.__actions = {};
    var info = { host: 'Excel', platform: 'OfficeOnline' };
    window.Office = {
      HostType: { Excel: 'Excel' },
      onReady: ${options.neverReady ? 'function () { return new Promise(function () {}); }' : 'function (callback) { if (callback) callback(info); return Promise.resolve(info); }'},
      actions: { associate: function (name, fn) { window.__actions[name] = fn; } },
      addin: { showAsTaskpane: function () { return Promise.resolve(); } },
      context: {
        partitionKey: 'excel-online-partition',
        officeTheme: ${JSON.stringify(options.theme ?? null)} || undefined,
        requirements: { isSetSupported: function () { return true; } },
      },
    };
    window.__runs = 0;
    window.Excel = { run: function () { window.__runs++; return workbook.run.apply(workbook, arguments); } };
    window.CustomFunctions = { associate: function () {} };`,
  );
}

interface PageWindow {
  __excel: { tableValues(name: string): Cell[][]; tableNames(): string[]; charts(sheet: string): ChartInfo[]; settings(): Record<string, unknown> };
  __runs: number;
  __actions: Record<string, unknown>;
  __run(batch: (context: Excel.RequestContext) => Promise<void>): Promise<void>;
  localStorage: { length: number; key(i: number): string | null; getItem(key: string): string | null };
  document: { documentElement: { dataset: Record<string, string> }; body: unknown; querySelector(selector: string): unknown };
  getComputedStyle(element: unknown): { backgroundColor: string };
}

/** The text of the status area once it shows a message of `kind`; fails with what it shows otherwise. */
async function status(page: Page, kind: 'success' | 'error'): Promise<string> {
  const bar = page.locator(`#status .message[data-kind="${kind}"]`);
  try {
    await bar.waitFor({ timeout: 30_000 });
  } catch {
    assert.fail(`expected a ${kind} message; the pane says: ${await page.locator('#status').textContent()}`);
  }
  return (await bar.textContent()) ?? '';
}

/** The pane as tall as its content, at the pane's width. */
async function paneShot(page: Page, name: string): Promise<void> {
  await page.locator('body').screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function pick(page: Page, search: string, ids: string[]): Promise<void> {
  await page.fill('#source-search', search);
  for (const id of ids) {
    const option = page.locator(`.option[data-id="${id}"]`);
    await option.click();
    assert.equal(await option.getAttribute('aria-selected'), 'true');
  }
}

async function customDates(page: Page, first: string, last: string, interval: string, zone: string): Promise<void> {
  await page.selectOption('#preset', 'custom');
  await page.fill('#start-date', first);
  await page.fill('#end-date', last);
  await page.selectOption('#period-type', interval);
  await page.selectOption('#time-zone', zone);
}

describe('the pane, driven as a user would', { skip: skipWithoutChromium('the pane tests') }, () => {
  let rig: BrowserRig;
  let sources: Source[];

  before(async () => {
    rig = await startBrowserRig();
    sources = (await (await rig.api('api/sources')).json()) as Source[];
  });
  after(async () => {
    await rig?.close();
  });

  async function open(options: StubOptions = {}, size: { width: number; height: number } = PANE): Promise<Page> {
    const page = await rig.browser.newPage({ viewport: size });
    await openTaskPane(page, rig, officeStub(options));
    return page;
  }

  it('gets three sources as daily consumption in Europe/London into one wide table with a column chart', async () => {
    const page = await open();
    await signInThroughPane(page);
    const imports = sources.filter((s) => s.name === 'Active Energy Import').slice(0, 3);
    assert.equal(imports.length, 3);
    // Words in any order, across meter and register names.
    await pick(
      page,
      'import energy',
      imports.map((s) => s.id),
    );
    assert.equal(await page.locator('#layout').evaluate((g) => (g as unknown as { value: string }).value), 'wide', 'several sources default to one wide table');
    assert.equal(await page.locator('#what').evaluate((g) => (g as unknown as { value: string }).value), 'consumption');
    await customDates(page, '2025-10-01', '2025-10-31', 'day', 'Europe/London');
    await page.click('#get-data');
    assert.match(await status(page, 'success'), /DCS_Consumption \(31 rows, with a chart\)/);
    await paneShot(page, 'pane-1-wide-daily-consumption');

    const table = await page.evaluate(() => (globalThis as unknown as PageWindow).__excel.tableValues('DCS_Consumption'));
    const url = `api/intervals?id=${imports.map((s) => s.id).join(',')}&start=2025-10-01&end=2025-11-01&interval=day&timeZone=Europe/London&calc=consumption&layout=wide&output=json`;
    const wide = (await (await rig.api(url)).json()) as IntervalsWideJson;
    const [header, ...rows] = table;
    assert.equal(header[0], 'Start (Europe/London)');
    for (const [j, source] of imports.entries()) {
      assert.equal(String(header[1 + j]), `${source.id} consumption (${source.unit})`, 'a short header: source id, calculation and unit');
    }
    assert.equal(rows.length, wide.rows.length);
    for (const [i, expected] of wide.rows.entries()) {
      assert.equal(rows[i][0], naiveDateTimeToSerial(expected.start.slice(0, 19)), `row ${i + 1} starts at local midnight`);
      assert.deepEqual(
        rows[i].slice(1, 4),
        expected.values.map((v) => v ?? ''),
        `row ${i + 1} figures`,
      );
    }
    const clockChange = rows.findIndex((r) => r[0] === naiveDateTimeToSerial('2025-10-26T00:00:00'));
    assert.equal(rows[clockChange][rows[clockChange].length - 1], 50, 'the clock-change day has 50 half-hours');

    const charts = await page.evaluate(() => (globalThis as unknown as PageWindow).__excel.charts('DCS data'));
    assert.equal(charts.length, 1);
    assert.equal(charts[0].type, 'ColumnClustered', 'daily consumption is drawn as columns');
    assert.deepEqual(
      charts[0].series.map((x) => [x.values, x.categories]),
      imports.map((_, j) => [
        { row: 2, column: 1 + j, rows: 31, columns: 1 },
        { row: 2, column: 0, rows: 31, columns: 1 },
      ]),
      'the chart plots the three sources (one unit) over the dates',
    );
    assert.ok(charts[0].position.column > 4, 'the chart sits beside the table');
    await page.close();
  });

  it('shows the October clock change unambiguously: two 01:00s, told apart by their UTC offset', async () => {
    // Preview mode: the same pane, drawing the workbook beside it.
    const preview = await rig.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await openTaskPane(preview, rig, undefined);
    await preview.click('#start-preview');
    await signInThroughPane(preview);
    await pick(preview, 'R1001', ['R1001']);
    await customDates(preview, '2025-10-26', '2025-10-26', 'halfHour', 'Europe/London');
    await preview.click('#get-data');
    await status(preview, 'success');
    const cell = (address: string) => preview.locator(`#grid td[data-cell="${address}"]`).textContent();
    assert.equal(await cell('A2'), 'Start (Europe/London)');
    const offsets = [];
    for (let row = 5; row <= 8; row++) offsets.push(`${await cell(`A${row}`)} ${await cell(`C${row}`)}`);
    assert.deepEqual(offsets, ['2025-10-26 01:00 +01:00', '2025-10-26 01:30 +01:00', '2025-10-26 01:00 +00:00', '2025-10-26 01:30 +00:00']);
    assert.match((await preview.locator('#grid-footer').textContent()) ?? '', /of 52\b/, '50 half-hours under a title and a header');
    // The grid scrolls through every row: the last half-hour is reachable.
    await preview.locator('#grid').evaluate((grid) => (grid.scrollTop = grid.scrollHeight));
    await preview.waitForFunction(() => (globalThis as unknown as PageWindow).document.querySelector('#grid td[data-cell="A52"]') !== null);
    assert.equal(await cell('A52'), '2025-10-26 23:30');
    await preview.locator('#grid').evaluate((grid) => (grid.scrollTop = 0));
    await preview.screenshot({ path: path.join(ARTIFACTS, 'pane-2-clock-change.png') });
    await preview.close();
  });

  it('draws the chart in preview mode and inserts the Bill check sheet there too, calculated', async () => {
    const page = await rig.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await openTaskPane(page, rig, undefined);
    await page.click('#start-preview');
    await signInThroughPane(page);
    const ids = sources
      .filter((s) => s.name === 'Active Energy Import')
      .slice(0, 3)
      .map((s) => s.id);
    await pick(page, 'active energy import', ids);
    await customDates(page, '2025-10-01', '2025-10-31', 'day', 'Europe/London');
    await page.click('#get-data');
    await status(page, 'success');
    const figure = page.locator('#charts figure.chart');
    assert.equal(await figure.getAttribute('data-chart-type'), 'ColumnClustered');
    assert.equal(await figure.locator('rect').count(), 31 * 3, 'one column per day and source');
    await page.screenshot({ path: path.join(ARTIFACTS, 'pane-3-preview-chart.png') });
    await page.click('#invoice-check');
    await page.locator('#status .message', { hasText: 'Inserted the Bill check sheet' }).waitFor();
    assert.equal(await page.locator('.tab[aria-selected="true"]').textContent(), 'Bill check');
    // Preview calculates the sheet (the add-in's own DCS functions against the server): figures, verdicts and dates, not formula text.
    const cell = async (address: string) => (await page.locator(`#grid td[data-cell="${address}"]`).textContent()) ?? '';
    assert.equal(await cell('H5'), '10', 'the summary counts the demo invoices');
    assert.equal(await cell('H9'), '7', 'and the lines to check');
    assert.equal(await cell('E14'), '2024-10-01', 'dates show as dates');
    assert.equal(await cell('T27'), 'OK', "the first line's verdict");
    assert.match(await cell('O27'), /^72868\.55/, "the first line's expected quantity, from =DCS.CONSUMPTION");
    await page.screenshot({ path: path.join(ARTIFACTS, 'pane-3-preview-bill-check.png') });
    await page.close();
  });

  it('follows a dark Excel with a dark pane', async () => {
    const page = await open({ theme: { bodyBackgroundColor: '#292929', bodyForegroundColor: '#ffffff', isDarkTheme: true } });
    await signInThroughPane(page);
    await pick(page, 'library', ['R1001', 'R1003']);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.dataset.theme), 'dark');
    const background = await page.evaluate(() => {
      const g = globalThis as unknown as PageWindow;
      return g.getComputedStyle(g.document.body).backgroundColor;
    });
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    assert.ok(r + g + b < 150, `dark background, got ${background}`);
    await paneShot(page, 'pane-4-dark');
    await page.close();
  });

  it('shows an expired account as an error banner that says what to do', async () => {
    const page = await open();
    await page.fill('#username', 'expired');
    await page.fill('#password', 'expired');
    await page.press('#password', 'Enter'); // Enter signs in, as in any sign-in form
    await page.waitForSelector('#work:not([hidden])');
    await page.focus('#source-search');
    const text = await status(page, 'error');
    assert.match(text, /account has expired.*ask the DCS administrator/);
    assert.equal(await page.locator('#status .message').getAttribute('role'), 'alert', 'announced at once');
    assert.match(text, /Your DCS account cannot read this data/);
    await paneShot(page, 'pane-5-expired-account');
    await page.close();
  });

  it('associates the ribbon buttons as the script loads, before Office says it is ready', async () => {
    const page = await open({ neverReady: true });
    await page.waitForFunction(() => typeof (globalThis as unknown as PageWindow).__actions.refreshAll === 'function');
    assert.deepEqual(await page.evaluate(() => Object.keys((globalThis as unknown as PageWindow).__actions).sort()), ['newInvoiceCheck', 'refreshAll']);
    assert.equal(await page.isVisible('#starting'), true, 'Office.onReady has not answered yet');
    await page.close();
  });

  it('keeps the user signed in across reopening with a revocable token (never the password), until sign-out', async () => {
    const page = await open();
    await page.waitForSelector('#sign-in:not([hidden])');
    const runsBefore = await page.evaluate(() => (globalThis as unknown as PageWindow).__runs);
    await signInThroughPane(page);
    // Signing in recalculates the DCS formulas, which showed "sign in" until now.
    await page.waitForFunction((n) => (globalThis as unknown as PageWindow).__runs > n, runsBefore);
    const stored = await page.evaluate(() => {
      const entries: string[] = [];
      for (let i = 0; i < (globalThis as unknown as PageWindow).localStorage.length; i++) {
        const key = (globalThis as unknown as PageWindow).localStorage.key(i)!;
        entries.push(`${key}=${(globalThis as unknown as PageWindow).localStorage.getItem(key)}`);
      }
      return entries;
    });
    assert.equal(stored.length, 1);
    assert.match(stored[0], /^excel-online-partition/, "kept under Office's partition key");
    assert.doesNotMatch(stored[0], /=demo$|password/, 'the password is not kept');
    const token = stored[0].split('=')[1];

    await page.reload();
    await page.waitForSelector('#work:not([hidden])');
    assert.match((await page.textContent('#who')) ?? '', /demo/, 'still signed in after reopening');

    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).localStorage.length), 0, 'sign-out clears the kept token');
    const revoked = await fetch(new URL('api/session', rig.server.url), { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(revoked.status, 401, 'the server no longer accepts the token');
    await page.close();
  });

  it('moves through matches with the arrow keys, selects all matches, and shows many picks as a count', async () => {
    const page = await open();
    await signInThroughPane(page);
    await page.fill('#source-search', 'electricity library');
    await page.waitForSelector('.option[data-id="R1001"]');
    assert.match((await page.locator('.option[data-id="R1001"] .id').textContent()) ?? '', /R1001/, 'ids are shown');
    await page.press('#source-search', 'ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    assert.equal(await page.locator('.option[data-id="R1002"]').getAttribute('aria-selected'), 'true', 'Space picks the focused match');
    await page.click('#select-all');
    const matches = await page.locator('.option').count();
    assert.ok(matches > 3);
    assert.equal(await page.locator('.selection .count').textContent(), `${matches} sources selected`);
    assert.equal(await page.locator('.selection .chip').count(), 0, 'the picks collapse to a count');
    await page.close();
  });

  it('remembers the picked sources with the workbook and picks them again when it is reopened', async () => {
    const first = await open();
    await signInThroughPane(first);
    await pick(first, 'library electricity', ['R1001', 'R1002']);
    const settings = await first.evaluate(() => (globalThis as unknown as PageWindow).__excel.settings());
    assert.deepEqual(settings['DCS.pickedSources'], ['R1001', 'R1002'], 'ids only, in the order picked');
    assert.doesNotMatch(JSON.stringify(settings), /demo|token|password/i, 'nothing secret in the workbook');
    await first.close();

    // The same file opened again (its settings travel with it), and one id this account cannot read.
    const again = await open({ settings: { ...settings, 'DCS.pickedSources': ['R1001', 'R1002', 'R999999'] } });
    await signInThroughPane(again);
    await again.waitForSelector('.selection .chip');
    const chips = await again.locator('.selection .chip').allTextContents();
    assert.deepEqual(
      chips.map((c) => c.split(' ')[0]),
      ['R1001', 'R1002'],
    );
    assert.match(
      (await again.textContent('#source-status')) ?? '',
      /This workbook remembers R999999, which your DCS account does not list; the other picks are back/,
    );
    await paneShot(again, 'pane-7-picks-restored');
    // Removing a pick is kept too.
    await again.locator('.selection .chip', { hasText: 'R1002' }).locator('button').click();
    await again.waitForFunction(() => {
      const kept = (globalThis as unknown as PageWindow).__excel.settings()['DCS.pickedSources'];
      return Array.isArray(kept) && kept.length === 1;
    });
    assert.deepEqual(await again.evaluate(() => (globalThis as unknown as PageWindow).__excel.settings()['DCS.pickedSources']), ['R1001']);
    await again.close();
  });

  it('offers, in its own words, consumption per interval when DCS has no readings for local days', async () => {
    const page = await open();
    await signInThroughPane(page);
    await pick(page, 'R1001', ['R1001']);
    assert.equal(await page.isVisible('#select-all'), false, 'one match has no "Select all 1 matches"');
    await page.click('#what fluent-radio[value="readings"]');
    assert.equal((await page.textContent('#get-data'))?.trim(), 'Get readings');
    // April in London is on BST: its midnights are 23:00 UTC, where no DCS day reading starts.
    await customDates(page, '2025-04-01', '2025-04-30', 'day', 'Europe/London');
    const preview = (await page.textContent('#range-preview')) ?? '';
    assert.match(preview, /DCS's Day readings run from midnight UTC, and this range starts at 2025-04-01 00:00 Europe\/London \(2025-03-31 23:00 UTC\)/);
    assert.match(preview, /Choose "Consumption per interval"/);
    assert.equal(await page.isVisible('#use-consumption'), true, 'one click to what works');
    await page.click('#get-data');
    const bar = page.locator('#status .message[data-kind="warning"]');
    await bar.waitFor();
    const advice = (await bar.textContent()) ?? '';
    assert.match(advice, /No readings fit this range/);
    assert.doesNotMatch(`${preview} ${advice}`, /\/api|interval=|timeZone=|periodType/, 'no API words in the pane');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).__excel.tableNames().length), 0, 'nothing asked, nothing written');
    await paneShot(page, 'pane-8-readings-advice');
    await bar.locator('.message-action').click();
    assert.equal(await page.locator('#what').evaluate((g) => (g as unknown as { value: string }).value), 'consumption');
    assert.equal(await page.isVisible('#use-consumption'), false);
    assert.equal((await page.textContent('#get-data'))?.trim(), 'Get consumption');
    await page.click('#get-data');
    assert.match(await status(page, 'success'), /DCS_R1001_Consumption \(30 rows/);
    await page.close();
  });

  it('keeps the old table intact when a refresh cannot grow it', async () => {
    const page = await open();
    await signInThroughPane(page);
    await pick(page, 'R1001', ['R1001']);
    await customDates(page, '2025-10-01', '2025-10-07', 'day', 'Europe/London');
    await page.click('#get-data');
    await status(page, 'success');
    const before = await page.evaluate(() => (globalThis as unknown as PageWindow).__excel.tableValues('DCS_R1001_Consumption'));
    // Something below the table, and a query that now gives more rows (a longer fixed range).
    await page.evaluate(() =>
      (globalThis as unknown as PageWindow).__run(async (context) => {
        const sheet = context.workbook.worksheets.getItem('DCS data');
        sheet.getRangeByIndexes(10, 0, 1, 1).values = [['Notes the user typed below the table']];
        // Calculated tables are remembered by table id, as readings tables are.
        const table = context.workbook.tables.getItem('DCS_R1001_Consumption');
        table.load('id');
        await context.sync();
        const setting = context.workbook.settings.getItemOrNullObject(`DCS.table.${table.id}`);
        setting.load('value');
        await context.sync();
        const stored = JSON.parse(setting.value as string);
        stored.query.range = { kind: 'fixed', start: '2025-10-01T00:00:00', end: '2025-10-15T00:00:00' };
        context.workbook.settings.add(`DCS.table.${table.id}`, JSON.stringify(stored));
      }),
    );
    // A short pane: the outcome must still be in view, replacing the earlier "Done".
    await page.setViewportSize({ width: PANE.width, height: 600 });
    await page.click('#refresh-all');
    const text = await status(page, 'error');
    assert.equal(await page.locator('#status .message').count(), 1, 'one message at a time');
    const box = await page.locator('#status .message').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 600, `the message is in view: ${JSON.stringify(box)}`);
    await page.setViewportSize(PANE);
    assert.match(
      text,
      /DCS_R1001_Consumption.*still holds its previous data.*needs 7 more rows, but cells below it .* hold data, so it was left exactly as it was/s,
    );
    assert.deepEqual(
      await page.evaluate(() => (globalThis as unknown as PageWindow).__excel.tableValues('DCS_R1001_Consumption')),
      before,
      'the old rows are untouched',
    );
    await paneShot(page, 'pane-6-refresh-blocked');
    await page.close();
  });

  it('saves the picked sources as a group, lists it, and picks its members again from the list (docs/images/pane-group.png)', async () => {
    const page = await open();
    await signInThroughPane(page);
    const imports = sources.filter((s) => s.name === 'Active Energy Import').slice(0, 3);
    await pick(
      page,
      'import energy',
      imports.map((s) => s.id),
    );
    await page.click('#save-group');
    await page.fill('#group-name', 'Engineering electricity');
    await page.click('#group-submit');
    assert.match(await status(page, 'success'), /Saved 3 sources as group:engineering-electricity/);
    const saved = (await (await rig.api('api/groups/group:engineering-electricity')).json()) as { members: string[]; createdBy: string };
    assert.deepEqual(
      saved.members,
      imports.map((s) => s.id),
    );
    assert.equal(saved.createdBy, 'demo');

    // A fourth pick, then the group: exactly its members are picked again.
    const other = sources.find((s) => s.kind === 'register' && !imports.some((i) => i.id === s.id))!;
    await pick(page, other.id, [other.id]);
    assert.match((await page.locator('#selection').textContent()) ?? '', /4 sources selected/);
    await page.click('.group-list .group:has-text("Engineering electricity")');
    await page.locator('#selection .chip').nth(2).waitFor();
    assert.deepEqual(
      await page
        .locator('#selection .chip')
        .evaluateAll((chips) => chips.map((chip) => (chip as unknown as { textContent: string }).textContent.split(' ')[0])),
      imports.map((s) => s.id),
    );
    await page.fill('#source-search', '');
    await page.locator('#group-list').scrollIntoViewIfNeeded();
    // The emptied search re-renders the results a moment later: a style keeps them out of the picture for good.
    await page.addStyleTag({ content: '#source-results { display: none !important; }' });
    await page.locator('section.card', { has: page.locator('#group-list') }).screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', 'pane-group.png') });
    await page.close();
  });
});
