import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addPeriods, countWindows, floorToPeriod, planWindows, PERIOD_TYPES } from '../src';

describe('countWindows: what a DCS cost estimate counts', () => {
  it('is exactly the number of windows planWindows makes, for any span, period type and window size', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PERIOD_TYPES),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 0, max: 3000 }),
        fc.double({ min: 0.01, max: 800, noNaN: true }),
        (periodType, anyMs, periods, maxWindowDays) => {
          const startMs = floorToPeriod(anyMs, periodType);
          const endMs = addPeriods(startMs, periodType, periods);
          assert.equal(countWindows(startMs, endMs, periodType, maxWindowDays), planWindows(startMs, endMs, periodType, maxWindowDays).length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
