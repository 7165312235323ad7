import { BlockBuffer } from './blocks';
import type { CellValue } from './cells';
import { TEXT_FORMAT } from './cells';
import { listWorksheets } from './sheets';

/** Names of staging sheets start with this; the rest makes each one unique (see stagingSheetName). */
const STAGING_SHEET_PREFIX = 'DCS staging';

/** A staging sheet older than this was left by a pull that never finished (Excel closed): deleted. */
const STALE_AFTER_MS = 24 * 3_600_000;

/**
 * A name for one pull's staging sheet: the prefix, the time in base 36 and a random tag. Unique
 * per pull because, when several people edit a workbook at once (Excel on the web, AutoSave), they
 * all see the same sheets: a fixed name would let one author's pull delete another's staging sheet.
 * 31 characters at most (Excel's limit for sheet names).
 */
export function stagingSheetName(nowMs: number, random: () => number = Math.random): string {
  const tag = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${STAGING_SHEET_PREFIX} ${nowMs.toString(36)}-${tag}`;
}

/** When a staging sheet was made (epoch ms), or undefined for a name that is no staging sheet. */
function stagingSheetTime(name: string): number | undefined {
  if (name === STAGING_SHEET_PREFIX) return 0; // the fixed name of earlier versions: always stale
  const match = /^DCS staging ([0-9a-z]+)-[0-9a-z]{4}$/.exec(name);
  return match ? parseInt(match[1], 36) : undefined;
}

/** The columns a staging sheet holds: how many, and which get the Text format. */
export interface StagingColumns {
  count: number;
  textIndexes: readonly number[];
}

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
    readonly name: string,
    readonly columns: StagingColumns,
  ) {}

  get columnCount(): number {
    return this.columns.count;
  }

  /** Makes a fresh hidden staging sheet, first deleting any that interrupted pulls left long ago. */
  static async create(context: Excel.RequestContext, columns: StagingColumns, nowMs: number = Date.now()): Promise<StagingSheet> {
    await deleteStaleStagingSheets(context, nowMs);
    const name = stagingSheetName(nowMs);
    const sheet = context.workbook.worksheets.add(name);
    sheet.visibility = 'Hidden';
    await context.sync();
    return new StagingSheet(sheet, name, columns);
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.#rows;
  }

  /** Writes one block below the rows already there, in one request; text columns as Text first. */
  async append(context: Excel.RequestContext, rows: CellValue[][]): Promise<void> {
    if (rows.length === 0) return;
    // Recalculating the workbook after every block is wasted work: nothing refers to this sheet.
    context.workbook.application.suspendApiCalculationUntilNextSync();
    for (const column of this.columns.textIndexes) {
      // A 1x1 format applies to every cell of the range.
      this.sheet.getRangeByIndexes(this.#rows, column, rows.length, 1).numberFormat = [[TEXT_FORMAT]];
    }
    this.sheet.getRangeByIndexes(this.#rows, 0, rows.length, this.columns.count).values = rows;
    await context.sync();
    this.#rows += rows.length;
  }

  /** The staged rows (at least one row must have been written). */
  rows(): Excel.Range {
    return this.sheet.getRangeByIndexes(0, 0, this.#rows, this.columns.count);
  }

  /** Deletes this pull's sheet (and no one else's); safe to call after a failure. */
  async discard(context: Excel.RequestContext): Promise<void> {
    const own = context.workbook.worksheets.getItemOrNullObject(this.name);
    await context.sync();
    if (!own.isNullObject) {
      own.delete();
      await context.sync();
    }
  }
}

/**
 * Stages rows already held in memory (a calculated table's figures) on a new staging sheet, in
 * blocks of about `maxBytes`, one sync a block. On failure the sheet is deleted and the error rethrown.
 */
export async function stageRows(context: Excel.RequestContext, columns: StagingColumns, rows: Iterable<CellValue[]>, maxBytes: number): Promise<StagingSheet> {
  const staging = await StagingSheet.create(context, columns);
  try {
    const buffer = new BlockBuffer(maxBytes);
    for (const row of rows) {
      const full = buffer.add(row);
      if (full) await staging.append(context, full);
    }
    await staging.append(context, buffer.take());
    return staging;
  } catch (error) {
    await staging.discard(context).catch(() => undefined);
    throw error;
  }
}

async function deleteStaleStagingSheets(context: Excel.RequestContext, nowMs: number): Promise<void> {
  const stale = (await listWorksheets(context)).filter((s) => {
    const made = stagingSheetTime(s.name);
    return s.visibility !== 'Visible' && made !== undefined && nowMs - made > STALE_AFTER_MS;
  });
  if (stale.length === 0) return;
  for (const s of stale) s.sheet.delete();
  await context.sync();
}
