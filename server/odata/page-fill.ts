/**
 * One page of an entity set, filled from rows that arrive in the collection's order: rows the
 * filter refuses are passed over, `$skip` rows dropped, then rows written until the page is full
 * (the row that did not fit is where the next page starts) or `$top` is reached.
 */
import type { Row } from './filter-eval';
import type { CollectionHead, CollectionWriter } from './json-writer';

export interface PageBounds {
  /** Rows to drop before the first written ($skip, what is left of it). */
  skip: number;
  /** Rows this page holds at most (the page size, or $top when smaller). */
  limit: number;
  top: number | undefined;
}

export interface PageRows<T, P> {
  /** The entity's values, as the filter and the serialiser read them. */
  values(item: T): Row;
  /** The filter's part that DCS could not apply; undefined = every row. */
  accept: ((values: Row) => boolean) | undefined;
  serialize(values: Row): string;
  /** Where a page starting at this row resumes. */
  position(item: T): P;
}

/**
 * Writes the page and returns where the next one starts (undefined: none). The answer is begun at
 * the first row written, so a failure before it can still be answered with a proper status; it is
 * begun at the end if no row was written. `rows` is closed however the page ends.
 */
export async function fillPage<T, P>(
  writer: CollectionWriter,
  head: CollectionHead,
  rows: AsyncGenerator<T[]>,
  bounds: PageBounds,
  page: PageRows<T, P>,
): Promise<P | undefined> {
  let toSkip = bounds.skip;
  let next: P | undefined;
  try {
    outer: for await (const batch of rows) {
      for (const item of batch) {
        const values = page.values(item);
        if (page.accept && !page.accept(values)) continue;
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        if (writer.count === bounds.limit) {
          next = page.position(item);
          break outer;
        }
        if (!writer.isStarted) writer.begin(head);
        await writer.add(page.serialize(values));
        if (writer.count === bounds.top) break outer;
      }
    }
  } finally {
    await rows.return(undefined);
  }
  if (!writer.isStarted) writer.begin(head);
  return next;
}
