/**
 * Checking invoices line by line, for the pane (paste or CSV import), the ribbon's New invoice
 * check and preview mode: find the workbook's Tariffs table (or prepare the example one: the
 * demo's tariffs against the simulator, the docs' tariff elsewhere), read the invoice lines
 * against it, and only when all of them are good write the Tariffs sheet (if new) and a Bill
 * check sheet. In preview mode the sheet's formulas are then calculated by the preview's formula
 * engine with the add-in's own DCS functions, so the sheet shows figures without Excel.
 */
import type { DemoBillsJson } from '../../server/api/types';
import { apiClient, session } from '../api';
import { workbookDateSystem, workbookTimeZone } from '../functions/runtime-context';
import { demoInvoiceCsv, demoTariffs } from '../invoice/demo-example';
import { readInvoiceLines } from '../invoice/invoice-lines';
import { EXAMPLE_TARIFF, tariffRows, type TariffRow } from '../invoice/tariff-table';
import { readWorkbookTariffs, writeBillCheckSheet, writeTariffsSheet } from '../invoice/write-bill-check';
import type { ExcelRunner } from './pulls';

export interface BillCheckResult {
  sheet: string;
  invoices: number;
  lines: number;
  /** True when this run wrote the Tariffs sheet (the workbook had none). */
  wroteTariffs: boolean;
}

/** The demo's bills when the server runs the simulator and the user is signed in; else undefined. */
async function demoBills(): Promise<DemoBillsJson | undefined> {
  if (!session.isSignedIn) return undefined;
  try {
    return (await apiClient().health()).simulator ? await apiClient().demoBills() : undefined;
  } catch {
    return undefined;
  }
}

function exampleTariffs(demo: DemoBillsJson | undefined): Map<string, TariffRow[]> {
  const tariffs = demo ? demoTariffs(demo) : new Map([['Example electricity', EXAMPLE_TARIFF]]);
  return new Map([...tariffs].map(([name, tariff]) => [name, tariffRows(name, tariff)]));
}

/**
 * Checks the invoice lines in `text` (CSV, or cells pasted from a sheet; undefined: an empty sheet to fill). Throws InvoiceImportError
 * (every bad row and column named) or TariffTableError before anything is written.
 */
export async function checkInvoiceLines(run: ExcelRunner, text: string | undefined, demo?: DemoBillsJson): Promise<BillCheckResult> {
  const existing = await run(readWorkbookTariffs);
  const tariffs = existing ?? exampleTariffs(demo ?? (await demoBills()));
  const invoices = text === undefined ? [] : readInvoiceLines(text, (name) => tariffs.has(name));
  if (!existing) await run((context) => writeTariffsSheet(context, [...tariffs.values()].flat()));
  const timeZone = await workbookTimeZone();
  const dateSystem = await workbookDateSystem();
  const sheet = await run((context) => writeBillCheckSheet(context, { invoices, tariffs, timeZone, dateSystem }));
  return { sheet, invoices: invoices.length, lines: invoices.reduce((n, i) => n + i.lines.length, 0), wroteTariffs: !existing };
}

/**
 * The New invoice check command: the Tariffs sheet and a Bill check sheet holding the demo's
 * invoices (against the simulator), or an empty one to import into.
 */
export async function insertBillCheck(run: ExcelRunner): Promise<BillCheckResult> {
  const demo = await demoBills();
  return checkInvoiceLines(run, demo ? demoInvoiceCsv(demo) : undefined, demo);
}
