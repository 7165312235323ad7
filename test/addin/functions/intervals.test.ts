/**
 * =DCS.INTERVALS against a fake server answering `GET /api/intervals` with the documented JSON
 * (IntervalsJson in server/api/types.ts; INTERVALS-CONTRACT): the request it makes, the table it
 * spills (header row, dates, one column per source and calculation), and its refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IntervalsJson, IntervalSourceJson } from '../../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import { httpIntervalsApi } from '../../../addin/functions/intervals-api';
import { intervals } from '../../../addin/functions/intervals-function';
import { startTestServer, type TestServer } from '../../server/helpers';
import { failsWith, fakeFunctionsServer, realFunctionsContext } from '../support/fake-functions';

const serial = (isoDate: string) => Date.parse(`${isoDate}Z`) / 86_400_000 + 25_569;
const day = (isoDate: string) => ({ type: 'Double', basicValue: serial(isoDate), numberFormat: 'yyyy-mm-dd' });

function source(id: string, name: string, overrides: Partial<IntervalSourceJson>): IntervalSourceJson {
  return {
    id,
    name,
    unit: 'kWh',
    kind: 'register',
    isInstantaneous: false,
    interval: 'day',
    timeZone: 'Europe/London',
    calcs: ['consumption'],
    intervals: [],
    ...overrides,
  };
}

const figures = { periods: 48, interpolated: 0, resets: 0, missing: 0, invalid: 0 };

/** A server answering every request with `answer` (or an HTTP error), recording the URLs. */
function fakeServer(answer: unknown, status = 200) {
  return fakeFunctionsServer(answer, status, (client, fetch) => ({ intervals: httpIntervalsApi(client, fetch) }));
}

describe('DCS.INTERVALS', () => {
  it('asks /api/intervals for the ids, whole days and zone, and spills a header, dates and one column per source', async () => {
    const json: IntervalsJson = {
      sources: [
        source('R1', 'Library: Import', {
          intervals: [
            { start: '2023-10-28T00:00:00+01:00', end: '2023-10-29T00:00:00+01:00', consumption: 120.5, ...figures },
            { start: '2023-10-29T00:00:00+01:00', end: '2023-10-30T00:00:00+00:00', consumption: 130, ...figures, periods: 50 },
            { start: '2023-10-30T00:00:00+00:00', end: '2023-10-31T00:00:00+00:00', consumption: null, ...figures, missing: 48 },
          ],
        }),
        source('VM3', 'Site total', {
          kind: 'virtualMeter',
          intervals: [
            { start: '2023-10-28T00:00:00+01:00', end: '2023-10-29T00:00:00+01:00', consumption: 900, ...figures },
            { start: '2023-10-29T00:00:00+01:00', end: '2023-10-30T00:00:00+00:00', consumption: 950, ...figures },
            { start: '2023-10-30T00:00:00+00:00', end: '2023-10-31T00:00:00+00:00', consumption: 910, ...figures },
          ],
        }),
      ],
    };
    const { ctx, urls } = fakeServer(json);
    const table = await intervals(ctx, [['r1'], [null], ['VM3']], '2023-10-28', '2023-10-30', 'Day', null, null);

    const params = Object.fromEntries(urls[0].searchParams);
    assert.equal(urls[0].pathname, '/api/intervals');
    assert.deepEqual(params, {
      id: 'R1,VM3',
      start: '2023-10-28',
      end: '2023-10-31',
      interval: 'day',
      timeZone: 'Europe/London',
      output: 'json',
      layout: 'long',
    });
    assert.deepEqual(table, [
      ['Start (Europe/London)', 'R1 Library: Import (kWh): consumption', 'VM3 Site total (kWh): consumption'],
      [day('2023-10-28'), 120.5, 900],
      [day('2023-10-29'), 130, 950],
      [day('2023-10-30'), '', 910],
    ]);
  });

  it('shows the repeated hour of the October clock change with its UTC offset, and statistics with the time of the maximum', async () => {
    const json: IntervalsJson = {
      sources: [
        source('R7', 'Boiler: Flow temperature', {
          unit: '°C',
          isInstantaneous: true,
          interval: 'hour',
          calcs: ['max', 'maxAt'],
          intervals: [
            { start: '2023-10-29T01:00:00+01:00', end: '2023-10-29T01:00:00+00:00', max: 71, maxAt: '2023-10-29T01:30:00+01:00', ...figures, periods: 2 },
            { start: '2023-10-29T01:00:00+00:00', end: '2023-10-29T02:00:00+00:00', max: 69.5, maxAt: '2023-10-29T01:00:00+00:00', ...figures, periods: 2 },
          ],
        }),
      ],
    };
    const { ctx, urls } = fakeServer(json);
    const table = await intervals(ctx, 'R7', '2023-10-29 01:00', '2023-10-29 02:00', 'hour', 'max, maxAt', 'Europe/London');

    assert.equal(urls[0].searchParams.get('calc'), 'max,maxAt');
    assert.equal(urls[0].searchParams.get('start'), '2023-10-29T01:00:00');
    const stamp = (wall: string) => ({ type: 'Double', basicValue: Date.parse(`${wall}Z`) / 86_400_000 + 25_569, numberFormat: 'yyyy-mm-dd hh:mm' });
    assert.deepEqual(table, [
      ['Start (Europe/London)', 'UTC offset', 'R7 Boiler: Flow temperature (°C): max', 'R7 Boiler: Flow temperature: time of max'],
      [stamp('2023-10-29T01:00:00'), '+01:00', 71, stamp('2023-10-29T01:30:00')],
      [stamp('2023-10-29T01:00:00'), '+00:00', 69.5, stamp('2023-10-29T01:00:00')],
    ]);
  });

  it('refuses bad arguments before asking the server, naming the argument', async () => {
    const { ctx, urls } = fakeServer({ sources: [] });
    await failsWith(intervals(ctx, [[null]], '2024-01-01', '2024-01-31', 'day', null, null), 'invalidValue', /^ids: is empty/);
    await failsWith(intervals(ctx, 'R1', '2024-01-01', '2024-01-31', 'fortnight', null, null), 'invalidValue', /^interval: "fortnight" is not an interval/);
    await failsWith(intervals(ctx, 'R1', '2024-01-01', '2024-01-31', 'day', 'median', null), 'invalidValue', /^calc: "median" is not a calculation/);
    await failsWith(intervals(ctx, 'R1', '2024-02-01', '2024-01-31', 'day', null, null), 'invalidValue', /^lastDay: .* is not after firstDay/);
    await failsWith(
      intervals(ctx, 'R1,R2', '2023-01-01', '2024-12-31', 'halfHour', null, null),
      'notAvailable',
      /intervals is more than one formula spills.*"day" instead of "halfHour"/,
    );
    assert.equal(urls.length, 0);
  });

  it("passes the server's refusal of a misaligned start on as #VALUE! with its words, naming the argument firstDay", async () => {
    const refusal = {
      error: {
        code: 'bad_request',
        message: 'start: 2024-01-03 is not on a month boundary in Europe/London; the nearest are 2024-01-01 and 2024-02-01.',
        parameter: 'start',
      },
    };
    const { ctx } = fakeServer(refusal, 400);
    await failsWith(intervals(ctx, 'R1', '2024-01-03', '2024-03-31', 'month', null, null), 'invalidValue', /^firstDay: 2024-01-03 is not on a month boundary/);
  });
});

describe('DCS.INTERVALS against the server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ logLevel: 'warn' });
  });
  after(async () => {
    await server.close();
  });

  it('spills what GET /api/intervals computes, across the October clock change in Europe/London', async () => {
    const { ctx, session } = await realFunctionsContext(server.url, (client, fetch) => ({ intervals: httpIntervalsApi(client, fetch) }));
    const id = `R${DEMO_FEATURES.electricityRegisterId}`;
    const vm = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
    const table = await intervals(ctx, `${id}, ${vm}`, '2024-10-26', '2024-10-27', 'day', 'consumption', 'Europe/London');

    const params = new URLSearchParams({
      id: `${id},${vm}`,
      start: '2024-10-26',
      end: '2024-10-28',
      interval: 'day',
      timeZone: 'Europe/London',
      calc: 'consumption',
    });
    const response = await fetch(`${server.url}/api/intervals?${params}`, { headers: session.authorizationHeaders() });
    const json = JSON.parse(await response.text()) as IntervalsJson;
    assert.equal(table.length, 3, 'a header and the two days');
    assert.deepEqual(
      table.slice(1).map((row) => row[0]),
      [day('2024-10-26'), day('2024-10-27')],
    );
    assert.deepEqual(
      table.slice(1).map((row) => row.slice(1)),
      json.sources[0].intervals.map((figures, i) => [figures.consumption, json.sources[1].intervals[i].consumption]),
    );
    assert.equal(json.sources[0].intervals[1].periods, 50, 'the long day of the clock change');
    assert.match(table[0][1] as string, new RegExp(`^${id} .*\\(kWh\\): consumption$`));
  });
});
