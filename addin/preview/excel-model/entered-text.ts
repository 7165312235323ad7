import { DAYS_1900_TO_1904, type CellData } from './model';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * What Excel makes of text written through `Range.values` (or typed) into a cell not formatted
 * as Text: a formula, a number, a boolean or a date; otherwise the text itself. The model cannot
 * evaluate formulas: `=<number>` gives the number, anything else `#NAME?`, which is what Excel
 * shows for text such as "-Infinity" or "=Main incomer".
 */
export function parseEnteredText(text: string, date1904 = false): Pick<CellData, 'value' | 'formula'> {
  const trimmed = text.trim();
  if (trimmed === '') return { value: text };
  if (/^[=+-]/.test(trimmed) && trimmed.length > 1) {
    if (NUMBER_TEXT.test(trimmed)) return { value: Number(trimmed) };
    const formula = trimmed.startsWith('=') ? trimmed : `=${trimmed}`;
    const body = formula.slice(1);
    return { formula, value: NUMBER_TEXT.test(body) ? Number(body) : '#NAME?' };
  }
  if (NUMBER_TEXT.test(trimmed)) return { value: Number(trimmed) };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
  const date = DATE_TEXT.exec(trimmed);
  if (date) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0'] = date;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
    if (!Number.isNaN(ms)) return { value: ms / 86_400_000 + 25_569 - (date1904 ? DAYS_1900_TO_1904 : 0) };
  }
  return { value: text };
}
