/**
 * The add-in's help page (addin/help/help.html): it covers the pane's tasks in the pane's own
 * words, every error banner links to the section about its trouble, its links lead somewhere (the
 * guides are served beside it), and it reads at a task pane's width. Its screenshot at 350 px is
 * docs/images/help-pane.png.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiRequestError } from '../../addin/api';
import { errorHelp, HELP_SECTIONS } from '../../addin/taskpane/error-help';
import { ADDIN_DIST, REPO_ROOT, moduleAsPageScript, openTaskPane, skipWithoutChromium, startBrowserRig, type BrowserRig } from './support/browser';

const HELP = fs.readFileSync(path.join(REPO_ROOT, 'addin', 'help', 'help.html'), 'utf8');
const PANE = fs.readFileSync(path.join(REPO_ROOT, 'addin', 'taskpane', 'taskpane.html'), 'utf8');
const ids = new Set([...HELP.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
/** The help page's text, without markup. */
const helpText = HELP.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the help page', () => {
  it('has a section for every trouble an error banner links to', () => {
    assert.deepEqual(
      HELP_SECTIONS.filter((section) => !ids.has(section)),
      [],
    );
    const errors = [new Error('x'), ...[0, 400, 401, 403, 409, 429, 500, 502, 503, 504].map((status) => new ApiRequestError('x', status, 'internal'))];
    for (const error of errors) assert.ok(ids.has(errorHelp(error).section), `${String(error)}: ${errorHelp(error).section}`);
  });

  it("names the pane's controls as the pane does", () => {
    const labels = [
      'Sign in',
      'Use public access',
      'Sign out',
      'Select all matches',
      'Save as group',
      'Groups',
      'What to get',
      'Consumption per interval',
      'Statistics: mean, min, max, time of max',
      'Readings as DCS stores them',
      'Reading options',
      'Range',
      'Last full month',
      'Custom dates',
      'From (first day)',
      'To (last day, included)',
      'Interval',
      'Time zone',
      'One wide table',
      'One table per source',
      'One long table',
      'New sheet',
      'At the selected cell',
      'Chart beside the table',
      'Refresh all',
      'Bill check sheet',
      'Check invoices',
      'Check invoice lines',
      'Cancel',
      'Try preview mode',
      'Preview workbook',
    ];
    const paneText = PANE.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const label of labels) {
      assert.ok(paneText.includes(label), `the pane no longer says "${label}": update the help page`);
      assert.ok(helpText.includes(label), `the help page does not mention "${label}"`);
    }
  });

  it('links only to its own sections and to guides that exist, which the build serves beside it', () => {
    for (const [, href] of HELP.matchAll(/href="([^"]+)"/g)) {
      if (href.startsWith('#')) assert.ok(ids.has(href.slice(1)), `${href}: no such section`);
      else if (href.startsWith('docs/')) {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, href)), `${href}: no such guide`);
        if (fs.existsSync(ADDIN_DIST)) assert.ok(fs.existsSync(path.join(ADDIN_DIST, href)), `${href} is not in the build (${ADDIN_DIST})`);
      } else assert.equal(href, 'taskpane.css', `${href}: an unexpected link`);
    }
    assert.ok([...HELP.matchAll(/href="docs\//g)].length >= 5, 'the help page links to the guides');
  });
});

describe('the help page in a browser', { skip: skipWithoutChromium('the help page tests') }, () => {
  let rig: BrowserRig;
  before(async () => {
    rig = await startBrowserRig();
  });
  after(async () => {
    await rig?.close();
  });

  it('reads at a task pane width (350 px) without sideways scrolling, and serves the guides as text', async () => {
    const page = await rig.browser.newPage({ viewport: { width: 350, height: 800 } });
    await page.goto(new URL('help.html', rig.server.url).href);
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    assert.equal(overflow, 0, 'the help page is wider than the pane');
    await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', 'help-pane.png'), fullPage: true });
    const guide = await fetch(new URL('docs/excel.md', rig.server.url));
    assert.equal(guide.status, 200);
    assert.equal(guide.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await guide.text(), /^# Excel/);
    await page.close();
  });

  it("links an error banner in the pane to the help about it: an expired account's to 'not allowed'", async () => {
    const page = await rig.browser.newPage({ viewport: { width: 350, height: 900 } });
    await openTaskPane(page, rig, moduleAsPageScript(require.resolve('./support/office-host'), 'exports.installOfficeHost(window);'));
    await page.fill('#username', 'expired');
    await page.fill('#password', 'expired');
    await page.click('#sign-in-button');
    await page.waitForSelector('#work:not([hidden])');
    await page.focus('#source-search');
    const link = page.locator('#status .message[data-kind="error"] a.help-link');
    await link.waitFor({ timeout: 30_000 });
    assert.equal(await link.getAttribute('href'), 'help.html#not-allowed');
    assert.equal(await link.getAttribute('target'), '_blank');
    const help = await rig.browser.newPage({ viewport: { width: 350, height: 800 } });
    await help.goto(new URL('help.html#not-allowed', rig.server.url).href);
    assert.match((await help.locator('#not-allowed').textContent()) ?? '', /cannot read this data/);
    await help.close();
    await page.close();
  });
});
