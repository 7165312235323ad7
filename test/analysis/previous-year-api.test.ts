/**
 * compare=previousYear on /api/intervals, against the embedded simulator: previous figures summed
 * here from DCS's raw half-hours of the matching day (same weekday, 52 weeks earlier) or month
 * (same calendar month), across the 2024 leap day.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IntervalsJson, ReadingsJson } from '../../server/api/types';
import { getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const DAY_MS = 86_400_000;
let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

/** DCS's period values of R1001 summed over [startIso, endIso) UTC. */
async function consumption(startIso: string, endIso: string): Promise<number> {
  const params = new URLSearchParams({ id: 'R1001', start: startIso, end: endIso, periodType: 'halfHour', format: 'complete', output: 'json' });
  const { body } = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
  return body.sources[0].readings.reduce((a, r) => a + Number('periodValue' in r ? r.periodValue : NaN), 0);
}

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

describe('compare=previousYear', () => {
  it('daily: each day against the same weekday 52 weeks earlier, 29 February 2024 included', async () => {
    const params = new URLSearchParams({ id: 'R1001', start: '2024-02-27', end: '2024-03-02', interval: 'day', compare: 'previousYear', output: 'json' });
    const { status, body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}`);
    assert.equal(status, 200, JSON.stringify(body));
    for (const interval of body.sources[0].intervals) {
      const start = Date.parse(interval.start);
      const earlier = start - 364 * DAY_MS;
      assert.equal(new Date(earlier).getUTCDay(), new Date(start).getUTCDay());
      const previous = await consumption(new Date(earlier).toISOString(), new Date(earlier + DAY_MS).toISOString());
      close(interval.previous, previous, `previous of ${interval.start}`);
      close(interval.change, (interval.consumption as number) - previous, 'change');
      close(interval.changePercent, (((interval.consumption as number) - previous) / previous) * 100, 'changePercent');
    }
  });

  it('monthly: each month against the same calendar month a year earlier (February 2024 has 29 days, 2023 had 28)', async () => {
    const params = new URLSearchParams({ id: 'R1001', start: '2024-01-01', end: '2024-04-01', interval: 'month', compare: 'previousYear', output: 'json' });
    const { body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${params}`);
    const months = body.sources[0].intervals;
    assert.equal(months.length, 3);
    close(months[1].previous, await consumption('2023-02-01T00:00:00Z', '2023-03-01T00:00:00Z'), 'February 2023');
    close(months[2].previous, await consumption('2023-03-01T00:00:00Z', '2023-04-01T00:00:00Z'), 'March 2023');
  });

  it('refuses csv, an unknown comparison and a half-hourly span starting on 29 February', async () => {
    for (const [extra, parameter] of [
      [{ compare: 'previousYear', output: 'csv' }, 'compare'],
      [{ compare: 'lastYear' }, 'compare'],
      [{ compare: 'previousYear', interval: 'halfHour', start: '2024-02-29', end: '2024-03-01' }, 'compare'],
    ] as const) {
      const { status, body } = await getJson<ApiErrorBody>(
        `${server.url}/api/intervals?${new URLSearchParams({ id: 'R1001', start: '2024-02-27', end: '2024-03-02', ...extra })}`,
      );
      assert.equal(status, 400, JSON.stringify(extra));
      assert.equal(body.error.parameter, parameter, body.error.message);
    }
  });
});
