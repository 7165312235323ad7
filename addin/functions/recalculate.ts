/**
 * Refresh for cell functions. Excel does not recalculate custom functions on its own Refresh
 * All (they are not data connections), and marking them volatile would query DCS on every edit
 * anywhere in the workbook. So the add-in's Refresh (ribbon and pane) calls this: forget the
 * remembered answers, then recalculate the worksheets that hold =DCS.* formulas.
 *
 * Only those sheets: Application.calculate recalculates every open workbook, other people's
 * workbooks and other add-ins' functions included. Worksheet.calculate(true) (ExcelApi 1.6)
 * marks every formula of one sheet dirty and recalculates it.
 */
import { listWorksheets } from '../excel/sheets';
import { forgetConsumptionAnswers } from './runtime-context';

/** A formula that calls one of the add-in's functions (namespace DCS). */
const DCS_CALL = /(^|[^A-Za-z0-9_.])DCS\.[A-Za-z]/i;

/** Recalculates the sheets holding DCS formulas; returns their names. */
export async function recalculateDcsFunctions(context: Excel.RequestContext): Promise<string[]> {
  forgetConsumptionAnswers();
  // The pane's preview workbook in older builds had no sheet listing: nothing to recalculate there.
  if (typeof (context.workbook.worksheets as { getFirst?: unknown }).getFirst !== 'function') return [];
  const sheets = await sheetsWithDcsFormulas(context);
  for (const sheet of sheets) sheet.sheet.calculate(true);
  await context.sync();
  return sheets.map((s) => s.name);
}

async function sheetsWithDcsFormulas(context: Excel.RequestContext): Promise<Array<{ sheet: Excel.Worksheet; name: string }>> {
  const found: Array<{ sheet: Excel.Worksheet; name: string }> = [];
  for (const { sheet, name } of await listWorksheets(context)) {
    // Only the formula cells cross the wire, not the (possibly huge) tables of values. The whole
    // sheet's range, not its used range: an empty sheet's used range is a null object, whose
    // methods cannot be called.
    const formulas = sheet.getRange().getSpecialCellsOrNullObject('Formulas' as Excel.SpecialCellType.formulas);
    formulas.areas.load('items/formulas');
    await context.sync();
    if (formulas.isNullObject) continue;
    const holdsDcs = formulas.areas.items.some((area) => area.formulas.some((row) => row.some((f) => typeof f === 'string' && DCS_CALL.test(f))));
    if (holdsDcs) found.push({ sheet, name });
  }
  return found;
}
