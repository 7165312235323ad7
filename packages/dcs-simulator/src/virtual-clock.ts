/**
 * A virtual clock for tests of code that waits (the DCS client's pace, given as the `clock` of
 * `createLocalEndpoints`): time stands still until every pending task has run and something is
 * asleep, then jumps straight to the earliest wake-up. Waits are exact and cost no real time, so a
 * test can say "six requests at 5 a second went over exactly one second" on any machine, however
 * busy, instead of timing them with a wall clock.
 */
import type { Clock } from 'dcs-client';

export interface VirtualClock extends Clock {
  /** Every wait asked for so far (ms), in the order asked. */
  readonly sleeps: readonly number[];
}

interface Sleeper {
  wakeAtMs: number;
  order: number;
  wake: () => void;
}

/** A clock starting at `startMs` (epoch ms) that moves only when everything that could run has run. */
export function virtualClock(startMs = 0): VirtualClock {
  let nowMs = startMs;
  let asked = 0;
  let pumping = false;
  const sleepers: Sleeper[] = [];
  const sleeps: number[] = [];

  // setImmediate runs after pending promise jobs and I/O callbacks: whoever can still run without
  // the clock moving (a request in flight, a waiter not yet asleep) goes first.
  const wakeNext = (): void => {
    pumping = false;
    sleepers.sort((a, b) => a.wakeAtMs - b.wakeAtMs || a.order - b.order);
    const next = sleepers.shift();
    if (next === undefined) return;
    nowMs = Math.max(nowMs, next.wakeAtMs);
    next.wake();
    schedule();
  };
  const schedule = (): void => {
    if (pumping || sleepers.length === 0) return;
    pumping = true;
    setImmediate(wakeNext);
  };

  return {
    sleeps,
    now: () => nowMs,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason as unknown);
      sleeps.push(ms);
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const sleeper: Sleeper = { wakeAtMs: nowMs + ms, order: asked++, wake: resolve };
        const onAbort = (): void => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject((signal as AbortSignal).reason as unknown);
        };
        sleeper.wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
        schedule();
      });
    },
  };
}
