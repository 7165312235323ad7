/**
 * Where a readings answer waits between DCS and its reader. DCS is read at its own pace into the
 * spool, so the session's one-transaction lock is held only while DCS is sending; the reader takes
 * batches out at its own pace. Up to `memoryBytes` of readings wait in memory; beyond that they go
 * to a temporary file (readable by this user only), deleted when the spool is destroyed.
 *
 * A reader that leaves readings waiting for `stalledReaderMs` without taking any is cut off: the
 * spool is emptied, its file deleted, `onStall` is told (so the caller can stop asking DCS), and
 * the reader's next read throws DcsStalledReaderError. Nothing is ever dropped quietly: a reader
 * gets every batch written before a failure, then the failure.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { abortReason } from './abort';
import { DcsStalledReaderError } from './errors';
import type { AnyReading, CompleteReading, Reading, SpoolOptions } from './types';

const SPOOL_DEFAULTS = {
  memoryBytes: 8 * 1024 * 1024,
  stalledReaderMs: 180_000,
};

/** A rough size of one reading object with its Date, for the memory limit. */
const READING_MEMORY_BYTES = 96;

interface FileEntry {
  offset: number;
  bytes: number;
  complete: boolean;
}

type Entry<R> = { batch: R[] } | FileEntry;

interface SpoolFile {
  handle: fsp.FileHandle;
  path: string;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function resolveSpoolOptions(options: SpoolOptions | undefined, fallback?: SpoolOptions): Required<SpoolOptions> {
  return {
    memoryBytes: options?.memoryBytes ?? fallback?.memoryBytes ?? SPOOL_DEFAULTS.memoryBytes,
    directory: options?.directory ?? fallback?.directory ?? os.tmpdir(),
    stalledReaderMs: options?.stalledReaderMs ?? fallback?.stalledReaderMs ?? SPOOL_DEFAULTS.stalledReaderMs,
  };
}

export class ReadingsSpool<R extends AnyReading = AnyReading> {
  private queue: Entry<R>[] = [];
  private memoryInUse = 0;
  private file: Promise<SpoolFile> | undefined;
  private fileEnd = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private destroyed = false;
  private reader: Waiter<R[] | null> | undefined;
  private drainWaiters: (() => void)[] = [];
  private stallTimer: NodeJS.Timeout | undefined;
  private lastProgress = 0;

  constructor(
    private readonly options: Required<SpoolOptions>,
    private readonly onStall: (error: DcsStalledReaderError) => void,
  ) {}

  /** Adds a batch behind those already waiting (the writer awaits each write before the next). */
  async write(batch: R[]): Promise<void> {
    if (this.destroyed || this.failure || batch.length === 0) return;
    if (this.reader && this.queue.length === 0) {
      // The reader is waiting: hand over directly.
      const reader = this.reader;
      this.reader = undefined;
      this.lastProgress = Date.now();
      reader.resolve(batch);
      return;
    }
    const bytes = batch.length * READING_MEMORY_BYTES;
    if (this.memoryInUse + bytes <= this.options.memoryBytes) {
      this.memoryInUse += bytes;
      this.push({ batch });
      return;
    }
    const entry = await this.spill(batch);
    if (!this.destroyed && !this.failure) this.push(entry);
  }

  /** No more batches will come: the reader ends after taking those waiting. */
  end(): void {
    this.ended = true;
    this.wakeReader();
  }

  /** The writer failed: the reader gets the batches waiting, then this error. */
  fail(error: unknown): void {
    if (this.destroyed || this.failure) return;
    this.failure = { error };
    this.wakeReader();
  }

  /** The next batch; null when the spool has ended; throws the writer's failure after the last batch. */
  read(signal?: AbortSignal): Promise<R[] | null> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const entry = this.queue.shift();
    if (entry !== undefined) {
      this.lastProgress = Date.now();
      if (this.queue.length === 0) this.emptied();
      if ('batch' in entry) {
        this.memoryInUse -= entry.batch.length * READING_MEMORY_BYTES;
        return Promise.resolve(entry.batch);
      }
      return this.load(entry);
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended || this.destroyed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        if (this.reader === waiter) this.reader = undefined;
        reject(abortReason(signal as AbortSignal));
      };
      const waiter: Waiter<R[] | null> = {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.reader = waiter;
    });
  }

  /**
   * Resolves once the reader has taken everything written so far: the writer's cue to ask DCS for
   * more. Undefined (no wait at all) when it already has. Between windows nothing is being
   * written, so the file space is reused from the start.
   */
  drained(signal?: AbortSignal): Promise<void> | undefined {
    if (this.queue.length === 0 || this.destroyed) {
      this.fileEnd = 0;
      return undefined;
    }
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== done);
        reject(abortReason(signal as AbortSignal));
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.fileEnd = 0;
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.drainWaiters.push(done);
    });
  }

  /** Frees everything: memory, the temporary file (deleted). Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.clear();
    this.wakeReader();
  }

  private push(entry: Entry<R>): void {
    const wasEmpty = this.queue.length === 0;
    this.queue.push(entry);
    if (wasEmpty) this.lastProgress = Date.now();
    this.armStallTimer();
  }

  private wakeReader(): void {
    if (!this.reader || this.queue.length > 0) return;
    const reader = this.reader;
    this.reader = undefined;
    if (this.failure) reader.reject(this.failure.error);
    else reader.resolve(null);
    this.emptied();
  }

  /** The reader has caught up: the writer may go on, and nothing is waiting to stall. */
  private emptied(): void {
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const done of waiters) done();
  }

  private armStallTimer(): void {
    if (this.options.stalledReaderMs <= 0 || this.stallTimer !== undefined) return;
    this.stallTimer = setTimeout(() => this.checkStall(), this.options.stalledReaderMs);
    this.stallTimer.unref();
  }

  private checkStall(): void {
    this.stallTimer = undefined;
    if (this.queue.length === 0 || this.destroyed || this.failure) return;
    const idle = Date.now() - this.lastProgress;
    if (idle < this.options.stalledReaderMs) {
      this.stallTimer = setTimeout(() => this.checkStall(), this.options.stalledReaderMs - idle);
      this.stallTimer.unref();
      return;
    }
    const seconds = Math.round(this.options.stalledReaderMs / 100) / 10;
    const error = new DcsStalledReaderError(
      `The readings were not read for ${seconds} s, so the stream was ended and the readings waiting for it dropped. ` +
        'Read a stream as it arrives (or close it), and ask again for the readings.',
    );
    this.failure = { error };
    this.clear();
    this.onStall(error);
  }

  /** Drops what is waiting and deletes the file. */
  private clear(): void {
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.queue = [];
    this.memoryInUse = 0;
    const file = this.file;
    this.file = undefined;
    // Closing waits for any read or write in progress; the file goes once it is closed.
    file?.then(
      (f) =>
        f.handle
          .close()
          .catch(() => undefined)
          .then(() => fsp.unlink(f.path))
          .catch(() => undefined),
      () => undefined,
    );
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const done of waiters) done();
  }

  private async spill(batch: R[]): Promise<FileEntry> {
    this.file ??= openSpoolFile(this.options.directory);
    const file = await this.file;
    const complete = 'totalValue' in batch[0];
    const data = encode(batch, complete);
    const offset = this.fileEnd;
    this.fileEnd += data.byteLength;
    await file.handle.write(data, 0, data.byteLength, offset);
    return { offset, bytes: data.byteLength, complete };
  }

  private async load(entry: FileEntry): Promise<R[]> {
    const file = this.file;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the reason the stream failed with, as it came
    if (file === undefined) throw this.failure?.error ?? new DcsStalledReaderError('The readings stream was closed while it was being read.');
    const floats = new Float64Array(entry.bytes / 8);
    const { handle } = await file;
    const { bytesRead } = await handle.read(new Uint8Array(floats.buffer), 0, entry.bytes, entry.offset);
    if (bytesRead !== entry.bytes) throw new Error(`The readings spool file ended early (${bytesRead} of ${entry.bytes} bytes); ask for the readings again.`);
    return decode(floats, entry.complete) as R[];
  }
}

async function openSpoolFile(directory: string): Promise<SpoolFile> {
  const file = path.join(directory, `dcs-readings-${process.pid}-${randomUUID()}.spool`);
  const handle = await fsp.open(file, 'wx+', 0o600);
  return { handle, path: file };
}

/** Readings as doubles: timestamp, value (or totalValue, periodValue), status. NaN and infinities survive. */
function encode(batch: readonly AnyReading[], complete: boolean): Uint8Array {
  const width = complete ? 4 : 3;
  const floats = new Float64Array(batch.length * width);
  let i = 0;
  for (const reading of batch) {
    floats[i++] = reading.timestamp.getTime();
    if (complete) {
      floats[i++] = (reading as CompleteReading).totalValue;
      floats[i++] = (reading as CompleteReading).periodValue;
    } else {
      floats[i++] = (reading as Reading).value;
    }
    floats[i++] = reading.status;
  }
  return new Uint8Array(floats.buffer);
}

function decode(floats: Float64Array, complete: boolean): AnyReading[] {
  const width = complete ? 4 : 3;
  const out: AnyReading[] = new Array<AnyReading>(floats.length / width);
  for (let i = 0, n = 0; i < floats.length; i += width, n++) {
    out[n] = complete
      ? { timestamp: new Date(floats[i]), totalValue: floats[i + 1], periodValue: floats[i + 2], status: floats[i + 3] }
      : { timestamp: new Date(floats[i]), value: floats[i + 1], status: floats[i + 2] };
  }
  return out;
}
