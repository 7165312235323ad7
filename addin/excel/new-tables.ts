/**
 * Finding room for new tables: where they start (a new sheet or the selected cell), a sheet and
 * table names not yet taken, and a refusal to write over cells that hold anything. Shared by the
 * readings pull (get-readings.ts) and the calculated pull (runtime/interval-pull.ts).
 */

/** Where new tables go: a new sheet (default), or from the selected cell of the active sheet. */
export type Placement = 'newSheet' | 'activeCell';

/** Where the first table's title goes; no sheet means "on a new sheet". */
export interface StartAnchor {
  sheet: Excel.Worksheet | undefined;
  row: number;
  column: number;
}

export async function startAnchor(context: Excel.RequestContext, placement: Placement): Promise<StartAnchor> {
  if (placement === 'newSheet') {
    // The sheet itself is added only once the request has passed its checks.
    return { sheet: undefined, row: 0, column: 0 };
  }
  const cell = context.workbook.getActiveCell();
  cell.load('rowIndex,columnIndex');
  const sheet = context.workbook.worksheets.getActiveWorksheet();
  await context.sync();
  return { sheet, row: cell.rowIndex, column: cell.columnIndex };
}

/** How many numbered names are tried for one new sheet or table (all asked in one sync). */
const NAMES_TRIED = 100;

/**
 * The base name, or the first numbered one, that `find` finds nothing for: every candidate is
 * asked in one batch, one sync. `what` names what is named, for the message when all are taken.
 */
export async function unusedName(
  context: Excel.RequestContext,
  find: (name: string) => { isNullObject: boolean },
  base: string,
  numbered: (n: number) => string,
  what: string,
): Promise<string> {
  const names = Array.from({ length: NAMES_TRIED }, (_, i) => (i === 0 ? base : numbered(i + 1)));
  const found = names.map((name) => find(name));
  await context.sync();
  const free = names.find((_, i) => found[i].isNullObject);
  if (free === undefined) throw new Error(`There are already ${NAMES_TRIED} ${what}s named like "${base}": rename or delete some, then try again.`);
  return free;
}

/** Adds a sheet named `baseName`, or `baseName 2`, `baseName 3`... when that is taken. */
export async function addSheet(context: Excel.RequestContext, baseName: string): Promise<Excel.Worksheet> {
  const worksheets = context.workbook.worksheets;
  const name = await unusedName(
    context,
    (n) => worksheets.getItemOrNullObject(n),
    baseName,
    (n) => `${baseName} ${n}`,
    'sheet',
  );
  return worksheets.add(name);
}

/** `base`, or `base_2`, `base_3`... : table names must be unique in the workbook. */
export function uniqueTableName(context: Excel.RequestContext, base: string): Promise<string> {
  return unusedName(
    context,
    (n) => context.workbook.tables.getItemOrNullObject(n),
    base,
    (n) => `${base}_${n}`,
    'table',
  );
}

/** A table-name part from a source id: table names hold only letters, digits and underscores (and start with a letter: callers prefix "DCS_"). */
export function tableNamePart(sourceId: string): string {
  return sourceId.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Refuses to write over cells that hold anything (placing at the selected cell). `what` names
 * what would go there: "this table", "the tables".
 */
export async function checkEmpty(context: Excel.RequestContext, area: Excel.Range, what: string): Promise<void> {
  area.load('address');
  const used = area.getUsedRangeOrNullObject(true);
  await context.sync();
  if (!used.isNullObject) {
    throw new Error(`The cells where ${what} would go (${area.address}) are not empty, so nothing was written. Select an empty cell, or choose "New sheet".`);
  }
}
