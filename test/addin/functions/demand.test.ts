/**
 * =DCS.DEMAND: its arguments read and refused as the other functions' are, its formulas of one
 * recalculation sent as one POST /api/bills of zero-tariff bills, a bill the server refuses
 * failing its own formulas only, and its figures those of the shadow bill's demand and quality.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiRequestError } from '../../../addin/api/client';
import { Session } from '../../../addin/api/session';
import type { FunctionsContext } from '../../../addin/functions/cell-functions';
import { DemandMemo, demandBill, type DemandAnswer, type DemandRequest } from '../../../addin/functions/demand-api';
import { demand, readDemandArguments, type DemandArguments } from '../../../addin/functions/demand-function';
import { FunctionFailure } from '../../../addin/functions/failure';

const OCT_1 = 45566; // 2024-10-01, 1900 date system
const OCT_31 = 45596;

function args(overrides: Partial<DemandArguments> = {}): DemandArguments {
  return { id: 'R1001', reactive: 'R1147', start: OCT_1, end: OCT_31, measure: 'maxKva', timeZone: 'Europe/London', allowance: null, ...overrides };
}

function answer(maxKva: number): DemandAnswer {
  return {
    demand: { kwh: 100, maxDemandKw: 20, maxDemandKwAt: null, loadFactor: 0.5, maxDemandKva: maxKva, powerFactor: 0.93, kvarh: 40, excessKvarh: 7 },
    quality: { periods: 1488, missing: 2, estimated: 3, resets: 0, complete: false, unbanded: { periods: 0, quantity: 0 }, sources: [] },
  };
}

function context(memo: DemandMemo): FunctionsContext {
  const session = new Session();
  session.begin({ username: 'demo', role: 'Operator', token: 't' });
  return {
    session,
    consumption: undefined as never,
    demand: memo,
    api: { sources: () => Promise.reject(new Error('unused')), readings: () => ({}) as never },
    defaultTimeZone: () => 'UTC',
  };
}

describe('DCS.DEMAND arguments', () => {
  it('reads whole days, the zone and the allowance into the request a shadow bill takes', () => {
    const { request, measure } = readDemandArguments(args({ measure: 'excessKVArh', allowance: 0.4 }), 1900, 'UTC');
    assert.equal(measure, 'excesskvarh');
    assert.deepEqual(request, { import: 'R1001', reactive: 'R1147', firstDay: '2024-10-01', lastDay: '2024-10-31', timeZone: 'Europe/London', allowance: 0.4 });
    assert.deepEqual(demandBill(request), {
      supply: { import: 'R1001', reactive: 'R1147' },
      period: { firstDay: '2024-10-01', lastDay: '2024-10-31', timeZone: 'Europe/London' },
      tariff: { units: [{ name: 'Units', rate: 0 }], vatRate: 0, reactive: { allowance: 0.4, rate: 0 } },
    });
    const plain = readDemandArguments(args({ reactive: '', measure: 'maxKw', timeZone: null }), 1900, 'Europe/Paris').request;
    assert.deepEqual(plain, { import: 'R1001', firstDay: '2024-10-01', lastDay: '2024-10-31', timeZone: 'Europe/Paris', allowance: 0.33 });
  });

  it('refuses what it cannot measure, naming the argument', () => {
    const refused = (overrides: Partial<DemandArguments>, message: RegExp) =>
      assert.throws(
        () => readDemandArguments(args(overrides), 1900, 'UTC'),
        (e: unknown) => e instanceof FunctionFailure && message.test(e.message),
      );
    refused({ measure: 'peak' }, /^measure: "peak" is not a measure; use "maxKw", "maxKva"/);
    refused({ measure: '' }, /^measure: is empty/);
    refused({ reactive: '', measure: 'maxKva' }, /^reactiveId: is empty; maxKva needs the supply's reactive energy register/);
    refused({ reactive: 1147 }, /^reactiveId: 1147 is a number/);
    refused({ end: '2024-10-31 12:00' }, /^lastDay: 2024-10-31T12:00:00 has a time; DCS.DEMAND measures whole days/);
    refused({ allowance: -1 }, /^allowance: -1 is not an allowance/);
    refused({ timeZone: 'Mars/Olympus' }, /^timeZone: "Mars\/Olympus" is not a time zone/);
  });
});

describe('DCS.DEMAND calls', () => {
  it("sends one recalculation's formulas as one batch, each distinct request once, and answers each measure", async () => {
    const batches: DemandRequest[][] = [];
    const memo = new DemandMemo(
      async (requests) => {
        batches.push(requests);
        return requests.map((r) => answer(r.firstDay === '2024-10-01' ? 230.99 : 241.18));
      },
      { batchDelayMs: 5 },
    );
    const ctx = context(memo);
    const figures = await Promise.all([
      demand(ctx, args()),
      demand(ctx, args({ measure: 'excessKvarh' })),
      demand(ctx, args({ measure: 'estimated' })),
      demand(ctx, args({ measure: 'missing' })),
      demand(ctx, args({ start: OCT_1 + 92, end: OCT_31 + 92 })),
    ]);
    assert.deepEqual(figures, [230.99, 7, 3, 2, 241.18]);
    assert.equal(batches.length, 1, 'one request to the server');
    assert.equal(batches[0].length, 2, "the four measures of October share one bill; January's is the other");
  });

  it('fails only the formulas of a bill the server refuses, and asks the rest again', async () => {
    const sent: number[] = [];
    const memo = new DemandMemo(
      async (requests) => {
        sent.push(requests.length);
        const bad = requests.findIndex((r) => r.import === 'R9');
        if (bad >= 0) throw new ApiRequestError(`bills[${bad}].supply.import: no source R9 in your DCS`, 404, 'not_found', `bills[${bad}].supply.import`);
        return requests.map(() => answer(100));
      },
      { batchDelayMs: 5 },
    );
    const ctx = context(memo);
    const [good, bad] = await Promise.allSettled([demand(ctx, args()), demand(ctx, args({ id: 'R9' }))]);
    assert.deepEqual(good, { status: 'fulfilled', value: 100 });
    assert.equal(bad.status, 'rejected');
    assert.match(String(bad.reason.message), /^supply\.import: no source R9/);
    assert.deepEqual(sent, [2, 1]);
  });
});
