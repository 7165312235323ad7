/**
 * GET /api/consumption against the embedded simulator. Every expected figure is worked out
 * independently of the code under test: from the half-hourly rows /api/readings returns in the
 * complete format (DCS's own period values), summed here, with the span's UTC instants written
 * out by hand.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumptionJson, ConsumptionResult, ReadingsJson } from '../../server/api/types';
import { DEMO_FEATURES, demoEstate, demoFeatures } from 'dcs-simulator';
import { SIMULATOR_NOW, getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const F = demoFeatures(SIMULATOR_NOW); // features sit in 2024
const HALF_HOUR_MS = 1_800_000;

let server: TestServer;

before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});

after(async () => {
  await server.close();
});

async function consumption(query: Record<string, string | string[]>): Promise<{ status: number; body: ConsumptionJson & ApiErrorBody }> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const v of [value].flat()) params.append(name, v);
  return getJson(`${server.url}/api/consumption?${params}`);
}

/** A plain-date end is the last day included (lastDay); a date-time end is the first instant not included. */
async function one(id: string, start: string, end: string, timeZone?: string): Promise<ConsumptionResult> {
  const span: Record<string, string> = /^\d{4}-\d{2}-\d{2}$/.test(end) ? { id, start, lastDay: end } : { id, start, end };
  const { status, body } = await consumption(timeZone === undefined ? span : { ...span, timeZone });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.results.length, 1);
  return body.results[0];
}

/** What the figure should be, from the readings over [startIso, endIso) UTC, summed here. */
interface Expected {
  consumption: number;
  periods: number;
  interpolated: number;
  resets: number;
  missing: number;
  rows: Array<{ timestamp: string; total: number | string; period: number | string; status: number }>;
}

async function expectedFromReadings(id: string, startIso: string, endIso: string): Promise<Expected> {
  const isVirtual = id.startsWith('VM');
  const params = new URLSearchParams({ id, start: startIso, end: endIso, periodType: 'halfHour', output: 'json' });
  if (!isVirtual) params.set('format', 'complete');
  const { status, body } = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
  assert.equal(status, 200, JSON.stringify(body));
  const rows = body.sources[0].readings.map((r) =>
    'periodValue' in r
      ? { timestamp: r.timestamp, total: r.totalValue, period: r.periodValue, status: r.status }
      : { timestamp: r.timestamp, total: '', period: r.value, status: r.status },
  );
  const periods = (Date.parse(endIso) - Date.parse(startIso)) / HALF_HOUR_MS;
  let sum = 0;
  let usable = 0;
  for (const row of rows) {
    if (typeof row.period === 'number') {
      sum += row.period;
      usable++;
    }
  }
  return {
    consumption: sum,
    periods,
    interpolated: rows.filter((r) => r.status & 1).length,
    resets: rows.filter((r) => r.status & 2).length,
    missing: periods - usable,
    rows,
  };
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} should be ${expected}`);
}

function assertMatches(result: ConsumptionResult, expected: Expected): void {
  assertClose(result.consumption, expected.consumption, 'consumption');
  assert.deepEqual(
    { periods: result.periods, interpolated: result.interpolated, resets: result.resets, missing: result.missing },
    { periods: expected.periods, interpolated: expected.interpolated, resets: expected.resets, missing: expected.missing },
  );
}

const LIB = `R${DEMO_FEATURES.electricityRegisterId}`;

describe('a cumulative register', () => {
  it('sums DCS period values over a calendar month in Europe/London, end date inclusive', async () => {
    const result = await one(LIB, '2024-04-01', '2024-04-30', 'Europe/London');
    // 1 April 00:00 BST is 31 March 23:00 UTC; the end of 30 April BST is 30 April 23:00 UTC.
    assert.equal(result.start, '2024-03-31T23:00:00.000Z');
    assert.equal(result.end, '2024-04-30T23:00:00.000Z');
    const expected = await expectedFromReadings(LIB, '2024-03-31T23:00:00Z', '2024-04-30T23:00:00Z');
    assertMatches(result, expected);
    assert.equal(result.periods, 30 * 48);
    assert.equal(result.missing, 0);
    assert.ok(result.consumption > 0);
    assert.equal(result.unit, 'kWh');
    assert.match(result.name, /Main Library/);
    assert.equal(result.method, 'periodValues');
  });

  it('is right across a register reset (meter exchange), where a difference of totals is not', async () => {
    const id = `R${DEMO_FEATURES.resetRegisterId}`;
    const resetMs = Date.parse(F.resetTime);
    const startIso = new Date(resetMs - 3 * 86_400_000).toISOString();
    const endIso = new Date(resetMs + 3 * 86_400_000).toISOString();
    const result = await one(id, startIso, endIso, 'UTC');
    const expected = await expectedFromReadings(id, startIso, endIso);
    assertMatches(result, expected);
    assert.equal(result.resets, 1);
    // The naive "last total minus first total" goes wrong at the exchange; our figure does not.
    const first = expected.rows[0].total as number;
    const last = expected.rows[expected.rows.length - 1].total as number;
    assert.ok(last - first < result.consumption * 0.5, `naive difference ${last - first} vs ${result.consumption}`);
    assert.ok(result.consumption > 0);
  });

  it('counts estimated half-hours where readings were missing (gap register)', async () => {
    const id = `R${DEMO_FEATURES.gapRegisterId}`;
    const result = await one(id, F.gapSpell.start.slice(0, 10), F.gapSpell.end.slice(0, 10), 'UTC');
    const gapHalfHours = (Date.parse(F.gapSpell.end) - Date.parse(F.gapSpell.start)) / HALF_HOUR_MS;
    assert.equal(result.interpolated, gapHalfHours);
    assert.equal(result.missing, 0);
    assertMatches(result, await expectedFromReadings(id, result.start, result.end));
  });

  it('counts NaN half-hours as missing and leaves them out of the figure', async () => {
    const id = `R${DEMO_FEATURES.nanRegisterId}`;
    const result = await one(id, F.nanSpell.start.slice(0, 10), F.nanSpell.end.slice(0, 10), 'UTC');
    const expected = await expectedFromReadings(id, result.start, result.end);
    assertMatches(result, expected);
    const nanHalfHours = (Date.parse(F.nanSpell.end) - Date.parse(F.nanSpell.start)) / HALF_HOUR_MS;
    // Every half-hour whose closing or opening total is NaN has no period value.
    assert.ok(result.missing >= nanHalfHours, `${result.missing} missing, spell of ${nanHalfHours}`);
    assert.ok(Number.isFinite(result.consumption) && result.consumption > 0);
  });

  it('counts half-hours after the newest reading as missing (a period running into the future)', async () => {
    // The simulator's newest reading is the half-hour before 2025-06-01T00:00Z.
    const result = await one(LIB, '2025-05-31', '2025-06-01', 'UTC');
    assert.equal(result.periods, 96);
    assert.ok(result.missing >= 48, `all of 1 June is missing, got ${result.missing}`);
    assertMatches(result, await expectedFromReadings(LIB, '2025-05-31T00:00:00Z', '2025-06-02T00:00:00Z'));
  });
});

describe('virtual meters', () => {
  it('sums per-period values, and a net meter equals import minus export', async () => {
    const net = `VM${DEMO_FEATURES.netVirtualMeterId}`;
    const result = await one(net, '2024-06-03', '2024-06-03', 'UTC');
    assert.equal(result.method, 'values');
    assertMatches(result, await expectedFromReadings(net, '2024-06-03T00:00:00Z', '2024-06-04T00:00:00Z'));

    const vm = demoEstate().virtualMeters.find((v) => v.id === DEMO_FEATURES.netVirtualMeterId)!;
    const [imp, exp] = ['R1', 'R2'].map((alias) => `R${vm.registerAliases.find((a) => a.alias === alias)!.registerId}`);
    const [importKwh, exportKwh] = await Promise.all([imp, exp].map(async (id) => (await one(id, '2024-06-03', '2024-06-03', 'UTC')).consumption));
    // The virtual meter rounds each half-hour to 2 decimal places: 48 roundings of at most 0.005.
    assert.ok(Math.abs(result.consumption - (importKwh - exportKwh)) <= 48 * 0.005 + 1e-9, `${result.consumption} vs ${importKwh} - ${exportKwh}`);
  });

  it('sums the campus import meter over a month', async () => {
    const id = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
    const result = await one(id, '2024-02-01', '2024-02-29', 'UTC');
    assert.equal(result.periods, 29 * 48);
    assertMatches(result, await expectedFromReadings(id, '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'));
  });
});

describe('instantaneous sources', () => {
  for (const [what, id] of [
    ['register', `R${DEMO_FEATURES.instantaneousRegisterId}`],
    ['virtual meter', `VM${DEMO_FEATURES.instantaneousVirtualMeterId}`],
  ] as const) {
    it(`refuses an instantaneous ${what} with 400 saying consumption is not defined for it`, async () => {
      const { status, body } = await consumption({ id, start: '2024-04-01', lastDay: '2024-04-30' });
      assert.equal(status, 400);
      assert.equal(body.error.parameter, 'id');
      assert.match(body.error.message, new RegExp(`${id} .*instantaneous.*consumption is not defined`));
    });
  }
});

describe('period boundaries', () => {
  it('takes a plain-date end as the end of that day: start = end = one whole day', async () => {
    const result = await one(LIB, '2024-04-10', '2024-04-10', 'UTC');
    assert.equal(result.start, '2024-04-10T00:00:00.000Z');
    assert.equal(result.end, '2024-04-11T00:00:00.000Z');
    assertMatches(result, await expectedFromReadings(LIB, '2024-04-10T00:00:00Z', '2024-04-11T00:00:00Z'));
    assert.equal(result.periods, 48);
  });

  it('takes a date-time end as exclusive', async () => {
    const result = await one(LIB, '2024-04-10T00:00', '2024-04-10T12:00', 'UTC');
    assert.equal(result.end, '2024-04-10T12:00:00.000Z');
    assert.equal(result.periods, 24);
    const day = await expectedFromReadings(LIB, '2024-04-10T00:00:00Z', '2024-04-11T00:00:00Z');
    const firstHalf = day.rows.slice(0, 24).reduce((sum, r) => sum + (r.period as number), 0);
    assertClose(result.consumption, firstHalf, 'first 24 half-hours');
  });

  it('refuses an empty period (start = end as date-times) and a reversed one with 400 on end', async () => {
    const empty = await consumption({ id: LIB, start: '2024-04-10T06:00', end: '2024-04-10T06:00' });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.parameter, 'end');
    assert.match(empty.body.error.message, /empty.*lastDay=YYYY-MM-DD/);
    const reversed = await consumption({ id: LIB, start: '2024-04-30', lastDay: '2024-04-01' });
    assert.equal(reversed.status, 400);
    assert.equal(reversed.body.error.parameter, 'lastDay');
    assert.match(reversed.body.error.message, /ends before start/);
  });

  it('covers a leap February and a whole year, and twelve months add up to their year', async () => {
    const february = await one(LIB, '2024-02-01', '2024-02-29', 'UTC');
    assert.equal(february.periods, 29 * 48);
    const year = await one(LIB, '2024-01-01', '2024-12-31', 'UTC');
    assert.equal(year.periods, 366 * 48);
    assertMatches(year, await expectedFromReadings(LIB, '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'));
    let months = 0;
    for (let m = 1; m <= 12; m++) {
      const last = new Date(Date.UTC(2024, m, 0)).getUTCDate();
      const mm = String(m).padStart(2, '0');
      months += (await one(LIB, `2024-${mm}-01`, `2024-${mm}-${last}`, 'UTC')).consumption;
    }
    assertClose(months, year.consumption, 'sum of months');
  });

  it('refuses bounds that are not dates, not on a half-hour, or in an unknown zone, naming the parameter', async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ id: LIB, start: '2024-02-30', end: '2024-03-01' }, 'start', /2024-02/],
      [{ id: LIB, start: '2024-04-10T00:15', end: '2024-04-11' }, 'start', /half-hour/],
      [{ id: LIB, start: '01/04/2024', end: '2024-04-30' }, 'start', /not a date/],
      [{ id: LIB, start: '2024-04-01' }, 'end', /missing/],
      [{ id: LIB, start: '2024-04-01', end: '2024-04-30', timeZone: 'Mars/Base' }, 'timeZone', /not a time zone/],
      [{ id: 'Library', start: '2024-04-01', end: '2024-04-30' }, 'id', /not a source id/],
    ];
    for (const [query, parameter, message] of cases) {
      const { status, body } = await consumption(query);
      assert.equal(status, 400, JSON.stringify(query));
      assert.equal(body.error.parameter, parameter, JSON.stringify(query));
      assert.match(body.error.message, message);
    }
  });

  it('answers 404 for an id DCS does not have', async () => {
    const { status, body } = await consumption({ id: 'R999999', start: '2024-04-01', end: '2024-04-30' });
    assert.equal(status, 404);
    assert.match(body.error.message, /no source R999999/);
  });
});

describe('clock changes in Europe/London', () => {
  it('counts 46 half-hours on the spring-forward day and 50 on the fall-back day', async () => {
    const spring = await one(LIB, '2024-03-31', '2024-03-31', 'Europe/London');
    assert.equal(spring.start, '2024-03-31T00:00:00.000Z');
    assert.equal(spring.end, '2024-03-31T23:00:00.000Z');
    assert.equal(spring.periods, 46);
    assertMatches(spring, await expectedFromReadings(LIB, '2024-03-31T00:00:00Z', '2024-03-31T23:00:00Z'));

    const autumn = await one(LIB, '2024-10-27', '2024-10-27', 'Europe/London');
    assert.equal(autumn.start, '2024-10-26T23:00:00.000Z');
    assert.equal(autumn.end, '2024-10-28T00:00:00.000Z');
    assert.equal(autumn.periods, 50);
    assertMatches(autumn, await expectedFromReadings(LIB, '2024-10-26T23:00:00Z', '2024-10-28T00:00:00Z'));
  });
});

describe('several sources in one request', () => {
  it('answers in the order asked, ids repeated or comma-separated, duplicates once', async () => {
    const gas = `R${DEMO_FEATURES.calibratedRegisterId}`;
    const vm = `VM${DEMO_FEATURES.netVirtualMeterId}`;
    const { status, body } = await consumption({ id: [`${gas}, ${LIB.toLowerCase()}`, vm, gas], start: '2024-04-10', lastDay: '2024-04-10', timeZone: 'UTC' });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(
      body.results.map((r) => r.id),
      [gas, LIB, vm],
    );
    assert.equal(body.results[1].consumption, (await one(LIB, '2024-04-10', '2024-04-10', 'UTC')).consumption);
  });

  it('fails whole, with no partial results, when one source is refused', async () => {
    const { status, body } = await consumption({ id: `${LIB},R${DEMO_FEATURES.instantaneousRegisterId}`, start: '2024-04-10', lastDay: '2024-04-10' });
    assert.equal(status, 400);
    assert.equal((body as Partial<ConsumptionJson>).results, undefined);
  });
});
