/**
 * Turning a stream of half-hourly readings into one consumption figure and the counts that say
 * how far to trust it. Pure arithmetic: no I/O, no DCS client, fed batch by batch so a span of
 * any length is summed in constant memory.
 *
 * Conventions (DCS's): a reading stamped t describes the half-hour [t, t + 30 min). A register
 * total stamped t is the meter's total at instant t, so the consumption of [t, t + 30 min) is
 * total(t + 30 min) − total(t), and DCS's `periodValue` at t is exactly that, computed across
 * register resets with the reset's closing and opening totals. A reset flagged on the reading
 * at r is a discontinuity between the half-hours before and from r.
 */
import { DcsProtocolError, ReadingStatus } from 'dcs-client';
import { HALF_HOUR_MS } from '../time/wall-calendar';

/** A half-open span of whole half-hours, in epoch milliseconds. */
export interface HalfHourSpan {
  startMs: number;
  endMs: number;
}

/** What one consumption figure is made of. */
export interface ConsumptionFigures {
  /** The consumption over the span, in the source's unit. */
  consumption: number;
  /** Half-hours in the span (46 or 50 on a clock-change day in a named zone). */
  periods: number;
  /** Half-hours behind the figure that DCS estimated (status bit 1). */
  interpolated: number;
  /** Half-hours behind the figure that crossed a register reset (status bit 2). */
  resets: number;
  /** Half-hours with no usable reading: absent, or NaN / infinite. */
  missing: number;
}

/** The least of what each kind of reading carries that a tally needs. */
export interface TimedValue {
  timestamp: Date;
  status: number;
}

/** Accumulates readings, batch by batch, into figures. */
export interface Tally<R> {
  add(batch: readonly R[]): void;
  figures(): ConsumptionFigures;
}

export function halfHoursIn(span: HalfHourSpan): number {
  return Math.round((span.endMs - span.startMs) / HALF_HOUR_MS);
}

/**
 * Only running totals are known (a cumulative virtual meter, or a DCS that will not give the
 * complete format): the figure is the difference of totals, taken separately over each stretch
 * between resets, from the total at the span's start to the total at its end. The caller must
 * therefore feed readings up to and including the one stamped at the span's end.
 *
 * Across a gap the difference of the totals either side still counts what was consumed in it;
 * across a reset it cannot (the closing total before the reset is not known), so the half-hour
 * that crosses a reset adds nothing and is counted in `resets`.
 *
 * Counts are per half-hour [t, t + 30 min): it is estimated if either total bounding it is,
 * crossed a reset if the total closing it is flagged as one, and missing if either bounding
 * total is absent or not a number.
 */
export class TotalsDifferenceTally<R extends TimedValue> implements Tally<R> {
  private sum = 0;
  /** First and latest usable total of the stretch since the last reset. */
  private stretchFirst: number | undefined;
  private stretchLast: number | undefined;
  /** Half-hours both of whose bounding totals are usable. */
  private bounded = 0;
  private interpolated = 0;
  private resets = 0;
  private previous: { t: number; usable: boolean; interpolated: boolean } | undefined;
  private readonly order: ReadingOrder;

  constructor(
    private readonly span: HalfHourSpan,
    private readonly totalOf: (reading: R) => number,
  ) {
    this.order = new ReadingOrder();
  }

  add(batch: readonly R[]): void {
    const { startMs, endMs } = this.span;
    for (const reading of batch) {
      const t = reading.timestamp.getTime();
      if (t < startMs || t > endMs || !this.order.isNew(t)) continue;
      const total = this.totalOf(reading);
      const usable = Number.isFinite(total);
      const estimated = (reading.status & ReadingStatus.Interpolated) !== 0;
      const isReset = (reading.status & ReadingStatus.Reset) !== 0;

      // A reset on the opening total of the span is before the span: nothing in it crosses it.
      if (isReset && t > startMs) {
        this.resets++;
        this.closeStretch();
      }
      if (usable) {
        this.stretchFirst ??= total;
        this.stretchLast = total;
      }

      const previous = this.previous;
      const followsPrevious = previous !== undefined && previous.t === t - HALF_HOUR_MS;
      if (followsPrevious && previous.usable && usable) this.bounded++;
      // Half-hours this total bounds: the one it opens (if inside the span) and the one it
      // closes (if inside the span), less the one shared with an estimated predecessor.
      if (estimated) {
        this.interpolated += (t < endMs ? 1 : 0) + (t > startMs ? 1 : 0);
        if (followsPrevious && previous.interpolated) this.interpolated--;
      }
      this.previous = { t, usable, interpolated: estimated };
    }
  }

  figures(): ConsumptionFigures {
    const periods = halfHoursIn(this.span);
    const open = this.stretchFirst !== undefined && this.stretchLast !== undefined ? this.stretchLast - this.stretchFirst : 0;
    return {
      consumption: this.sum + open,
      periods,
      interpolated: this.interpolated,
      resets: this.resets,
      missing: periods - this.bounded,
    };
  }

  private closeStretch(): void {
    if (this.stretchFirst !== undefined && this.stretchLast !== undefined) this.sum += this.stretchLast - this.stretchFirst;
    this.stretchFirst = undefined;
    this.stretchLast = undefined;
  }
}

/**
 * Readings arrive in time order. One stamped at the same time as the last is a repeat (e.g.
 * where two requested windows meet) and is skipped; one stamped earlier means the answer is not
 * what DCS sends, and summing on would give a wrong figure, so it is refused.
 */
class ReadingOrder {
  private last = -Infinity;

  isNew(t: number): boolean {
    if (t === this.last) return false;
    if (t < this.last) {
      throw new DcsProtocolError(
        `a reading stamped ${new Date(t).toISOString()} came after one stamped ${new Date(this.last).toISOString()}; DCS sends readings in time order`,
      );
    }
    this.last = t;
    return true;
  }
}
