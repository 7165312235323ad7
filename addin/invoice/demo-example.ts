/**
 * The demo's tariffs and invoices (`GET /api/bills/demo`, on a server running the simulator) as
 * the Bill check sheet's example: each tariff named by its utility ("Demo electricity"), and the
 * invoices as the invoice-lines CSV a user would import (invoice-lines.ts), so the example goes
 * the same way as the user's own invoices.
 */
import type { DemoBillsJson, TariffJson } from '../../server/api/types';
import { INVOICE_COLUMNS } from './invoice-lines';

type DemoBill = DemoBillsJson['bills'][number];

/** "electricity-2024-10" is a bill on the tariff "Demo electricity". */
export function demoTariffName(bill: DemoBill): string {
  return `Demo ${bill.name.split('-')[0]}`;
}

export function demoTariffs(demo: DemoBillsJson): Map<string, TariffJson> {
  const tariffs = new Map<string, TariffJson>();
  for (const bill of demo.bills) if (!tariffs.has(demoTariffName(bill))) tariffs.set(demoTariffName(bill), bill.request.tariff);
  return tariffs;
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
function csvCell(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The demo invoices as invoice-lines CSV (every column, header first). */
export function demoInvoiceCsv(demo: DemoBillsJson): string {
  const header = Object.keys(INVOICE_COLUMNS);
  const rows = demo.bills.flatMap((bill) => {
    const { supply, period, invoice } = bill.request;
    return (invoice?.lines ?? []).map((line) =>
      [
        invoice?.reference ?? bill.name,
        'Demo Energy Ltd',
        demoTariffName(bill),
        supply.import,
        supply.reactive,
        period.firstDay,
        period.lastDay,
        line.name,
        line.quantity,
        line.rate,
        line.amount,
      ].map(csvCell),
    );
  });
  return [header, ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}
