import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsQueryError } from '../src/errors';
import { addPeriods, ceilToPeriod, floorToPeriod, isPeriodStart, planWindows, requirePeriodStart, type TimeWindow } from '../src/periods';
import type { PeriodType } from '../src/types';

const utc = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const show = (windows: TimeWindow[]): string[] => windows.map((w) => `${iso(w.startMs)}/${iso(w.endMs)}`);
const DAY = 86_400_000;

/** Windows must tile the span exactly: first starts at start, each starts where the last ended. */
function assertTiles(windows: TimeWindow[], startMs: number, endMs: number): void {
  assert.equal(windows[0].startMs, startMs);
  assert.equal(windows[windows.length - 1].endMs, endMs);
  for (let i = 1; i < windows.length; i++) assert.equal(windows[i].startMs, windows[i - 1].endMs, `gap or overlap at window ${i}`);
}

describe('period alignment', () => {
  it('weeks start on Monday 00:00 UTC', () => {
    assert.equal(iso(floorToPeriod(utc('2024-03-07T15:00:00Z'), 'week')), '2024-03-04T00:00:00Z'); // Thursday -> Monday
    assert.equal(iso(floorToPeriod(utc('2024-03-04T00:00:00Z'), 'week')), '2024-03-04T00:00:00Z');
    assert.equal(iso(floorToPeriod(utc('2024-03-03T23:59:59Z'), 'week')), '2024-02-26T00:00:00Z'); // Sunday
    assert.equal(iso(floorToPeriod(utc('1969-12-31T00:00:00Z'), 'week')), '1969-12-29T00:00:00Z'); // before the epoch
    assert.ok(isPeriodStart(utc('2024-01-01T00:00:00Z'), 'week')); // a Monday
    assert.ok(!isPeriodStart(utc('2024-01-07T00:00:00Z'), 'week')); // a Sunday
  });

  it('months are calendar months, including leap Februaries', () => {
    assert.equal(iso(floorToPeriod(utc('2024-02-29T12:00:00Z'), 'month')), '2024-02-01T00:00:00Z');
    assert.equal(iso(ceilToPeriod(utc('2024-02-29T12:00:00Z'), 'month')), '2024-03-01T00:00:00Z');
    assert.equal(iso(addPeriods(utc('2024-01-01T00:00:00Z'), 'month', 2)), '2024-03-01T00:00:00Z');
    assert.equal(iso(addPeriods(utc('2024-01-01T00:00:00Z'), 'month', -13)), '2022-12-01T00:00:00Z');
  });

  it('half-hours, hours and days floor to their own boundaries', () => {
    const t = utc('2024-05-05T10:47:12Z');
    assert.equal(iso(floorToPeriod(t, 'halfHour')), '2024-05-05T10:30:00Z');
    assert.equal(iso(floorToPeriod(t, 'hour')), '2024-05-05T10:00:00Z');
    assert.equal(iso(floorToPeriod(t, 'day')), '2024-05-05T00:00:00Z');
    assert.equal(iso(ceilToPeriod(t, 'halfHour')), '2024-05-05T11:00:00Z');
  });

  it('refuses a misaligned start naming the aligned time to use instead', () => {
    assert.throws(
      () => requirePeriodStart(utc('2024-03-05T00:00:00Z'), 'month', 'start'),
      (error: unknown) => {
        assert.ok(error instanceof DcsQueryError);
        assert.match(error.message, /start 2024-03-05T00:00:00Z is not the start of a month; use 2024-03-01T00:00:00Z/);
        return true;
      },
    );
    assert.throws(
      () => requirePeriodStart(utc('2024-03-05T00:00:00Z'), 'week', 'end'),
      /end 2024-03-05T00:00:00Z is not the start of a week .*use 2024-03-11T00:00:00Z/,
    );
    assert.throws(() => requirePeriodStart(utc('2024-03-05T10:15:00Z'), 'halfHour', 'start'), /use 2024-03-05T10:00:00Z/);
  });
});

describe('planWindows: the fewest contiguous, calendar-correct windows', () => {
  it('keeps a span that fits in one window whole', () => {
    const windows = planWindows(utc('2024-01-01T00:00:00Z'), utc('2024-12-31T00:00:00Z'), 'halfHour', 365);
    assert.deepEqual(show(windows), ['2024-01-01T00:00:00Z/2024-12-31T00:00:00Z']);
  });

  it('splits half-hours into near-equal windows, the minimum number for the maximum window', () => {
    const start = utc('2020-01-01T00:00:00Z');
    const end = utc('2024-01-01T00:00:00Z'); // 1461 days
    const windows = planWindows(start, end, 'halfHour', 365);
    assert.equal(windows.length, Math.ceil(1461 / 365)); // 5, not 4
    assertTiles(windows, start, end);
    for (const w of windows) {
      assert.ok(w.endMs - w.startMs <= 365 * DAY);
      assert.equal((w.endMs - w.startMs) % 1_800_000, 0, 'each window is whole half-hours');
    }
    const sizes = windows.map((w) => w.endMs - w.startMs);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1_800_000, 'windows differ by at most one period');
  });

  it('never splits a period: hours and days stay whole even with fractional maximum windows', () => {
    const start = utc('2024-01-01T00:00:00Z');
    const end = utc('2024-01-02T00:00:00Z');
    const hours = planWindows(start, end, 'hour', 0.3); // 7.2 hours -> 7 per window
    assert.equal(hours.length, 4); // ceil(24 / 7)
    assertTiles(hours, start, end);
    for (const w of hours) assert.equal((w.endMs - w.startMs) % 3_600_000, 0);
    // A maximum window shorter than one period still moves one period at a time.
    const days = planWindows(start, utc('2024-01-04T00:00:00Z'), 'day', 0.25);
    assert.deepEqual(show(days), [
      '2024-01-01T00:00:00Z/2024-01-02T00:00:00Z',
      '2024-01-02T00:00:00Z/2024-01-03T00:00:00Z',
      '2024-01-03T00:00:00Z/2024-01-04T00:00:00Z',
    ]);
  });

  it('keeps week windows on Mondays', () => {
    const start = utc('2024-01-01T00:00:00Z'); // Monday
    const end = utc('2024-12-30T00:00:00Z'); // Monday, 52 weeks later
    const windows = planWindows(start, end, 'week', 100); // 14 weeks fit in 100 days
    assert.equal(windows.length, Math.ceil(52 / 14));
    assertTiles(windows, start, end);
    for (const w of windows) {
      assert.equal(new Date(w.startMs).getUTCDay(), 1, `${iso(w.startMs)} is a Monday`);
      assert.ok(w.endMs - w.startMs <= 100 * DAY);
    }
  });

  it('takes real calendar months: Jan 31 days, a leap February, then March', () => {
    const start = utc('2024-01-01T00:00:00Z');
    const end = utc('2024-04-01T00:00:00Z');
    // 31 + 29 = 60 days fit in 60; adding March (91 days) does not.
    assert.deepEqual(show(planWindows(start, end, 'month', 60)), ['2024-01-01T00:00:00Z/2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z/2024-04-01T00:00:00Z']);
    // In a common year January and February are 59 days: a 59-day window holds both.
    assert.deepEqual(show(planWindows(utc('2023-01-01T00:00:00Z'), utc('2023-03-01T00:00:00Z'), 'month', 59)), ['2023-01-01T00:00:00Z/2023-03-01T00:00:00Z']);
    // ...but not in a leap year.
    assert.equal(planWindows(start, utc('2024-03-01T00:00:00Z'), 'month', 59).length, 2);
  });

  it('with a 31-day window, asks for each month on its own and never a fixed 31-day step', () => {
    const start = utc('2023-11-01T00:00:00Z');
    const end = utc('2024-05-01T00:00:00Z');
    const windows = planWindows(start, end, 'month', 31);
    assert.deepEqual(show(windows), [
      '2023-11-01T00:00:00Z/2023-12-01T00:00:00Z',
      '2023-12-01T00:00:00Z/2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00Z/2024-02-01T00:00:00Z',
      '2024-02-01T00:00:00Z/2024-03-01T00:00:00Z',
      '2024-03-01T00:00:00Z/2024-04-01T00:00:00Z',
      '2024-04-01T00:00:00Z/2024-05-01T00:00:00Z',
    ]);
  });

  it('covers decades of months in the fewest year-sized windows', () => {
    const start = utc('2000-01-01T00:00:00Z');
    const end = utc('2024-01-01T00:00:00Z');
    const windows = planWindows(start, end, 'month', 366);
    assert.equal(windows.length, 24); // every calendar year fits in 366 days; 13 months never do
    assertTiles(windows, start, end);
    for (const w of windows) assert.equal(new Date(w.startMs).getUTCDate(), 1);
  });

  it('plans nothing for an empty span', () => {
    assert.deepEqual(planWindows(utc('2024-01-01T00:00:00Z'), utc('2024-01-01T00:00:00Z'), 'day', 365), []);
  });

  it('produces the minimum count for every period type over random spans', () => {
    const types: PeriodType[] = ['halfHour', 'hour', 'day', 'week', 'month'];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let trial = 0; trial < 200; trial++) {
      const periodType = types[trial % types.length];
      const start = floorToPeriod(utc('2019-06-01T00:00:00Z') + Math.floor(random() * 2000) * DAY, periodType);
      const end = addPeriods(start, periodType, 1 + Math.floor(random() * (periodType === 'month' ? 60 : 3000)));
      const maxDays = 1 + random() * 400;
      const windows = planWindows(start, end, periodType, maxDays);
      assertTiles(windows, start, end);
      for (const w of windows) {
        assert.ok(isPeriodStart(w.startMs, periodType) && isPeriodStart(w.endMs, periodType));
        const onePeriod = addPeriods(w.startMs, periodType, 1) === w.endMs;
        assert.ok(onePeriod || w.endMs - w.startMs <= maxDays * DAY + 1e-6, 'a window of several periods fits the maximum');
      }
      if (periodType === 'month') {
        // Greedy is minimal: every window but the last could not take one more month.
        for (const w of windows.slice(0, -1)) assert.ok(addPeriods(w.endMs, 'month', 1) - w.startMs > maxDays * DAY);
      } else {
        const periodMs = addPeriods(start, periodType, 1) - start;
        const perWindow = Math.max(1, Math.floor((maxDays * DAY) / periodMs + 1e-9));
        assert.equal(windows.length, Math.ceil((end - start) / periodMs / perWindow));
      }
    }
  });
});
