/**
 * The pane's "Monitoring and targeting" card as a user drives it, in headless Chromium in preview
 * mode (the pane beside the in-memory workbook it writes into), against the real server and its
 * simulator: a typical day of the Main Library's electricity and Birch Hall's CUSUM, whose
 * report period holds the boiler left on. Screenshots of both go to docs/images/.
 *
 * Needs dist/ (npm run build:addin) and /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoFeatures } from 'dcs-simulator';
import { openTaskPane, REPO_ROOT, signInThroughPane, skipWithoutChromium, startBrowserRig, type BrowserRig } from './support/browser';

const IMAGES = path.join(REPO_ROOT, 'docs', 'images');
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The first Monday on or after 1 January of `year`. */
const firstMonday = (year: number) => {
  const jan1 = Date.UTC(year, 0, 1);
  return jan1 + ((8 - new Date(jan1).getUTCDay()) % 7) * DAY_MS;
};

describe("the pane's monitoring and targeting, driven as a user would", { skip: skipWithoutChromium('the pane tests') }, () => {
  let rig: BrowserRig;
  // The rig's simulator runs on today's clock: its boiler is left on in June of last year.
  const features = demoFeatures(new Date());
  const year = Number(features.boilerLeftOn.slice(0, 4));

  before(async () => {
    rig = await startBrowserRig();
  });
  after(async () => {
    await rig?.close();
  });

  async function preview(id: string): Promise<Page> {
    const page = await rig.browser.newPage({ viewport: { width: 1280, height: 1650 } });
    await openTaskPane(page, rig, undefined);
    await page.click('#start-preview');
    await signInThroughPane(page);
    await page.fill('#source-search', id);
    await page.locator(`.option[data-id="${id}"]`).click();
    return page;
  }

  async function dates(page: Page, first: string, last: string, zone: string): Promise<void> {
    await page.selectOption('#preset', 'custom');
    await page.fill('#start-date', first);
    await page.fill('#end-date', last);
    await page.selectOption('#time-zone', zone);
  }

  async function analyse(page: Page): Promise<string> {
    await page.click('#analyse');
    const message = page.locator('#status .message[data-kind="success"]');
    try {
      await message.waitFor({ timeout: 60_000 });
    } catch {
      assert.fail(`the pane says: ${await page.locator('#status').textContent()}`);
    }
    return (await message.textContent()) ?? '';
  }

  it('writes a typical day with its line chart of weekdays against weekends', async () => {
    const page = await preview(`R${features.electricityRegisterId}`);
    await dates(page, `${year}-10-20`, `${year}-11-02`, 'Europe/London');
    await page.selectOption('#analysis-kind', 'typicalDay');
    assert.match(await analyse(page), /Wrote 48 rows and the charts on sheet "Typical day R\d+"/);
    const figure = page.locator('#charts figure.chart');
    assert.equal(await figure.count(), 1);
    assert.equal(await figure.getAttribute('data-chart-type'), 'Line');
    assert.equal(await figure.locator('polyline').count(), 2, 'weekday and weekend');
    assert.deepEqual(await figure.locator('.legend li').allTextContents(), ['Weekday (kW)', 'Weekend (kW)']);
    await page.screenshot({ path: path.join(IMAGES, 'pane-typical-day.png') });
    await page.close();
  });

  it("writes Birch Hall's CUSUM with the scatter, its performance line and the CUSUM chart", async () => {
    const page = await preview(`R${features.boilerRegisterId}`);
    // Reported over the weeks of the year the boiler was left on, against the weeks of the year before.
    await dates(page, isoDay(firstMonday(year)), isoDay(firstMonday(year + 1) - DAY_MS), 'UTC');
    await page.selectOption('#analysis-kind', 'cusum');
    await page.fill('#cusum-temperature', `R${features.temperatureRegisterId}`);
    await page.fill('#baseline-first', isoDay(firstMonday(year - 1)));
    await page.fill('#baseline-last', isoDay(firstMonday(year) - DAY_MS));
    await page.selectOption('#cusum-interval', 'week');
    assert.match(await analyse(page), /Wrote \d+ rows and the charts on sheet "CUSUM R\d+"/);
    const figures = page.locator('#charts figure.chart');
    assert.equal(await figures.count(), 2);
    const scatter = figures.nth(0);
    assert.equal(await scatter.getAttribute('data-chart-type'), 'XYScatter');
    assert.deepEqual(await scatter.locator('.legend li').allTextContents(), ['Baseline', 'Report period', 'Performance line']);
    assert.ok((await scatter.locator('circle').count()) > 100, 'a point per week of both periods');
    assert.equal(await scatter.locator('polyline').count(), 1, 'the performance line');
    const cusum = figures.nth(1);
    assert.equal(await cusum.getAttribute('data-chart-type'), 'Line');
    assert.equal(await cusum.locator('polyline').count(), 1);
    await page.screenshot({ path: path.join(IMAGES, 'pane-cusum.png') });
    await page.close();
  });
});
