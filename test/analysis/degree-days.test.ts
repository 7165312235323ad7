import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayDegreeDays, degreeDaysPerInterval, DEFAULT_BASE_TEMPERATURE } from '../../server/analysis/degree-days';

const DAY_MS = 86_400_000;

describe('degree days', () => {
  it('heating is max(0, base − day mean), cooling max(0, day mean − base), base 15.5 °C by default', () => {
    assert.equal(DEFAULT_BASE_TEMPERATURE, 15.5);
    assert.equal(dayDegreeDays(5.25, 15.5, 'heating'), 10.25);
    assert.equal(dayDegreeDays(17, 15.5, 'heating'), 0);
    assert.equal(dayDegreeDays(17, 15.5, 'cooling'), 1.5);
    assert.equal(dayDegreeDays(10, 12, 'heating'), 2);
  });

  it('are summed over the days of each interval; a day without temperature is counted, not taken as zero', () => {
    const start = Date.parse('2024-01-01T00:00:00Z');
    const means = [5, 10, null, 16, 0, 15.5, 20];
    const days = means.map((mean, i) => ({ startMs: start + i * DAY_MS, mean }));
    const boundaries = [start, start + 3 * DAY_MS, start + 7 * DAY_MS];
    const heating = degreeDaysPerInterval(days, boundaries, 15.5, 'heating');
    assert.deepEqual(heating.degreeDays, [10.5 + 5.5, 0 + 15.5 + 0 + 0]);
    assert.deepEqual(heating.daysWithoutTemperature, [1, 0]);
    assert.deepEqual(degreeDaysPerInterval(days, boundaries, 15.5, 'cooling').degreeDays, [0, 0.5 + 4.5]);
  });
});
