/**
 * The write side of the store: settled readings streaming past from DCS are buffered and written
 * in batches, each batch one transaction: COPY into a per-connection staging table, then an upsert
 * into `readings` and the union of the batch's periods into the series' coverage. A batch is
 * complete on its own, so a pull cut short keeps what it had written (the mirror resumes from it).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { addPeriods } from '../dcs/periods';
import type { AnyReading } from '../dcs/types';
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

/**
 * Times travel as epoch milliseconds and become timestamps in the database: formatting an ISO
 * string per reading costs the pull several times more than the number does.
 */
const STAGING = `CREATE TEMP TABLE IF NOT EXISTS store_staging (
  ms bigint NOT NULL, end_ms bigint NOT NULL, value float8, total_value float8, period_value float8, status integer NOT NULL
) ON COMMIT DELETE ROWS`;

const AT = (column: string): string => `(timestamptz 'epoch' + ${column} * interval '1 millisecond')`;

/**
 * Duplicate timestamps in one batch are collapsed (the last wins): an upsert may touch a row once.
 * A reading stored already is rewritten only if DCS now says something else (no dead tuples for
 * the settled history a coalesced pull fetches again).
 */
const UPSERT = `INSERT INTO readings (series_id, ts, value, total_value, period_value, status)
  SELECT DISTINCT ON (ms) $1::integer, ${AT('ms')}, value, total_value, period_value, status FROM store_staging ORDER BY ms, ctid DESC
  ON CONFLICT (series_id, ts) DO UPDATE
  SET value = EXCLUDED.value, total_value = EXCLUDED.total_value, period_value = EXCLUDED.period_value, status = EXCLUDED.status
  WHERE (readings.value, readings.total_value, readings.period_value, readings.status)
    IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.total_value, EXCLUDED.period_value, EXCLUDED.status)`;

const COVER = `UPDATE series SET coverage = coverage +
  (SELECT range_agg(tstzrange(${AT('ms')}, ${AT('end_ms')})) FROM store_staging) WHERE id = $1`;

/**
 * Batches are written one after another in the background while the pull goes on; the pull only
 * waits when more than `maxBufferedRows` readings are queued (a database much slower than DCS).
 */
export class CopyRecorder implements ReadingsRecorder {
  /** Settled readings not yet handed to a batch (formatted only when written, off the pull's path). */
  private lines: AnyReading[] = [];
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
      if (isSettled(reading, periodType, until)) this.lines.push(reading);
      else this.skipped++;
    }
    if (this.lines.length >= this.options.batchRows) this.startFlush();
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
    this.lines = [];
    await this.queue;
  }

  /** One COPY text-format row: start and end of the period (epoch ms), value, totalValue, periodValue, status. */
  private line(reading: AnyReading): string {
    const ms = reading.timestamp.getTime();
    const end = addPeriods(ms, this.key.periodType, 1);
    const values =
      'value' in reading ? `${reading.value}\t\\N\t\\N` : `\\N\t${reading.totalValue}\t${reading.periodValue}`;
    return `${ms}\t${end}\t${values}\t${reading.status}\n`;
  }

  private startFlush(): void {
    if (this.lines.length === 0 || this.error) return;
    const lines = this.lines;
    this.lines = [];
    this.queuedRows += lines.length;
    this.queue = this.queue.then(async () => {
      try {
        if (this.error) return;
        await this.writeBatch(lines);
        this.stored += lines.length;
      } catch (error) {
        this.error = error instanceof Error ? error : new Error(String(error));
        this.lines = [];
        this.options.onError(this.error);
      } finally {
        this.queuedRows -= lines.length;
      }
    });
  }

  private async writeBatch(readings: AnyReading[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const seriesId = this.seriesId ?? (await upsertSeries(client, this.key, this.header));
      await client.query(STAGING);
      await copyLines(client, readings.map((reading) => this.line(reading)));
      await client.query(UPSERT, [seriesId]);
      await client.query(COVER, [seriesId]);
      await client.query('COMMIT');
      this.seriesId = seriesId;
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection that failed mid-COPY is not trusted again.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }
}

/** Lines are sent in chunks of a thousand: fewer stream writes than one per reading. */
async function copyLines(client: PoolClient, lines: string[]): Promise<void> {
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) chunks.push(lines.slice(i, i + 1000).join(''));
  await pipeline(Readable.from(chunks), client.query(copyFrom('COPY store_staging FROM STDIN')));
}
