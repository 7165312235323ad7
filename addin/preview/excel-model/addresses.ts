import { MAX_ROWS, type Box } from './model';

/** Column letters of a zero-based column index: 0 -> A, 27 -> AB. */
export function columnLetters(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Zero-based column of column letters: A -> 0, AB -> 27. */
export function columnOfLetters(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Where a box sits in its sheet, zero-based. */
export type Place = Omit<Box, 'sheet'>;

/** A1-style address within a sheet: `A1`, `A1:C9`, whole columns `A:C` ($ allowed); no sheet prefix. */
export function parseCellAddress(address: string): Place | undefined {
  const text = address.replace(/\$/g, '').toUpperCase();
  const columns = /^([A-Z]+):([A-Z]+)$/.exec(text);
  if (columns) {
    const left = columnOfLetters(columns[1]);
    return { row: 0, column: left, rows: MAX_ROWS, columns: columnOfLetters(columns[2]) - left + 1 };
  }
  const cells = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(text);
  if (!cells) return undefined;
  const left = columnOfLetters(cells[1]);
  const top = Number(cells[2]) - 1;
  const right = cells[3] === undefined ? left : columnOfLetters(cells[3]);
  const bottom = cells[4] === undefined ? top : Number(cells[4]) - 1;
  return { row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
}

function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** `A1` or `A1:C9`: a place without its sheet. */
export function placeAddress(place: Place): string {
  const first = `${columnLetters(place.column)}${place.row + 1}`;
  const last = `${columnLetters(place.column + place.columns - 1)}${place.row + place.rows}`;
  return `${first}${first === last ? '' : `:${last}`}`;
}

/** `Sheet1!A1:C9` or `'DCS data'!B2`, as Range.address gives it. */
export function boxAddress(box: Box): string {
  return `${quoteSheet(box.sheet.name)}!${placeAddress(box)}`;
}
