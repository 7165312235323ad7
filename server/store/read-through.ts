/**
 * Read-through: a pull served from the store where it holds settled readings and from DCS for
 * the rest, recording what DCS sends as it streams past. DCS's first part is always opened before
 * the stream is handed back, so its refusals (403, 401, 429, 5xx) reach the caller as an error
 * answer, never as a cut-off 200. The caller checks authorization first
 * and supplies how to open DCS's readings for a span (its own DcsClient, pace and lock).
 */
import type { AnyReading, ReadingsStream } from 'dcs-client';
import type { ReadingsRecorder, RecordSummary, ReadingsStore, SeriesKey, Span, SpanPlan, StoredHeader } from './types';

/** Opens DCS's readings of `span` for the series being pulled (e.g. `dcs.largeReadings`). */
export type OpenDcsReadings = (span: Span, signal?: AbortSignal) => Promise<ReadingsStream>;

export interface Part {
  from: 'store' | 'dcs';
  span: Span;
}

export interface Coalescing {
  /** A stored run shorter than this between two gaps is asked of DCS with them, in one call. Default 1 day. */
  minStoredRunMs?: number;
  /** More gaps than this are asked of DCS as one span from the first to the last. Default 4. */
  maxDcsCalls?: number;
}

export interface ReadThroughOptions extends Coalescing {
  signal?: AbortSignal;
  /** Told what was recorded from each DCS span (a failed write does not fail the pull). */
  onRecorded?: (span: Span, summary: RecordSummary) => void;
  /** Told when the store could not be asked: the pull then goes wholly to DCS. */
  onStoreError?: (error: Error) => void;
  /**
   * Asked once, only when some of the span would be served from the store: may this caller read
   * the series? False sends the whole span to DCS, which answers as it would for this caller (403).
   * The store itself never decides who may read what.
   */
  authorize?: () => Promise<boolean>;
}

export interface ReadThroughStream {
  /** Name, unit and duration: from the store, or from DCS's answer when the store has none. */
  readonly header: StoredHeader;
  /** Where each part of the span comes from, in time order. */
  readonly parts: readonly Part[];
  /** The readings of the whole span in time order; iterate once. Stopping early closes DCS's stream. */
  batches(): AsyncIterable<readonly AnyReading[]>;
  close(): Promise<void>;
  /**
   * Settles once everything DCS sent has been written to the store. The readings end without
   * waiting for it: the store is written in the background, so a pull is not slowed by it.
   */
  recorded(): Promise<void>;
}

/**
 * Splits a span into store and DCS parts. Gaps close together are merged so that scattered
 * estimated half-hours cost one DCS call, not one each.
 */
export function arrangeParts(span: Span, plan: SpanPlan, options: Coalescing = {}): Part[] {
  const minRun = options.minStoredRunMs ?? 86_400_000;
  const maxCalls = options.maxDcsCalls ?? 4;
  let gaps: { start: number; end: number }[] = [];
  for (const gap of plan.missing) {
    const last = gaps[gaps.length - 1];
    const start = gap.start.getTime();
    if (last && start - last.end < minRun) last.end = gap.end.getTime();
    else gaps.push({ start, end: gap.end.getTime() });
  }
  if (gaps.length > maxCalls) gaps = [{ start: gaps[0].start, end: gaps[gaps.length - 1].end }];
  const parts: Part[] = [];
  let cursor = span.start.getTime();
  for (const gap of gaps) {
    if (gap.start > cursor) parts.push({ from: 'store', span: { start: new Date(cursor), end: new Date(gap.start) } });
    parts.push({ from: 'dcs', span: { start: new Date(gap.start), end: new Date(gap.end) } });
    cursor = gap.end;
  }
  if (cursor < span.end.getTime()) parts.push({ from: 'store', span: { start: new Date(cursor), end: span.end } });
  return parts;
}

/** Plans the pull and, when the store cannot name the series, opens DCS's first part to learn it. */
export async function readThrough(
  store: ReadingsStore,
  key: SeriesKey,
  span: Span,
  openDcs: OpenDcsReadings,
  options: ReadThroughOptions = {},
): Promise<ReadThroughStream> {
  let parts: Part[];
  let header: StoredHeader | undefined;
  let record = true;
  try {
    const plan = await store.plan(key, span);
    parts = arrangeParts(span, plan, options);
    header = plan.header;
  } catch (error) {
    if (error instanceof RangeError) throw error;
    options.onStoreError?.(error instanceof Error ? error : new Error(String(error)));
    parts = [{ from: 'dcs', span }];
    record = false;
  }
  if (header === undefined && !parts.some((p) => p.from === 'dcs')) parts = [{ from: 'dcs', span }];
  if (parts.some((p) => p.from === 'store') && options.authorize && !(await options.authorize())) {
    parts = [{ from: 'dcs', span }];
    header = undefined;
  }
  // DCS's first part is opened now, even when the store knows the series' name: DCS decides
  // whether this caller may read it (and may refuse, or fail) before the caller is sent a byte.
  const first = parts.find((p) => p.from === 'dcs');
  const opened = first && (await openDcs(first.span, options.signal));
  if (opened) header ??= { name: opened.header.name, unit: opened.header.unit, duration: opened.header.duration };
  return new PartsStream(store, key, parts, header as StoredHeader, openDcs, opened, record, options);
}

class PartsStream implements ReadThroughStream {
  private iterator: AsyncGenerator<readonly AnyReading[]> | undefined;
  private readonly writing: Promise<void>[] = [];

  constructor(
    private readonly store: ReadingsStore,
    private readonly key: SeriesKey,
    readonly parts: readonly Part[],
    readonly header: StoredHeader,
    private readonly openDcs: OpenDcsReadings,
    private opened: ReadingsStream | undefined,
    private readonly record: boolean,
    private readonly options: ReadThroughOptions,
  ) {}

  batches(): AsyncIterable<readonly AnyReading[]> {
    if (this.iterator) throw new Error('A read-through stream can be iterated only once.');
    this.iterator = this.generate();
    return this.iterator;
  }

  async close(): Promise<void> {
    if (this.iterator) await this.iterator.return(undefined);
    const opened = this.opened;
    this.opened = undefined;
    await opened?.close();
  }

  async recorded(): Promise<void> {
    await Promise.all(this.writing);
  }

  private async *generate(): AsyncGenerator<readonly AnyReading[]> {
    for (const part of this.parts) {
      if (part.from === 'store') yield* this.store.read(this.key, part.span);
      else yield* this.fromDcs(part.span);
    }
  }

  private async *fromDcs(span: Span): AsyncGenerator<readonly AnyReading[]> {
    const stream = this.opened ?? (await this.openDcs(span, this.options.signal));
    this.opened = undefined;
    const dcsHeader = stream.header;
    const recorder = this.record ? this.store.recorder(this.key, { name: dcsHeader.name, unit: dcsHeader.unit, duration: dcsHeader.duration }) : undefined;
    let finished = false;
    try {
      for await (const batch of stream.batches()) {
        await recorder?.write(batch);
        yield batch;
      }
      finished = true;
      if (recorder) this.writing.push(this.finishRecording(recorder, span));
    } finally {
      if (!finished && recorder) this.writing.push(recorder.abandon());
      await stream.close();
    }
  }

  /** Never rejects: nobody may be waiting for it, and a listener's mistake must not crash the server. */
  private async finishRecording(recorder: ReadingsRecorder, span: Span): Promise<void> {
    const summary = await recorder.finish();
    try {
      this.options.onRecorded?.(span, summary);
    } catch (error) {
      this.options.onStoreError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
