/**
 * The sources picked in the pane, remembered with the workbook (issue 19): kept in the workbook's
 * settings beside its time zone (workbook-zone.ts), so reopening the file, or reloading the pane,
 * shows the same picks. Only source ids are kept: no names, no sign-in, nothing secret.
 */
import { normaliseGroupId, normaliseSourceId } from '../query/source-id';

/** The workbook setting holding the picked ids, in the order they were picked. */
export const WORKBOOK_SOURCES_SETTING = 'DCS.pickedSources';

/** The ids kept in the workbook; empty when none were kept (or the setting was edited into nonsense). */
export async function readWorkbookSources(context: Excel.RequestContext): Promise<string[]> {
  const setting = context.workbook.settings.getItemOrNullObject(WORKBOOK_SOURCES_SETTING);
  setting.load('value');
  await context.sync();
  if (setting.isNullObject || !Array.isArray(setting.value)) return [];
  // Only what reads as a source id: the setting may have been edited by anything.
  const ids = (setting.value as unknown[]).map((id) => (typeof id === 'string' ? (normaliseSourceId(id) ?? normaliseGroupId(id)) : undefined));
  return [...new Set(ids.filter((id) => id !== undefined))];
}

/** Keeps the picked ids in the workbook (saved with it). */
export async function writeWorkbookSources(context: Excel.RequestContext, ids: readonly string[]): Promise<void> {
  context.workbook.settings.add(WORKBOOK_SOURCES_SETTING, [...ids]);
  await context.sync();
}
