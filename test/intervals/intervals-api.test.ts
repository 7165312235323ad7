/**
 * GET /api/intervals against the embedded simulator. Every expected figure is worked out here,
 * independently of the code under test: from the half-hourly rows /api/readings returns (DCS's own
 * period values for registers, values for virtual meters), grouped by interval boundaries written
 * out by hand as UTC instants.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumptionJson, IntervalJson, IntervalsJson, IntervalsWideJson, NdjsonRecord, ReadingsJson } from '../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import { getJson, rawGet, SIMULATOR_NOW, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const F = DEMO_FEATURES;
const ELEC = `R${F.electricityRegisterId}`;
const RESET = `R${F.resetRegisterId}`;
const GAP = `R${F.gapRegisterId}`;
const NAN = `R${F.nanRegisterId}`;
const POWER = `R${F.instantaneousRegisterId}`;
const NET_VM = `VM${F.netVirtualMeterId}`;
const CAMPUS_VM = `VM${F.cumulativeVirtualMeterId}`;

let server: TestServer;

before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});

after(async () => {
  await server.close();
});

async function intervals<T = IntervalsJson>(query: Record<string, string>): Promise<{ status: number; body: T & ApiErrorBody }> {
  return getJson(`${server.url}/api/intervals?${new URLSearchParams(query)}`);
}

async function ok(query: Record<string, string>): Promise<IntervalJson[]> {
  const { status, body } = await intervals(query);
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.sources.length, 1);
  return body.sources[0].intervals;
}

interface Row {
  ms: number;
  q: number;
  status: number;
}

/** The half-hours of [startIso, endIso) as /api/readings gives them: period values, or values. */
async function halfHours(id: string, startIso: string, endIso: string, extra: Record<string, string> = {}): Promise<Row[]> {
  const params = new URLSearchParams({ id, start: startIso, end: endIso, output: 'json', ...extra });
  if (id.startsWith('R')) params.set('format', 'complete');
  const { status, body } = await getJson<ReadingsJson>(`${server.url}/api/readings?${params}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.sources[0].readings.map((r) => ({
    ms: Date.parse(r.timestamp),
    q: Number('periodValue' in r ? r.periodValue : r.value),
    status: r.status,
  }));
}

interface Expected {
  consumption: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  maxAtMs: number | null;
  periods: number;
  interpolated: number;
  resets: number;
  missing: number;
  invalid: number;
}

/** Figures per interval between consecutive UTC boundaries, summed here from the rows. */
function expected(rows: Row[], boundaries: string[]): Expected[] {
  const result: Expected[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const [start, end] = [Date.parse(boundaries[i]), Date.parse(boundaries[i + 1])];
    const inside = rows.filter((r) => r.ms >= start && r.ms < end);
    const usable = inside.filter((r) => Number.isFinite(r.q));
    const max = usable.length ? Math.max(...usable.map((r) => r.q)) : null;
    const sum = usable.reduce((s, r) => s + r.q, 0);
    result.push({
      consumption: usable.length ? Number(sum.toPrecision(12)) : null,
      mean: usable.length ? Number((sum / usable.length).toPrecision(12)) : null,
      min: usable.length ? Math.min(...usable.map((r) => r.q)) : null,
      max,
      maxAtMs: max === null ? null : (usable.find((r) => r.q === max) as Row).ms,
      periods: (end - start) / 1_800_000,
      interpolated: inside.filter((r) => r.status & 1).length,
      resets: inside.filter((r) => r.status & 2).length,
      missing: (end - start) / 1_800_000 - inside.length,
      invalid: inside.length - usable.length,
    });
  }
  return result;
}

function assertQuality(actual: IntervalJson[], wanted: Expected[]): void {
  assert.deepEqual(
    actual.map((i) => [i.periods, i.interpolated, i.resets, i.missing, i.invalid]),
    wanted.map((e) => [e.periods, e.interpolated, e.resets, e.missing, e.invalid]),
  );
}

describe('daily consumption in Europe/London', () => {
  it('has 46 half-hours on the spring-forward day and sums exactly the half-hours of each local day', async () => {
    const got = await ok({ id: ELEC, start: '2024-03-30', end: '2024-04-01', interval: 'day', timeZone: 'Europe/London' });
    const bounds = ['2024-03-30T00:00:00Z', '2024-03-31T00:00:00Z', '2024-03-31T23:00:00Z'];
    const want = expected(await halfHours(ELEC, bounds[0], bounds[2]), bounds);
    assert.deepEqual(
      got.map((i) => [i.start, i.end]),
      [
        ['2024-03-30T00:00:00+00:00', '2024-03-31T00:00:00+00:00'],
        ['2024-03-31T00:00:00+00:00', '2024-04-01T00:00:00+01:00'],
      ],
    );
    assert.deepEqual(
      got.map((i) => i.periods),
      [48, 46],
    );
    assert.deepEqual(
      got.map((i) => i.consumption),
      want.map((e) => e.consumption),
    );
    assertQuality(got, want);
  });

  it('has 50 half-hours on the fall-back day', async () => {
    const got = await ok({ id: ELEC, start: '2024-10-26', end: '2024-10-28', interval: 'day', timeZone: 'Europe/London' });
    const bounds = ['2024-10-25T23:00:00Z', '2024-10-26T23:00:00Z', '2024-10-28T00:00:00Z'];
    const want = expected(await halfHours(ELEC, bounds[0], bounds[2]), bounds);
    assert.deepEqual(
      got.map((i) => i.periods),
      [48, 50],
    );
    assert.equal(got[1].start, '2024-10-27T00:00:00+01:00');
    assert.equal(got[1].end, '2024-10-28T00:00:00+00:00');
    assert.deepEqual(
      got.map((i) => i.consumption),
      want.map((e) => e.consumption),
    );
  });

  it('gives local hours on the fall-back day, the repeated 01:00 hour twice with its own offset', async () => {
    const got = await ok({ id: ELEC, start: '2024-10-27', end: '2024-10-28', interval: 'hour', timeZone: 'Europe/London' });
    assert.equal(got.length, 25);
    assert.deepEqual(
      got.slice(1, 3).map((i) => i.start),
      ['2024-10-27T01:00:00+01:00', '2024-10-27T01:00:00+00:00'],
    );
    assert.ok(got.every((i) => i.periods === 2));
  });
});

describe('weeks and months', () => {
  it('starts weeks on Monday 00:00 local, across a year boundary', async () => {
    const got = await ok({ id: ELEC, start: '2024-12-23', end: '2025-01-06', interval: 'week', timeZone: 'Europe/London' });
    const bounds = ['2024-12-23T00:00:00Z', '2024-12-30T00:00:00Z', '2025-01-06T00:00:00Z'];
    const want = expected(await halfHours(ELEC, bounds[0], bounds[2]), bounds);
    assert.deepEqual(
      got.map((i) => i.start),
      ['2024-12-23T00:00:00+00:00', '2024-12-30T00:00:00+00:00'],
    );
    assert.deepEqual(
      got.map((i) => i.periods),
      [336, 336],
    );
    assert.deepEqual(
      got.map((i) => i.consumption),
      want.map((e) => e.consumption),
    );
  });

  it('is right for a month across a register reset, where a difference of totals is not', async () => {
    const got = await ok({ id: RESET, start: '2023-12-01', end: '2024-02-01', interval: 'month', timeZone: 'Europe/London' });
    const bounds = ['2023-12-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'];
    const want = expected(await halfHours(RESET, bounds[0], bounds[2]), bounds);
    assert.deepEqual(
      got.map((i) => i.resets),
      [0, 1],
      'the meter exchange at 1 January is in January',
    );
    assert.deepEqual(
      got.map((i) => i.consumption),
      want.map((e) => e.consumption),
    );
    assert.ok((got[1].consumption as number) > 0);
  });

  it('gives quarters and years from the 1st at 00:00 local', async () => {
    const quarters = await ok({ id: ELEC, start: '2024-01-01', end: '2025-01-01', interval: 'quarter', timeZone: 'Europe/London' });
    assert.deepEqual(
      quarters.map((i) => i.start),
      ['2024-01-01T00:00:00+00:00', '2024-04-01T00:00:00+01:00', '2024-07-01T00:00:00+01:00', '2024-10-01T00:00:00+01:00'],
    );
    const [year] = await ok({ id: ELEC, start: '2024-01-01', end: '2025-01-01', interval: 'year', timeZone: 'Europe/London' });
    const total = quarters.reduce((s, q) => s + (q.consumption as number), 0);
    assert.equal(year.consumption, Number(total.toPrecision(12)));
    assert.equal(year.periods, 366 * 48);
  });
});

describe('what each kind of source gives', () => {
  it('sums a virtual meter of consumption (import minus export) by its values', async () => {
    const got = await ok({ id: NET_VM, start: '2024-06-01', end: '2024-06-04', interval: 'day' });
    const bounds = ['2024-06-01T00:00:00Z', '2024-06-02T00:00:00Z', '2024-06-03T00:00:00Z', '2024-06-04T00:00:00Z'];
    const want = expected(await halfHours(NET_VM, bounds[0], bounds[3]), bounds);
    assert.deepEqual(
      got.map((i) => i.consumption),
      want.map((e) => e.consumption),
    );
  });

  it('gives mean, min, max (and maxAt when asked) for an instantaneous register, and no consumption', async () => {
    const { status, body } = await intervals({ id: POWER, start: '2024-06-03', end: '2024-06-05', interval: 'day', timeZone: 'Europe/London' });
    assert.equal(status, 200);
    assert.deepEqual(body.sources[0].calcs, ['mean', 'min', 'max']);
    assert.equal(body.sources[0].isInstantaneous, true);
    const bounds = ['2024-06-02T23:00:00Z', '2024-06-03T23:00:00Z', '2024-06-04T23:00:00Z'];
    const want = expected(await halfHours(POWER, bounds[0], bounds[2]), bounds);
    const got = body.sources[0].intervals;
    assert.deepEqual(
      got.map((i) => [i.mean, i.min, i.max]),
      want.map((e) => [e.mean, e.min, e.max]),
    );
    assert.ok(!('consumption' in got[0]));
    const asked = await ok({ id: POWER, start: '2024-06-03', end: '2024-06-05', interval: 'day', timeZone: 'Europe/London', calc: 'consumption,maxAt' });
    assert.equal(asked[0].consumption, null);
    assert.equal(Date.parse(asked[0].maxAt as string), want[0].maxAtMs);
    assert.match(asked[0].maxAt as string, /\+01:00$/);
  });

  it('gives the peak half-hour of a month and when it was', async () => {
    const [month] = await ok({ id: ELEC, start: '2024-06-01', end: '2024-07-01', interval: 'month', timeZone: 'Europe/London', calc: 'max,maxAt' });
    const want = expected(await halfHours(ELEC, '2024-05-31T23:00:00Z', '2024-06-30T23:00:00Z'), ['2024-05-31T23:00:00Z', '2024-06-30T23:00:00Z']);
    assert.equal(month.max, want[0].max);
    assert.equal(Date.parse(month.maxAt as string), want[0].maxAtMs);
  });

  it('mixes registers and virtual meters in one selection', async () => {
    const { status, body } = await intervals({ id: `${ELEC},${CAMPUS_VM}`, start: '2024-06-01', end: '2024-06-02', interval: 'day' });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(
      body.sources.map((s) => [s.id, s.kind]),
      [
        [ELEC, 'register'],
        [CAMPUS_VM, 'virtualMeter'],
      ],
    );
    assert.ok(body.sources.every((s) => typeof s.intervals[0].consumption === 'number'));
  });
});

describe('data quality', () => {
  const gapDays = { id: GAP, start: '2024-03-09', end: '2024-03-13', interval: 'day' };
  // The gap runs 2024-03-09T21:30Z to 2024-03-12T10:00Z: 5, 48, 48 and 20 half-hours of the four days.
  const inGap = [5, 48, 48, 20];

  it('counts half-hours DCS did not send as missing when interpolation is off', async () => {
    const got = await ok({ ...gapDays, interpolated: 'false' });
    assert.deepEqual(
      got.map((i) => i.missing),
      inGap,
    );
    assert.deepEqual(
      got.map((i) => i.interpolated),
      [0, 0, 0, 0],
    );
    const bounds = ['2024-03-09T00:00:00Z', '2024-03-10T00:00:00Z', '2024-03-11T00:00:00Z', '2024-03-12T00:00:00Z', '2024-03-13T00:00:00Z'];
    const want = expected(await halfHours(GAP, bounds[0], bounds[4], { interpolated: 'false' }), bounds);
    assert.deepEqual(
      got.map((i) => i.consumption),
      want.map((e) => e.consumption),
    );
  });

  it('counts DCS estimates as interpolated when interpolation is on', async () => {
    const got = await ok(gapDays);
    assert.deepEqual(
      got.map((i) => i.missing),
      [0, 0, 0, 0],
    );
    assert.deepEqual(
      got.map((i) => i.interpolated),
      inGap,
    );
  });

  it('leaves NaN values out of every figure and counts them as invalid', async () => {
    const got = await ok({ id: NAN, start: '2024-06-11', end: '2024-06-17', interval: 'day', calc: 'consumption,mean,min,max' });
    const bounds = ['2024-06-11', '2024-06-12', '2024-06-13', '2024-06-14', '2024-06-15', '2024-06-16', '2024-06-17'].map((d) => `${d}T00:00:00Z`);
    const want = expected(await halfHours(NAN, bounds[0], bounds[6]), bounds);
    assert.ok(got[2].invalid === 48 && got[3].invalid === 48, `invalid per day: ${got.map((i) => i.invalid).join(', ')}`);
    assertQuality(got, want);
    assert.deepEqual(
      got.map((i) => [i.consumption, i.mean, i.min, i.max]),
      want.map((e) => [e.consumption, e.mean, e.min, e.max]),
    );
    assert.ok(got.every((i) => i.mean === null || Number.isFinite(i.mean)));
  });

  it('counts half-hours after the newest reading as missing', async () => {
    // The simulator's clock stands at 2025-06-01T00:00Z.
    const got = await ok({ id: ELEC, start: '2025-05-31', end: '2025-06-02', interval: 'day' });
    assert.deepEqual(
      got.map((i) => i.missing),
      [0, 48],
    );
  });
});

describe('layouts and outputs', () => {
  const many = { id: `${ELEC},${NET_VM},${CAMPUS_VM}`, start: '2024-10-25', end: '2024-10-29', interval: 'day', timeZone: 'Europe/London' };

  it('gives the same figures in a wide table as in the long one', async () => {
    const long = await intervals(many);
    const wide = await intervals<IntervalsWideJson>({ ...many, layout: 'wide', calc: 'consumption' });
    assert.equal(wide.status, 200, JSON.stringify(wide.body));
    assert.deepEqual(
      wide.body.columns.map((c) => c.id),
      [ELEC, NET_VM, CAMPUS_VM],
    );
    assert.equal(wide.body.columns[0].header, `${ELEC} Main Library - Electricity Main Incomer: Active Energy Import (kWh)`);
    wide.body.rows.forEach((row, r) => {
      assert.equal(row.start, long.body.sources[0].intervals[r].start);
      row.values.forEach((value, c) => assert.equal(value, long.body.sources[c].intervals[r].consumption));
    });
  });

  it('writes wide csv with one column per source, headed by id, name and unit', async () => {
    const res = await fetch(`${server.url}/api/intervals?${new URLSearchParams({ ...many, layout: 'wide', calc: 'consumption', output: 'csv' })}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0], /^start,end,R1001 Main Library - Electricity Main Incomer: Active Energy Import \(kWh\),VM\d+ /);
    assert.match(lines[3], /^2024-10-27T00:00:00\+01:00,2024-10-28T00:00:00\+00:00,\d/);
  });

  it('writes long csv with the calculations, then the quality counts', async () => {
    const res = await fetch(`${server.url}/api/intervals?${new URLSearchParams({ ...many, output: 'csv', calc: 'consumption,max' })}`);
    const lines = (await res.text()).trimEnd().split('\n');
    assert.equal(lines[0], 'id,start,end,consumption,max,periods,interpolated,resets,missing,invalid');
    assert.equal(lines.length, 1 + 3 * 4);
    assert.match(lines[3], /^R1001,2024-10-27T00:00:00\+01:00,2024-10-28T00:00:00\+00:00,[\d.]+,[\d.]+,50,0,0,0,0$/);
  });

  it('streams ndjson: a source record, its intervals, and an end record', async () => {
    const res = await rawGet(`${server.url}/api/intervals?${new URLSearchParams({ ...many, output: 'ndjson' })}`);
    assert.equal(res.complete, true);
    const lines = res.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => Object.keys(l)[0]),
      ['source', 'id', 'id', 'id', 'id', 'source', 'id', 'id', 'id', 'id', 'source', 'id', 'id', 'id', 'id', 'end'],
    );
    assert.deepEqual(lines[lines.length - 1], { end: { sources: 3, intervals: 12 } });
  });

  it('agrees with /api/consumption for the same period', async () => {
    const [october] = await ok({ id: ELEC, start: '2024-10-01', end: '2024-11-01', interval: 'month', timeZone: 'Europe/London' });
    const { body } = await getJson<ConsumptionJson>(`${server.url}/api/consumption?id=${ELEC}&start=2024-10-01&lastDay=2024-10-31&timeZone=Europe/London`);
    assert.equal(october.consumption, body.results[0].consumption);
    assert.equal(october.periods, body.results[0].periods);
    assert.equal(october.periods, 31 * 48 + 2);
  });
});

describe('cost to DCS', () => {
  it('asks DCS for exactly what pulling the same half-hours as readings asks', async () => {
    const sim = server.simulator!;
    await getJson(`${server.url}/api/sources`); // the source list is cached for the calls below
    const span = 'start=2022-01-01&end=2024-01-01';
    const before = sim.requestCount;
    await fetch(`${server.url}/api/readings?id=${ELEC},${CAMPUS_VM}&${span}&output=csv`).then((r) => r.text());
    const readingsCalls = sim.requestCount - before;
    await fetch(`${server.url}/api/intervals?id=${ELEC},${CAMPUS_VM}&${span}&interval=month&output=csv`).then((r) => r.text());
    const intervalsCalls = sim.requestCount - before - readingsCalls;
    assert.equal(intervalsCalls, readingsCalls);
    assert.equal(readingsCalls, 4, 'two sources, two 365-day windows each');
  });
});

describe('cost to DCS, bounded', () => {
  it('asks nothing after now: years running into the future cost one call, their future half-hours missing', async () => {
    // The server's clock set to the simulator's (2025-06-01), as a real server's and DCS's agree.
    const clocked = await startTestServer({ logLevel: 'warn', now: () => SIMULATOR_NOW.getTime() });
    let got: IntervalJson[];
    try {
      const sim = clocked.simulator!;
      await getJson(`${clocked.url}/api/sources`);
      const before = sim.requestCount;
      const { status, body } = await getJson<IntervalsJson>(`${clocked.url}/api/intervals?id=${ELEC}&start=2025-01-01&end=2030-01-01&interval=year`);
      assert.equal(status, 200);
      got = body.sources[0].intervals;
      assert.equal(sim.requestCount - before, 1);
    } finally {
      await clocked.close();
    }
    assert.equal(got.length, 5);
    assert.equal(got[1].missing, got[1].periods);
    assert.equal(got[1].consumption, null);
  });

  it('refuses a request over DCS_CALL_BUDGET before asking DCS anything, saying the estimate', async () => {
    const small = await startTestServer({ logLevel: 'warn', dcsCallBudget: 3 });
    try {
      const { status, body } = await getJson<ApiErrorBody>(`${small.url}/api/intervals?id=${ELEC},${NET_VM}&start=2022-01-01&end=2024-01-01&interval=month`);
      assert.equal(status, 400);
      assert.match(body.error.message, /4 DCS calls/);
    } finally {
      await small.close();
    }
  });
});

describe('refusals', () => {
  const base = { id: ELEC, start: '2024-10-01', end: '2024-11-01', interval: 'day', timeZone: 'Europe/London' };
  const cases: Array<[string, Record<string, string>, number, string, RegExp]> = [
    [
      'a start inside a day, naming the nearest boundaries',
      { start: '2024-10-01T05:00' },
      400,
      'start',
      /2024-10-01T00:00:00\+01:00 and 2024-10-02T00:00:00\+01:00/,
    ],
    ['an end that is not a week start', { interval: 'week', start: '2024-09-30', end: '2024-10-31' }, 400, 'end', /Monday/],
    ['an end before the start', { end: '2024-09-01' }, 400, 'end', /not after start/],
    ['an unknown interval', { interval: 'fortnight' }, 400, 'interval', /halfHour, hour, day, week, month, quarter, year/],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, 400, 'timeZone', /IANA/],
    [
      'local hours in a zone off the half-hour grid',
      { timeZone: 'Asia/Kathmandu', interval: 'hour', start: '2024-10-01T00:00', end: '2024-10-02T00:00' },
      400,
      'timeZone',
      /not a whole number of half-hours.*days or longer/,
    ],
    ['an unknown calculation', { calc: 'consumption,median' }, 400, 'calc', /'median' is not a calculation/],
    ['wide with two calculations', { layout: 'wide', calc: 'min,max' }, 400, 'calc', /exactly one calculation/],
    ['wide without a calculation over mixed sources', { id: `${ELEC},${POWER}`, layout: 'wide' }, 400, 'calc', /exactly one calculation/],
    ['wide as ndjson', { layout: 'wide', calc: 'consumption', output: 'ndjson' }, 400, 'layout', /ndjson is always long/],
    ['an unknown layout', { layout: 'tall' }, 400, 'layout', /long .* or wide/],
    ['an unknown output', { output: 'xlsx' }, 400, 'output', /json, ndjson or csv/],
    ['a bad id', { id: 'meter1' }, 400, 'id', /not a source id/],
    ['more than 200 ids', { id: Array.from({ length: 201 }, (_, i) => `R${i + 1}`).join(',') }, 400, 'id', /at most 200/],
    ['too many intervals', { interval: 'halfHour', start: '2000-01-01', end: '2024-01-01' }, 400, 'end', /more than 200000/],
    ['an id DCS does not have', { id: 'R999999' }, 404, 'id', /no source R999999/],
  ];
  for (const [what, change, status, parameter, message] of cases) {
    it(`refuses ${what}`, async () => {
      const { status: got, body } = await intervals({ ...base, ...change });
      assert.equal(got, status, JSON.stringify(body));
      assert.equal(body.error.parameter, parameter);
      assert.match(body.error.message, message);
    });
  }

  it('accepts days in a zone off the half-hour grid, a half-hour counting in the day its start falls in', async () => {
    const got = await ok({ ...base, timeZone: 'Asia/Kathmandu', start: '2024-10-01', end: '2024-10-03' });
    assert.deepEqual(
      got.map((i) => [i.start, i.periods]),
      [
        ['2024-10-01T00:00:00+05:45', 48],
        ['2024-10-02T00:00:00+05:45', 48],
      ],
    );
  });

  it('points /api/readings callers asking for local days to /api/intervals', async () => {
    const { status, body } = await getJson<ApiErrorBody>(
      `${server.url}/api/readings?id=${ELEC}&start=2024-10-01&end=2024-10-02&periodType=day&timeZone=Europe/London`,
    );
    assert.equal(status, 400);
    assert.match(body.error.message, /\/api\/intervals\?interval=day&timeZone=Europe%2FLondon/);
  });
});

describe('when DCS fails midway', () => {
  it('ends ndjson with an error record and a cut connection, never a short success', async () => {
    const sim = server.simulator!;
    await getJson(`${server.url}/api/sources`); // the source list is cached: the next DCS calls are readings
    // Two sources: the first one's half-hours (over 64 KB of records) are sent, the second's DCS call fails.
    sim.setFaults({ failEveryNth: 2, failStatus: 500 });
    try {
      const res = await rawGet(`${server.url}/api/intervals?id=${ELEC},${NET_VM}&start=2024-01-01&end=2024-02-01&interval=halfHour&output=ndjson`);
      assert.equal(res.status, 200);
      assert.equal(res.complete, false);
      const lines = res.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as NdjsonRecord);
      assert.ok('error' in lines[lines.length - 1], `last line ${JSON.stringify(lines[lines.length - 1])}`);
      assert.ok(!lines.some((l) => typeof (l as { end?: unknown }).end === 'object'), 'no end record');
      assert.equal(lines.filter((l) => 'id' in l && 'start' in l).length, 31 * 48, 'the first source was complete');
    } finally {
      sim.setFaults({});
    }
  });
});
