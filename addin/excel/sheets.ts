/**
 * Listing a workbook's worksheets: for the few places that must look at every sheet (leftover staging sheets, sheets holding DCS
 * formulas).
 */

export interface SheetInfo {
  sheet: Excel.Worksheet;
  name: string;
  visibility: Excel.SheetVisibility | 'Visible' | 'Hidden' | 'VeryHidden';
}

/**
 * Every worksheet in order, in two syncs whatever their number: the count (ExcelApi 1.4), then
 * the chain first, next, next... (Worksheet.getNext, ExcelApi 1.5) loaded in one batch.
 */
export async function listWorksheets(context: Excel.RequestContext): Promise<SheetInfo[]> {
  const count = context.workbook.worksheets.getCount();
  await context.sync();
  const sheets: Excel.Worksheet[] = [];
  let sheet = context.workbook.worksheets.getFirst();
  // eslint-disable-next-line office-addins/load-object-before-read -- getCount's ClientResult carries its value after the sync; it has no load()
  for (let i = 0; i < count.value; i++) {
    if (i > 0) sheet = sheet.getNext();
    sheet.load('name,visibility');
    sheets.push(sheet);
  }
  await context.sync();
  return sheets.map((s) => ({ sheet: s, name: s.name, visibility: s.visibility }));
}
