/**
 * Where every route gets its readings from: with DATABASE_URL, through the readings store
 * (settled history from PostgreSQL, the rest from DCS, DCS's readings recorded as they stream
 * past); without it, straight from the caller's DCS client, exactly as before.
 *
 * Authorization never comes from the store: before anything stored is served, the caller's own
 * DCS source list must hold the source. When it does not, the whole pull goes to DCS, which
 * refuses it for this caller as it always has (403). That list (the session's cached one, as GET
 * /api/sources) is asked of DCS again once it is STORE_ACCESS_RECHECK_MS old rather than the
 * minute it is otherwise kept, so access revoked in DCS stops stored data within seconds.
 */
import { loadCatalogue } from '../catalogue';
import {
  type DcsClient,
  isPeriodStart,
  parseSourceId,
  toEpochMs,
  type AnyReading,
  type LargeReadingsOptions,
  type ReadingsHeader,
  type ReadingsQuery,
  type ReadingsStream,
  type TimeInput,
} from 'dcs-client';
import { readThrough, type ReadingsStore, type ReadThroughStream, type SeriesKey, type Span } from '../store';
import type { AppContext } from './context';
import type { Logger } from './logger';
import type { DcsHandle, ReadingsReader } from '../session-handle';

export type { ReadingsReader } from '../session-handle';

/** How long shutdown waits for readings still being written to the store. */
const RECORDING_GRACE_MS = 5000;

/** The server's readings store and the writes it still has under way. */
export class StoredReadings {
  private readonly recording = new Set<Promise<void>>();

  constructor(
    readonly store: ReadingsStore,
    private readonly logger: Logger,
  ) {}

  /** One source's readings over a span, through the store where it may be. */
  async open(handle: DcsHandle, query: ReadingsQuery & { start: TimeInput; end: TimeInput }, options: LargeReadingsOptions = {}): Promise<ReadingsStream> {
    const dcs = handle.dcs;
    const key = seriesKey(dcs, query);
    const span = key && spanOf(query, key);
    // Anything the store cannot take (a bad id, a misaligned span) goes to DCS, which says what is wrong.
    if (!key || !span) return dcs.largeReadings(query, options);
    const log = this.logger.child({ source: key.source });
    const through = await readThrough(
      this.store,
      key,
      span,
      (part, signal) => dcs.largeReadings({ ...query, start: part.start, end: part.end }, { ...options, ...(signal ? { signal } : {}) }),
      {
        signal: options.signal,
        authorize: async () => (await loadCatalogue(handle, STORE_ACCESS_RECHECK_MS)).byId.has(key.source),
        onStoreError: (error) => log.warn('readings store unavailable; asking DCS for everything', { error: error.message }),
        onRecorded: (part, summary) => {
          if (summary.error) log.warn('readings not recorded in the store', { error: summary.error.message });
          else log.debug('readings recorded', { start: part.start.toISOString(), stored: summary.stored, skipped: summary.skipped });
        },
      },
    );
    return asReadingsStream(through, headerOf(key, span, through), () => this.track(through));
  }

  /** Waits (a little) for recordings under way, then closes the database pool. */
  async close(): Promise<void> {
    const pending = Promise.all(this.recording);
    await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, RECORDING_GRACE_MS).unref())]);
    await this.store.close();
  }

  /** Settles once every recording started so far is written (tests wait on it). */
  async settled(): Promise<void> {
    await Promise.all(this.recording);
  }

  /** Called once the pull has ended (its DCS parts' recordings are all started by then). */
  private track(through: ReadThroughStream): void {
    const written = through.recorded().finally(() => this.recording.delete(written));
    this.recording.add(written);
  }
}

/** How old the caller's source list may be when it decides access to stored data: the revocation delay. */
export const STORE_ACCESS_RECHECK_MS = 10_000;

/** The reader a route uses for this caller: through the store when there is one. */
export function readingsReader(ctx: AppContext, handle: DcsHandle): ReadingsReader {
  const stored = ctx.readingsStore;
  if (!stored) return handle.dcs;
  return { largeReadings: (query, options) => stored.open(handle, query, options) };
}

function seriesKey(dcs: DcsClient, query: ReadingsQuery): SeriesKey | undefined {
  const id = parseSourceId(query.id);
  if (!id) return undefined;
  return {
    endpoint: dcs.url,
    source: id.id,
    periodType: query.periodType ?? 'halfHour',
    // The DCS client's defaults, as pythondcs sends them.
    calibrated: query.calibrated ?? true,
    interpolated: query.interpolated ?? true,
    format: query.format ?? 'standard',
  };
}

function spanOf(query: { start: TimeInput; end: TimeInput }, key: SeriesKey): Span | undefined {
  let start: number;
  let end: number;
  try {
    start = toEpochMs(query.start, 'start');
    end = toEpochMs(query.end, 'end');
  } catch {
    return undefined;
  }
  if (!(start < end) || !isPeriodStart(start, key.periodType) || !isPeriodStart(end, key.periodType)) return undefined;
  return { start: new Date(start), end: new Date(end) };
}

/** The header DCS's largeReadings gives the whole span, whichever parts came from where. */
function headerOf(key: SeriesKey, span: Span, through: ReadThroughStream): ReadingsHeader {
  const { name, unit, duration } = through.header;
  return { id: key.source, name, unit, duration, periodType: key.periodType, format: key.format, startTime: span.start, endTime: span.end };
}

function asReadingsStream(through: ReadThroughStream, header: ReadingsHeader, ended: () => void): ReadingsStream {
  let done = false;
  const end = (): void => {
    if (done) return;
    done = true;
    ended();
  };
  async function* batches(): AsyncGenerator<readonly AnyReading[]> {
    try {
      yield* through.batches();
    } finally {
      end();
    }
  }
  return {
    header,
    batches,
    close: async () => {
      await through.close();
      end();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<AnyReading> {
      for await (const batch of batches()) yield* batch;
    },
  };
}
