/**
 * The "New invoice check" ribbon command's work: insert a sheet that checks suppliers' invoices
 * against metered consumption, with worked examples (see examples.ts) when signed in.
 * Signed out, the sheet still arrives, with one empty row to fill in; its formulas show the
 * sign-in message until the user signs in and recalculates.
 */
import { apiClient, signedInOnceRestored } from '../api';
import { dateSystemOf } from '../functions/cell-functions';
import { functionsContext, workbookTimeZone } from '../functions/runtime-context';
import { excelRunner } from '../host/host';
import { chooseExamples } from './examples';
import { invoiceSheetLayout, type InvoiceExample } from './layout';
import { writeInvoiceSheet } from './write-sheet';

export async function insertInvoiceCheckSheet(): Promise<void> {
  const timeZone = await workbookTimeZone();
  const examples = (await signedInOnceRestored()) ? await examplesOrNone(timeZone) : [];
  const layout = invoiceSheetLayout(examples, timeZone);
  await excelRunner((context) => writeInvoiceSheet(context, layout));
}

/** Examples need DCS; if it cannot answer now, the sheet is still worth inserting without them. */
export async function examplesOrNone(timeZone: string): Promise<InvoiceExample[]> {
  const client = apiClient();
  const context = functionsContext();
  const { consumption } = context;
  try {
    return await chooseExamples({
      sources: () => client.sources(''),
      isSimulator: async () => (await client.health()).simulator,
      metered: async (id, start, end, zone) => (await consumption.get(id, start, end, zone)).consumption,
      now: new Date(),
      timeZone,
      dateSystem: await dateSystemOf(context),
    });
  } catch {
    return [];
  }
}
