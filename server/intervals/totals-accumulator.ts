/**
 * Figures per interval when DCS gives only running totals: a virtual meter whose values are
 * totals (duration 0), or a register on a DCS that refuses the complete format. Consumption per
 * interval is the difference of totals from the interval's start to its end, split at resets
 * (consumption/tally.ts, one tally per interval; the total at a boundary closes one interval and
 * opens the next). Statistics are those of the half-hourly differences: the difference of two
 * totals 30 minutes apart, both usable and the later not a reset, counted in the earlier half-hour.
 *
 * Counts are per half-hour bounded by two totals: `missing` when a bounding total was not sent,
 * `invalid` when one was sent as NaN or ±Infinity.
 *
 * Within a time-of-use band the totals at the band's edges are not asked of DCS, so an interval's
 * figures are those of the half-hourly differences in the band: a half-hour whose difference
 * cannot be taken (a bounding total missing, or a reset) counts as missing.
 */
import { ReadingStatus, type Reading } from 'dcs-client';
import { TotalsDifferenceTally, type ConsumptionFigures } from '../consumption/tally';
import type { BandMatcher } from '../time/bands';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import { cleanNumber, IntervalAccumulator, type HalfHourSample, type IntervalFigures } from './accumulator';

export class TotalsAccumulator {
  private index = 0;
  private tally: TotalsDifferenceTally<Reading>;
  private invalid = 0;
  private previous: Reading | undefined;
  private readonly differences: IntervalAccumulator;

  constructor(
    id: string,
    private readonly boundaries: Float64Array,
    private readonly inBand?: BandMatcher,
  ) {
    this.tally = this.tallyFor(0);
    this.differences = new IntervalAccumulator(id, boundaries, true, inBand);
  }

  /** Adds totals in time order (up to and including the one at the span's end). */
  add(readings: readonly Reading[], completed: IntervalFigures[] = []): IntervalFigures[] {
    const last = this.boundaries.length - 1;
    for (const reading of readings) {
      const t = reading.timestamp.getTime();
      if (t < this.boundaries[0] || t > this.boundaries[last]) continue;
      if (this.previous !== undefined && t === this.previous.timestamp.getTime()) continue;
      this.addDifference(reading);
      while (this.index < last && t > this.boundaries[this.index + 1]) this.closeInterval(completed, []);
      if (this.index < last) this.tally.add([reading]);
      if (t < this.boundaries[last] && !Number.isFinite(reading.value)) this.invalid++;
      if (this.index < last && t === this.boundaries[this.index + 1]) this.closeInterval(completed, [reading]);
      this.previous = reading;
    }
    return completed;
  }

  finish(completed: IntervalFigures[] = []): IntervalFigures[] {
    while (this.index < this.boundaries.length - 1) this.closeInterval(completed, []);
    return completed;
  }

  /** Statistics of intervals the differences have completed, waiting for their totals. */
  private readonly pending: IntervalFigures[] = [];

  /** The difference this total closes, counted in the half-hour it ends. */
  private addDifference(reading: Reading): void {
    const before = this.previous;
    if (before === undefined || reading.timestamp.getTime() - before.timestamp.getTime() !== HALF_HOUR_MS) return;
    if (reading.status & ReadingStatus.Reset) return;
    const q = reading.value - before.value;
    if (!Number.isFinite(q)) return;
    const sample: HalfHourSample = { timestampMs: before.timestamp.getTime(), q, status: 0 };
    this.differences.add([sample], this.pending);
  }

  private closeInterval(completed: IntervalFigures[], openWith: Reading[]): void {
    const figures = this.tally.figures();
    const stats = this.statisticsOf(this.index);
    if (this.inBand !== undefined) completed.push(stats);
    else this.pushTotals(completed, figures, stats);
    this.index++;
    this.invalid = 0;
    if (this.index < this.boundaries.length - 1) {
      this.tally = this.tallyFor(this.index);
      this.tally.add(openWith);
    }
  }

  private pushTotals(completed: IntervalFigures[], figures: ConsumptionFigures, stats: IntervalFigures): void {
    const invalid = Math.min(this.invalid, figures.missing);
    completed.push({
      ...stats,
      consumption: cleanNumber(figures.consumption),
      periods: figures.periods,
      interpolated: figures.interpolated,
      resets: figures.resets,
      missing: figures.missing - invalid,
      invalid,
    });
  }

  /** The differences' figures for interval `index` (mean, min, max, maxAt). */
  private statisticsOf(index: number): IntervalFigures {
    this.differences.closeThrough(index, this.pending);
    return this.pending.shift() as IntervalFigures;
  }

  private tallyFor(index: number): TotalsDifferenceTally<Reading> {
    return new TotalsDifferenceTally<Reading>({ startMs: this.boundaries[index], endMs: this.boundaries[index + 1] }, (r) => r.value);
  }
}
