/**
 * Finding out a workbook's date system. The Excel JavaScript API has no property for it, so ask
 * Excel itself: DATE(1904,1,1) is 1462 in the 1900 system and 0 in the 1904 system. Worksheet
 * functions run without touching any cell (context.workbook.functions, ExcelApi 1.2).
 */
import type { DateSystem } from './dates';

export async function readDateSystem(context: Excel.RequestContext): Promise<DateSystem> {
  const functions = (context.workbook as { functions?: Excel.Functions }).functions;
  // The pane's preview workbook and older test stubs may have no worksheet functions: 1900, the default.
  if (typeof functions?.date !== 'function') return 1900;
  const result = functions.date(1904, 1, 1);
  result.load('value');
  await context.sync();
  return result.value === 0 ? 1904 : 1900;
}
