/**
 * The arithmetic of one interval's figures, on hand-made half-hours whose answers can be worked
 * out on paper.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DcsProtocolError } from 'dcs-client';
import { IntervalAccumulator, type IntervalFigures } from '../../server/intervals';

const T0 = Date.UTC(2024, 0, 1, 0, 0);
const HH = 1_800_000;

/** Half-hours from `[q, status]` pairs, one per half-hour from T0; null = not sent. */
function halfHours(...items: Array<[number, number] | null>): Array<{ timestampMs: number; q: number; status: number }> {
  const out: Array<{ timestampMs: number; q: number; status: number }> = [];
  items.forEach((item, i) => {
    if (item) out.push({ timestampMs: T0 + i * HH, q: item[0], status: item[1] });
  });
  return out;
}

/** Interval boundaries at these half-hour indexes from T0. */
function bounds(...indexes: number[]): Float64Array {
  return Float64Array.from(indexes.map((i) => T0 + i * HH));
}

function run(accumulator: IntervalAccumulator, ...batches: Array<ReturnType<typeof halfHours>>): IntervalFigures[] {
  const out: IntervalFigures[] = [];
  for (const batch of batches) accumulator.add(batch, out);
  return accumulator.finish(out);
}

describe('figures per interval', () => {
  it('adds the half-hours stamped inside each interval and ignores those outside the span', () => {
    const got = run(new IntervalAccumulator('R1', bounds(1, 3, 4), true), halfHours([1, 0], [10, 0], [20, 0], [30, 0], [1000, 0]));
    assert.deepEqual(
      got.map((f) => [f.consumption, f.periods, f.missing]),
      [
        [30, 2, 0],
        [30, 1, 0],
      ],
    );
  });

  it('gives mean, min, max and the start of the half-hour holding the (first) maximum', () => {
    const [f] = run(new IntervalAccumulator('R1', bounds(0, 4), true), halfHours([5, 0], [9, 0], [2, 0], [9, 0]));
    assert.deepEqual([f.mean, f.min, f.max, f.maxAtMs], [6.25, 2, 9, T0 + HH]);
  });

  it('gives the same figures however the half-hours are split into batches', () => {
    const all = halfHours([5, 0], [6, 1], [7, 2], [8, 0]);
    const whole = run(new IntervalAccumulator('R1', bounds(0, 2, 4), true), all);
    const split = run(new IntervalAccumulator('R1', bounds(0, 2, 4), true), all.slice(0, 1), all.slice(1, 3), [], all.slice(3));
    assert.deepEqual(split, whole);
    assert.deepEqual(
      whole.map((f) => f.consumption),
      [11, 15],
    );
  });

  it('counts estimated, reset, missing (not sent) and invalid (NaN, ±Infinity) half-hours apart', () => {
    const [f] = run(new IntervalAccumulator('R1', bounds(0, 7), true), halfHours([10, 1], [10, 2], null, [NaN, 0], [10, 3], [Infinity, 0], [-Infinity, 0]));
    assert.deepEqual(
      { consumption: f.consumption, periods: f.periods, interpolated: f.interpolated, resets: f.resets, missing: f.missing, invalid: f.invalid },
      { consumption: 30, periods: 7, interpolated: 2, resets: 2, missing: 1, invalid: 3 },
    );
    assert.equal(f.max, 10, 'an infinity is never the maximum');
  });

  it('skips a repeated half-hour where two windows meet instead of counting it twice', () => {
    const all = halfHours([1, 0], [2, 0], [4, 0]);
    const [f] = run(new IntervalAccumulator('R1', bounds(0, 3), true), all.slice(0, 2), all.slice(1));
    assert.equal(f.consumption, 7);
    assert.equal(f.missing, 0);
  });

  it('refuses half-hours that go back in time rather than compute a wrong figure', () => {
    const all = halfHours([1, 0], [2, 0], [4, 0]);
    assert.throws(() => run(new IntervalAccumulator('R1', bounds(0, 3), true), [all[2], all[0]]), DcsProtocolError);
  });

  it('hands over every interval, with null figures and all half-hours missing, when DCS has nothing', () => {
    const got = run(new IntervalAccumulator('R1', bounds(0, 48, 96), true));
    assert.deepEqual(
      got.map((f) => [f.consumption, f.mean, f.max, f.maxAtMs, f.missing]),
      [
        [null, null, null, null, 48],
        [null, null, null, null, 48],
      ],
    );
  });

  it('gives no consumption for an instantaneous source, only its spread', () => {
    const [f] = run(new IntervalAccumulator('R3', bounds(0, 2), false), halfHours([40, 0], [60, 0]));
    assert.deepEqual([f.consumption, f.mean, f.min, f.max], [null, 50, 40, 60]);
  });

  it('hands intervals over as soon as a later half-hour shows they are complete', () => {
    const accumulator = new IntervalAccumulator('R1', bounds(0, 2, 4, 6), true);
    assert.equal(accumulator.add(halfHours([1, 0], [1, 0])).length, 0);
    assert.equal(accumulator.add(halfHours(null, null, [1, 0])).length, 1);
  });
});
