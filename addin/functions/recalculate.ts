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

/**
 * Formula cells whose text is read to tell whether a sheet holds DCS formulas; a sheet with more
 * is recalculated without reading them (about 100 bytes a formula: one request stays far below
 * Excel on the web's 5 MB limit, whatever the workbook's size).
 */
const MAX_FORMULAS_READ = 20_000;

/**
 * Recalculates the sheets holding DCS formulas; returns their names. Call it in its own
 * Excel.run, after a refresh's batch: it reads the workbook, so it must not fail a refresh.
 */
export async function recalculateDcsFunctions(context: Excel.RequestContext): Promise<string[]> {
  forgetConsumptionAnswers();
  // The pane's preview workbook in older builds had no sheet listing: nothing to recalculate there.
  if (typeof (context.workbook.worksheets as { getFirst?: unknown }).getFirst !== 'function') return [];
  const sheets = await sheetsWithDcsFormulas(context);
  for (const sheet of sheets) sheet.sheet.calculate(true);
  await context.sync();
  return sheets.map((s) => s.name);
}

/**
 * Three syncs whatever the number of sheets: the sheets, how many formula cells each has (no
 * formula text crosses the wire), then the formulas of the sheets small enough to read.
 */
async function sheetsWithDcsFormulas(context: Excel.RequestContext): Promise<Array<{ sheet: Excel.Worksheet; name: string }>> {
  // The whole sheet's range, not its used range: an empty sheet's used range is a null object,
  // whose methods cannot be called.
  const sheets = (await listWorksheets(context)).map(({ sheet, name }) => {
    const formulas = sheet.getRange().getSpecialCellsOrNullObject('Formulas' as Excel.SpecialCellType.formulas);
    formulas.load('cellCount');
    return { sheet, name, formulas };
  });
  await context.sync();
  const withFormulas = sheets.filter((s) => !s.formulas.isNullObject);
  const readable = withFormulas.filter((s) => s.formulas.cellCount <= MAX_FORMULAS_READ);
  for (const s of readable) s.formulas.areas.load('items/formulas');
  await context.sync();
  return withFormulas.filter((s) => s.formulas.cellCount > MAX_FORMULAS_READ || holdsDcs(s.formulas));
}

function holdsDcs(formulas: Excel.RangeAreas): boolean {
  return formulas.areas.items.some((area) => area.formulas.some((row) => row.some((f) => typeof f === 'string' && DCS_CALL.test(f))));
}
