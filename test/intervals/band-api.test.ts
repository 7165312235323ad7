/**
 * `band=` on /api/intervals and /api/consumption, against the embedded simulator: the figures
 * are the half-hours whose local start is in the band, summed here from /api/readings (DCS's own
 * period values) over UTC instants written out by hand.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumptionJson, IntervalsJson, ReadingsJson } from '../../server/api/types';
import { getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

/** DCS's half-hourly period values of a register over [startIso, endIso) UTC, by timestamp. */
async function halfHours(id: string, startIso: string, endIso: string): Promise<Map<string, number>> {
  const params = new URLSearchParams({ id, start: startIso, end: endIso, periodType: 'halfHour', format: 'complete', output: 'json' });
  const { status, body } = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
  assert.equal(status, 200);
  return new Map(body.sources[0].readings.map((r) => [new Date(r.timestamp).toISOString(), Number('periodValue' in r ? r.periodValue : NaN)]));
}

function sumBetween(values: Map<string, number>, fromIso: string, toIso: string): number {
  let sum = 0;
  for (const [t, v] of values) if (t >= new Date(fromIso).toISOString() && t < new Date(toIso).toISOString()) sum += v;
  return sum;
}

describe('band= on the consumption routes', () => {
  it('the October clock-change Sunday: the night band holds 16 half-hours, the day band 34', async () => {
    // 2024-10-27 in Europe/London runs from 2024-10-26T23:00Z to 2024-10-28T00:00Z; night (00:00-07:00 local) is 23:00Z-07:00Z.
    const values = await halfHours('R1001', '2024-10-26T23:00:00Z', '2024-10-28T00:00:00Z');
    for (const [band, periods, from, to] of [
      ['Mon-Sun 00:00-07:00', 16, '2024-10-26T23:00:00Z', '2024-10-27T07:00:00Z'],
      ['Mon-Sun 07:00-24:00', 34, '2024-10-27T07:00:00Z', '2024-10-28T00:00:00Z'],
    ] as const) {
      const params = new URLSearchParams({ id: 'R1001', start: '2024-10-27', end: '2024-10-28', interval: 'day', timeZone: 'Europe/London', band });
      const { status, body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}&output=json`);
      assert.equal(status, 200, JSON.stringify(body));
      const [interval] = body.sources[0].intervals;
      assert.equal(body.sources[0].band, band);
      assert.equal(interval.periods, periods);
      assert.equal(interval.missing, 0);
      assert.ok(Math.abs((interval.consumption as number) - sumBetween(values, from, to)) < 1e-6);

      const query = new URLSearchParams({ id: 'R1001', start: '2024-10-27T00:00', end: '2024-10-28T00:00', timeZone: 'Europe/London', band });
      const consumption = await getJson<ConsumptionJson>(`${server.url}/api/consumption?${query}`);
      assert.equal(consumption.status, 200, JSON.stringify(consumption.body));
      assert.equal(consumption.body.results[0].periods, periods);
      assert.equal(consumption.body.results[0].band, band);
      assert.equal(consumption.body.results[0].consumption, interval.consumption);
    }
  });

  it('the March clock-change Sunday holds 12 night half-hours; holidays drop out of a weekday band', async () => {
    const params = new URLSearchParams({
      id: 'R1001',
      start: '2024-03-31',
      end: '2024-04-01',
      interval: 'day',
      timeZone: 'Europe/London',
      band: 'Mon-Sun 00:00-07:00',
    });
    const spring = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}&output=json`);
    assert.equal(spring.body.sources[0].intervals[0].periods, 12);

    const week = new URLSearchParams({
      id: 'R1001',
      start: '2024-12-23',
      end: '2024-12-30',
      interval: 'week',
      timeZone: 'Europe/London',
      band: 'Mon-Fri 00:00-24:00; holidays 2024-12-25 2024-12-26',
    });
    const { body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${week}&output=json`);
    const values = await halfHours('R1001', '2024-12-23T00:00:00Z', '2024-12-30T00:00:00Z');
    const expected = sumBetween(values, '2024-12-23', '2024-12-25') + sumBetween(values, '2024-12-27', '2024-12-28');
    assert.equal(body.sources[0].intervals[0].periods, 3 * 48);
    assert.ok(Math.abs((body.sources[0].intervals[0].consumption as number) - expected) < 1e-6);
  });

  it('a band that cannot be read is a 400 naming band', async () => {
    const params = new URLSearchParams({ id: 'R1001', start: '2024-10-27', end: '2024-10-28', band: 'Mon-Fri 19:00-16:00' });
    for (const route of ['intervals', 'consumption']) {
      const { status, body } = await getJson<ApiErrorBody>(`${server.url}/api/${route}?${params}`);
      assert.equal(status, 400);
      assert.equal(body.error.parameter, 'band');
      assert.match(body.error.message, /split a range over midnight/);
    }
  });
});
