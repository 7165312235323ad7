/**
 * The Bill check sheet against the API, to the penny: the demo invoices imported as CSV, the
 * demo tariffs as the Tariffs table, every formula of the sheet calculated the way Excel would
 * (addin/preview's formula engine) with the add-in's own DCS functions asking a real server and
 * its simulator; each line's expected quantity, amount, difference and verdict, and each
 * invoice's net, VAT and total, equal to what `POST /api/bills` answers for the same bills.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BillsJson, DemoBillsJson } from '../../../server/api/types';
import { ApiClient } from '../../../addin/api/client';
import { Session } from '../../../addin/api/session';
import type { Fetch } from '../../../addin/api/http';
import { ConsumptionMemo, httpConsumptionApi } from '../../../addin/functions/consumption-api';
import { DemandMemo, httpDemandBatch } from '../../../addin/functions/demand-api';
import type { FunctionsContext } from '../../../addin/functions/cell-functions';
import { billCheckLayout, layoutTables, LINE, type BillCheckLayout } from '../../../addin/invoice/bill-check-layout';
import { demoInvoiceCsv, demoTariffName, demoTariffs } from '../../../addin/invoice/demo-example';
import { readInvoiceLines } from '../../../addin/invoice/invoice-lines';
import { readTariffTable, TARIFF_HEADERS, tariffRows, tariffTableCells, type TariffRow } from '../../../addin/invoice/tariff-table';
import { dcsFunctions } from '../../../addin/preview/dcs-functions';
import { ExcelErrorValue, type Value } from '../../../addin/preview/formula';
import { SheetCalculation } from '../../../addin/preview/sheet-calculation';
import { basicAuth, getJson, startTestServer, type TestServer } from '../../server/helpers';

const NAMES = { tariffs: 'Tariffs', invoices: 'BillInvoices', lines: 'BillLines' };

describe('the Bill check sheet, calculated, against POST /api/bills', () => {
  let server: TestServer;
  let demo: DemoBillsJson;
  let api: BillsJson;
  let layout: BillCheckLayout;
  let lines: Array<Record<string, Value>>;
  let invoices: Array<Record<string, Value>>;
  let summary: Record<string, Value>;
  let calls: number;

  before(async () => {
    server = await startTestServer({ logLevel: 'warn' });
    const auth = { Authorization: basicAuth('demo', 'demo') };
    demo = (await getJson<DemoBillsJson>(`${server.url}/api/bills/demo`, auth)).body;
    const res = await fetch(`${server.url}/api/bills`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ bills: demo.bills.map((b) => b.request) }),
    });
    api = (await res.json()) as BillsJson;
    assert.equal(res.status, 200);

    // The Tariffs table as the add-in writes it, read back as a user's edited table would be.
    const tariffCells = [...demoTariffs(demo)].flatMap(([name, tariff]) => tariffTableCells(tariffRows(name, tariff)));
    const tariffs = readTariffTable(tariffCells);
    const invoiceInputs = readInvoiceLines(demoInvoiceCsv(demo), (name) => tariffs.has(name));
    layout = billCheckLayout({ invoices: invoiceInputs, tariffs, timeZone: 'Europe/London', names: NAMES, dateSystem: 1900 });

    const counting: Fetch = (url, init) => {
      calls++;
      return globalThis.fetch(url, init);
    };
    calls = 0;
    const session = new Session();
    const client = new ApiClient({ baseUrl: server.url, fetch: counting, session });
    await client.signIn('demo', 'demo');
    const ctx: FunctionsContext = {
      session,
      consumption: new ConsumptionMemo(httpConsumptionApi(client, counting)),
      demand: new DemandMemo(httpDemandBatch(client, counting)),
      api: {
        sources: () => Promise.reject(new Error('not used')),
        readings: () => {
          throw new Error('not used');
        },
      },
      defaultTimeZone: () => 'UTC',
    };
    const cells: Record<string, Value> = {};
    for (const s of layout.settings) cells[s.address] = s.value;
    for (const s of layout.summary) cells[s.address] = s.formula;
    const sheet = new SheetCalculation(layoutTables(layout, NAMES, TARIFF_HEADERS, tariffCells), cells, dcsFunctions(ctx));
    const asRecords = (headers: string[], rows: Value[][]) => rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i]])));
    lines = asRecords(
      layout.lines.columns.map((c) => c.header),
      await sheet.table(NAMES.lines),
    );
    invoices = asRecords(
      layout.invoices.columns.map((c) => c.header),
      await sheet.table(NAMES.invoices),
    );
    summary = Object.fromEntries(await Promise.all(layout.summary.map(async (s) => [s.label, await sheet.cell(s.address)] as const)));
  });
  after(async () => {
    await server?.close();
  });

  const rowOf = (reference: string, name: string): Record<string, Value> => {
    const row = lines.find((l) => l[LINE.invoice] === reference && String(l[LINE.line]).toLowerCase() === name.toLowerCase());
    assert.ok(row, `the sheet has a row for ${reference} ${name}`);
    return row;
  };

  it('calculates every cell without an error', () => {
    for (const row of [...lines, ...invoices]) {
      for (const [column, value] of Object.entries(row))
        assert.ok(!(value instanceof ExcelErrorValue), `${String(row.Invoice)} ${column}: ${String(value)} ${(value as ExcelErrorValue)?.message ?? ''}`);
    }
  });

  it("gives each shadow-bill line's quantity and amount as the API does, to the penny", () => {
    demo.bills.forEach((bill, i) => {
      const reference = bill.request.invoice!.reference!;
      for (const expected of api.bills[i].lines) {
        const row = rowOf(reference, expected.name);
        assert.equal(row[LINE.amount], expected.amount, `${reference} ${expected.name} amount`);
        assert.ok(
          Math.abs(Number(row[LINE.quantity]) - expected.quantity) < 1e-6,
          `${reference} ${expected.name}: ${String(row[LINE.quantity])} vs ${expected.quantity}`,
        );
        assert.equal(row[LINE.rate], expected.rate);
      }
    });
  });

  it("gives each invoice's net, VAT and total as the shadow bill's", () => {
    demo.bills.forEach((bill, i) => {
      const invoice = invoices.find((r) => r.Invoice === bill.request.invoice!.reference);
      assert.ok(invoice);
      assert.deepEqual(
        [invoice['Expected net'], invoice['Expected VAT'], invoice['Expected total']],
        [api.bills[i].net, api.bills[i].vat, api.bills[i].total],
        bill.name,
      );
      assert.equal(invoice['Difference'], api.bills[i].check!.summary.difference, bill.name);
      assert.equal(invoice['At stake'], api.bills[i].check!.summary.atStake, bill.name);
    });
  });

  it("gives each invoice line the API check's verdict and amount difference", () => {
    demo.bills.forEach((bill, i) => {
      const reference = bill.request.invoice!.reference!;
      for (const check of api.bills[i].check!.lines) {
        const row = rowOf(reference, check.name);
        assert.equal(row[LINE.verdict], check.verdict, `${reference} ${check.name}`);
        assert.equal(row[LINE.amountDifference], check.amountDifference, `${reference} ${check.name}`);
      }
      // Rows the sheet adds beyond the API's lines (a charge with nothing due) pass and carry no money.
      const named = new Set(api.bills[i].check!.lines.map((l) => l.name.toLowerCase()));
      for (const row of lines.filter((l) => l[LINE.invoice] === reference && !named.has(String(l[LINE.line]).toLowerCase()))) {
        assert.deepEqual([row[LINE.verdict], row[LINE.amount]], ['OK', 0], `${reference} ${String(row[LINE.line])}`);
      }
    });
  });

  it('sums up passes, lines to check and the money at stake as the API does', () => {
    const checks = api.bills.map((b) => b.check!);
    const open = checks.flatMap((c) => c.lines.filter((l) => l.verdict !== 'OK'));
    assert.equal(summary['Invoices'], demo.bills.length);
    assert.equal(summary['Invoices passed'], checks.filter((c) => c.lines.every((l) => l.verdict === 'OK')).length);
    assert.equal(summary['Lines to check'], open.length);
    const atStake = Math.round(open.reduce((sum, l) => sum + Math.abs(l.amountDifference ?? 0), 0) * 100) / 100;
    assert.ok(Math.abs(Number(summary['Money at stake']) - atStake) < 0.005, `${String(summary['Money at stake'])} vs ${atStake}`);
    assert.ok(atStake > 0);
  });

  it('asks the server a few batched requests, not one per cell', () => {
    assert.ok(calls <= 6, `${calls} requests (sign-in, consumption and demand batches)`);
  });

  it('names each tariff for the demo bill it belongs to', () => {
    assert.deepEqual([...new Set(demo.bills.map(demoTariffName))].sort(), ['Demo electricity', 'Demo gas', 'Demo water']);
    const rows: TariffRow[] = tariffRows('Demo electricity', demo.bills[0].request.tariff);
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['unit', 'unit', 'standing charge', 'availability', 'excess capacity', 'maximum demand', 'reactive', 'levy', 'vat'],
    );
  });
});
