/**
 * The mirror: keeps chosen sources' settled half-hours current in the readings store, so that
 * reporting (Power BI refreshes) reads old history without asking DCS. Incremental and
 * resumable by construction: each run asks DCS only for what the store lacks (`readThrough`),
 * and every batch written survives an interrupted run.
 *
 * Authorization: the mirror stores whatever its DCS account may read; serving it to others is
 * checked by the server per user, as for any stored reading.
 */
import { type DcsClient, floorToPeriod } from 'dcs-client';
import { settledUntil } from '../store/settled';
import { readThrough, type ReadingsStore, type SeriesKey, type Span } from '../store';

export interface MirrorOptions {
  store: ReadingsStore;
  /** A signed-in (or public) client of the DCS to mirror. */
  dcs: DcsClient;
  /** Source ids (`R733`, `VM9`), or every register and virtual meter the account can see. */
  sources: string[] | 'all';
  /** Mirror from here (floored to a half-hour) up to what is settled. */
  since: Date;
  settleAgeMs: number;
  now?: () => number;
  signal?: AbortSignal;
  /** Called after each source, for a progress display. */
  onProgress?: (progress: MirrorProgress) => void;
}

export interface MirrorProgress {
  done: number;
  total: number;
  source: string;
  readings: number;
  dcsCalls: number;
}

export interface MirrorSummary {
  sources: number;
  /** Readings of the mirrored span, from the store or DCS. */
  readings: number;
  /** Readings newly written to the store. */
  stored: number;
  /** Readings calls made to DCS. */
  dcsCalls: number;
  failed: { source: string; message: string }[];
  elapsedMs: number;
}

/** Mirrors every source in turn (one at a time: the mirror shares DCS with everyone else). */
export async function runMirror(options: MirrorOptions): Promise<MirrorSummary> {
  const started = Date.now();
  const now = options.now ?? Date.now;
  const sources = options.sources === 'all' ? await allSources(options.dcs, options.signal) : options.sources;
  const span: Span = {
    start: new Date(floorToPeriod(options.since.getTime(), 'halfHour')),
    end: new Date(settledUntil(now(), options.settleAgeMs, 'halfHour')),
  };
  const summary: MirrorSummary = { sources: sources.length, readings: 0, stored: 0, dcsCalls: 0, failed: [], elapsedMs: 0 };
  for (const [index, source] of sources.entries()) {
    options.signal?.throwIfAborted();
    try {
      if (span.end > span.start) await mirrorSource(options, source, span, summary);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      summary.failed.push({ source, message: error instanceof Error ? error.message : String(error) });
    }
    options.onProgress?.({ done: index + 1, total: sources.length, source, readings: summary.readings, dcsCalls: summary.dcsCalls });
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

async function mirrorSource(options: MirrorOptions, source: string, span: Span, summary: MirrorSummary): Promise<void> {
  const key: SeriesKey = {
    endpoint: options.dcs.url,
    source,
    periodType: 'halfHour',
    calibrated: true,
    interpolated: true,
    format: 'standard',
  };
  let storeError: Error | undefined;
  const stream = await readThrough(
    options.store,
    key,
    span,
    (part, signal) => options.dcs.largeReadings({ id: source, start: part.start, end: part.end }, { signal, onWindow: () => (summary.dcsCalls += 1) }),
    {
      signal: options.signal,
      // A pull goes on from DCS when the store fails, but the mirror's whole point is the store:
      // a source it could not plan or write is a failed source, so cron sees a non-zero exit.
      onStoreError: (error) => (storeError ??= error),
      onRecorded: (_, recorded) => {
        summary.stored += recorded.stored;
        storeError ??= recorded.error;
      },
    },
  );
  try {
    for await (const batch of stream.batches()) summary.readings += batch.length;
  } finally {
    await stream.close();
  }
  await stream.recorded();
  if (storeError) throw new Error(`the readings store failed (${storeError.message}); run the mirror again to fill the gap`, { cause: storeError });
}

async function allSources(dcs: DcsClient, signal: AbortSignal | undefined): Promise<string[]> {
  const [meters, virtualMeters] = await Promise.all([dcs.meters({ signal }), dcs.virtualMeters({ signal })]);
  return [...meters.flatMap((meter) => meter.registers.map((register) => `R${register.id}`)), ...virtualMeters.map((vm) => `VM${vm.id}`)];
}
