/**
 * Refresh for cell functions. Excel does not recalculate custom functions on its own Refresh
 * All (they are not data connections), and marking them volatile would query DCS on every edit
 * anywhere in the workbook. So the add-in's Refresh (ribbon and pane) calls this: forget the
 * remembered answers, then ask Excel for a full recalculation, which runs every =DCS.* formula
 * again.
 */
import { forgetConsumptionAnswers } from './runtime-context';

export async function recalculateDcsFunctions(context: Excel.RequestContext): Promise<void> {
  forgetConsumptionAnswers();
  const application = (context.workbook as { application?: Excel.Application }).application;
  // The pane's preview workbook (no Excel) has no formulas to recalculate.
  if (typeof application?.calculate !== 'function') return;
  application.calculate(Excel.CalculationType.full);
  await context.sync();
}
