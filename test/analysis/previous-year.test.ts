import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { previousYearStart, yearOnYear } from '../../server/analysis/previous-year';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe('year-on-year', () => {
  it('daily and weekly data are matched with the same weekday 52 weeks earlier, across a leap day', () => {
    // Thursday 29 February 2024 (GMT) ↔ Thursday 2 March 2023.
    assert.equal(iso(previousYearStart(Date.parse('2024-02-29T00:00:00Z'), 'day', 'Europe/London')), '2023-03-02T00:00:00.000Z');
    // Monday 1 July 2024 00:00 BST = 2024-06-30T23:00Z ↔ Monday 3 July 2023 00:00 BST.
    const monday = previousYearStart(Date.parse('2024-06-30T23:00:00Z'), 'week', 'Europe/London');
    assert.equal(iso(monday), '2023-07-02T23:00:00.000Z');
    assert.equal(new Date(monday! + 3_600_000).getUTCDay(), 1);
  });

  it('other intervals by calendar: the same local date a year earlier; 29 February has none', () => {
    // 1 April 2024 00:00 BST ↔ 1 April 2023 00:00 BST.
    assert.equal(iso(previousYearStart(Date.parse('2024-03-31T23:00:00Z'), 'month', 'Europe/London')), '2023-03-31T23:00:00.000Z');
    // 1 March 2024 (after the leap day) ↔ 1 March 2023.
    assert.equal(iso(previousYearStart(Date.parse('2024-03-01T00:00:00Z'), 'month', 'UTC')), '2023-03-01T00:00:00.000Z');
    assert.equal(previousYearStart(Date.parse('2024-02-29T10:30:00Z'), 'halfHour', 'UTC'), null);
    assert.equal(iso(previousYearStart(Date.parse('2025-03-01T00:00:00Z'), 'year', 'UTC')), '2024-03-01T00:00:00.000Z');
  });

  it('change is current − previous and its percentage of previous', () => {
    assert.deepEqual(yearOnYear(110, 100), { previous: 100, change: 10, changePercent: 10 });
    assert.deepEqual(yearOnYear(90.3, 100.1), { previous: 100.1, change: -9.8, changePercent: Number(((-9.8 / 100.1) * 100).toPrecision(12)) });
    assert.deepEqual(yearOnYear(5, 0), { previous: 0, change: 5, changePercent: null });
    assert.deepEqual(yearOnYear(null, 3), { previous: 3, change: null, changePercent: null });
  });
});
