/**
 * One transaction at a time per DCS session, as pythondcs does: DCS is a shared metering server,
 * and a client that fires many large queries at once can starve everyone else. Callers queue in
 * the order they asked; a caller whose signal aborts while queued leaves the queue.
 */
import { abortReason } from './abort';
import type { Release } from './types';

export type { Release } from './types';

interface Waiter {
  grant: (release: Release) => void;
}

export class TransactionLock {
  private held = false;
  private readonly queue: Waiter[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** Resolves with a release function once the caller holds the lock. Release is idempotent. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.makeRelease());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private makeRelease(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant(this.makeRelease());
      else this.held = false;
    };
  }
}
