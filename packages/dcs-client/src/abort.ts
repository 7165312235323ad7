/**
 * Cancellation helpers. Every wait in the client (the transaction lock, pacing, back-off, the
 * network) ends early when the caller's AbortSignal fires, rejecting with the signal's reason, so
 * that a cancelled call is told apart from a failed one exactly as `fetch` does.
 */
import type { Clock } from './types';

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Waits `ms` milliseconds, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The given signal, or one that fires when any of the given signals fires. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/** The real clock: `Date.now` and `sleep`. */
export const systemClock: Clock = { now: () => Date.now(), sleep };
