/**
 * GET /api/cusum against the embedded simulator: every figure recomputed here from DCS's raw
 * half-hours (/api/readings): daily gas by summing period values per UTC day, degree days from the
 * mean of each day's half-hourly temperatures, the line by the closed form, the CUSUM by running
 * sums. Birch Hall's boiler is left on from a date in 2024 (the simulator's planted change): the
 * CUSUM over 2024 against a 2023 baseline turns there.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoFeatures } from 'dcs-simulator';
import type { CusumJson, CusumsJson, ReadingsJson } from '../../server/api/types';
import { getJson, SIMULATOR_NOW, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const DAY_MS = 86_400_000;
const features = demoFeatures(SIMULATOR_NOW);
const GAS = `R${features.boilerRegisterId}`;
const TEMPERATURE = `R${features.temperatureRegisterId}`;

/** Birch Hall's gas per UTC day through 2024 against the line of 2023. */
const DAILY_2024_AGAINST_2023 = new URLSearchParams({
  id: GAS,
  temperature: TEMPERATURE,
  baselineStart: '2023-01-01',
  baselineEnd: '2024-01-01',
  start: '2024-01-01',
  end: '2025-01-01',
  interval: 'day',
  timeZone: 'UTC',
});

let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

/** Sum (or mean) of a source's half-hourly numbers per UTC day over [start, end). */
async function perDay(id: string, start: string, end: string, how: 'sum' | 'mean'): Promise<Map<number, number>> {
  const format = how === 'sum' ? 'complete' : 'standard';
  const params = new URLSearchParams({ id, start, end, periodType: 'halfHour', format, output: 'json', timeZone: 'UTC' });
  const { status, body } = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
  assert.equal(status, 200, JSON.stringify(body).slice(0, 300));
  const sums = new Map<number, { sum: number; n: number }>();
  for (const r of body.sources[0].readings) {
    const day = Math.floor(Date.parse(r.timestamp) / DAY_MS) * DAY_MS;
    const value = Number('periodValue' in r ? r.periodValue : r.value);
    const entry = sums.get(day) ?? { sum: 0, n: 0 };
    entry.sum += value;
    entry.n++;
    sums.set(day, entry);
  }
  return new Map([...sums].map(([day, { sum, n }]) => [day, how === 'sum' ? sum : sum / n]));
}

function near(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

describe('GET /api/cusum', () => {
  it('fits the baseline by least squares and runs the CUSUM, every figure as computed from the raw half-hours', async () => {
    const gas = await perDay(GAS, '2023-01-01', '2025-01-01', 'sum');
    const temperature = await perDay(TEMPERATURE, '2023-01-01', '2025-01-01', 'mean');
    const { status, body } = await getJson<CusumJson>(`${server.url}/api/cusum?${DAILY_2024_AGAINST_2023}`);
    assert.equal(status, 200, JSON.stringify(body).slice(0, 300));

    const split = Date.parse('2024-01-01T00:00:00Z');
    const days = [...gas.keys()].sort((a, b) => a - b);
    const hdd = (day: number) => Math.max(0, 15.5 - (temperature.get(day) as number));
    const baseline = days.filter((d) => d < split);
    const n = baseline.length;
    const sx = baseline.reduce((a, d) => a + hdd(d), 0);
    const sy = baseline.reduce((a, d) => a + (gas.get(d) as number), 0);
    const sxy = baseline.reduce((a, d) => a + hdd(d) * (gas.get(d) as number), 0);
    const sxx = baseline.reduce((a, d) => a + hdd(d) ** 2, 0);
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    near(body.model.slope, slope, 'slope');
    near(body.model.intercept, intercept, 'intercept');
    assert.ok(body.model.r2 !== null && body.model.r2 > 0.8, `gas follows the weather: r² ${body.model.r2}`);
    assert.equal(body.intervals.length, 365 + 366);

    let running = 0;
    for (const row of body.intervals.filter((r) => r.period === 'report')) {
      const day = Date.parse(row.start);
      const expected = intercept + slope * hdd(day);
      running += (gas.get(day) as number) - expected;
      near(row.degreeDays, hdd(day), `degree days ${row.start}`);
      near(row.expected, expected, `expected ${row.start}`);
      near(row.cusum, running, `cusum ${row.start}`);
    }
  });

  it('reveals the boiler left on: the CUSUM is flat before its date and climbs by what the boiler burns after it', async () => {
    const { body } = await getJson<CusumJson>(`${server.url}/api/cusum?${DAILY_2024_AGAINST_2023}`);
    const report = body.intervals.filter((r) => r.period === 'report');
    const leftOn = Date.parse(features.boilerLeftOn);
    const boilerPerDay = 48 * features.boilerLeftOnKwhPerHalfHour;
    // The kink: the first day the gas runs above the line by more than half of what the boiler burns.
    const kink = report.find((row) => (row.difference as number) > boilerPerDay / 2);
    assert.equal(kink?.start, features.boilerLeftOn, 'the CUSUM turns on the day the boiler was left on');
    const slopeOf = (rows: typeof report) => (rows.at(-1)!.cusum - rows[0].cusum) / (rows.length - 1);
    const before = report.filter((row) => Date.parse(row.start) < leftOn);
    const afterwards = report.filter((row) => Date.parse(row.start) >= leftOn - DAY_MS);
    assert.ok(Math.abs(slopeOf(before)) < 0.05 * boilerPerDay, `before: the CUSUM moves ${slopeOf(before)} kWh a day`);
    assert.ok(
      Math.abs(slopeOf(afterwards) - boilerPerDay) < 0.05 * boilerPerDay,
      `after: it climbs ${slopeOf(afterwards)} kWh a day; the boiler burns ${boilerPerDay}`,
    );
  });

  it('POST answers several sources against one temperature with the GET figures of each, pulling the temperature once', async () => {
    const simulator = server.simulator;
    assert.ok(simulator, 'the embedded simulator counts DCS calls');
    const electricity = `R${features.electricityRegisterId}`;
    const params = Object.fromEntries(DAILY_2024_AGAINST_2023);
    const { id: _id, ...rest } = params;
    const singles: CusumJson[] = [];
    const singleCalls: number[] = [];
    for (const id of [GAS, electricity]) {
      const before = simulator.requestCount;
      const { body } = await getJson<CusumJson>(`${server.url}/api/cusum?${new URLSearchParams({ ...params, id })}`);
      singleCalls.push(simulator.requestCount - before);
      singles.push(body);
    }
    const before = simulator.requestCount;
    const res = await fetch(`${server.url}/api/cusum`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: [GAS, electricity], ...rest, baseTemperature: 15.5 }),
    });
    const body = (await res.json()) as CusumsJson;
    assert.equal(res.status, 200, JSON.stringify(body).slice(0, 300));
    assert.deepEqual(body.reports, singles);
    // Each GET pulls its source and the temperature; the POST the temperature once for both.
    const perPull = singleCalls[0] / 2;
    assert.equal(simulator.requestCount - before, 3 * perPull, `DCS calls: ${simulator.requestCount - before}, one pull is ${perPull}`);

    const refused = await fetch(`${server.url}/api/cusum`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: GAS, ...rest }),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as ApiErrorBody).error.parameter, 'ids');
  });

  it('refuses what cannot be answered with a 400 naming the parameter', async () => {
    const base = { id: GAS, temperature: TEMPERATURE, baselineStart: '2023-01-01', baselineEnd: '2024-01-01', start: '2024-01-01', end: '2024-02-01' };
    for (const [change, parameter] of [
      [{ interval: 'halfHour' }, 'interval'],
      [{ temperature: GAS }, 'temperature'],
      [{ baselineEnd: '2022-01-01' }, 'baselineEnd'],
      [{ baseTemperature: 'warm' }, 'baseTemperature'],
      [{ baseline: 'x' }, 'baseline'],
    ] as const) {
      const { status, body } = await getJson<ApiErrorBody>(`${server.url}/api/cusum?${new URLSearchParams({ ...base, ...change })}`);
      assert.equal(status, 400, JSON.stringify(change));
      assert.equal(body.error.parameter, parameter, body.error.message);
    }
  });
});
