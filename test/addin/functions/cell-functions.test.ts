/**
 * The DCS cell functions end to end within the add-in: arguments in, server requests out,
 * answers shaped for Excel, and every failure a #VALUE! or #N/A whose message says what to do.
 * The server is a fake that records what it was asked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumptionBatchAnswer, ConsumptionResult, NdjsonRecord, Source } from '../../../server/api/types';
import { ApiRequestError, type ReadingsRequest } from '../../../addin/api/client';
import * as fns from '../../../addin/functions/cell-functions';
import { ConsumptionMemo, type ConsumptionApi, type ConsumptionRequest } from '../../../addin/functions/consumption-api';
import { FunctionFailure, SIGN_IN_MESSAGE } from '../../../addin/functions/failure';
import { failsWith } from '../support/fake-functions';

const APRIL_1 = 45383; // 2024-04-01 as an Excel serial
const APRIL_30 = 45412;

function result(overrides: Partial<ConsumptionResult> = {}): ConsumptionResult {
  return {
    id: 'R101',
    name: 'Main Library Electricity: Active Energy Import',
    unit: 'kWh',
    start: '2024-03-31T23:00:00.000Z',
    end: '2024-04-30T23:00:00.000Z',
    consumption: 41230.5,
    periods: 1440,
    interpolated: 3,
    resets: 0,
    missing: 2,
    ...overrides,
  };
}

class FakeServer implements ConsumptionApi {
  /** Every formula's request, batch after batch. */
  readonly consumptionCalls: ConsumptionRequest[] = [];
  readonly batches: ConsumptionRequest[][] = [];
  readonly readingsCalls: ReadingsRequest[] = [];
  readonly sourcesCalls: string[] = [];
  /** One request's answer; an ApiRequestError thrown here is that request's own error in the batch. */
  answer: (request: ConsumptionRequest) => Promise<ConsumptionResult> = async (request) => result({ id: request.id });
  /** The batch's own delay or failure (the whole request), before answering each. */
  beforeAnswering: () => Promise<void> = async () => {};
  records: NdjsonRecord[] = [];
  sourceList: Source[] = [];

  async batch(requests: ConsumptionRequest[]): Promise<ConsumptionBatchAnswer[]> {
    this.batches.push(requests);
    this.consumptionCalls.push(...requests);
    await this.beforeAnswering();
    return Promise.all(
      requests.map(async (request): Promise<ConsumptionBatchAnswer> => {
        try {
          return { result: await this.answer(request) };
        } catch (error) {
          if (!(error instanceof ApiRequestError)) throw error;
          const parameter = error.parameter === undefined ? {} : { parameter: `requests[0].${error.parameter}` };
          return { status: error.status, error: { code: error.code as 'bad_request', message: `requests[0].${error.message}`, ...parameter } };
        }
      }),
    );
  }

  async *readings(request: ReadingsRequest): AsyncGenerator<NdjsonRecord> {
    this.readingsCalls.push(request);
    for (const record of this.records) yield record;
  }

  async sources(query: string): Promise<Source[]> {
    this.sourcesCalls.push(query);
    return this.sourceList;
  }
}

function context(server: FakeServer, signedIn = true): fns.FunctionsContext {
  return {
    session: { isSignedIn: signedIn },
    consumption: new ConsumptionMemo(server),
    api: server,
    defaultTimeZone: () => 'Europe/London',
  };
}

describe('DCS.CONSUMPTION', () => {
  it('returns the server figure for a period given as date cells', async () => {
    const server = new FakeServer();
    assert.equal(await fns.consumption(context(server), 'r101', APRIL_1, APRIL_30, null), 41230.5);
    // Plain dates travel as they are: the server reads the end date as the end of that day.
    assert.deepEqual(server.consumptionCalls, [{ id: 'R101', start: '2024-04-01', lastDay: '2024-04-30', timeZone: 'Europe/London' }]);
  });

  it('reads cells holding formatted numbers (dates another DCS function spilled) by their basicValue', async () => {
    // With allowCustomDataForDataTypeAny, Excel passes such a cell as a cell value object.
    const server = new FakeServer();
    const dateCell = (serial: number) => ({ type: 'Double', basicValue: serial, numberFormat: 'yyyy-mm-dd' });
    const idCell = { type: 'String', basicValue: 'R101' };
    assert.equal(await fns.consumption(context(server), idCell, dateCell(APRIL_1), dateCell(APRIL_30), null), 41230.5);
    assert.equal(await fns.quality(context(server), 'R101', dateCell(APRIL_1), dateCell(APRIL_30), { type: 'String', basicValue: 'missing' }, null), 2);
    assert.deepEqual(server.consumptionCalls[0], { id: 'R101', start: '2024-04-01', lastDay: '2024-04-30', timeZone: 'Europe/London' });
  });

  it('passes a date-time end on as an exclusive instant, and an explicit zone instead of the default', async () => {
    const server = new FakeServer();
    await fns.consumption(context(server), 'VM3', '2024-04-01 06:00', '2024-04-01T18:30', 'UTC');
    assert.deepEqual(server.consumptionCalls, [{ id: 'VM3', start: '2024-04-01T06:00:00', end: '2024-04-01T18:30:00', timeZone: 'UTC' }]);
  });

  it('tells a signed-out user to sign in from the DCS tab, without asking the server', async () => {
    const server = new FakeServer();
    await failsWith(fns.consumption(context(server, false), 'R101', APRIL_1, APRIL_30, null), 'notAvailable', /On the DCS tab choose Get readings and sign in/);
    assert.equal(server.consumptionCalls.length, 0);
  });

  it('reports a bad argument before signing in matters, naming the argument', async () => {
    const server = new FakeServer();
    await failsWith(fns.consumption(context(server, false), 'R101', 'April', APRIL_30, null), 'invalidValue', /^firstDay: "April" is not a date/);
    await failsWith(fns.consumption(context(server), 'R101', APRIL_1, APRIL_30, 'London'), 'invalidValue', /^timeZone: "London" is not a time zone/);
    assert.equal(server.consumptionCalls.length, 0);
  });

  it("shows the server's refusal of a parameter as #VALUE! with the server's words", async () => {
    const server = new FakeServer();
    server.answer = async () => {
      throw new ApiRequestError(
        "end: '2024-04-01' is before start '2024-04-30'; give the period's first day as start and its last day as end",
        400,
        'bad_request',
        'end',
      );
    };
    // The server names its parameter (end); the cell names the formula's argument (lastDay).
    await failsWith(fns.consumption(context(server), 'R101', APRIL_30, APRIL_1, null), 'invalidValue', /^lastDay: '2024-04-01' is before start/);
  });

  it('shows an instantaneous source, an unknown id and a lost session as #N/A or the sign-in message', async () => {
    const server = new FakeServer();
    server.answer = async () => {
      throw new ApiRequestError(
        'id: R7 (Main Library: Active Power) is an instantaneous source (...); consumption is not defined for it.',
        400,
        'bad_request',
        'id',
      );
    };
    await failsWith(fns.consumption(context(server), 'R7', APRIL_1, APRIL_30, null), 'invalidValue', /consumption is not defined/);
    server.answer = async () => {
      throw new ApiRequestError('id: there is no source R999 that you may see in DCS', 404, 'not_found', 'id');
    };
    await failsWith(fns.consumption(context(server), 'R999', APRIL_1, APRIL_30, null), 'notAvailable', /no source R999/);
    server.answer = async () => {
      throw new ApiRequestError('the bearer token is unknown or its session has expired', 401, 'unauthenticated');
    };
    await failsWith(fns.consumption(context(server), 'R101', APRIL_1, APRIL_30, null), 'notAvailable', new RegExp(SIGN_IN_MESSAGE.slice(0, 20)));
  });
});

describe('DCS.QUALITY', () => {
  it('returns each count of the same figure, and the four formulas of a row share one request', async () => {
    const server = new FakeServer();
    const ctx = context(server);
    const counts = await Promise.all([
      fns.consumption(ctx, 'R101', APRIL_1, APRIL_30, 'Europe/London'),
      fns.quality(ctx, 'R101', APRIL_1, APRIL_30, 'interpolated', 'Europe/London'),
      fns.quality(ctx, 'R101', APRIL_1, APRIL_30, 'resets', 'Europe/London'),
      fns.quality(ctx, 'R101', APRIL_1, APRIL_30, 'missing', 'Europe/London'),
      fns.quality(ctx, 'R101', APRIL_1, APRIL_30, 'periods', 'Europe/London'),
    ]);
    assert.deepEqual(counts, [41230.5, 3, 0, 2, 1440]);
    assert.equal(server.consumptionCalls.length, 1);
  });

  it('requires the measure', async () => {
    await failsWith(fns.quality(context(new FakeServer()), 'R101', APRIL_1, APRIL_30, null, null), 'invalidValue', /^measure: is empty/);
  });
});

describe('DCS.CONSUMPTION and DCS.QUALITY in a time-of-use band', () => {
  it("sends the band as the server's band= and keeps a band's figure apart from the whole period's", async () => {
    const server = new FakeServer();
    const ctx = context(server);
    await fns.consumption(ctx, 'R101', APRIL_1, APRIL_30, 'Europe/London', undefined, ' Mon-Sun 00:00-07:00 ');
    await fns.quality(ctx, 'R101', APRIL_1, APRIL_30, 'periods', 'Europe/London', undefined, 'Mon-Sun 00:00-07:00');
    await fns.consumption(ctx, 'R101', APRIL_1, APRIL_30, 'Europe/London', undefined, '');
    assert.deepEqual(
      server.consumptionCalls.map((c) => c.band),
      ['Mon-Sun 00:00-07:00', undefined],
    );
    assert.equal('band' in server.consumptionCalls[1], false, 'no band field at all for the whole period');
  });

  it('refuses a band that is not text, naming band; the server names what is wrong with the text', async () => {
    await failsWith(fns.consumption(context(new FakeServer()), 'R101', APRIL_1, APRIL_30, null, undefined, 7), 'invalidValue', /^band: must be text/);
    const server = new FakeServer();
    server.answer = () => Promise.reject(new ApiRequestError("band: 'Mon-Fri 19:00-07:00' in 'Mon-Fri 19:00-07:00' ends before it starts", 400, 'bad_request'));
    await failsWith(
      fns.consumption(context(server), 'R101', APRIL_1, APRIL_30, null, undefined, 'Mon-Fri 19:00-07:00'),
      'invalidValue',
      /^band: .* ends before it starts/,
    );
  });
});

describe('the shared memo of consumption answers', () => {
  it('asks again after its few seconds, after clear() (Refresh), and after a failure', async () => {
    let now = 0;
    const server = new FakeServer();
    const memo = new ConsumptionMemo(server, { ttlMs: 5000, now: () => now });
    await memo.get('R1', '2024-04-01', '2024-04-30', 'UTC');
    await memo.get('R1', '2024-04-01', '2024-04-30', 'UTC');
    assert.equal(server.consumptionCalls.length, 1);
    now = 6000;
    await memo.get('R1', '2024-04-01', '2024-04-30', 'UTC');
    assert.equal(server.consumptionCalls.length, 2);
    memo.clear();
    await memo.get('R1', '2024-04-01', '2024-04-30', 'UTC');
    assert.equal(server.consumptionCalls.length, 3);

    server.beforeAnswering = async () => {
      throw new ApiRequestError('DCS failed', 502, 'dcs_failed');
    };
    await assert.rejects(memo.get('R2', '2024-04-01', '2024-04-30', 'UTC'), /DCS failed/);
    server.beforeAnswering = async () => {};
    server.answer = async (request) => result({ id: request.id, consumption: 7 });
    assert.equal((await memo.get('R2', '2024-04-01', '2024-04-30', 'UTC')).consumption, 7);
  });

  it('sends the formulas of one recalculation as one request, and many sources as several, two at a time', async () => {
    const server = new FakeServer();
    let running = 0;
    let most = 0;
    server.beforeAnswering = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    const memo = new ConsumptionMemo(server);
    const periods = [
      ['2024-01-01', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
    ];
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `R${i + 1}`);
    const figures = await Promise.all(ids(12).flatMap((id) => periods.map(([start, end]) => memo.get(id, start, end, 'UTC'))));
    assert.equal(figures.length, 24);
    assert.deepEqual(
      server.batches.map((b) => b.length),
      [24],
    );

    memo.clear();
    server.batches.length = 0;
    await Promise.all(ids(120).flatMap((id) => periods.map(([start, end]) => memo.get(id, start, end, 'UTC'))));
    // At most 50 sources per batch, each source's periods in one batch (one pull per source).
    assert.deepEqual(
      server.batches.map((b) => new Set(b.map((r) => r.id)).size),
      [50, 50, 20],
    );
    assert.deepEqual(
      server.batches.map((b) => b.length),
      [100, 100, 40],
    );
    assert.equal(most, 2);

    // A source in a band is a pull of its own on the server, so it counts as a source of the batch
    // (a Bill check sheet asks each supply's Day, Night and total units).
    memo.clear();
    server.batches.length = 0;
    const bands = ['Mon-Sun 07:00-24:00', 'Mon-Sun 00:00-07:00', undefined];
    await Promise.all(ids(20).flatMap((id) => bands.map((band) => memo.get(id, '2024-01-01', '2024-01-31', 'UTC', band))));
    assert.deepEqual(
      server.batches.map((b) => new Set(b.map((r) => JSON.stringify([r.id, r.band ?? null]))).size),
      [50, 10],
    );
  });

  it('gives each cell its own answer: a bad one its error, the others their figures', async () => {
    const server = new FakeServer();
    server.answer = async (request) => {
      if (request.id === 'R999') throw new ApiRequestError('id: there is no source R999 that you may see in DCS', 404, 'not_found', 'id');
      return result({ id: request.id, consumption: Number(request.id.slice(1)) });
    };
    const ctx = context(server);
    const [good, bad, other] = await Promise.allSettled([
      fns.consumption(ctx, 'R101', APRIL_1, APRIL_30, null),
      fns.consumption(ctx, 'R999', APRIL_1, APRIL_30, null),
      fns.consumption(ctx, 'R102', APRIL_1, APRIL_30, null),
    ]);
    assert.deepEqual(
      [good, other],
      [
        { status: 'fulfilled', value: 101 },
        { status: 'fulfilled', value: 102 },
      ],
    );
    assert.equal(bad.status, 'rejected');
    assert.ok(bad.reason instanceof FunctionFailure);
    // The server's words for that cell, without the batch's "requests[i]." prefix.
    assert.equal(bad.reason.message, 'id: there is no source R999 that you may see in DCS');
    assert.equal(server.batches.length, 1);
  });
});

function header(overrides: Partial<Extract<NdjsonRecord, { source: unknown }>['source']> = {}): NdjsonRecord {
  return {
    source: {
      id: 'R101',
      name: 'Main Library Electricity: Active Energy Import',
      unit: 'kWh',
      periodType: 'halfHour',
      format: 'standard',
      startTime: '2024-03-31T23:00:00Z',
      endTime: '2024-04-01T00:00:00Z',
      expectedCount: 2,
      ...overrides,
    },
  };
}

describe('DCS.READINGS', () => {
  it('spills a header and one row per reading, timestamps as Excel dates on the chosen zone’s clock', async () => {
    const server = new FakeServer();
    server.records = [
      header(),
      { id: 'R101', timestamp: '2024-03-31T23:00:00Z', value: 12.5, status: 0 },
      { id: 'R101', timestamp: '2024-03-31T23:30:00Z', value: 'NaN', status: 1 },
      { end: { sources: 1, readings: 2 } },
    ];
    const table = await fns.readings(context(server), 'R101', APRIL_1, '2024-04-01 01:00', null, null);
    // Dates as formatted numbers, so the cells show dates rather than 45383.
    const date = (serial: number) => ({ type: 'Double', basicValue: serial, numberFormat: 'yyyy-mm-dd hh:mm' });
    assert.deepEqual(table, [
      ['Timestamp (Europe/London)', 'Main Library Electricity: Active Energy Import (kWh)', 'Status'],
      [date(APRIL_1), 12.5, 0], // 23:00Z is 00:00 BST on 1 April
      [date(Date.parse('2024-04-01T00:30:00Z') / 86_400_000 + 25_569), 'NaN', 1],
    ]);
    assert.equal(server.readingsCalls[0].start, '2024-04-01T00:00:00');
    assert.equal(server.readingsCalls[0].end, '2024-04-01T01:00:00');
    assert.equal(server.readingsCalls[0].timeZone, 'Europe/London');
  });

  it('includes the whole end day when end is a date, and passes period type and options on', async () => {
    const server = new FakeServer();
    server.records = [
      header({ format: 'complete', periodType: 'day', expectedCount: 1 }),
      { id: 'R101', timestamp: '2024-04-30T00:00:00Z', totalValue: 900, periodValue: 40, status: 2 },
      { end: { sources: 1, readings: 1 } },
    ];
    const table = await fns.readings(context(server), 'R101', APRIL_1, APRIL_30, 'day', 'complete; uncalibrated; timeZone=UTC');
    assert.deepEqual(table[0], [
      'Timestamp (UTC)',
      'Main Library Electricity: Active Energy Import: total (kWh)',
      'Main Library Electricity: Active Energy Import: period value (kWh)',
      'Status',
    ]);
    assert.deepEqual(table[1], [{ type: 'Double', basicValue: APRIL_30, numberFormat: 'yyyy-mm-dd' }, 900, 40, 2], 'daily readings show dates without a time');
    const request = server.readingsCalls[0];
    assert.deepEqual(
      {
        start: request.start,
        end: request.end,
        periodType: request.periodType,
        format: request.format,
        calibrated: request.calibrated,
        interpolated: request.interpolated,
      },
      { start: '2024-04-01T00:00:00', end: '2024-05-01T00:00:00', periodType: 'day', format: 'complete', calibrated: false, interpolated: true },
    );
  });

  it('fails rather than spill a partial table when the stream breaks or reports an error', async () => {
    const server = new FakeServer();
    server.records = [header(), { id: 'R101', timestamp: '2024-03-31T23:00:00Z', value: 1, status: 0 }];
    await failsWith(fns.readings(context(server), 'R101', APRIL_1, APRIL_1, null, null), 'notAvailable', /ended before it was complete/);
    server.records = [header(), { error: { code: 'dcs_failed', message: 'DCS failed (HTTP 500)' } }];
    await failsWith(fns.readings(context(server), 'R101', APRIL_1, APRIL_1, null, null), 'notAvailable', /stopped partway: DCS failed/);
  });

  it('refuses to spill more rows than a formula should, suggesting a longer period type', async () => {
    const server = new FakeServer();
    server.records = [header({ expectedCount: 175_200 }), { end: { sources: 1, readings: 0 } }];
    await failsWith(
      fns.readings(context(server), 'R101', '2015-01-01', '2024-12-31', null, null),
      'notAvailable',
      /175,200 readings.*"day" instead of "halfHour"/,
    );
  });

  it('spills at most 10,000 rows by default (a year of hourly readings), saying how to narrow or raise it', async () => {
    const server = new FakeServer();
    server.records = [header({ expectedCount: 17_520 }), { end: { sources: 1, readings: 0 } }];
    await failsWith(
      fns.readings(context(server), 'R101', '2024-01-01', '2024-12-31', null, null),
      'notAvailable',
      /17,520 readings is more than this formula spills \(10,000 rows\)\. Narrow it: a shorter span.*DCS\.INTERVALS.*"maxRows=50000"/,
    );
    server.records = [header({ expectedCount: 2 }), { end: { sources: 1, readings: 0 } }];
    await fns.readings(context(server), 'R101', '2024-01-01', '2024-12-31', null, 'maxRows=20000');
    await failsWith(
      fns.readings(context(server), 'R101', '2024-01-01', '2024-12-31', null, 'maxRows=200000'),
      'invalidValue',
      /maxRows=200000 is not a row count from 1 to 100,000/,
    );
  });

  it("refuses readings DCS keeps from UTC boundaries when the span's ends are elsewhere, naming the argument and what to use", async () => {
    const server = new FakeServer();
    // 1 April 00:00 BST is 31 March 23:00 UTC: DCS's day readings start at midnight UTC.
    await failsWith(
      fns.readings(context(server), 'R101', APRIL_1, APRIL_30, 'day', 'timeZone=Europe/London'),
      'invalidValue',
      /^firstDay: the span starts at 2024-04-01 00:00 in Europe\/London, which is 2024-03-31 23:00 UTC, but DCS's day readings run from midnight UTC, so none fit; use periodType "halfHour", or DCS\.INTERVALS\(id, firstDay, lastDay, "day"\) for days by the Europe\/London calendar$/,
    );
    // January starts on GMT (= UTC) but the day after 31 March is already BST.
    await failsWith(
      fns.readings(context(server), 'R101', '2024-01-01', '2024-03-31', 'day', 'timeZone=Europe/London'),
      'invalidValue',
      /^lastDay: the span ends at 2024-04-01 00:00 in Europe\/London, which is 2024-03-31 23:00 UTC/,
    );
    // 3 April 2024 is a Wednesday: DCS's weeks start on Mondays.
    await failsWith(
      fns.readings(context(server), 'R101', '2024-04-03', '2024-04-30', 'week', 'timeZone=UTC'),
      'invalidValue',
      /^firstDay: the span starts at 2024-04-03 00:00 UTC, but DCS's week readings run from Monday midnight UTC/,
    );
    await failsWith(
      fns.readings(context(server), 'R101', '2024-04-01 06:10', '2024-04-02', null, 'timeZone=UTC'),
      'invalidValue',
      /^firstDay: the span starts at 2024-04-01 06:10 UTC, but DCS's halfHour readings run from the hour and half-hour \(UTC\), so none fit; give a time on the hour or half-hour \(UTC\)$/,
    );
    assert.equal(server.readingsCalls.length, 0, 'nothing asked of the server');
    // A winter month in London is on UTC midnights: asked as given.
    server.records = [header({ periodType: 'day', expectedCount: 0 }), { end: { sources: 1, readings: 0 } }];
    await fns.readings(context(server), 'R101', '2024-01-01', '2024-01-31', 'day', 'timeZone=Europe/London');
    assert.equal(server.readingsCalls.length, 1);
  });

  it('refuses an end that is not after the start before asking the server', async () => {
    const server = new FakeServer();
    await failsWith(fns.readings(context(server), 'R101', '2024-04-02 00:00', '2024-04-01', null, null), 'invalidValue', /^lastDay: .* is not after firstDay/);
    assert.equal(server.readingsCalls.length, 0);
  });
});

describe('DCS.SOURCES', () => {
  it('spills id, name (meter: register), unit and kind, marking instantaneous sources', async () => {
    const server = new FakeServer();
    server.sourceList = [
      { id: 'R101', kind: 'register', name: 'Active Energy Import', unit: 'kWh', isInstantaneous: false, meter: { id: 1, name: 'Main Library Electricity' } },
      { id: 'R102', kind: 'register', name: 'Active Power', unit: 'kW', isInstantaneous: true, meter: { id: 1, name: 'Main Library Electricity' } },
      { id: 'VM3', kind: 'virtualMeter', name: 'Campus Electricity Import', unit: 'kWh', isInstantaneous: false },
    ];
    assert.deepEqual(await fns.sources(context(server), 'library'), [
      ['Id', 'Name', 'Unit', 'Kind'],
      ['R101', 'Main Library Electricity: Active Energy Import', 'kWh', 'register'],
      ['R102', 'Main Library Electricity: Active Power', 'kW', 'instantaneous register'],
      ['VM3', 'Campus Electricity Import', 'kWh', 'virtual meter'],
    ]);
    assert.deepEqual(server.sourcesCalls, ['library']);
  });

  it('says when nothing matches, and asks a signed-out user to sign in', async () => {
    await failsWith(fns.sources(context(new FakeServer()), 'zzz'), 'notAvailable', /No source's name contains "zzz"/);
    await failsWith(fns.sources(context(new FakeServer(), false), null), 'notAvailable', /sign in in the pane/);
  });
});
