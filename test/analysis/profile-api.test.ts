/**
 * baseload, outOfHours and degree days as /api/intervals calculations, against the embedded
 * simulator: each recomputed here from DCS's raw half-hours (/api/readings), placed in local days
 * by Intl (not by the server's calendar), over the October clock change in Europe/London.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FEATURES } from 'dcs-simulator';
import type { IntervalsJson, ReadingsJson } from '../../server/api/types';
import { getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const ZONE = 'Europe/London';
const TEMPERATURE = `R${DEMO_FEATURES.temperatureRegisterId}`;
const local = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

interface HalfHour {
  date: string;
  weekday: string;
  minutes: number;
  value: number;
}

async function halfHours(id: string, startIso: string, endIso: string): Promise<HalfHour[]> {
  const params = new URLSearchParams({
    id,
    start: startIso,
    end: endIso,
    periodType: 'halfHour',
    format: id === TEMPERATURE ? 'standard' : 'complete',
    output: 'json',
  });
  const { status, body } = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
  assert.equal(status, 200);
  return body.sources[0].readings.map((r) => {
    const parts = Object.fromEntries(local.formatToParts(new Date(r.timestamp)).map((p) => [p.type, p.value]));
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      weekday: parts.weekday,
      minutes: Number(parts.hour) * 60 + Number(parts.minute),
      value: Number('periodValue' in r ? r.periodValue : r.value),
    };
  });
}

function byDate(values: HalfHour[]): Map<string, HalfHour[]> {
  const days = new Map<string, HalfHour[]>();
  for (const h of values) days.set(h.date, [...(days.get(h.date) ?? []), h]);
  return days;
}

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

describe('monitoring calculations on /api/intervals', () => {
  it('baseload (kW, nearest-rank 10th percentile) and out-of-hours kWh per local day, over the October clock change', async () => {
    // Monday 21 to Monday 28 October 2024 local; Sunday 27th has 50 half-hours.
    const raw = byDate(await halfHours('R1001', '2024-10-20T23:00:00Z', '2024-10-28T00:00:00Z'));
    const params = new URLSearchParams({
      id: 'R1001',
      start: '2024-10-21',
      end: '2024-10-28',
      interval: 'day',
      timeZone: ZONE,
      calc: 'consumption,baseload,outOfHours',
      occupied: 'Mon-Fri 08:00-18:00',
    });
    const { status, body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}&output=json`);
    assert.equal(status, 200, JSON.stringify(body));
    const intervals = body.sources[0].intervals;
    assert.equal(intervals.length, 7);
    for (const interval of intervals) {
      const day = raw.get(interval.start.slice(0, 10)) as HalfHour[];
      const demands = day.map((h) => h.value * 2).sort((a, b) => a - b);
      assert.equal(interval.periods, day.length);
      close(interval.baseload, demands[Math.ceil(0.1 * demands.length) - 1], `baseload ${interval.start}`);
      const occupied = (h: HalfHour) => !['Sat', 'Sun'].includes(h.weekday) && h.minutes >= 480 && h.minutes < 1080;
      close(
        interval.outOfHours,
        day.filter((h) => !occupied(h)).reduce((a, h) => a + h.value, 0),
        `out of hours ${interval.start}`,
      );
    }
    assert.equal(intervals[6].periods, 50);
    assert.equal(intervals[6].outOfHours, intervals[6].consumption, 'a Sunday is out of hours all day');
  });

  it('heating and cooling degree days of the outside air temperature: each local day’s mean, summed per week', async () => {
    const raw = byDate(await halfHours(TEMPERATURE, '2024-09-29T23:00:00Z', '2024-10-28T00:00:00Z'));
    const params = new URLSearchParams({
      id: TEMPERATURE,
      start: '2024-09-30',
      end: '2024-10-28',
      interval: 'week',
      timeZone: ZONE,
      calc: 'mean,heatingDegreeDays,coolingDegreeDays',
      baseTemperature: '12',
    });
    const { status, body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}&output=json`);
    assert.equal(status, 200, JSON.stringify(body));
    const weeks = body.sources[0].intervals;
    assert.equal(weeks.length, 4);
    const dates = [...raw.keys()].sort();
    weeks.forEach((week, w) => {
      const means = dates.slice(w * 7, w * 7 + 7).map((d) => {
        const day = raw.get(d) as HalfHour[];
        return day.reduce((a, h) => a + h.value, 0) / day.length;
      });
      close(
        week.heatingDegreeDays,
        means.reduce((a, m) => a + Math.max(0, 12 - m), 0),
        `HDD week ${w}`,
      );
      close(
        week.coolingDegreeDays,
        means.reduce((a, m) => a + Math.max(0, m - 12), 0),
        `CDD week ${w}`,
      );
    });
  });

  it('refuses what the calculations cannot use, naming the parameter', async () => {
    const base = { id: 'R1001', start: '2024-10-21', end: '2024-10-28' };
    for (const [extra, parameter] of [
      [{ calc: 'outOfHours' }, 'occupied'],
      [{ calc: 'consumption', occupied: 'Mon-Fri 08:00-18:00' }, 'occupied'],
      [{ calc: 'outOfHours', occupied: 'weekdays' }, 'occupied'],
      [{ calc: 'heatingDegreeDays', interval: 'hour' }, 'interval'],
      [{ calc: 'heatingDegreeDays', baseTemperature: 'warm' }, 'baseTemperature'],
      [{ calc: 'consumption', baseTemperature: '15' }, 'baseTemperature'],
    ] as const) {
      const { status, body } = await getJson<ApiErrorBody>(`${server.url}/api/intervals?${new URLSearchParams({ ...base, ...extra })}`);
      assert.equal(status, 400, JSON.stringify(extra));
      assert.equal(body.error.parameter, parameter, body.error.message);
    }
  });
});
