/**
 * Dates in spilled results. A custom function returning a bare serial shows 45383 instead of a
 * date; returning a formatted number makes the cell show the date. Excel accepts it because the
 * generated functions.json says `allowCustomDataForDataTypeAny: true` and the results are typed
 * `any`. Which formatted number a build takes (learn.microsoft.com/javascript/api/excel):
 *   - ExcelApi 1.19 (Version 2504 on Windows, 16.96 on Mac): `{ type: "Double", basicValue, numberFormat }`;
 *   - ExcelApi 1.16 to 1.18: `{ type: "FormattedNumber", basicValue, numberFormat }` (a Double's
 *     numberFormat is ignored there: the cell shows a bare serial);
 *   - before CustomFunctionsRuntime 1.4 or ExcelApi 1.16: bare serials only.
 */
import { DATE_TIME_FORMAT } from '../excel/cells';

export interface DateCell {
  type: 'Double' | 'FormattedNumber';
  basicValue: number;
  numberFormat: string;
}

/** What this Excel takes for a date in a spilled result (see above). */
export type DateCellKind = DateCell['type'] | 'serial';

/** The date cell kind a build supports, from its requirement sets. */
export function dateCellKind(isSetSupported: (set: string, version: string) => boolean): DateCellKind {
  if (!isSetSupported('CustomFunctionsRuntime', '1.4')) return 'serial';
  if (isSetSupported('ExcelApi', '1.19')) return 'Double';
  return isSetSupported('ExcelApi', '1.16') ? 'FormattedNumber' : 'serial';
}

/** How dates of whole days look. */
const DATE_FORMAT = 'yyyy-mm-dd';

export function dateCell(serial: number, numberFormat: string = DATE_TIME_FORMAT, kind: DateCell['type'] = 'Double'): DateCell {
  return { type: kind, basicValue: serial, numberFormat };
}

/** The format for a period of this length: a date for days and longer, a date and time below. */
export function formatForPeriod(period: string): string {
  return period === 'halfHour' || period === 'hour' ? DATE_TIME_FORMAT : DATE_FORMAT;
}
