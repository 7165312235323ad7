import type { CellValue } from './cells';

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
