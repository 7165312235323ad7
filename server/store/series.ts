/**
 * Series rows: one per source and set of query options, holding what DCS said about the source
 * (name, unit, duration) and the coverage of its stored readings.
 */
import type { Queryable } from './db';
import type { SeriesKey, StoredHeader } from './types';

/** The identity columns of a series, normalised as `endpointState` and DCS do (case-insensitive). */
function identity(key: SeriesKey): unknown[] {
  const endpoint = key.endpoint.endsWith('/') ? key.endpoint : `${key.endpoint}/`;
  return [endpoint.toLowerCase(), key.source.toUpperCase(), key.periodType, key.calibrated, key.interpolated, key.format];
}

const IDENTITY_MATCH = 'endpoint = $1 AND source = $2 AND period_type = $3 AND calibrated = $4 AND interpolated = $5 AND format = $6';

export interface SeriesRow {
  id: number;
  header?: StoredHeader;
}

/** The series of `key`, or undefined when nothing of it was ever stored. */
export async function findSeries(db: Queryable, key: SeriesKey, timeoutMs?: number): Promise<SeriesRow | undefined> {
  const result = await db.query<{ id: number; name: string | null; unit: string | null; duration: number | null }>({
    text: `SELECT id, name, unit, duration FROM series WHERE ${IDENTITY_MATCH}`,
    values: identity(key),
    ...(timeoutMs !== undefined ? { query_timeout: timeoutMs } : {}),
  });
  const row = result.rows[0];
  if (!row) return undefined;
  const header = row.name !== null && row.unit !== null && row.duration !== null ? { name: row.name, unit: row.unit, duration: row.duration } : undefined;
  return { id: row.id, header };
}

/** The id of `key`'s series, created if new; the header is refreshed (DCS may rename a meter). */
export async function upsertSeries(db: Queryable, key: SeriesKey, header: StoredHeader): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO series (endpoint, source, period_type, calibrated, interpolated, format, name, unit, duration)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT ON CONSTRAINT series_identity
     DO UPDATE SET name = EXCLUDED.name, unit = EXCLUDED.unit, duration = EXCLUDED.duration
     RETURNING id`,
    [...identity(key), header.name, header.unit, header.duration],
  );
  return result.rows[0].id;
}
