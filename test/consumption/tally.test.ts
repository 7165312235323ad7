/**
 * The arithmetic behind a consumption figure, on hand-made readings whose answers can be
 * worked out on paper (the reset example is DCS's own, from its readings-handling notes).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TotalsDifferenceTally, type HalfHourSpan } from '../../server/consumption/tally';

const T0 = Date.UTC(2024, 0, 1, 0, 0);
const HH = 1_800_000;

interface Row {
  timestamp: Date;
  value: number;
  status: number;
}

/** Readings from `[value, status]` pairs, one per half-hour from T0. */
function rows(...items: Array<[number, number] | null>): Row[] {
  const out: Row[] = [];
  items.forEach((item, i) => {
    if (item) out.push({ timestamp: new Date(T0 + i * HH), value: item[0], status: item[1] });
  });
  return out;
}

function span(fromHalfHour: number, toHalfHour: number): HalfHourSpan {
  return { startMs: T0 + fromHalfHour * HH, endMs: T0 + toHalfHour * HH };
}

const valueOf = (r: Row): number => r.value;

describe('differences of running totals (cumulative virtual meters; registers without period values)', () => {
  it('is the total at the end minus the total at the start', () => {
    const tally = new TotalsDifferenceTally(span(0, 4), valueOf);
    tally.add(rows([100, 0], [150, 0], [210, 0], [300, 0], [420, 0], [999, 0]));
    // The reading stamped at the end instant (420) closes the last half-hour; 999 is beyond it.
    assert.deepEqual(tally.figures(), { consumption: 320, periods: 4, interpolated: 0, resets: 0, missing: 0 });
  });

  it('splits at a register reset (DCS example: reset at 01:30, totals restart at 0)', () => {
    // 00:00 100, 00:30 200, 01:00 300, 01:30 0 (reset), 02:00 100, 02:30 200, 03:00 300.
    const tally = new TotalsDifferenceTally(span(0, 6), valueOf);
    tally.add(rows([100, 0], [200, 0], [300, 0], [0, 2], [100, 0], [200, 0], [300, 0]));
    const figures = tally.figures();
    // 100 + 100 before the reset, 300 after; the half-hour 01:00-01:30 crosses the reset and its
    // consumption cannot be known from totals (DCS's period value, 100, would include it).
    assert.equal(figures.consumption, 500);
    assert.equal(figures.resets, 1);
    assert.equal(figures.missing, 0);
  });

  it('never returns a negative figure from a counter that restarted', () => {
    const tally = new TotalsDifferenceTally(span(0, 3), valueOf);
    tally.add(rows([5000, 0], [5100, 0], [20, 2], [70, 0]));
    assert.equal(tally.figures().consumption, 150);
  });

  it('ignores a reset flagged on the opening total: it happened before the period', () => {
    const tally = new TotalsDifferenceTally(span(0, 2), valueOf);
    tally.add(rows([0, 2], [40, 0], [90, 0]));
    assert.deepEqual(tally.figures(), { consumption: 90, periods: 2, interpolated: 0, resets: 0, missing: 0 });
  });

  it('still counts consumption across a gap, but reports the half-hours the gap leaves unbounded', () => {
    const tally = new TotalsDifferenceTally(span(0, 4), valueOf);
    tally.add(rows([100, 0], null, [NaN, 0], [400, 0], [500, 0]));
    const figures = tally.figures();
    assert.equal(figures.consumption, 400);
    // 00:00-00:30, 00:30-01:00 and 01:00-01:30 each lack a total at one end.
    assert.equal(figures.missing, 3);
  });

  it('counts a half-hour as estimated when either total bounding it is', () => {
    const tally = new TotalsDifferenceTally(span(0, 4), valueOf);
    tally.add(rows([0, 0], [10, 1], [20, 1], [30, 0], [40, 0]));
    // Estimated totals at 00:30 and 01:00 touch 00:00-00:30, 00:30-01:00 and 01:00-01:30.
    assert.equal(tally.figures().interpolated, 3);
    assert.equal(tally.figures().consumption, 40);
  });

  it('counts the final half-hour as missing when the closing total has not arrived', () => {
    const tally = new TotalsDifferenceTally(span(0, 2), valueOf);
    tally.add(rows([10, 0], [20, 0]));
    assert.deepEqual(tally.figures(), { consumption: 10, periods: 2, interpolated: 0, resets: 0, missing: 1 });
  });
});
