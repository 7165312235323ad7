/**
 * GET /api/typical-day against the embedded simulator: the mean of DCS's half-hourly kWh × 2 per
 * local half-hour of day, weekdays and weekends apart, recomputed here with Intl over the October
 * clock change (01:00 and 01:30 happen twice on Sunday 27 October 2024 in Europe/London).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadingsJson } from '../../server/api/types';
import type { TypicalDay } from '../../server/analysis/typical-day';
import { getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const ZONE = 'Europe/London';
const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

describe('GET /api/typical-day', () => {
  it('is the mean demand per local half-hour of day, weekdays and weekends apart', async () => {
    const params = new URLSearchParams({
      id: 'R1001',
      start: '2024-10-20T23:00:00Z',
      end: '2024-11-04T00:00:00Z',
      periodType: 'halfHour',
      format: 'complete',
      output: 'json',
    });
    const raw = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
    const sums = { weekday: new Map<string, number[]>(), weekend: new Map<string, number[]>() };
    for (const r of raw.body.sources[0].readings) {
      const parts = Object.fromEntries(local.formatToParts(new Date(r.timestamp)).map((p) => [p.type, p.value]));
      const kind = parts.weekday === 'Sat' || parts.weekday === 'Sun' ? 'weekend' : 'weekday';
      const time = `${parts.hour}:${parts.minute}`;
      sums[kind].set(time, [...(sums[kind].get(time) ?? []), Number('periodValue' in r ? r.periodValue : NaN) * 2]);
    }
    const query = new URLSearchParams({ id: 'R1001', start: '2024-10-21', end: '2024-11-04', timeZone: ZONE });
    const { status, body } = await getJson<TypicalDay & { unit: string; missing: number }>(`${server.url}/api/typical-day?${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.unit, 'kW');
    for (const kind of ['weekday', 'weekend'] as const) {
      assert.equal(body[kind].length, 48);
      for (const slot of body[kind]) {
        const values = sums[kind].get(slot.time) as number[];
        assert.equal(slot.samples, values.length, `${kind} ${slot.time}`);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        assert.ok(Math.abs((slot.demandKw as number) - mean) < 1e-6 * mean, `${kind} ${slot.time}: ${slot.demandKw} ≠ ${mean}`);
      }
    }
    assert.equal(body.weekday.find((s) => s.time === '09:00')?.samples, 10);
    assert.equal(body.weekend.find((s) => s.time === '01:00')?.samples, 5, 'four weekend days, and 01:00 twice on the 27th');
  });

  it('refuses a source without demand', async () => {
    const { status, body } = await getJson<ApiErrorBody>(`${server.url}/api/typical-day?id=R1164&start=2024-10-21&end=2024-10-28`);
    assert.equal(status, 400);
    assert.equal(body.error.parameter, 'id');
  });
});
