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

/** Adds a sheet named `baseName`, or `baseName 2`, `baseName 3`... when that is taken. */
export async function addSheet(context: Excel.RequestContext, baseName: string): Promise<Excel.Worksheet> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? baseName : `${baseName} ${n}`;
    const existing = context.workbook.worksheets.getItemOrNullObject(name);
    await context.sync();
    if (existing.isNullObject) return context.workbook.worksheets.add(name);
  }
}

/** `base`, or `base_2`, `base_3`... : table names must be unique in the workbook. */
export async function uniqueTableName(context: Excel.RequestContext, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    const existing = context.workbook.tables.getItemOrNullObject(name);
    await context.sync();
    if (existing.isNullObject) return name;
  }
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
