import type { ExcelRunner } from '../runtime/pulls';

/** Where the pane is running. */
export type HostKind = 'excel' | 'browser';

/** After this long without Office.onReady, the pane says it is still waiting for Excel. */
const SLOW_START_MS = 8_000;

export interface DetectHostOptions {
  /** Called once if Office.onReady has not answered after `slowAfterMs`: say "still starting", never "not in Office". */
  onSlow?: () => void;
  slowAfterMs?: number;
}

/**
 * Waits for Office.js and says whether this page runs inside Excel. Survives office.js failing
 * to load (offline, blocked): then there is no Office global and the answer is 'browser'. In a
 * plain browser office.js answers onReady at once with no host. Inside Excel, onReady can take
 * well over 8 s on a large workbook (office-js issues 6678, 6150), so there is no timeout: a slow
 * start is only reported through `onSlow`.
 */
export async function detectHost(options: DetectHostOptions = {}): Promise<HostKind> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') return 'browser';
  const slow = setTimeout(() => options.onSlow?.(), options.slowAfterMs ?? SLOW_START_MS);
  try {
    const info = await Office.onReady();
    return info.host === Office.HostType.Excel ? 'excel' : 'browser';
  } catch {
    return 'browser';
  } finally {
    clearTimeout(slow);
  }
}

/**
 * Excel.run, for the real host. `delayForCellEdit` (ExcelApi 1.11): while the user is typing in a
 * cell, Excel holds each sync until they leave the cell instead of failing it; a long pull syncs
 * many times and would otherwise fail (and leave its staging sheet behind) whenever someone types.
 * Hosts without ExcelApi 1.11 ignore the option.
 */
export const excelRunner: ExcelRunner = (batch) => Excel.run({ delayForCellEdit: true }, (context) => batch(context));
