/**
 * The write side of the store: settled readings streaming past from DCS are buffered and written
 * in batches, each batch one transaction: the blocks it touches are merged with what is stored
 * (one writer per series at a time), sent by COPY into a per-connection staging table and upserted
 * into `blocks`, and the batch's periods are added to the series' coverage. A batch is complete on
 * its own, so a pull cut short keeps what it had written (the mirror resumes from it).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { addPeriods, type AnyReading, type PeriodType } from 'dcs-client';
import { blockStart, mergeReadings, pack, unpack } from './packing';
import { upsertSeries } from './series';
import { isSettled, settledUntil } from './settled';
import type { ReadingsRecorder, RecordSummary, SeriesKey, StoredHeader } from './types';

export interface RecorderOptions {
  /** Settled readings per transaction. */
  batchRows: number;
  /** Readings waiting to be written beyond which `write` makes the pull wait for the database. */
  maxBufferedRows: number;
  settleAgeMs: number;
  now: () => number;
  /** Told of a failed batch (the recorder stops writing after it). */
  onError: (error: Error) => void;
}

const STAGING = `CREATE TEMP TABLE IF NOT EXISTS store_staging (block_ms bigint NOT NULL, data bytea NOT NULL) ON COMMIT DELETE ROWS`;

/** Epoch milliseconds as a timestamp, exactly (no floating-point seconds). */
const AT = (column: string): string => `(timestamptz 'epoch' + ${column} * interval '1 millisecond')`;

const UPSERT = `INSERT INTO blocks (series_id, block_start, data)
  SELECT $1::integer, ${AT('block_ms')}, data FROM store_staging
  ON CONFLICT (series_id, block_start) DO UPDATE SET data = EXCLUDED.data`;

const COVER = `UPDATE series SET coverage = coverage +
  (SELECT range_agg(tstzrange(${AT('s')}, ${AT('e')})) FROM unnest($2::bigint[], $3::bigint[]) AS r(s, e)) WHERE id = $1`;

/** Namespace of the per-series advisory locks (the migrations' lock uses the one-key form). */
const SERIES_LOCK_CLASS = 7301;

/**
 * Batches are written one after another in the background while the pull goes on; the pull only
 * waits when more than `maxBufferedRows` readings are queued (a database much slower than DCS).
 */
export class CopyRecorder implements ReadingsRecorder {
  /** Settled readings not yet handed to a batch (formatted only when written, off the pull's path). */
  private pending: AnyReading[] = [];
  private queue: Promise<void> = Promise.resolve();
  private queuedRows = 0;
  private seriesId: number | undefined;
  private stored = 0;
  private skipped = 0;
  private error: Error | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly key: SeriesKey,
    private readonly header: StoredHeader,
    private readonly options: RecorderOptions,
  ) {}

  async write(batch: readonly AnyReading[]): Promise<void> {
    if (this.closed || this.error) return;
    const { periodType } = this.key;
    const until = settledUntil(this.options.now(), this.options.settleAgeMs, periodType);
    for (const reading of batch) {
      if (isSettled(reading, periodType, until)) this.pending.push(reading);
      else this.skipped++;
    }
    if (this.pending.length >= this.options.batchRows) this.startFlush();
    if (this.queuedRows > this.options.maxBufferedRows) await this.queue;
  }

  async finish(): Promise<RecordSummary> {
    if (!this.closed) {
      this.closed = true;
      this.startFlush();
    }
    await this.queue;
    return { stored: this.stored, skipped: this.skipped, ...(this.error ? { error: this.error } : {}) };
  }

  async abandon(): Promise<void> {
    this.closed = true;
    this.pending = [];
    await this.queue;
  }

  private startFlush(): void {
    if (this.pending.length === 0 || this.error) return;
    const batch = this.pending;
    this.pending = [];
    this.queuedRows += batch.length;
    this.queue = this.queue.then(async () => {
      try {
        // Let the pull that handed over the batch go on first: the write is not on its path.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.error) return;
        await this.writeBatch(batch);
        this.stored += batch.length;
      } catch (error) {
        this.error = error instanceof Error ? error : new Error(String(error));
        this.pending = [];
        this.options.onError(this.error);
      } finally {
        this.queuedRows -= batch.length;
      }
    });
  }

  private async writeBatch(readings: AnyReading[]): Promise<void> {
    const { periodType, format } = this.key;
    const incoming = groupByBlock(readings, periodType);
    // Committed on its own, before the batch's lock: creating the series inside the batch would
    // hold the series row while waiting for a writer that needs it (a deadlock).
    this.seriesId ??= await upsertSeries(this.pool, this.key, this.header);
    const seriesId = this.seriesId;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Blocks are merged read-modify-write: two writers of one series would lose each other's readings.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [SERIES_LOCK_CLASS, seriesId]);
      const stored = await client.query<{ ms: number; data: Buffer }>(
        'SELECT (extract(epoch FROM block_start) * 1000)::float8 AS ms, data FROM blocks WHERE series_id = $1 AND block_start = ANY($2::timestamptz[])',
        [seriesId, [...incoming.keys()].map((ms) => new Date(ms))],
      );
      const storedByBlock = new Map(stored.rows.map((row) => [row.ms, unpack(row.data, format)]));
      const lines = [...incoming].map(([ms, blockReadings]) => {
        const merged = mergeReadings(storedByBlock.get(ms) ?? [], blockReadings);
        return `${ms}\t\\\\x${pack(merged, format).toString('hex')}\n`;
      });
      await client.query(STAGING);
      await copyLines(client, lines);
      await client.query(UPSERT, [seriesId]);
      const runs = periodRuns(readings, periodType);
      await client.query(COVER, [seriesId, runs.map((r) => r.start), runs.map((r) => r.end)]);
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection that failed mid-COPY is not trusted again.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }
}

function groupByBlock(readings: readonly AnyReading[], periodType: PeriodType): Map<number, AnyReading[]> {
  const blocks = new Map<number, AnyReading[]>();
  for (const reading of readings) {
    const start = blockStart(reading.timestamp.getTime(), periodType);
    const block = blocks.get(start);
    if (block) block.push(reading);
    else blocks.set(start, [reading]);
  }
  return blocks;
}

/** The periods of the readings as the fewest runs of consecutive periods, [start, end) in epoch ms. */
function periodRuns(readings: readonly AnyReading[], periodType: PeriodType): { start: number; end: number }[] {
  const starts = [...new Set(readings.map((r) => r.timestamp.getTime()))].sort((a, b) => a - b);
  const runs: { start: number; end: number }[] = [];
  for (const start of starts) {
    const end = addPeriods(start, periodType, 1);
    const last = runs[runs.length - 1];
    if (last && last.end >= start) last.end = Math.max(last.end, end);
    else runs.push({ start, end });
  }
  return runs;
}

/** Lines are sent in chunks of a hundred: fewer stream writes than one per block. */
async function copyLines(client: PoolClient, lines: string[]): Promise<void> {
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 100) chunks.push(lines.slice(i, i + 100).join(''));
  await pipeline(Readable.from(chunks), client.query(copyFrom('COPY store_staging FROM STDIN')));
}
