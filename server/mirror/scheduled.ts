/**
 * The mirror run by the server itself on MIRROR_SCHEDULE: one run at a time (a run still going
 * when the next is due makes that one skipped), stopped with the server.
 */
import { nextRun, type CronSchedule } from './schedule';
import type { MirrorSummary } from '.';

export interface ScheduledMirrorOptions {
  schedule: CronSchedule;
  /** One mirror run; the signal fires when the server stops. */
  run: (signal: AbortSignal) => Promise<MirrorSummary>;
  /** Told of each run's end: its summary, or why it failed. */
  onRun: (outcome: { summary?: MirrorSummary; error?: unknown; skipped?: boolean }) => void;
  now?: () => number;
}

export interface ScheduledMirror {
  /** Epoch ms of the next run, undefined once stopped. */
  readonly next: number | undefined;
  stop(): Promise<void>;
}

/** setTimeout's longest wait; a later run is waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export function scheduleMirror(options: ScheduledMirrorOptions): ScheduledMirror {
  const now = options.now ?? Date.now;
  const stopper = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let next: number | undefined;

  const arm = (): void => {
    if (stopper.signal.aborted) return;
    next = nextRun(options.schedule, now());
    if (next === undefined) return;
    const due = next;
    const wait = (): void => {
      const left = due - now();
      if (left > MAX_TIMER_MS) timer = setTimeout(wait, MAX_TIMER_MS).unref();
      else timer = setTimeout(fire, Math.max(0, left)).unref();
    };
    wait();
  };

  const fire = (): void => {
    if (running) options.onRun({ skipped: true });
    else {
      running = options
        .run(stopper.signal)
        .then(
          (summary) => options.onRun({ summary }),
          (error: unknown) => options.onRun({ error }),
        )
        .catch(() => undefined)
        .finally(() => (running = undefined));
    }
    arm();
  };

  arm();
  return {
    get next() {
      return next;
    },
    async stop() {
      stopper.abort(new DOMException('the server is stopping', 'AbortError'));
      clearTimeout(timer);
      next = undefined;
      await running;
    },
  };
}
