/**
 * The workbook's one time zone (issue 19): chosen in the pane, kept in the workbook's settings
 * (so it travels with the file to another computer), and used by the pane, the invoice sheet and
 * every `=DCS.*` function that is not given a zone. Until one is chosen, the computer's zone.
 */

/** The workbook setting holding the zone's IANA name. */
export const WORKBOOK_ZONE_SETTING = 'DCS.timeZone';

/** The zone stored in the workbook, or undefined when none was chosen yet. */
export async function readWorkbookZone(context: Excel.RequestContext): Promise<string | undefined> {
  const setting = context.workbook.settings.getItemOrNullObject(WORKBOOK_ZONE_SETTING);
  setting.load('value');
  await context.sync();
  if (setting.isNullObject) return undefined;
  return typeof setting.value === 'string' && setting.value !== '' ? setting.value : undefined;
}

/** Keeps the zone in the workbook (saved with it). */
export async function writeWorkbookZone(context: Excel.RequestContext, zone: string): Promise<void> {
  context.workbook.settings.add(WORKBOOK_ZONE_SETTING, zone);
  await context.sync();
}
