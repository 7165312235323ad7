/**
 * The PostgreSQL readings store (DATABASE_URL): settled readings kept per source and query
 * options, so that a repeated pull of old history need not ask DCS again. See `./types` for the
 * contract; authorization stays with the caller.
 */
import type { Pool } from 'pg';
import type { AnyReading } from 'dcs-client';
import { createPool } from './db';
import { applyMigrations } from './migrate';
import { planSpan, readSpan } from './reader';
import { CopyRecorder, type RecorderOptions } from './recorder';
import { DEFAULT_SETTLE_AGE_MS } from './settled';
import type { ReadingsRecorder, ReadingsStore, SeriesKey, Span, SpanPlan, StoredHeader } from './types';

export type { ReadingsStore, RecordSummary, SeriesKey, Span } from './types';
export { DEFAULT_SETTLE_AGE_MS } from './settled';

export interface ReadingsStoreOptions {
  /** DATABASE_URL: `postgres://user:password@host:5432/database`. */
  databaseUrl: string;
  /** SETTLE_AGE: how old a period must be before its real reading is kept and served. Default 7 days. */
  settleAgeMs?: number;
  /** Settled readings per COPY transaction. Default 20000 (a year of half-hours is written once, after its pull). */
  batchRows?: number;
  /** Readings queued for writing beyond which a pull waits for the database. Default 100000. */
  maxBufferedRows?: number;
  /** DATABASE_TIMEOUT in ms: longest wait for a connection or one query. Default 10000. */
  timeoutMs?: number;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** Told of database trouble that does not fail a request (a batch not written, a dropped idle connection). */
  onError?: (error: Error) => void;
  /** Told what the migrations did at start. */
  log?: (message: string) => void;
  /** The clock, epoch ms: tests move it to settle readings without waiting a week. */
  now?: () => number;
}

/**
 * Connects, applies pending schema migrations, and returns the store. Rejects (with the
 * database's own message) when the database cannot be reached or migrated: a server configured
 * with DATABASE_URL should not start half-working.
 */
export async function openReadingsStore(options: ReadingsStoreOptions): Promise<ReadingsStore> {
  const settleAgeMs = options.settleAgeMs ?? DEFAULT_SETTLE_AGE_MS;
  if (!(settleAgeMs >= 0)) throw new RangeError(`settleAgeMs ${settleAgeMs} is not a duration; give 0 or more milliseconds.`);
  const onError = options.onError ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = createPool(options.databaseUrl, options.maxConnections ?? 10, onError, timeoutMs);
  try {
    const client = await pool.connect();
    try {
      await applyMigrations(client, options.log);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresReadingsStore(
    pool,
    {
      settleAgeMs,
      batchRows: options.batchRows ?? 20_000,
      maxBufferedRows: options.maxBufferedRows ?? 100_000,
      now: options.now ?? Date.now,
      onError,
    },
    timeoutMs,
  );
}

class PostgresReadingsStore implements ReadingsStore {
  constructor(
    private readonly pool: Pool,
    private readonly options: RecorderOptions,
    private readonly timeoutMs: number,
  ) {}

  plan(key: SeriesKey, span: Span): Promise<SpanPlan> {
    return planSpan(this.pool, key, span, this.options.now(), this.options.settleAgeMs, this.timeoutMs);
  }

  read(key: SeriesKey, span: Span): AsyncIterable<readonly AnyReading[]> {
    return readSpan(this.pool, key, span, this.timeoutMs);
  }

  recorder(key: SeriesKey, header: StoredHeader): ReadingsRecorder {
    return new CopyRecorder(this.pool, key, header, this.options);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export { arrangeParts, readThrough } from './read-through';
export type { ReadThroughStream } from './read-through';
