/**
 * `$orderby` over rows in memory: the small sets sort their whole list; Readings and Intervals,
 * whose rows stream from DCS in source-then-time order, sort by anything else only for `$top`
 * (Sort then Keep top rows: the peak half-hours), keeping the best rows as the scan goes.
 */
import type { Row, RowValue } from './filter-eval';
import type { OrderItem } from './options';

/** OData ordering: nulls first ascending; strings by code unit, as OData's ordinal comparison. */
function compareValues(a: RowValue, b: RowValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return String(a) < String(b) ? -1 : 1;
}

/** A comparator for the order items; rows that tie keep their streaming order (Array.sort is stable). */
export function rowComparator(items: readonly OrderItem[]): (x: Row, y: Row) => number {
  return (x, y) => {
    for (const item of items) {
      const c = compareValues(x[item.property] ?? null, y[item.property] ?? null);
      if (c !== 0) return item.descending ? -c : c;
    }
    return 0;
  };
}

export function sortRows(rows: Row[], items: readonly OrderItem[]): Row[] {
  return items.length === 0 ? rows : [...rows].sort(rowComparator(items));
}

/**
 * The first `keep` rows of the whole stream in the given order, as one batch. Only rows the
 * filter accepts count; at most twice `keep` rows are held at any time.
 */
export async function* bestRows<T>(
  rows: AsyncGenerator<T[]>,
  items: readonly OrderItem[],
  keep: number,
  values: (item: T) => Row,
  accept: ((row: Row) => boolean) | undefined,
): AsyncGenerator<T[]> {
  const compare = rowComparator(items);
  const byValues = (a: { item: T; row: Row }, b: { item: T; row: Row }) => compare(a.row, b.row);
  let best: Array<{ item: T; row: Row }> = [];
  try {
    for await (const batch of rows) {
      for (const item of batch) {
        const row = values(item);
        if (!accept || accept(row)) best.push({ item, row });
      }
      if (best.length > 2 * keep) best = best.sort(byValues).slice(0, keep);
    }
  } finally {
    await rows.return(undefined);
  }
  yield best
    .sort(byValues)
    .slice(0, keep)
    .map((b) => b.item);
}
