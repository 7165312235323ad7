/**
 * The add-in deployed under a path, as behind an organisation's web server
 * (https://host/metering/, PUBLIC_URL saying so): in headless Chromium the pane is opened at
 * /metering/taskpane.html, signs in and pulls a table, and every call it makes stays under
 * /metering/ (the proxy in front of the server answers nothing else). Screenshot:
 * test-artifacts/pane-under-path.png.
 *
 * Needs dist/ (npm run build:addin) and /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Cell } from '../../addin/preview/memory-excel';
import { ARTIFACTS, moduleAsPageScript, openTaskPane, signInThroughPane, skipWithoutChromium, startBrowserRig, type BrowserRig } from './support/browser';

interface PageWindow {
  __excel: { tableValues(name: string): Cell[][] };
}

/**
 * At 350 x 700 px (a task pane on a laptop), once the user goes back to the form the sticky action
 * bar with an outcome in it takes at most a fifth of the pane, and a field of the form that gets
 * focus is shown above the bar, not under it (issue 17, defect 14).
 */
async function checkFormUsable(page: Page): Promise<void> {
  const viewport = page.viewportSize()!;
  for (const field of ['#source-search', '#start-date', '#time-zone']) {
    await page.focus(field);
    const bar = (await page.locator('#actions').boundingBox())!;
    assert.ok(bar.height <= viewport.height / 5, `the action bar and its banner take ${bar.height} of ${viewport.height} px`);
    // Whatever is drawn at the field's centre: the field itself, or what covers it (in the page, where there is a DOM).
    const covered = await page.evaluate((selector) => {
      interface Box {
        left: number;
        top: number;
        width: number;
        height: number;
      }
      interface Node {
        getBoundingClientRect(): Box;
        contains(other: Node | null): boolean;
        closest(selector: string): { id: string } | null;
        tagName: string;
      }
      const { document } = globalThis as unknown as { document: { querySelector(s: string): Node; elementFromPoint(x: number, y: number): Node | null } };
      const element = document.querySelector(selector);
      const box = element.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (top === element || element.contains(top) || (top?.contains(element) ?? false)) return '';
      return top?.closest('section')?.id ?? top?.tagName ?? 'nothing';
    }, field);
    assert.equal(covered, '', `${field}, focused, is visible (not under ${covered})`);
  }
}

describe('the pane under a path (/metering/)', { skip: skipWithoutChromium('the under-a-path test') }, () => {
  let rig: BrowserRig;

  before(async () => {
    rig = await startBrowserRig({ basePath: '/metering/' });
  });
  after(async () => {
    await rig?.close();
  });

  it('signs in and pulls through /metering/api/, never the site root', async () => {
    assert.match(rig.pageBase, /\/metering\/$/);
    const page = await rig.browser.newPage({ viewport: { width: 350, height: 700 } });
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/')) apiCalls.push(new URL(request.url()).pathname);
    });
    await openTaskPane(page, rig, moduleAsPageScript(require.resolve('./support/office-host'), 'exports.installOfficeHost(window);'));
    await signInThroughPane(page);
    await page.fill('#source-search', 'R1001');
    await page.locator('.option[data-id="R1001"]').click();
    await page.selectOption('#preset', 'custom');
    await page.fill('#start-date', '2024-04-01');
    await page.fill('#end-date', '2024-04-02');
    await page.selectOption('#period-type', 'day');
    await page.click('#get-data');
    const done = page.locator('#status .message[data-kind="success"]');
    await done.waitFor({ timeout: 30_000 }).catch(async () => assert.fail(`the pane says: ${await page.locator('#status').textContent()}`));
    await page.locator('body').screenshot({ path: path.join(ARTIFACTS, 'pane-under-path.png') });
    await checkFormUsable(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pane-under-path-350x700.png') });

    const tableName = /(DCS_\w+)/.exec((await done.textContent()) ?? '')?.[1];
    assert.ok(tableName, 'the success message names the table');
    const table = await page.evaluate((name) => (globalThis as unknown as PageWindow).__excel.tableValues(name), tableName);
    assert.ok(table.length >= 3, `a header and two days: ${JSON.stringify(table)}`);
    assert.ok(apiCalls.length > 0);
    assert.deepEqual(
      apiCalls.filter((p) => !p.startsWith('/metering/api/')),
      [],
      'every API call goes under /metering/',
    );
    assert.deepEqual(rig.strayRequests, [], 'nothing was asked of the site root');
    await page.close();
  });
});
