import type { ExcelRunner } from '../runtime/pulls';

/** Where the pane is running. */
export type HostKind = 'excel' | 'browser';

const READY_TIMEOUT_MS = 8_000;

/**
 * Waits for Office.js and says whether this page runs inside Excel. Survives office.js failing
 * to load (offline, blocked): then there is no Office global and the answer is 'browser'.
 */
export async function detectHost(): Promise<HostKind> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') return 'browser';
  const ready = Office.onReady().then((info) => (info.host === Office.HostType.Excel ? 'excel' : 'browser'));
  const timeout = new Promise<HostKind>((resolve) => setTimeout(() => resolve('browser'), READY_TIMEOUT_MS));
  try {
    return await Promise.race([ready, timeout]);
  } catch {
    return 'browser';
  }
}

/**
 * Excel.run, for the real host. `delayForCellEdit` (ExcelApi 1.11): while the user is typing in a
 * cell, Excel holds each sync until they leave the cell instead of failing it; a long pull syncs
 * many times and would otherwise fail (and leave its staging sheet behind) whenever someone types.
 * Hosts without ExcelApi 1.11 ignore the option.
 */
export const excelRunner: ExcelRunner = (batch) => Excel.run({ delayForCellEdit: true }, (context) => batch(context));
