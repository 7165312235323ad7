/**
 * Fetching the readings of a span as one sequence of batches, over one request (streamReadings)
 * or several windows (largeReadings), while:
 *   - learning DCS's span cap: a window refused as too long is shrunk and the rest re-planned;
 *   - recovering from an answer cut short: the rest of the window is asked for again, starting one
 *     period after the last reading handed over, so nothing is repeated and nothing lost. That is
 *     exact because DCS sends a window's readings in time order, one per period, stamped with the
 *     period's start; readings that break that order make a cut fatal instead.
 * What a request is (paths, sign-in, retries of the request itself) is the client's business,
 * reached through ReadingsFetcher; whether a cut is retried, and after what wait, is the request
 * policy's (one retry budget per window, from `attempts()`); the session's lock is the client's, which it takes before each window is
 * asked for (enter) and gives back as soon as that window's answer has been read (leave).
 */
import { attachRequest, DcsSpanTooLongError, type DcsRequestTarget } from './errors';
import type { HttpResponse } from './http';
import { addPeriods, countPeriods, MS_PER_DAY, planWindows, type TimeWindow } from './periods';
import type { NormalisedQuery } from './query';
import type { ReadingsBodyParser } from './readings-parser';
import type { Attempts } from './request-policy';
import { allowedDaysIn } from './status-errors';
import { formatDcsTime } from './time';
import type { AnyReading, LargeReadingsOptions } from './types';

/** A bound on span-cap discovery, far above what halving from any real window needs. */
const MAX_SPAN_REFUSALS = 64;

/** A readings answer whose header has been read; its readings have not (all) been. */
export interface OpenAnswer {
  response: HttpResponse;
  parser: ReadingsBodyParser;
  /** Readings parsed while looking for the header, not yet handed over. */
  queued: AnyReading[][];
  /** The request this answers, for errors and the policy's hooks. */
  target: DcsRequestTarget;
}

/** What the windowed fetch needs from the client. */
export interface ReadingsFetcher {
  /** Sends one readings request (the query as asked, or `window` of it) and reads its header. */
  open(window: TimeWindow | undefined, attempts: Attempts, signal: AbortSignal | undefined): Promise<OpenAnswer>;
  /** A fresh retry budget, for one window. */
  attempts(): Attempts;
  /** The longest window to plan with now: the configured one, or less if DCS refused more. */
  windowDays(): number;
  /** Remembers, for the endpoint, that DCS refuses spans over `days`. */
  limitWindowDays(days: number): void;
  /** Waits for the session (and whatever else must come first) before a window is asked for. */
  enter(signal: AbortSignal | undefined): Promise<void>;
  /** A window's answer has been read (or abandoned): the session is free for others. Idempotent. */
  leave(): void;
}

export interface WindowedReadingsOptions {
  /** Several windows, re-planned when DCS refuses a span; otherwise one request, as asked. */
  large: boolean;
  onWindow?: LargeReadingsOptions['onWindow'];
  signal?: AbortSignal;
}

export class WindowedReadings {
  private current: OpenAnswer | undefined;
  private attempts: Attempts;

  constructor(
    private readonly query: NormalisedQuery,
    private windows: TimeWindow[],
    private readonly fetcher: ReadingsFetcher,
    private readonly options: WindowedReadingsOptions,
  ) {
    this.attempts = fetcher.attempts();
  }

  /** Opens the first window and returns its header fields (as DCS sent them). */
  async start(): Promise<Record<string, unknown>> {
    await this.fetcher.enter(this.options.signal);
    try {
      this.current = await this.openWindow(0);
    } catch (error) {
      this.fetcher.leave();
      throw error;
    }
    return this.current.parser.header as Record<string, unknown>;
  }

  /** Every reading of the span, batch by batch. start() must have succeeded. */
  async *batches(): AsyncGenerator<AnyReading[], void, undefined> {
    try {
      for (let index = 0; index < this.windows.length; index++) {
        if (index > 0) {
          await this.fetcher.enter(this.options.signal);
          this.attempts = this.fetcher.attempts();
          this.current = await this.openWindow(index);
        }
        yield* this.windowBatches(this.windows[index]);
        this.current?.response.body.destroy();
        this.fetcher.leave();
      }
    } finally {
      this.fetcher.leave();
    }
  }

  /** Drops the answer being read, if any (idempotent). */
  abandon(): void {
    this.current?.response.body.destroy();
  }

  /** The readings of one window, resuming after a cut when that is exact and within budget. */
  private async *windowBatches(window: TimeWindow): AsyncGenerator<AnyReading[], void, undefined> {
    let lastMs: number | undefined;
    let inOrder = true;
    for (;;) {
      const answer = this.current as OpenAnswer;
      let batches: AnyReading[][];
      let ended: boolean;
      try {
        ({ batches, ended } = await this.nextBatches(answer));
      } catch (error) {
        answer.response.body.destroy();
        // Resuming is exact only when the readings so far came in order, one per period.
        if (!inOrder) throw attachRequest(error, answer.target);
        await this.attempts.afterFailure(error, answer.target, this.options.signal);
        const resumeMs = lastMs === undefined ? window.startMs : addPeriods(lastMs, this.query.periodType, 1);
        if (resumeMs >= window.endMs) return;
        this.current = await this.fetcher.open({ startMs: resumeMs, endMs: window.endMs }, this.attempts, this.options.signal);
        continue;
      }
      for (const batch of batches) {
        for (const reading of batch) {
          const ms = reading.timestamp.getTime();
          if ((lastMs !== undefined && ms <= lastMs) || ms < window.startMs || ms >= window.endMs) inOrder = false;
          lastMs = ms;
        }
        yield batch;
      }
      if (ended) return;
    }
  }

  private async nextBatches(answer: OpenAnswer): Promise<{ batches: AnyReading[][]; ended: boolean }> {
    if (answer.queued.length > 0) {
      const batches = answer.queued;
      answer.queued = [];
      return { batches, ended: false };
    }
    const chunk = await answer.response.body.next();
    if (chunk === null) return { batches: answer.parser.finish(), ended: true };
    return { batches: answer.parser.push(chunk), ended: false };
  }

  /** Opens window `index`; when DCS refuses its span, learns the cap, re-plans, and tries again. */
  private async openWindow(index: number): Promise<OpenAnswer> {
    for (let refusals = 0; ; refusals++) {
      const window = this.windows[index];
      this.options.onWindow?.({ index, count: this.windows.length, start: new Date(window.startMs), end: new Date(window.endMs) });
      try {
        return await this.fetcher.open(this.options.large ? window : undefined, this.attempts, this.options.signal);
      } catch (error) {
        if (!(error instanceof DcsSpanTooLongError)) throw error;
        const allowedDays = this.learnCap(window, error);
        if (!this.options.large) throw error;
        if (countPeriods(window.startMs, window.endMs, this.query.periodType) <= 1 || refusals >= MAX_SPAN_REFUSALS) {
          throw this.refusedOutright(window, error);
        }
        // Up to the end of the windows planned, which may stop short of the span (never past now).
        const plannedEndMs = this.windows[this.windows.length - 1].endMs;
        const replanned = planWindows(window.startMs, plannedEndMs, this.query.periodType, Math.min(allowedDays, this.fetcher.windowDays()));
        this.windows = [...this.windows.slice(0, index), ...replanned];
      }
    }
  }

  /** The span DCS allows: the days its refusal names (when below what was asked), else half. */
  private learnCap(window: TimeWindow, error: DcsSpanTooLongError): number {
    const askedDays = (window.endMs - window.startMs) / MS_PER_DAY;
    const allowedDays = allowedDaysIn(error.details, askedDays) ?? askedDays / 2;
    this.fetcher.limitWindowDays(allowedDays);
    return allowedDays;
  }

  private refusedOutright(window: TimeWindow, error: DcsSpanTooLongError): DcsSpanTooLongError {
    const { id, periodType } = this.query;
    return new DcsSpanTooLongError(
      `DCS refuses even a single ${periodType} of ${id} (${formatDcsTime(window.startMs)} to ${formatDcsTime(window.endMs)}) as too long a span${
        error.details ? `: "${error.details}"` : ''
      }. Ask for a shorter period type, or ask the DCS administrator about the server's span limit.`,
      {
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.details !== undefined ? { details: error.details } : {}),
        ...(error.method !== undefined && error.url !== undefined ? { method: error.method, url: error.url } : {}),
      },
    );
  }
}
