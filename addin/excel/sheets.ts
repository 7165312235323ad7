/**
 * Listing a workbook's worksheets one by one (Worksheet.getNextOrNullObject, ExcelApi 1.5):
 * for the few places that must look at every sheet (leftover staging sheets, sheets holding DCS
 * formulas).
 */

export interface SheetInfo {
  sheet: Excel.Worksheet;
  name: string;
  visibility: Excel.SheetVisibility | 'Visible' | 'Hidden' | 'VeryHidden';
}

export async function listWorksheets(context: Excel.RequestContext): Promise<SheetInfo[]> {
  const found: SheetInfo[] = [];
  let sheet: Excel.Worksheet = context.workbook.worksheets.getFirst();
  sheet.load('name,visibility');
  await context.sync();
  for (;;) {
    found.push({ sheet, name: sheet.name, visibility: sheet.visibility });
    const next = sheet.getNextOrNullObject();
    next.load('name,visibility');
    await context.sync();
    if (next.isNullObject) return found;
    sheet = next;
  }
}
