/**
 * Where intervals begin in a time zone. Expected instants are written out by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floorToInterval, intervalBoundaries, isIntervalStart, nextIntervalStart } from '../../server/intervals';

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (text: string): number => Date.parse(text);

describe('the local calendar', () => {
  it('makes days 23 and 25 hours long on the clock-change days in Europe/London', () => {
    const days = intervalBoundaries(at('2024-03-30T00:00Z'), at('2024-04-01T23:00Z'), 'day', 'Europe/London');
    assert.deepEqual([...days].map(iso), ['2024-03-30T00:00:00.000Z', '2024-03-31T00:00:00.000Z', '2024-03-31T23:00:00.000Z', '2024-04-01T23:00:00.000Z']);
    assert.equal(nextIntervalStart(at('2024-10-26T23:00Z'), 'day', 'Europe/London') - at('2024-10-26T23:00Z'), 25 * 3_600_000);
  });

  it('starts weeks on Monday, months, quarters and years on the 1st, at local midnight', () => {
    assert.equal(iso(floorToInterval(at('2025-01-01T12:00Z'), 'week', 'Europe/London')), '2024-12-30T00:00:00.000Z');
    assert.equal(iso(floorToInterval(at('2024-08-15T12:00Z'), 'month', 'Europe/London')), '2024-07-31T23:00:00.000Z');
    assert.equal(iso(floorToInterval(at('2024-08-15T12:00Z'), 'quarter', 'Europe/London')), '2024-06-30T23:00:00.000Z');
    assert.equal(iso(floorToInterval(at('2024-08-15T12:00Z'), 'year', 'America/New_York')), '2024-01-01T05:00:00.000Z');
    assert.equal(iso(nextIntervalStart(at('2024-12-31T13:00Z'), 'year', 'Pacific/Auckland')), '2025-12-31T11:00:00.000Z');
  });

  it('puts local hours of a half-hour zone on DCS half-hours (India, +05:30)', () => {
    assert.equal(iso(floorToInterval(at('2024-06-01T10:45Z'), 'hour', 'Asia/Kolkata')), '2024-06-01T10:30:00.000Z');
    assert.ok(isIntervalStart(at('2024-06-01T10:30Z'), 'hour', 'Asia/Kolkata'));
    assert.ok(!isIntervalStart(at('2024-06-01T10:00Z'), 'hour', 'Asia/Kolkata'));
  });

  it('lists the repeated hour of the autumn change once for each offset', () => {
    const hours = intervalBoundaries(at('2024-10-26T23:00Z'), at('2024-10-27T03:00Z'), 'hour', 'Europe/London');
    assert.equal(hours.length, 5);
  });

  it('refuses local hours in a zone whose offset is not whole half-hours', () => {
    assert.throws(() => floorToInterval(at('2024-06-01T10:00Z'), 'hour', 'Asia/Kathmandu'), /345 minutes from UTC/);
  });
});
