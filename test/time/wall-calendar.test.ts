/**
 * The one calendar (server/time/wall-calendar.ts), used by the server's intervals and by the
 * add-in: every unit start is where a person would put it, and stepping lands on the next one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { IntervalType } from '../../server/api/types';
import { addWall, ceilWall, floorWall, INTERVAL_TYPES } from '../../server/time/wall-calendar';

const wallTimes = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) });
const units = fc.constantFrom(...INTERVAL_TYPES);

/** Whether `ms` is where a unit begins, read off the date's fields (not computed as the module does). */
function isUnitStart(ms: number, unit: IntervalType): boolean {
  const d = new Date(ms);
  const minute = d.getUTCMinutes();
  const clockStart = d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
  const midnight = clockStart && minute === 0 && d.getUTCHours() === 0;
  switch (unit) {
    case 'halfHour':
      return clockStart && (minute === 0 || minute === 30);
    case 'hour':
      return clockStart && minute === 0;
    case 'day':
      return midnight;
    case 'week':
      return midnight && d.getUTCDay() === 1;
    case 'month':
      return midnight && d.getUTCDate() === 1;
    case 'quarter':
      return midnight && d.getUTCDate() === 1 && d.getUTCMonth() % 3 === 0;
    case 'year':
      return midnight && d.getUTCDate() === 1 && d.getUTCMonth() === 0;
  }
}

describe('the wall calendar', () => {
  it('floors to the latest unit start at or before the time, and the next unit starts after it', () => {
    fc.assert(
      fc.property(wallTimes, units, (wall, unit) => {
        const start = floorWall(wall, unit);
        const next = addWall(start, unit, 1);
        assert.ok(isUnitStart(start, unit), `${new Date(start).toISOString()} starts a ${unit}`);
        assert.ok(isUnitStart(next, unit), `${new Date(next).toISOString()} starts a ${unit}`);
        assert.ok(start <= wall && wall < next);
        // No unit start lies between them: the last millisecond before the next start is still in this unit.
        assert.equal(floorWall(next - 1, unit), start);
      }),
    );
  });

  it('steps back as it steps forward, and ceil is the first start at or after the time', () => {
    fc.assert(
      fc.property(wallTimes, units, fc.integer({ min: -30, max: 30 }), (wall, unit, count) => {
        const start = floorWall(wall, unit);
        assert.equal(addWall(addWall(start, unit, count), unit, -count), start);
        const ceil = ceilWall(wall, unit);
        assert.ok(isUnitStart(ceil, unit) && ceil >= wall);
        assert.equal(ceil === wall, isUnitStart(wall, unit));
        if (ceil !== wall) assert.equal(ceil, addWall(start, unit, 1));
      }),
    );
  });

  it('knows the calendar: weeks from Monday, quarters from January, April, July and October', () => {
    const at = (iso: string) => Date.parse(`${iso}Z`);
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    assert.equal(iso(floorWall(at('2025-03-16T23:59'), 'week')), '2025-03-10T00:00'); // a Sunday: back to Monday
    assert.equal(iso(floorWall(at('2025-06-30T12:00'), 'quarter')), '2025-04-01T00:00');
    assert.equal(iso(addWall(at('2024-10-01T00:00'), 'quarter', 1)), '2025-01-01T00:00');
    assert.equal(iso(addWall(at('2024-01-31T00:00'), 'day', 29)), '2024-02-29T00:00'); // a leap day
    assert.equal(iso(ceilWall(at('2025-03-10T09:05'), 'halfHour')), '2025-03-10T09:30');
  });
});
