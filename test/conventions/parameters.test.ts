/**
 * The conventions every route keeps (issue 19): `end` is the first instant not included and
 * `lastDay` the last day included; a missing or blank `timeZone` is the server's
 * DEFAULT_TIME_ZONE on every route; an unknown parameter is refused with a 400 naming it; one
 * search; maximum demand in kW for energy sources.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumptionJson, IntervalsJson, ReadingsJson, Source } from '../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import { matchingSources } from '../../addin/query/source-match';
import { basicAuth, getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const WATER = `R${DEMO_FEATURES.resetRegisterId}`;
const POWER = `R${DEMO_FEATURES.instantaneousRegisterId}`;

let server: TestServer;
before(async () => {
  // A server whose default zone is not UTC, so that "the default" is seen to be used.
  server = await startTestServer({ logLevel: 'warn', defaultTimeZone: 'Europe/London' });
});
after(() => server.close());

async function get<T>(path: string, query: Record<string, string>): Promise<{ status: number; body: T & ApiErrorBody }> {
  return getJson(`${server.url}${path}?${new URLSearchParams(query)}`);
}

async function okJson<T>(path: string, query: Record<string, string>): Promise<T> {
  const { status, body } = await get<T>(path, query);
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

describe('end and lastDay', () => {
  it('lastDay=D means the same span as end=D+1, on /api/consumption and /api/intervals', async () => {
    const byEnd = await okJson<ConsumptionJson>('/api/consumption', { id: ELEC, start: '2024-04-01', end: '2024-05-01', timeZone: 'Europe/London' });
    const byLastDay = await okJson<ConsumptionJson>('/api/consumption', { id: ELEC, start: '2024-04-01', lastDay: '2024-04-30', timeZone: 'Europe/London' });
    assert.deepEqual(byLastDay, byEnd);
    assert.equal(byEnd.results[0].end, '2024-04-30T23:00:00.000Z', 'end excludes itself: April ends at the start of 1 May, local');
    assert.equal(byEnd.results[0].periods, 30 * 48);

    const months = { id: ELEC, start: '2024-01-01', interval: 'month', timeZone: 'Europe/London' };
    const intervalsByEnd = await okJson<IntervalsJson>('/api/intervals', { ...months, end: '2024-07-01' });
    const intervalsByLastDay = await okJson<IntervalsJson>('/api/intervals', { ...months, lastDay: '2024-06-30' });
    assert.deepEqual(intervalsByLastDay, intervalsByEnd);
    assert.equal(intervalsByEnd.sources[0].intervals.length, 6);
  });

  it('a plain-date end on /api/consumption excludes that day, as everywhere', async () => {
    const { results } = await okJson<ConsumptionJson>('/api/consumption', { id: ELEC, start: '2024-04-10', end: '2024-04-11', timeZone: 'UTC' });
    assert.equal(results[0].periods, 48, 'one day, not two');
  });

  for (const path of ['/api/consumption', '/api/intervals', '/api/readings']) {
    it(`refuses end and lastDay together on ${path}, naming lastDay`, async () => {
      const { status, body } = await get(path, { id: ELEC, start: '2024-04-01', end: '2024-05-01', lastDay: '2024-04-30' });
      assert.equal(status, 400);
      assert.equal(body.error.parameter, 'lastDay');
      assert.match(body.error.message, /not both/);
    });
  }

  it('refuses a lastDay that is not a plain date', async () => {
    const { status, body } = await get('/api/intervals', { id: ELEC, start: '2024-04-01', lastDay: '2024-04-30T12:00' });
    assert.equal(status, 400);
    assert.equal(body.error.parameter, 'lastDay');
    assert.match(body.error.message, /YYYY-MM-DD/);
  });
});

describe('one time zone rule', () => {
  it('reads a missing and a blank timeZone as DEFAULT_TIME_ZONE on /api/consumption, /api/intervals and /api/readings', async () => {
    const consumption = { id: ELEC, start: '2024-04-01', lastDay: '2024-04-30' };
    const explicit = await okJson<ConsumptionJson>('/api/consumption', { ...consumption, timeZone: 'Europe/London' });
    assert.deepEqual(await okJson<ConsumptionJson>('/api/consumption', consumption), explicit);
    assert.deepEqual(await okJson<ConsumptionJson>('/api/consumption', { ...consumption, timeZone: '  ' }), explicit);

    const days = { id: ELEC, start: '2024-03-30', end: '2024-04-02', interval: 'day' };
    const zoned = await okJson<IntervalsJson>('/api/intervals', { ...days, timeZone: 'Europe/London' });
    assert.deepEqual(await okJson<IntervalsJson>('/api/intervals', days), zoned);
    assert.deepEqual(await okJson<IntervalsJson>('/api/intervals', { ...days, timeZone: '' }), zoned);
    assert.deepEqual(
      zoned.sources[0].intervals.map((i) => i.periods),
      [48, 46, 48],
      'local days: 31 March 2024 lost an hour in London',
    );

    const readings = { id: ELEC, start: '2024-06-01T00:00', end: '2024-06-01T01:00' };
    const blank = await okJson<ReadingsJson>('/api/readings', { ...readings, timeZone: '' });
    const london = await okJson<ReadingsJson>('/api/readings', { ...readings, timeZone: 'Europe/London' });
    assert.deepEqual(blank, london, 'a blank timeZone is no longer an error on /api/readings');
    assert.equal(london.sources[0].readings[0].timestamp, '2024-05-31T23:00:00Z', 'midnight in London in June is 23:00 UTC');
  });

  it('reads a missing timeZone as DEFAULT_TIME_ZONE on OData Intervals', async () => {
    const auth = { Authorization: basicAuth('demo', 'demo') };
    const url = (zone: string) => `${server.url}/odata/Intervals?$filter=${encodeURIComponent(`SourceId eq '${ELEC}'`)}&start=2024-03-31&end=2024-04-01${zone}`;
    const missing = await getJson<{ value: Array<{ Start: string; Periods: number }> }>(url(''), auth);
    const london = await getJson<{ value: Array<{ Start: string; Periods: number }> }>(url('&timeZone=Europe/London'), auth);
    assert.equal(missing.status, 200, JSON.stringify(missing.body));
    assert.deepEqual(missing.body.value, london.body.value);
    assert.equal(missing.body.value[0].Periods, 46);
  });
});

describe('unknown parameters', () => {
  const routes: Array<[string, Record<string, string>]> = [
    ['/api/consumption', { id: ELEC, start: '2024-04-01', lastDay: '2024-04-30' }],
    ['/api/intervals', { id: ELEC, start: '2024-04-01', end: '2024-05-01' }],
    ['/api/readings', { id: ELEC, start: '2024-04-01', end: '2024-04-02' }],
    ['/api/sources', {}],
  ];
  for (const [path, query] of routes) {
    it(`${path} refuses a misspelt parameter with a 400 naming it and listing the ones it takes`, async () => {
      const { status, body } = await get(path, { ...query, bnad: 'Mon-Fri 07:00-19:00' });
      assert.equal(status, 400);
      assert.equal(body.error.parameter, 'bnad');
      assert.match(body.error.message, /'bnad' is not a parameter/);
      for (const known of Object.keys(query)) assert.match(body.error.message, new RegExp(`\\b${known}\\b`), `lists ${known}`);
    });
  }
});

describe('routes that take no query parameters', () => {
  const routes: Array<[method: string, path: string]> = [
    ['GET', '/api/health'],
    ['GET', '/api/session'],
    ['POST', '/api/session'],
    ['DELETE', '/api/session'],
    ['POST', '/api/consumption/batch'],
    ['POST', '/api/bills'],
    ['GET', '/api/bills/demo'],
  ];
  for (const [method, path] of routes) {
    it(`${method} ${path} refuses a query parameter with a 400 naming it`, async () => {
      const response = await fetch(`${server.url}${path}?timezone=UTC`, {
        method,
        headers: { Authorization: basicAuth('demo', 'demo'), 'Content-Type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      const body = (await response.json()) as ApiErrorBody;
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(body.error.parameter, 'timezone');
      assert.match(body.error.message, new RegExp(`'timezone' is not a parameter of ${method} ${path}, which takes no parameters`));
    });
  }
});

describe('unknown OData query options', () => {
  const auth = () => ({ Authorization: basicAuth('demo', 'demo') });
  const filter = encodeURIComponent(`SourceId eq '${ELEC}'`);
  const sets: Array<[string, string, string[]]> = [
    ['Intervals', `$filter=${filter}&start=2024-04-01&end=2024-04-02&interval=day`, ['interval', 'timeZone', 'start', 'end', 'calc']],
    ['Readings', `$filter=${filter} and Timestamp ge 2024-04-01T00:00:00Z and Timestamp lt 2024-04-02T00:00:00Z&periodType=day`, ['periodType', 'calibrated']],
    ['Sources', '$top=1', []],
  ];
  for (const [set, query, takes] of sets) {
    it(`${set} refuses a misspelt custom option (timezone=) with a 400 naming it and listing the ones it takes`, async () => {
      const good = await getJson(`${server.url}/odata/${set}?${query}`, auth());
      assert.equal(good.status, 200, JSON.stringify(good.body));
      const { status, body } = await getJson<{ error: { target: string; message: string } }>(
        `${server.url}/odata/${set}?${query}&timezone=Europe/London`,
        auth(),
      );
      assert.equal(status, 400);
      assert.equal(body.error.target, 'timezone');
      assert.match(body.error.message, /^timezone: is not a query option of this entity set/);
      for (const known of takes) assert.match(body.error.message, new RegExp(`\\b${known}\\b`), `lists ${known}`);
      assert.match(body.error.message, /\$filter/, 'and the system options');
    });
  }
  it('refuses a system option without its $ (filter=), pointing at $filter', async () => {
    const { status, body } = await getJson<{ error: { message: string } }>(`${server.url}/odata/Sources?filter=${encodeURIComponent("Id eq 'R1001'")}`, auth());
    assert.equal(status, 400);
    assert.match(body.error.message, /did you mean \$filter\?/);
  });
});

describe('one search', () => {
  it("GET /api/sources?q= and OData Sources?$search find what the pane's search finds: words in any order", async () => {
    const all = await okJson<Source[]>('/api/sources', {});
    for (const q of ['library electricity', 'Electricity LIBRARY', 'import campus', `${ELEC.toLowerCase()}`, 'hospital gas']) {
      const expected = matchingSources(all, q).map((s) => s.id);
      assert.ok(expected.length > 0, q);
      assert.deepEqual(
        (await okJson<Source[]>('/api/sources', { q })).map((s) => s.id),
        expected,
        q,
      );
      const odata = await getJson<{ value: Array<{ Id: string }> }>(`${server.url}/odata/Sources?$search=${encodeURIComponent(q)}`, {
        Authorization: basicAuth('demo', 'demo'),
      });
      assert.equal(odata.status, 200, JSON.stringify(odata.body));
      assert.deepEqual(
        odata.body.value.map((s) => s.Id),
        expected,
        `OData: ${q}`,
      );
    }
  });
});

describe('maximum demand', () => {
  it('is the largest half-hour × 2 in kW, with its time, and the load factor is mean ÷ max demand', async () => {
    const readings = await okJson<ReadingsJson>('/api/readings', { id: ELEC, start: '2024-04-01', end: '2024-04-03', timeZone: 'UTC', format: 'complete' });
    const halfHours = readings.sources[0].readings.map((r) => ({ at: r.timestamp, kwh: (r as { periodValue: number }).periodValue }));
    const body = await okJson<IntervalsJson>('/api/intervals', {
      id: ELEC,
      start: '2024-04-01',
      end: '2024-04-03',
      timeZone: 'UTC',
      calc: 'maxDemand,maxDemandAt,loadFactor,consumption',
    });
    const source = body.sources[0];
    assert.equal(source.demandUnit, 'kW');
    source.intervals.forEach((interval, day) => {
      const mine = halfHours.slice(day * 48, day * 48 + 48);
      const peak = mine.reduce((a, b) => (b.kwh > a.kwh ? b : a));
      const meanKw = (mine.reduce((sum, h) => sum + h.kwh, 0) / 48) * 2;
      assert.ok(Math.abs((interval.maxDemand as number) - peak.kwh * 2) < 1e-6);
      assert.equal(interval.maxDemandAt, peak.at.replace(/Z$/, 'Z'));
      assert.ok(Math.abs((interval.loadFactor as number) - meanKw / (peak.kwh * 2)) < 1e-9);
    });
  });

  it('is left out for water (m3) and for instantaneous sources, whose statistics keep max/mean/min', async () => {
    const body = await okJson<IntervalsJson>('/api/intervals', {
      id: `${WATER},${POWER}`,
      start: '2024-04-01',
      end: '2024-04-02',
      timeZone: 'UTC',
      calc: 'maxDemand,max',
    });
    assert.deepEqual(
      body.sources.map((s) => [s.id, s.calcs, s.demandUnit]),
      [
        [WATER, ['max'], undefined],
        [POWER, ['max'], undefined],
      ],
    );
  });
});
