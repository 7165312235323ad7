/**
 * The Bill check sheet in preview mode: written as in Excel (runtime/bill-check.ts), then its
 * formulas calculated by the preview's formula engine with the add-in's own DCS functions
 * (against the server), so the preview shows figures, verdicts and dates where Excel would,
 * not formula text.
 */
import { functionsContext } from '../functions/runtime-context';
import { calculateWorkbook, shownValue } from '../preview/calculate-workbook';
import { dcsFunctions } from '../preview/dcs-functions';
import { columnOfLetters, type MemoryExcel } from '../preview/memory-excel';

/** Calculates every formula of the preview workbook and shows the results (the grid redraws on the closing sync). */
export async function calculatePreview(workbook: MemoryExcel): Promise<void> {
  const results = await calculateWorkbook(workbook.view.snapshot(), dcsFunctions(functionsContext()));
  for (const { sheet, address, value } of results) {
    const m = /^([A-Z]+)(\d+)$/.exec(address);
    if (m) workbook.view.showCalculated(sheet, Number(m[2]) - 1, columnOfLetters(m[1]), shownValue(value));
  }
  await workbook.run((context) => context.sync());
}
