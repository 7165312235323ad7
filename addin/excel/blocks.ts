import type { CellValue } from './cells';
import { DEFAULT_BLOCK_BYTES } from './limits';

/**
 * About how many bytes a row adds to an Excel request: Office.js sends cell values as JSON, so
 * the row's own JSON (plus its separating comma) is a close estimate.
 */
export function estimateRowBytes(row: readonly CellValue[]): number {
  return JSON.stringify(row).length + 1;
}

/**
 * Collects rows into blocks no larger than `maxBytes` (estimated), each to be written to Excel
 * with one sync. A block always holds at least one row.
 */
export class BlockBuffer {
  #rows: CellValue[][] = [];
  #bytes = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new Error('A block must be allowed at least one byte.');
  }

  get rowCount(): number {
    return this.#rows.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds a row. Returns the rows collected so far, for writing first, when this row would push
   * the block over its size; otherwise undefined.
   */
  add(row: CellValue[]): CellValue[][] | undefined {
    const size = estimateRowBytes(row);
    let full: CellValue[][] | undefined;
    if (this.#rows.length > 0 && this.#bytes + size > this.maxBytes) full = this.take();
    this.#rows.push(row);
    this.#bytes += size;
    return full;
  }

  /** The collected rows, leaving the buffer empty. */
  take(): CellValue[][] {
    const rows = this.#rows;
    this.#rows = [];
    this.#bytes = 0;
    return rows;
  }
}

/**
 * Writes `rows` (each `width` cells) downwards from (top, left) in blocks of about `maxBytes`,
 * one sync a block: a single request for a large table would pass Excel on the web's size limit.
 */
export async function writeRowsInBlocks(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  at: { top: number; left: number; width: number },
  rows: Iterable<CellValue[]>,
  maxBytes = DEFAULT_BLOCK_BYTES,
): Promise<void> {
  const buffer = new BlockBuffer(maxBytes);
  let written = 0;
  const flush = async (block: CellValue[][]) => {
    if (block.length === 0) return;
    sheet.getRangeByIndexes(at.top + written, at.left, block.length, at.width).values = block;
    written += block.length;
    await context.sync();
  };
  for (const row of rows) {
    const full = buffer.add(row);
    if (full) await flush(full);
  }
  await flush(buffer.take());
}
