/**
 * Bytes into an HTTP response in ~64 KB chunks, with backpressure and a way to fail visibly.
 *
 * - Writers fill `builder` (rows) or `push` text (headers, records); a chunk goes out when it
 *   reaches CHUNK_BYTES or when output has waited FLUSH_DELAY_MS (so slow pulls still stream).
 * - `settle()` waits while more than SEND_AHEAD_BYTES are waiting to leave, so a slow reader
 *   slows the pull instead of making the server buffer it (the DCS client's spool takes DCS's
 *   answer meanwhile); a reader that takes nothing for `stalledReaderMs` makes it throw
 *   StalledReaderError, so that the pull is cut off and its spool freed.
 * - Nothing is sent (not even the status line) before the first chunk, so a failure found
 *   early can still be answered with a proper error status.
 * - `abort()` sends what is buffered and then destroys the connection, so chunked encoding
 *   never terminates and every HTTP client reports an incomplete body.
 */
import type { Response } from 'express';
import { CHUNK_BYTES, ChunkBuilder } from './bytes';
import { waitForDrain } from './drain';

export const FLUSH_DELAY_MS = 100;
/**
 * How much may wait in the response (our buffers and the socket's) before the pull pauses. Far
 * less than a pull, so a stalled reader still stops DCS; enough that a reader which is merely
 * descheduled for a moment (every output chunk is over the socket's 16 KB high-water mark) does
 * not stop the server formatting the rows it already has.
 */
export const SEND_AHEAD_BYTES = 1024 * 1024;
/** How long an aborting response waits for its last bytes to leave before cutting anyway. */
const ABORT_GRACE_MS = 30_000;

export class ResponseSink {
  /** Where writers put bytes; call `wrote()` after filling it directly. */
  readonly builder = new ChunkBuilder(Math.ceil(SEND_AHEAD_BYTES / CHUNK_BYTES) + 1);
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Bytes handed to the response so far. */
  written = 0;

  /** @param stalledReaderMs how long settle() waits for a reader that takes nothing; default for ever. */
  constructor(
    private readonly res: Response,
    private readonly stalledReaderMs = Infinity,
  ) {
    res.once('close', () => {
      this.closed = true;
      this.cancelTimer();
    });
  }

  /** True once the first chunk (and so the status line) has been sent. */
  get started(): boolean {
    return this.res.headersSent;
  }

  push(text: string): void {
    this.builder.text(text);
    this.wrote();
  }

  /**
   * Sends a full chunk, or makes sure a partial one goes out within FLUSH_DELAY_MS. The timer is
   * left running across flushes (cheaper than one timer per chunk); when it fires it sends
   * whatever is waiting then.
   */
  wrote(): void {
    if (this.builder.full) this.flush();
    else if (this.timer === undefined && this.builder.pos > 0 && !this.closed) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, FLUSH_DELAY_MS);
    }
  }

  /** Sends what is buffered now. */
  flush(): void {
    if (this.builder.pos === 0 || this.closed) return;
    const chunk = this.builder.take();
    this.written += chunk.length;
    this.res.write(chunk, (error) => {
      // Handed to the operating system: the buffer can take the next chunk.
      if (!error) this.builder.recycle(chunk);
    });
  }

  /**
   * Resolves when the response can take more (at once if it can), or when it has closed; throws
   * StalledReaderError when the reader takes nothing for `stalledReaderMs`.
   */
  settle(): Promise<void> {
    if (this.closed || !this.res.writableNeedDrain || this.res.writableLength < SEND_AHEAD_BYTES) return Promise.resolve();
    return waitForDrain(this.res, this.stalledReaderMs);
  }

  /** Drops buffered text that was never sent (for answering with an error instead). */
  discard(): void {
    this.cancelTimer();
    this.builder.take();
  }

  /** Sends the rest and ends the response normally. */
  end(): Promise<void> {
    this.cancelTimer();
    const rest = this.builder.take();
    this.written += rest.length;
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.res.once('close', () => resolve());
      this.res.end(rest, () => resolve());
    });
  }

  /**
   * Sends the rest (e.g. an error record), then destroys the connection once those bytes are
   * handed to the operating system: the body is left unterminated on purpose.
   */
  abort(): Promise<void> {
    this.cancelTimer();
    const rest = this.builder.take();
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      // A reader that has stopped reading may never take the last bytes: don't wait forever.
      const giveUp = setTimeout(() => destroy(), ABORT_GRACE_MS);
      giveUp.unref();
      const destroy = (): void => {
        clearTimeout(giveUp);
        this.res.destroy();
        resolve();
      };
      if (rest.length === 0 && !this.started) return destroy();
      if (rest.length === 0) {
        const socket = this.res.socket;
        if (socket && socket.writableLength > 0) socket.once('drain', destroy);
        else destroy();
        return;
      }
      this.written += rest.length;
      this.res.write(rest, () => destroy());
    });
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
