/**
 * The "New invoice check" ribbon command's work: insert a sheet that checks a supplier's invoice
 * against metered consumption.
 *
 * PLACEHOLDER written by the add-in infrastructure so that the ribbon button is wired before the
 * real sheet exists; the invoice helper replaces this file (keep the export's name and type).
 */
export async function insertInvoiceCheckSheet(): Promise<void> {
  throw new Error('The invoice check sheet is not available in this version of the add-in yet.');
}
