/**
 * The invoice-check sheet end to end: the built add-in in headless Chromium against the real
 * server and its embedded DCS simulator, with Excel played by the add-in's in-memory Excel model (the host of
 * support/office-host.ts, which also keeps the custom functions the add-in registers). The test presses
 * the "New invoice check" ribbon button, reads back the Tariffs and Bill check sheets, calculates
 * their formulas the way Excel would (addin/preview's formula engine; the DCS functions run in the
 * page, in the add-in's own code), and checks every invoice's figures against POST /api/bills.
 *
 * The sheet is drawn to test-artifacts/invoice-check.png; with UPDATE_DOCS_IMAGES=1 also to
 * docs/images/invoice-check.png (the README's screenshot).
 * Needs the built add-in (npm run build:addin; ADDIN_DIST overrides where) and /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { BillsJson, DemoBillsJson, ReadingsJson } from '../../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import {
  ARTIFACTS,
  moduleAsPageScript,
  openTaskPane,
  pressRibbonButton,
  REPO_ROOT,
  signInThroughPane,
  skipWithoutChromium,
  startBrowserRig,
  type BrowserRig,
} from '../support/browser';
import { calculateWorkbook } from '../../../addin/preview/calculate-workbook';
import { ExcelErrorValue, type Value } from '../../../addin/preview/formula';
import { rangeBounds, renderSheet } from './render';
import { columnLetters as columnName, type WorkbookSnapshot } from '../../../addin/preview/memory-excel';
import type { CallResult } from '../support/office-host';

const DOCS_IMAGE = path.join(REPO_ROOT, 'docs', 'images', 'invoice-check.png');
const TIME_ZONE = 'Europe/London';

/** The Office host as a script for the page: the compiled modules, run against window. */
function stubScript(): string {
  return moduleAsPageScript(require.resolve('../support/office-host'), 'exports.installOfficeHost(window);');
}

describe('the invoice-check sheet in a browser', { skip: skipWithoutChromium('the invoice-check sheet tests') }, () => {
  let rig: BrowserRig;

  before(async () => {
    rig = await startBrowserRig();
  });

  after(async () => {
    await rig?.close();
  });

  async function openPane(): Promise<Page> {
    // The computer's zone is the functions' default: make it London's, as for a UK user.
    const context = await rig.browser.newContext({ timezoneId: TIME_ZONE, viewport: { width: 380, height: 900 } });
    const page = await context.newPage();
    await openTaskPane(page, rig, stubScript());
    await page.waitForSelector('#sign-in:not([hidden])');
    return page;
  }

  function callFunction(page: Page, name: string, args: unknown[]): Promise<CallResult> {
    return page.evaluate(([n, a]) => (globalThis as unknown as { __callFunction(n: string, a: unknown[]): Promise<CallResult> }).__callFunction(n, a), [
      name,
      args,
    ] as const);
  }

  function workbookOf(page: Page): Promise<WorkbookSnapshot> {
    return page.evaluate(() => (globalThis as unknown as { __excel: { snapshot(): WorkbookSnapshot } }).__excel.snapshot());
  }

  async function pressRibbon(page: Page, action: string): Promise<void> {
    assert.equal(await pressRibbonButton(page, action), true, `the ${action} command completes its event`);
  }

  it('tells a signed-out user, in the cell, to sign in from the DCS tab', async () => {
    const page = await openPane();
    const result = await callFunction(page, 'CONSUMPTION', [`R${DEMO_FEATURES.electricityRegisterId}`, 45383, 45412, null]);
    assert.ok('error' in result, JSON.stringify(result));
    assert.equal(result.error.code, '#N/A');
    assert.match(result.error.message, /Not signed in to DCS\. On the DCS tab choose Get readings and sign in/);
    const bad = await callFunction(page, 'CONSUMPTION', ['R1', 'last April', 45412, null]);
    assert.ok('error' in bad);
    assert.equal(bad.error.code, '#VALUE!');
    assert.match(bad.error.message, /^firstDay: "last April" is not a date/);
    await page.context().close();
  });

  it('inserts the Tariffs and Bill check sheets from the ribbon: the demo invoices line by line, equal to POST /api/bills to the penny', async () => {
    const page = await openPane();
    await signInThroughPane(page);
    await pressRibbon(page, 'newInvoiceCheck');
    const workbook = await workbookOf(page);

    assert.deepEqual(
      workbook.sheets.map((s) => s.name).filter((n) => n !== 'Sheet1'),
      ['Tariffs', 'Bill check'],
    );
    assert.equal(workbook.activeSheet, 'Bill check');
    assert.deepEqual(workbook.tables.map((t) => t.name).sort(), ['BillInvoices', 'BillLines', 'Tariffs']);
    assert.doesNotMatch(JSON.stringify(workbook), new RegExp(`${rig.token}|password`), 'no token or password in the workbook');
    const sheet = workbook.sheets.find((s) => s.name === 'Bill check')!;
    assert.equal(sheet.cells.B5.value, TIME_ZONE, 'the time-zone cell holds the computer’s zone');

    // Calculate the workbook as Excel would, with the add-in's functions running in the page.
    const functions = async (name: string, args: Value[]): Promise<Value> => {
      const result = await callFunction(page, name.replace(/^DCS\./, ''), args);
      return 'error' in result ? new ExcelErrorValue(result.error.code, result.error.message) : (result.value as Value);
    };
    const calculated = await calculateWorkbook(workbook, functions);
    const valueAt = (sheetName: string, address: string): Value =>
      calculated.find((c) => c.sheet === sheetName && c.address === address)?.value ??
      (workbook.sheets.find((s) => s.name === sheetName)?.cells[address]?.value as Value | undefined) ??
      null;
    const errors = calculated.filter((c) => c.value instanceof ExcelErrorValue);
    assert.deepEqual(errors, [], 'no formula ends in an error');

    // The API's shadow bills and checks of the same demo invoices.
    const demo = (await (await rig.api('api/bills/demo')).json()) as DemoBillsJson;
    const answer = await fetch(new URL('api/bills', rig.server.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${rig.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ bills: demo.bills.map((b) => b.request) }),
    });
    const api = (await answer.json()) as BillsJson;
    const invoices = tableRecords(workbook, 'BillInvoices', valueAt);
    assert.equal(invoices.length, demo.bills.length);
    demo.bills.forEach((bill, i) => {
      const row = invoices.find((r) => r.Invoice === bill.request.invoice?.reference);
      assert.ok(row, bill.name);
      assert.deepEqual(
        [row['Expected net'], row['Expected VAT'], row['Expected total'], row['At stake']],
        [api.bills[i].net, api.bills[i].vat, api.bills[i].total, api.bills[i].check!.summary.atStake],
        bill.name,
      );
      assert.equal(row.Result, bill.planted === null ? 'OK' : 'CHECK', bill.name);
    });
    const lines = tableRecords(workbook, 'BillLines', valueAt);
    const open = api.bills.flatMap((b) => b.check!.lines.filter((l) => l.verdict !== 'OK'));
    assert.equal(lines.filter((l) => l.Verdict !== 'OK').length, open.length);
    assert.equal(valueAt('Bill check', 'H9'), open.length, 'the summary counts the lines to check');
    assert.equal(valueAt('Bill check', 'H6'), demo.bills.filter((b) => b.planted === null).length, 'and the invoices passed');

    // Verdicts stand out through conditional formats on the Verdict column.
    assert.ok(
      sheet.conditionalFormats.some((f) => /="CHECK"/.test(f.formula ?? '')),
      JSON.stringify(sheet.conditionalFormats),
    );

    // Draw it for the docs.
    const html = await renderSheet(sheet, workbook.tables, (address) => valueAt('Bill check', address), { columns: 21, rows: 40 });
    const shot = await rig.browser.newPage({ viewport: { width: 2300, height: 900 } });
    await shot.setContent(html);
    await shot.screenshot({ path: path.join(ARTIFACTS, 'invoice-check.png'), fullPage: true });
    if (process.env.UPDATE_DOCS_IMAGES === '1') {
      fs.mkdirSync(path.dirname(DOCS_IMAGE), { recursive: true });
      await shot.screenshot({ path: DOCS_IMAGE, fullPage: true });
    }
    await shot.close();
    await page.context().close();
  });

  it('spills DCS.READINGS equal to /api/readings, and lists sources with DCS.SOURCES', async () => {
    const page = await openPane();
    await signInThroughPane(page);
    const id = `R${DEMO_FEATURES.electricityRegisterId}`;
    const spilled = await callFunction(page, 'READINGS', [id, '2024-04-10', '2024-04-10', null, 'timeZone=UTC']);
    assert.ok('value' in spilled, JSON.stringify(spilled));
    const table = spilled.value as Array<Array<string | number | { type: string; basicValue: number; numberFormat: string }>>;
    const params = new URLSearchParams({ id, start: '2024-04-10T00:00:00', end: '2024-04-11T00:00:00', timeZone: 'UTC', output: 'json' });
    const api = (await (await rig.api(`api/readings?${params}`)).json()) as ReadingsJson;
    const readings = api.sources[0].readings as Array<{ timestamp: string; value: number; status: number }>;
    assert.equal(table[0][0], 'Timestamp (UTC)');
    assert.equal(table.length, 1 + 48, 'the end date is included: a whole day of half-hours');
    assert.deepEqual(
      table.slice(1),
      readings.map((r) => [{ type: 'Double', basicValue: Date.parse(r.timestamp) / 86_400_000 + 25_569, numberFormat: 'yyyy-mm-dd hh:mm' }, r.value, r.status]),
    );

    const sources = await callFunction(page, 'SOURCES', ['Sports Centre']);
    assert.ok('value' in sources);
    const list = sources.value as string[][];
    assert.deepEqual(list[0], ['Id', 'Name', 'Unit', 'Kind']);
    assert.ok(
      list.some((row) => row[0] === `R${DEMO_FEATURES.resetRegisterId}` && row[3] === 'register'),
      JSON.stringify(list.slice(0, 5)),
    );
    assert.ok(list.some((row) => row[3] === 'instantaneous register'));
    await page.context().close();
  });

  it('recalculates the sheets holding DCS formulas on Refresh (not every open workbook), so the functions fetch again', async () => {
    const page = await openPane();
    await signInThroughPane(page);
    await pressRibbon(page, 'newInvoiceCheck');
    await pressRibbon(page, 'refreshAll');
    const workbook = await workbookOf(page);
    assert.deepEqual(workbook.calculations, ['sheet:Bill check:all']);
    await page.context().close();
  });
});

/** A table's data rows as header -> calculated value (constants as written). */
function tableRecords(workbook: WorkbookSnapshot, name: string, valueAt: (sheet: string, address: string) => Value): Array<Record<string, Value>> {
  const table = workbook.tables.find((t) => t.name === name)!;
  const { left, top, right, bottom } = rangeBounds(table.address)!;
  const headers = Array.from({ length: right - left + 1 }, (_, c) => String(valueAt(table.sheet, `${columnName(left + c)}${top}`)));
  return Array.from({ length: bottom - top }, (_, r) =>
    Object.fromEntries(headers.map((h, c) => [h, valueAt(table.sheet, `${columnName(left + c)}${top + 1 + r}`)])),
  );
}
