/**
 * Dates in spilled results. A custom function returning a bare serial shows 45383 instead of a
 * date; returning a formatted number (a DoubleCellValue: `{ type: "Double", basicValue,
 * numberFormat }`) makes the cell show the date. Excel accepts it because the generated
 * functions.json says `allowCustomDataForDataTypeAny: true` and the results are typed `any`.
 */
import { DATE_TIME_FORMAT } from '../excel/cells';
import { epochMsToSerial, type DateSystem } from '../excel/dates';

export interface DateCell {
  type: 'Double';
  basicValue: number;
  numberFormat: string;
}

/** How dates of whole days look. */
const DATE_FORMAT = 'yyyy-mm-dd';

export function dateCell(serial: number, numberFormat: string = DATE_TIME_FORMAT): DateCell {
  return { type: 'Double', basicValue: serial, numberFormat };
}

/** The format for a period of this length: a date for days and longer, a date and time below. */
export function formatForPeriod(period: string): string {
  return period === 'halfHour' || period === 'hour' ? DATE_TIME_FORMAT : DATE_FORMAT;
}

/**
 * The serial of the wall clock an ISO-8601 text shows, ignoring its offset: the server writes
 * interval boundaries in the requested zone with that zone's offset (`2023-10-01T00:00:00+01:00`),
 * so the local date and time are the text before the offset.
 */
export function wallClockSerial(iso: string, dateSystem: DateSystem): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!match) throw new Error(`The server sent a time that is not ISO-8601 ("${iso}"). Check that the add-in and the server are the same version.`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return epochMsToSerial(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)), dateSystem);
}
