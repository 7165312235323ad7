/**
 * POST /api/consumption/batch against the embedded simulator: a recalculation's formulas in one
 * request. Each answer must be exactly what GET /api/consumption answers for that request alone
 * (whose figures consumption-api.test.ts checks against DCS's readings), each source must be
 * pulled from DCS once over the span its periods cover together, and a bad request must get its
 * own error while the others get their figures.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumptionBatchItem, ConsumptionBatchJson, ConsumptionJson } from '../../server/api/types';
import { DEMO_FEATURES, demoFeatures } from 'dcs-simulator';
import { SIMULATOR_NOW, getJson, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const F = demoFeatures(SIMULATOR_NOW);
const LIB = `R${DEMO_FEATURES.electricityRegisterId}`;
const RESET = `R${DEMO_FEATURES.resetRegisterId}`;
const CAMPUS = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`; // running totals: differences of totals
const NET = `VM${DEMO_FEATURES.netVirtualMeterId}`; // per-period values

let server: TestServer;

before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});

after(async () => {
  await server.close();
});

async function batch(body: unknown, contentType = 'application/json'): Promise<{ status: number; body: ConsumptionBatchJson & ApiErrorBody }> {
  const res = await fetch(`${server.url}/api/consumption/batch`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ConsumptionBatchJson & ApiErrorBody };
}

async function alone(item: ConsumptionBatchItem): Promise<ConsumptionJson['results'][number]> {
  const params = new URLSearchParams(Object.entries(item).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const { status, body } = await getJson<ConsumptionJson>(`${server.url}/api/consumption?${params}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.results[0];
}

/** Five monthly billing periods of 2024 (Europe/London), inclusive of their last day. */
const MONTHS: Array<[string, string]> = [
  ['2024-01-01', '2024-01-31'],
  ['2024-02-01', '2024-02-29'],
  ['2024-03-01', '2024-03-31'],
  ['2024-04-01', '2024-04-30'],
  ['2024-05-01', '2024-05-31'],
];

describe('POST /api/consumption/batch', () => {
  it('answers each request exactly as GET /api/consumption answers it alone, for every kind of source', async () => {
    const resetDay = F.resetTime.slice(0, 10);
    const items: ConsumptionBatchItem[] = [
      ...[LIB, CAMPUS, NET].flatMap((id) => MONTHS.map(([start, lastDay]) => ({ id, start, lastDay, timeZone: 'Europe/London' }))),
      // Overlapping periods and one across the register reset, in UTC.
      { id: RESET, start: resetDay, lastDay: resetDay, timeZone: 'UTC' },
      { id: RESET, start: '2024-01-01', lastDay: '2024-12-31', timeZone: 'UTC' },
      { id: LIB, start: '2024-02-15', lastDay: '2024-03-14', timeZone: 'Europe/London' },
    ];
    const { status, body } = await batch({ requests: items });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.results.length, items.length);
    for (const [i, item] of items.entries()) {
      assert.deepEqual(body.results[i], { result: await alone(item) }, `request ${i}: ${JSON.stringify(item)}`);
    }
  });

  it('pulls each source from DCS once over its periods together, not once per request', async () => {
    const simulator = server.simulator!;
    const items = [LIB, NET].flatMap((id) => MONTHS.map(([start, lastDay]) => ({ id, start, lastDay, timeZone: 'Europe/London' })));
    // What one pull per source over January..May costs (the sources list is cached by then).
    await alone({ id: LIB, start: '2024-01-01', lastDay: '2024-05-31', timeZone: 'Europe/London' });
    let before = simulator.requestCount;
    await alone({ id: LIB, start: '2024-01-01', lastDay: '2024-05-31', timeZone: 'Europe/London' });
    await alone({ id: NET, start: '2024-01-01', lastDay: '2024-05-31', timeZone: 'Europe/London' });
    const onePullEach = simulator.requestCount - before;
    before = simulator.requestCount;
    const { status } = await batch({ requests: items });
    assert.equal(status, 200);
    assert.equal(simulator.requestCount - before, onePullEach);
  });

  it("pulls a register once over everything asked of it, whatever the bands: a bill's Day, Night and total units", async () => {
    const simulator = server.simulator!;
    const DAY = 'Mon-Sun 07:00-24:00';
    const NIGHT = 'Mon-Sun 00:00-07:00';
    const periods: Array<[string, string]> = [
      ['2024-01-01', '2024-01-31'],
      ['2024-01-15', '2024-02-14'],
      ['2024-02-01', '2024-02-29'],
    ];
    const items: ConsumptionBatchItem[] = [LIB, CAMPUS].flatMap((id) =>
      periods.flatMap(([start, lastDay]) => [
        { id, start, lastDay, timeZone: 'Europe/London', band: DAY },
        { id, start, lastDay, timeZone: 'Europe/London', band: NIGHT },
        { id, start, lastDay, timeZone: 'Europe/London' },
        // The same band read in another zone is another set of half-hours.
        { id, start, lastDay, timeZone: 'UTC', band: NIGHT },
      ]),
    );
    // What one unbanded pull of each source over January..February costs (the sources list is cached by then).
    const union = (id: string): ConsumptionBatchItem => ({ id, start: '2024-01-01', lastDay: '2024-02-29', timeZone: 'Europe/London' });
    await alone(union(LIB));
    let before = simulator.requestCount;
    await alone(union(LIB));
    await alone(union(CAMPUS));
    const onePullEach = simulator.requestCount - before;
    before = simulator.requestCount;
    const { status, body } = await batch({ requests: items });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(simulator.requestCount - before, onePullEach);
    for (const [i, item] of items.entries()) {
      assert.deepEqual(body.results[i], { result: await alone(item) }, `request ${i}: ${JSON.stringify(item)}`);
    }
    // The bands split the total exactly (a check that each figure really is its own band's).
    for (let i = 0; i < items.length; i += 4) {
      const [day, night, total] = body.results.slice(i, i + 3).map((answer) => ('result' in answer ? answer.result : assert.fail(JSON.stringify(answer))));
      assert.ok(night.consumption > 0 && day.consumption > 0, JSON.stringify({ day, night }));
      assert.equal(day.periods + night.periods, total.periods);
      assert.ok(Math.abs(day.consumption + night.consumption - total.consumption) < 1e-6 * total.consumption, JSON.stringify({ day, night, total }));
    }
  });

  it('gives a bad request its own error and the others their figures', async () => {
    const good = { id: LIB, start: '2024-04-01', lastDay: '2024-04-30', timeZone: 'Europe/London' };
    const { status, body } = await batch({
      requests: [
        good,
        { id: 'R99999999', start: '2024-04-01', lastDay: '2024-04-30' },
        { id: LIB, start: '2024-04-30', lastDay: '2024-04-01' },
        { id: 'nonsense', start: '2024-04-01', lastDay: '2024-04-30' },
        { id: LIB, start: '2024-04-01', lastDay: '2024-04-30', colour: 'red' },
        { id: `R${DEMO_FEATURES.instantaneousRegisterId}`, start: '2024-04-01', lastDay: '2024-04-30' },
        'R1',
      ],
    });
    assert.equal(status, 200, JSON.stringify(body));
    const [first, unknownId, backwards, badId, unknownField, instantaneous, notObject] = body.results;
    assert.deepEqual(first, { result: await alone(good) });
    assert.deepEqual(unknownId, { status: 404, error: { code: 'not_found', parameter: 'requests[1].id', message: unknownIdMessage(unknownId) } });
    assert.ok('error' in backwards && backwards.status === 400 && backwards.error.parameter === 'requests[2].lastDay', JSON.stringify(backwards));
    assert.ok('error' in badId && badId.error.parameter === 'requests[3].id' && /not a source id/.test(badId.error.message), JSON.stringify(badId));
    assert.ok('error' in unknownField && unknownField.error.parameter === 'requests[4].colour', JSON.stringify(unknownField));
    assert.ok('error' in instantaneous && /instantaneous/.test(instantaneous.error.message), JSON.stringify(instantaneous));
    assert.ok('error' in notObject && notObject.status === 400 && /object/.test(notObject.error.message), JSON.stringify(notObject));
  });

  it('refuses a body that is not a batch with 400 saying what one looks like', async () => {
    for (const [body, parameter] of [
      [{}, 'requests'],
      [{ requests: [] }, 'requests'],
      [{ requests: [{ id: LIB, start: '2024-01-01', lastDay: '2024-01-31' }], extra: 1 }, 'extra'],
      ['{"requests": [', 'body'],
    ] as const) {
      const answer = await batch(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.parameter, parameter);
      assert.match(answer.body.error.message, /requests|batch/);
    }
    const text = await batch('requests', 'text/plain');
    assert.equal(text.status, 400);
    assert.match(text.body.error.message, /Content-Type: application\/json/);
  });

  it('refuses more sources in one batch than a request may pull, before pulling any', async () => {
    const { body: sources } = await getJson<Array<{ id: string; isInstantaneous: boolean }>>(`${server.url}/api/sources`);
    const ids = sources.filter((s) => !s.isInstantaneous).map((s) => s.id);
    assert.ok(ids.length > 50, `the demo estate has ${ids.length} cumulative sources`);
    const requests = ids.slice(0, 51).map((id) => ({ id, start: '2024-01-01', lastDay: '2024-01-31' }));
    const before = server.simulator!.requestCount;
    const { status, body } = await batch({ requests });
    assert.equal(status, 400);
    assert.equal(body.error.parameter, 'requests');
    assert.match(body.error.message, /at most 50 sources per batch/);
    assert.equal(server.simulator!.requestCount, before);
  });
});

function unknownIdMessage(answer: ConsumptionBatchJson['results'][number]): string {
  assert.ok('error' in answer);
  assert.match(answer.error.message, /^requests\[1\]\.id: there is no source R99999999/);
  return answer.error.message;
}
