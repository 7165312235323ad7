/**
 * Baseload and the typical day (server/analysis/baseload.ts, typical-day.ts), checked against
 * figures worked out here from half-hours written by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baseloadKw, nearestRankPercentile } from '../../server/analysis/baseload';
import { localSlot, TypicalDayAccumulator } from '../../server/analysis/typical-day';

const HALF_HOUR_MS = 1_800_000;

describe('baseload', () => {
  it('is the nearest-rank 10th percentile of the half-hourly demands, in kW', () => {
    // 48 half-hours of 1..48 kWh, shuffled: rank ⌈0.1 × 48⌉ = 5 → 5 kWh → 10 kW.
    const kwh = Array.from({ length: 48 }, (_, i) => ((i * 7) % 48) + 1);
    assert.equal(baseloadKw(kwh), 10);
    // 46 half-hours (spring clock change): rank ⌈4.6⌉ = 5 again; 50: rank 5 too; 51: rank 6.
    assert.equal(
      nearestRankPercentile(
        Array.from({ length: 51 }, (_, i) => 51 - i),
        10,
      ),
      6,
    );
    assert.equal(nearestRankPercentile([3.5], 10), 3.5);
    assert.equal(baseloadKw([]), null);
  });
});

describe('typical day', () => {
  it('places each half-hour by its local start, so 01:00 on the autumn clock-change day counts twice', () => {
    // 2024-10-27 Europe/London (Sunday): 00:00Z and 01:00Z are both 01:00 local (BST then GMT).
    assert.deepEqual(localSlot(Date.parse('2024-10-27T00:00:00Z'), 'Europe/London'), { weekend: true, slot: 2 });
    assert.deepEqual(localSlot(Date.parse('2024-10-27T01:00:00Z'), 'Europe/London'), { weekend: true, slot: 2 });
    // Monday 2024-07-01 07:30Z is 08:30 BST: slot 17.
    assert.deepEqual(localSlot(Date.parse('2024-07-01T07:30:00Z'), 'Europe/London'), { weekend: false, slot: 17 });
  });

  it('is the mean demand per local half-hour, weekdays and weekends apart, over clock changes', () => {
    // Every half-hour from Monday 2024-03-25 to Monday 2024-04-01 (the spring change on Sunday 31 March)
    // carries kWh = its local hour + 1, plus 100 at weekends.
    const zone = 'Europe/London';
    const typical = new TypicalDayAccumulator(zone);
    const expected = { weekday: new Map<number, number[]>(), weekend: new Map<number, number[]>() };
    for (let t = Date.parse('2024-03-25T00:00:00Z'); t < Date.parse('2024-03-31T23:00:00Z'); t += HALF_HOUR_MS) {
      const local = new Date(t).toLocaleString('en-GB', { timeZone: zone, hour12: false, weekday: 'short', hour: '2-digit', minute: '2-digit' });
      const [day, time] = local.split(' ');
      const [hh, mm] = time.split(':').map(Number);
      const weekend = day === 'Sat' || day === 'Sun';
      const kwh = hh + 1 + (weekend ? 100 : 0);
      typical.add(t, kwh);
      const slot = hh * 2 + mm / 30;
      const list = (weekend ? expected.weekend : expected.weekday).get(slot) ?? [];
      list.push(kwh * 2);
      (weekend ? expected.weekend : expected.weekday).set(slot, list);
    }
    const result = typical.result();
    assert.equal(result.weekday.length, 48);
    for (const kind of ['weekday', 'weekend'] as const) {
      for (let slot = 0; slot < 48; slot++) {
        const list = expected[kind].get(slot) ?? [];
        assert.equal(result[kind][slot].samples, list.length, `${kind} slot ${slot}`);
        assert.equal(result[kind][slot].demandKw, list.length === 0 ? null : list.reduce((a, b) => a + b, 0) / list.length);
      }
    }
    // 01:00 and 01:30 local do not happen on 31 March: the weekend slots have Saturday's sample only.
    assert.equal(result.weekend[2].samples, 1);
    assert.equal(result.weekend[2].time, '01:00');
    assert.equal(result.weekend[16].samples, 2);
    assert.equal(result.weekday[16].samples, 5);
    assert.equal(result.weekday[16].demandKw, 18);
  });
});
