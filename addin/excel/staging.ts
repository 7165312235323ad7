import type { CellValue } from './cells';

/** Name of the hidden sheet that holds a pull until it is complete. */
export const STAGING_SHEET_NAME = 'DCS staging';

/**
 * A hidden worksheet that receives a pull block by block. Nothing the user sees changes until
 * the pull is complete; then the rows are copied into place in one request (Range.copyFrom runs
 * inside Excel, so it carries no cell values and stays far under the request size limit).
 * A failed or cancelled pull just deletes the sheet.
 */
export class StagingSheet {
  #rows = 0;

  private constructor(
    readonly sheet: Excel.Worksheet,
    readonly columnCount: number,
  ) {}

  /** Makes a fresh hidden staging sheet, first deleting any left behind by an interrupted pull. */
  static async create(context: Excel.RequestContext, columnCount: number): Promise<StagingSheet> {
    await deleteStagingSheet(context);
    const sheet = context.workbook.worksheets.add(STAGING_SHEET_NAME);
    sheet.visibility = 'Hidden';
    await context.sync();
    return new StagingSheet(sheet, columnCount);
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.#rows;
  }

  /** Writes one block below the rows already there, in one request. */
  async append(context: Excel.RequestContext, rows: CellValue[][]): Promise<void> {
    if (rows.length === 0) return;
    // Recalculating the workbook after every block is wasted work: nothing refers to this sheet.
    context.workbook.application.suspendApiCalculationUntilNextSync();
    this.sheet.getRangeByIndexes(this.#rows, 0, rows.length, this.columnCount).values = rows;
    await context.sync();
    this.#rows += rows.length;
  }

  /** The staged rows (at least one row must have been written). */
  rows(): Excel.Range {
    return this.sheet.getRangeByIndexes(0, 0, this.#rows, this.columnCount);
  }

  /** Deletes the sheet; safe to call after a failure. */
  async discard(context: Excel.RequestContext): Promise<void> {
    await deleteStagingSheet(context);
  }
}

async function deleteStagingSheet(context: Excel.RequestContext): Promise<void> {
  const old = context.workbook.worksheets.getItemOrNullObject(STAGING_SHEET_NAME);
  await context.sync();
  if (!old.isNullObject) {
    old.delete();
    await context.sync();
  }
}
