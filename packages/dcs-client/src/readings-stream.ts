/**
 * The ReadingsStream handed to callers: the header up front, then the readings as an async
 * iterable, reading by reading or batch by batch. It owns what the request holds (its spool, and
 * while DCS is still sending, the connection and the session's transaction lock) and gives them
 * back exactly once: when the readings end, when reading them fails, when the consumer breaks out
 * of its loop, or on close().
 */
import type { AnyReading, ReadingsHeader, ReadingsStream } from './types';

export class DcsReadingsStream<R extends AnyReading = AnyReading> implements ReadingsStream<R> {
  private claimed = false;
  private finished = false;

  /**
   * @param source yields the readings batch by batch; its `finally` frees what it holds.
   * @param dispose frees the connection and the lock (idempotent); called however the stream ends,
   *   including when it is closed before `source` ever started.
   * @param interrupt makes a read in progress stop at once (close() calls it first).
   */
  constructor(
    readonly header: ReadingsHeader,
    private readonly source: AsyncGenerator<R[], void, undefined>,
    private readonly dispose: () => void,
    private readonly interrupt: (reason: unknown) => void,
  ) {}

  batches(): AsyncIterable<readonly R[]> {
    this.claim();
    const iterator: AsyncIterator<readonly R[]> = {
      next: () => this.nextBatch(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    this.claim();
    let batch: R[] = [];
    let index = 0;
    const pull = async (): Promise<IteratorResult<R>> => {
      for (;;) {
        const next = await this.nextBatch();
        if (next.done) return next;
        if (next.value.length > 0) {
          batch = next.value;
          index = 1;
          return { done: false, value: batch[0] };
        }
      }
    };
    return {
      // Most calls are answered from the batch in hand without awaiting anything.
      next: () => (index < batch.length ? Promise.resolve({ done: false, value: batch[index++] }) : pull()),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /** Stops reading, frees the connection and releases the session for the next call. */
  async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.interrupt(new DOMException('The readings stream was closed', 'AbortError'));
    try {
      await this.source.return(undefined);
    } catch {
      // The source was failing anyway; closing is what the caller asked for.
    } finally {
      this.dispose();
    }
  }

  private claim(): void {
    if (this.claimed) throw new Error('A ReadingsStream can be iterated only once; ask for the readings again to read them twice.');
    this.claimed = true;
  }

  private async nextBatch(): Promise<IteratorResult<R[]>> {
    if (this.finished) return { done: true, value: undefined };
    try {
      const next = await this.source.next();
      if (next.done) {
        this.finished = true;
        this.dispose();
      }
      return next;
    } catch (error) {
      this.finished = true;
      this.dispose();
      throw error;
    }
  }
}
