/**
 * Figures per interval from DCS's half-hours, computed as they stream past: each half-hour is
 * added to the interval its start falls in, and an interval is handed over as soon as a later
 * half-hour shows it is complete. Memory is one interval's running figures, whatever the span.
 *
 * Pure arithmetic: no I/O. The quantity `q` of a half-hour is chosen by the caller (DCS's period
 * value of a cumulative register, the value of a virtual meter or an instantaneous source).
 */
import { ReadingStatus, DcsProtocolError } from 'dcs-client';
import type { BandMatcher } from '../time/bands';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import { ceilToHalfHour } from './calendar';

/** One interval's figures; times are epoch milliseconds. `null`: no usable half-hour. */
export interface IntervalFigures {
  id: string;
  startMs: number;
  endMs: number;
  consumption: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  maxAtMs: number | null;
  /** Half-hours in the interval. */
  periods: number;
  /** Half-hours DCS estimated (status bit 1). */
  interpolated: number;
  /** Half-hours flagged as crossing a register reset (status bit 2). */
  resets: number;
  /** Half-hours DCS did not send. */
  missing: number;
  /** Half-hours whose value was NaN or ±Infinity, left out of every figure. */
  invalid: number;
}

/** One half-hour as the accumulator needs it. */
export interface HalfHourSample {
  timestampMs: number;
  q: number;
  status: number;
}

/**
 * Twelve significant digits: sums of decimal readings carry binary noise in the last digits
 * (77607.23999999992 for 77607.24) that nobody should have to read past.
 */
export function cleanNumber(value: number): number {
  return Number(value.toPrecision(12));
}

export class IntervalAccumulator {
  private index = 0;
  private sum = 0;
  private usable = 0;
  private received = 0;
  private interpolated = 0;
  private resets = 0;
  private invalid = 0;
  private min = Infinity;
  private max = -Infinity;
  private maxAtMs = 0;
  private lastMs = -Infinity;

  /**
   * @param boundaries `n + 1` interval starts for `n` intervals (calendar.ts).
   * @param hasConsumption false for instantaneous sources: their sum means nothing.
   * @param inBand only half-hours in this time-of-use band count (time/bands.ts); `periods` and
   *   `missing` then count the band's half-hours only.
   */
  constructor(
    private readonly id: string,
    private readonly boundaries: Float64Array,
    private readonly hasConsumption: boolean,
    private readonly inBand?: BandMatcher,
  ) {}

  /** Adds half-hours in time order; returns the intervals they completed. */
  add(samples: Iterable<HalfHourSample>, completed: IntervalFigures[] = []): IntervalFigures[] {
    for (const sample of samples) this.addOne(sample.timestampMs, sample.q, sample.status, completed);
    return completed;
  }

  /** Adds one half-hour (stamped with its start); pushes the intervals it completed. */
  addOne(t: number, q: number, status: number, completed: IntervalFigures[]): void {
    const boundaries = this.boundaries;
    if (t < boundaries[0] || t >= boundaries[boundaries.length - 1]) return;
    if (t <= this.lastMs) {
      // Where two of DCS's windows meet, the same half-hour may come twice: count it once.
      if (t === this.lastMs) return;
      throw new DcsProtocolError(
        `DCS sent ${this.id}'s readings out of time order (${new Date(t).toISOString()} after ${new Date(this.lastMs).toISOString()}); figures cannot be computed from them`,
      );
    }
    this.lastMs = t;
    while (t >= boundaries[this.index + 1]) completed.push(this.takeInterval());
    if (this.inBand !== undefined && !this.inBand(t)) return;
    this.received++;
    if (status & ReadingStatus.Interpolated) this.interpolated++;
    if (status & ReadingStatus.Reset) this.resets++;
    if (!Number.isFinite(q)) {
      this.invalid++;
      return;
    }
    this.usable++;
    this.sum += q;
    if (q < this.min) this.min = q;
    if (q > this.max) {
      this.max = q;
      this.maxAtMs = t;
    }
  }

  /** The remaining intervals, including those DCS sent nothing for. */
  finish(completed: IntervalFigures[] = []): IntervalFigures[] {
    while (this.index < this.boundaries.length - 1) completed.push(this.takeInterval());
    return completed;
  }

  /** Hands over every interval up to and including `index`, complete or not. */
  closeThrough(index: number, completed: IntervalFigures[] = []): IntervalFigures[] {
    while (this.index <= index && this.index < this.boundaries.length - 1) completed.push(this.takeInterval());
    return completed;
  }

  /** DCS half-hours starting in [startMs, endMs), in the band when there is one. */
  private periodsIn(startMs: number, endMs: number): number {
    const first = ceilToHalfHour(startMs);
    const end = ceilToHalfHour(endMs);
    const inBand = this.inBand;
    if (inBand === undefined) return Math.round((end - first) / HALF_HOUR_MS);
    let periods = 0;
    for (let t = first; t < end; t += HALF_HOUR_MS) if (inBand(t)) periods++;
    return periods;
  }

  private takeInterval(): IntervalFigures {
    const startMs = this.boundaries[this.index];
    const endMs = this.boundaries[this.index + 1];
    const periods = this.periodsIn(startMs, endMs);
    const some = this.usable > 0;
    const figures: IntervalFigures = {
      id: this.id,
      startMs,
      endMs,
      consumption: this.hasConsumption && some ? cleanNumber(this.sum) : null,
      mean: some ? cleanNumber(this.sum / this.usable) : null,
      min: some ? this.min : null,
      max: some ? this.max : null,
      maxAtMs: some ? this.maxAtMs : null,
      periods,
      interpolated: this.interpolated,
      resets: this.resets,
      missing: periods - this.received,
      invalid: this.invalid,
    };
    this.index++;
    this.sum = 0;
    this.usable = 0;
    this.received = 0;
    this.interpolated = 0;
    this.resets = 0;
    this.invalid = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.maxAtMs = 0;
    return figures;
  }
}
