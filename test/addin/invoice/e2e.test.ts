/**
 * The invoice-check sheet end to end: the built add-in in headless Chromium against the real
 * server and its embedded DCS simulator, with Excel played by the add-in's in-memory Excel model (the host of
 * support/office-host.ts, which also keeps the custom functions the add-in registers). The test presses
 * the "New invoice check" ribbon button, reads back the sheet, calculates its formulas the way
 * Excel would (the DCS functions run in the page, in the add-in's own code), and checks the
 * metered figures of the example rows against GET /api/consumption.
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
import type { ConsumptionJson, ConsumptionResult, ReadingsJson } from '../../../server/api/types';
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
import { calculateRow, type SheetRow } from './calculate';
import { ExcelErrorValue, type Value } from '../../../addin/preview/formula';
import { rangeBounds, renderSheet } from './render';
import { columnLetters as columnName, columnOfLetters as columnIndex, type SheetSnapshot, type WorkbookSnapshot } from '../../../addin/preview/memory-excel';
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

  /** The API's figure for a period given, as on the sheet, by its first and last (included) days. */
  async function consumptionFromApi(id: string, start: string, lastDay: string, timeZone: string): Promise<ConsumptionResult> {
    const params = new URLSearchParams({ id, start, lastDay, timeZone });
    const response = await rig.api(`api/consumption?${params}`);
    assert.equal(response.status, 200);
    return ((await response.json()) as ConsumptionJson).results[0];
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
    assert.match(bad.error.message, /^start: "last April" is not a date/);
    await page.context().close();
  });

  it('inserts the sheet from the ribbon; its example rows meter what /api/consumption says, and come out OK, CHECK and DATA QUALITY', async () => {
    const page = await openPane();
    await signInThroughPane(page);
    await pressRibbon(page, 'newInvoiceCheck');
    const workbook = await workbookOf(page);

    const sheet = workbook.sheets.find((s) => s.name === 'Invoice check');
    assert.ok(sheet, `sheets: ${workbook.sheets.map((s) => s.name).join(', ')}`);
    assert.equal(workbook.activeSheet, 'Invoice check');
    const table = workbook.tables.find((t) => t.sheet === sheet.name);
    assert.ok(table);
    assert.doesNotMatch(JSON.stringify(workbook), new RegExp(`${rig.token}|password`), 'no token or password in the workbook');

    const rows = tableRows(sheet, table.address);
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => r['Source id']),
      [`R${DEMO_FEATURES.electricityRegisterId}`, `R${DEMO_FEATURES.electricityRegisterId}`, `R${DEMO_FEATURES.resetRegisterId}`],
    );
    for (const row of rows) {
      assert.match(String(row['Metered quantity']), /^=IF\(\[@\[Source id\]\]="","",DCS\.CONSUMPTION\(/, 'a formula, not a pasted number');
      assert.match(String(row.Result), /^=IF\(/);
      assert.match(String(row['Reset half-hours']), /DCS\.QUALITY\(.*"resets"/);
    }
    const timeZone = sheet.cells.B4.value;
    assert.equal(timeZone, TIME_ZONE, 'the time-zone cell holds the computer’s zone');

    // Calculate the sheet as Excel would, with the add-in's functions running in the page.
    const cellValue = (address: string): Value => (sheet.cells[address]?.value as Value | undefined) ?? null;
    const functions = async (name: string, args: Value[]): Promise<Value> => {
      const result = await callFunction(page, name.replace(/^DCS\./, ''), args);
      return 'error' in result ? new ExcelErrorValue(result.error.code, result.error.message) : (result.value as Value);
    };
    const calculated: Array<Record<string, Value>> = [];
    for (const row of rows) calculated.push(await calculateRow(row, cellValue, functions));

    for (const [i, row] of calculated.entries()) {
      const start = isoDate(rows[i]['First day'] as number);
      const lastDay = isoDate(rows[i]['Last day (included)'] as number);
      const expected = await consumptionFromApi(rows[i]['Source id'] as string, start, lastDay, TIME_ZONE);
      assert.equal(row['Metered quantity'], expected.consumption, `row ${i + 1}: ${start} to ${lastDay}`);
      assert.equal(row['Estimated half-hours'], expected.interpolated);
      assert.equal(row['Reset half-hours'], expected.resets);
      assert.equal(row['Missing half-hours'], expected.missing);
      // A period named by its last day includes that day: it ends at the next local midnight.
      assert.equal(expected.end, new Date(localMidnightAfter(lastDay)).toISOString());
    }
    assert.deepEqual(
      calculated.map((r) => r.Result),
      ['OK', 'CHECK', 'DATA QUALITY'],
    );
    assert.ok((calculated[2]['Reset half-hours'] as number) >= 1, 'the water meter was exchanged last year');

    // CHECK and DATA QUALITY rows stand out through conditional formats on the Result column.
    const resultColumn = columnName(Object.keys(rows[0]).indexOf('Result'));
    const rules = sheet.conditionalFormats.map((f) => f.formula);
    assert.ok(rules.includes(`=$${resultColumn}9="CHECK"`), rules.join(' '));
    assert.ok(rules.includes(`=$${resultColumn}9="DATA QUALITY"`));

    // Draw it for the README.
    const values = sheetValues(sheet, table.address, calculated);
    const html = await renderSheet(sheet, workbook.tables, values, { columns: 13, rows: 12 });
    const shot = await rig.browser.newPage({ viewport: { width: 1700, height: 330 } });
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
    assert.deepEqual(workbook.calculations, ['sheet:Invoice check:all']);
    await page.context().close();
  });
});

/** The table's data rows as header -> constant or formula. */
function tableRows(sheet: SheetSnapshot, address: string): SheetRow[] {
  const { left, top, right, bottom } = rangeBounds(address)!;
  const headers: string[] = [];
  for (let c = left; c <= right; c++) headers.push(String(sheet.cells[`${columnName(c)}${top}`]?.value));
  const rows: SheetRow[] = [];
  for (let r = top + 1; r <= bottom; r++) {
    const row: SheetRow = {};
    headers.forEach((header, i) => {
      const cell = sheet.cells[`${columnName(left + i)}${r}`];
      row[header] = cell?.formula ?? (cell?.value as Value | undefined) ?? null;
    });
    rows.push(row);
  }
  return rows;
}

/** Every cell's shown value: constants as written, table formulas as calculated. */
function sheetValues(sheet: SheetSnapshot, address: string, calculated: Array<Record<string, Value>>): (a: string) => Value {
  const { left, top } = rangeBounds(address)!;
  return (cellAddress) => {
    const cm = /^([A-Z]+)(\d+)$/.exec(cellAddress)!;
    const row = Number(cm[2]) - top - 1;
    const column = columnIndex(cm[1]) - left;
    const header = sheet.cells[`${cm[1]}${top}`]?.value;
    if (row >= 0 && row < calculated.length && column >= 0 && typeof header === 'string') return calculated[row][header] ?? null;
    return (sheet.cells[cellAddress]?.value as Value | undefined) ?? null;
  };
}

function isoDate(serial: number): string {
  return new Date(Math.round((serial - 25_569) * 86_400_000)).toISOString().slice(0, 10);
}

/** The UTC instant of midnight in London at the start of the day after `date`. */
function localMidnightAfter(date: string): number {
  const next = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  for (const offsetHours of [0, 1]) {
    const instant = next - offsetHours * 3_600_000;
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hourCycle: 'h23' }).format(instant);
    if (shown === '00') return instant;
  }
  throw new Error(`no London midnight found after ${date}`);
}
