/**
 * The bills of bills-bench.ts as a Bill check sheet: the add-in's layout for every supply and
 * month (one invoice each, every tariff charge a line), calculated as Excel would with the
 * preview's formula engine and the add-in's own DCS functions (=DCS.CONSUMPTION batched to
 * /api/consumption/batch, =DCS.DEMAND batched to POST /api/bills) against the same server.
 * Measured: seconds, HTTP requests the add-in made, DCS calls the simulator answered.
 */
import { ApiClient } from '../addin/api/client';
import type { Fetch } from '../addin/api/http';
import { Session } from '../addin/api/session';
import type { FunctionsContext } from '../addin/functions/cell-functions';
import { ConsumptionMemo, httpConsumptionApi } from '../addin/functions/consumption-api';
import { DemandMemo, httpDemandBatch } from '../addin/functions/demand-api';
import { billCheckLayout, layoutTables } from '../addin/invoice/bill-check-layout';
import type { InvoiceInput } from '../addin/invoice/invoice-lines';
import { TARIFF_HEADERS, tariffRows, tariffTableCells } from '../addin/invoice/tariff-table';
import { dcsFunctions } from '../addin/preview/dcs-functions';
import { ExcelErrorValue, type Value } from '../addin/preview/formula';
import { SheetCalculation } from '../addin/preview/sheet-calculation';
import type { TariffJson } from '../server/api/types';

export interface SheetBill {
  supply: { import: string; reactive?: string };
  period: { firstDay: string; lastDay: string; timeZone: string };
  tariff: TariffJson;
}

export interface SheetBenchResult {
  lines: number;
  seconds: number;
  requests: number;
  dcsCalls: number;
  errors: number;
  /** The first error's message, when there are any. */
  firstError?: string;
}

const NAMES = { tariffs: 'Tariffs', invoices: 'BillInvoices', lines: 'BillLines' };

/** The bills as invoices without lines (every charge becomes a row), and their tariffs by name. */
function invoicesOf(bills: readonly SheetBill[]): { invoices: InvoiceInput[]; tariffs: Map<string, TariffJson> } {
  const tariffs = new Map<string, TariffJson>();
  const invoices = bills.map((bill, i) => {
    const name = bill.supply.reactive ? 'Electricity' : 'Plain';
    tariffs.set(name, bill.tariff);
    return {
      reference: `INV-${i + 1}`,
      supplier: '',
      tariff: name,
      supply: bill.supply.import,
      reactive: bill.supply.reactive ?? '',
      firstDay: bill.period.firstDay,
      lastDay: bill.period.lastDay,
      lines: [],
    };
  });
  return { invoices, tariffs };
}

export async function benchBillSheet(serverUrl: string, dcsCalls: () => number, bills: readonly SheetBill[]): Promise<SheetBenchResult> {
  const { invoices, tariffs } = invoicesOf(bills);
  const rows = new Map([...tariffs].map(([name, tariff]) => [name, tariffRows(name, tariff)]));
  const layout = billCheckLayout({ invoices, tariffs: rows, timeZone: 'Europe/London', names: NAMES, dateSystem: 1900 });
  let requests = 0;
  let failure: string | undefined;
  const counting: Fetch = (url, init) => {
    requests++;
    return globalThis.fetch(url, init).catch((error: unknown) => {
      // The cause says why ("fetch failed" alone does not): a timeout, a reset connection.
      failure ??= `${String(url)}: ${String((error as { cause?: unknown }).cause ?? error)}`;
      throw error;
    });
  };
  const session = new Session();
  const client = new ApiClient({ baseUrl: serverUrl, fetch: counting, session });
  await client.signIn('demo', 'demo');
  requests = 0;
  const ctx: FunctionsContext = {
    session,
    consumption: new ConsumptionMemo(httpConsumptionApi(client, counting)),
    demand: new DemandMemo(httpDemandBatch(client, counting)),
    api: { sources: () => Promise.reject(new Error('not used')), readings: () => ({}) as never },
    defaultTimeZone: () => 'UTC',
  };
  const cells: Record<string, Value> = Object.fromEntries(layout.settings.map((s) => [s.address, s.value]));
  const tariffCells = [...rows.values()].flatMap((r) => tariffTableCells(r));
  const sheet = new SheetCalculation(layoutTables(layout, NAMES, TARIFF_HEADERS, tariffCells), cells, dcsFunctions(ctx));
  const before = dcsCalls();
  const started = performance.now();
  const values = await sheet.table(NAMES.lines);
  const seconds = (performance.now() - started) / 1000;
  const errors = values.flat().filter((v): v is ExcelErrorValue => v instanceof ExcelErrorValue);
  return { lines: values.length, seconds, requests, dcsCalls: dcsCalls() - before, errors: errors.length, firstError: failure ?? errors[0]?.message };
}
