/**
 * =DCS.CUSUM: the request it makes of `GET /api/cusum` (last days included in full, the workbook's
 * zone by default), its refusals in the other functions' style (#VALUE! naming the argument
 * before any request; the server's 400 as #VALUE!, anything else #N/A), and, against the
 * embedded simulator, a spill holding exactly the figures the API gives, in which Birch Hall's
 * boiler left on shows at its date.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoFeatures } from 'dcs-simulator';
import type { CusumJson } from '../../../server/api/types';
import { Session } from '../../../addin/api/session';
import { httpCusumApi } from '../../../addin/functions/cusum-api';
import { cusum, type CusumArguments } from '../../../addin/functions/cusum-function';
import { BOILER_CUSUM, SIMULATOR_NOW, startTestServer, type TestServer } from '../../server/helpers';
import { failsWith, fakeFunctionsServer, realFunctionsContext } from '../support/fake-functions';

const serial = (isoDate: string) => Date.parse(`${isoDate}Z`) / 86_400_000 + 25_569;
const day = (isoDate: string) => ({ type: 'Double', basicValue: serial(isoDate), numberFormat: 'yyyy-mm-dd' });

const ANSWER: CusumJson = {
  source: { id: 'R7', name: 'Hall gas', unit: 'kWh' },
  temperature: { id: 'R8', name: 'Outside air', unit: '°C' },
  interval: 'week',
  timeZone: 'Europe/London',
  degreeDays: 'heating',
  baseTemperature: 15.5,
  model: { intercept: 1000, slope: 250.123456, r2: 0.98765, points: 2 },
  intervals: [
    {
      period: 'baseline',
      start: '2024-01-01T00:00:00+00:00',
      end: '2024-01-08T00:00:00+00:00',
      consumption: 20000,
      degreeDays: 76,
      expected: 20009.38,
      difference: -9.38,
      cusum: -9.38,
      interpolated: 0,
      missing: 0,
      daysWithoutTemperature: 0,
    },
    {
      period: 'report',
      start: '2024-06-03T00:00:00+01:00',
      end: '2024-06-10T00:00:00+01:00',
      consumption: null,
      degreeDays: null,
      expected: null,
      difference: null,
      cusum: 0,
      interpolated: 2,
      missing: 336,
      daysWithoutTemperature: 7,
    },
  ],
};

const ARGS: CusumArguments = {
  id: 'r7',
  temperature: 'R8',
  baselineFirstDay: '2023-01-02',
  baselineLastDay: serial('2023-12-31'),
  firstDay: '2024-01-01',
  lastDay: '2024-12-29',
  interval: 'week',
  timeZone: null,
  baseTemperature: null,
};

/** A server answering every request with `answer` (or an HTTP error), recording the URLs. */
function fakeServer(answer: unknown, status = 200) {
  return fakeFunctionsServer(answer, status, (client, fetch) => ({ cusum: httpCusumApi(client, fetch) }));
}

describe('DCS.CUSUM', () => {
  it('asks /api/cusum with the last days included and the workbook zone, and spills a header and one row per interval', async () => {
    const { ctx, urls } = fakeServer(ANSWER);
    const table = await cusum(ctx, ARGS);
    assert.equal(urls.length, 1);
    assert.equal(urls[0].pathname, '/api/cusum');
    assert.deepEqual(Object.fromEntries(urls[0].searchParams), {
      id: 'R7',
      temperature: 'R8',
      baselineStart: '2023-01-02',
      baselineEnd: '2024-01-01',
      start: '2024-01-01',
      end: '2024-12-30',
      interval: 'week',
      timeZone: 'Europe/London',
    });
    assert.deepEqual(table[0], [
      'Period',
      'Start (Europe/London)',
      'R7 Hall gas (kWh)',
      'Heating degree days (base 15.5 °C, R8)',
      'Expected (kWh) = 1,000 + 250.1 × degree days, r² 0.988',
      'Difference (kWh)',
      'CUSUM (kWh)',
      'Estimated half-hours',
      'Missing half-hours',
      'Days without temperature',
    ]);
    assert.deepEqual(table[1], ['baseline', day('2024-01-01'), 20000, 76, 20009.38, -9.38, -9.38, 0, 0, 0]);
    assert.deepEqual(table[2], ['report', day('2024-06-03'), '', '', '', '', 0, 2, 336, 7], 'no figure is blank, not zero');
  });

  it('passes a base temperature and refuses a wrong argument before asking, naming it', async () => {
    const { ctx, urls } = fakeServer(ANSWER);
    await cusum(ctx, { ...ARGS, baseTemperature: '18', interval: null });
    assert.equal(urls[0].searchParams.get('baseTemperature'), '18');
    assert.equal(urls[0].searchParams.get('interval'), 'day');
    await failsWith(cusum(ctx, { ...ARGS, interval: 'halfHour' }), 'invalidValue', /^interval: "halfHour" cannot carry degree days/);
    await failsWith(cusum(ctx, { ...ARGS, temperature: 1164 }), 'invalidValue', /^temperature: 1164 is a number.*"R1164"/);
    await failsWith(cusum(ctx, { ...ARGS, baselineLastDay: '31/12/2023' }), 'invalidValue', /^baselineLastDay: "31\/12\/2023" is not a date/);
    await failsWith(cusum(ctx, { ...ARGS, baseTemperature: 'warm' }), 'invalidValue', /^baseTemperature: "warm" is not a temperature/);
    await failsWith(cusum(ctx, { ...ARGS, timeZone: 'London' }), 'invalidValue', /^timeZone: "London" is not a time zone/);
    assert.equal(urls.length, 1, 'no request for a refused argument');
  });

  it("gives the server's refusal as #VALUE! and its other errors as #N/A, and asks nothing when signed out", async () => {
    const refusal = { error: { code: 'bad_request', message: 'baselineStart: the baseline cannot carry a line', parameter: 'baselineStart' } };
    await failsWith(cusum(fakeServer(refusal, 400).ctx, ARGS), 'invalidValue', /^baselineStart: the baseline cannot carry a line$/);
    const forbidden = { error: { code: 'forbidden', message: 'You may not read R7.' } };
    await failsWith(cusum(fakeServer(forbidden, 403).ctx, ARGS), 'notAvailable', /^You may not read R7\.$/);
    const { ctx, urls } = fakeServer(ANSWER);
    (ctx.session as Session).end();
    await failsWith(cusum(ctx, ARGS), 'notAvailable', /Not signed in/);
    assert.equal(urls.length, 0);
  });
});

describe('DCS.CUSUM against the embedded simulator', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ logLevel: 'warn' });
  });
  after(async () => {
    await server.close();
  });

  it("spills exactly /api/cusum's figures, and Birch Hall's CUSUM turns in the week its boiler was left on", async () => {
    const features = demoFeatures(SIMULATOR_NOW);
    const { ctx, session } = await realFunctionsContext(server.url, (client, fetch) => ({ cusum: httpCusumApi(client, fetch) }));
    const gas = `R${features.boilerRegisterId}`;
    const temperature = `R${features.temperatureRegisterId}`;
    const table = await cusum(ctx, { ...ARGS, id: gas, temperature, timeZone: null });

    const params = new URLSearchParams({ ...BOILER_CUSUM, id: gas, temperature });
    const response = await fetch(`${server.url}/api/cusum?${params}`, { headers: session.authorizationHeaders() });
    const json = JSON.parse(await response.text()) as CusumJson;
    assert.equal(table.length, 1 + json.intervals.length);
    assert.deepEqual(
      table.slice(1).map((row) => [row[0], row[2], row[3], row[4], row[5], row[6]]),
      json.intervals.map((r) => [r.period, r.consumption, r.degreeDays, r.expected, r.difference, r.cusum]),
    );
    const report = table.slice(1).filter((row) => row[0] === 'report');
    const weekly = 7 * 48 * features.boilerLeftOnKwhPerHalfHour;
    const firstWaste = report.find((row) => (row[5] as number) > weekly / 2);
    assert.deepEqual(firstWaste?.[1], day(features.boilerLeftOn.slice(0, 10)), 'the first week far above the line is the one the boiler was left on');
  });
});
