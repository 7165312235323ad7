/**
 * calc=carbon on /api/intervals against the embedded simulator: each half-hour's kWh (DCS's period
 * values) × the published factor of its year, written out here, across New Year 2019/2020 when the
 * UK electricity factor changed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IntervalsJson, ReadingsJson } from '../../server/api/types';
import { getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const ELECTRICITY = { 2019: 0.2556, 2020: 0.23314 } as Record<number, number>;
let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

describe('calc=carbon', () => {
  it('is each half-hour’s kWh × the factor of its year, summed over a week across New Year', async () => {
    const readings = await getJson<ReadingsJson>(
      `${server.url}/api/readings?${new URLSearchParams({ id: 'R1001', start: '2019-12-30T00:00:00Z', end: '2020-01-06T00:00:00Z', periodType: 'halfHour', format: 'complete', output: 'json' })}`,
    );
    const expected = readings.body.sources[0].readings.reduce(
      (a, r) => a + Number('periodValue' in r ? r.periodValue : NaN) * ELECTRICITY[new Date(r.timestamp).getUTCFullYear()],
      0,
    );
    const params = new URLSearchParams({
      id: 'R1001',
      start: '2019-12-30',
      end: '2020-01-06',
      interval: 'week',
      calc: 'consumption,carbon',
      fuel: 'electricity',
      output: 'json',
    });
    const { status, body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}`);
    assert.equal(status, 200, JSON.stringify(body));
    const [week] = body.sources[0].intervals;
    assert.ok(Math.abs((week.carbon as number) - expected) < 1e-6 * expected, `${week.carbon} ≠ ${expected}`);
    // Neither year's factor alone gives it.
    for (const factor of Object.values(ELECTRICITY)) assert.ok(Math.abs((week.consumption as number) * factor - expected) > 1);
  });

  it('needs a known fuel', async () => {
    for (const [extra, parameter] of [
      [{ calc: 'carbon' }, 'fuel'],
      [{ calc: 'carbon', fuel: 'coal' }, 'fuel'],
      [{ calc: 'consumption', fuel: 'electricity' }, 'fuel'],
    ] as const) {
      const { status, body } = await getJson<ApiErrorBody>(
        `${server.url}/api/intervals?${new URLSearchParams({ id: 'R1001', start: '2024-01-01', end: '2024-01-02', ...extra })}`,
      );
      assert.equal(status, 400, JSON.stringify(extra));
      assert.equal(body.error.parameter, parameter, body.error.message);
    }
  });
});
