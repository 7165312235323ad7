/**
 * POST /api/bills against the embedded simulator. Every expected figure is worked out here from
 * the raw half-hours of /api/readings (test/bills/reference.ts): bands from local times read
 * through Intl, kVA as √(kWh² + kVArh²) × 2, excess reactive per half-hour, amounts to the penny.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BillJson, BillsJson } from '../../server/api/types';
import { DEMO_TARIFFS } from '../../server/bills/demo-bills';
import { demoFeatures } from 'dcs-simulator';
import { basicAuth, SIMULATOR_NOW, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';
import { excessReactive, expectedLine, localTime, pence, peaks, rawHalfHours, sum, type ExpectedLine, type RawHalfHour } from './reference';

const AUTH = { Authorization: basicAuth('demo', 'demo') };
const LONDON = 'Europe/London';
// October 2024 in London: BST until 27 October 01:00 UTC, so it runs from 30 September 23:00 UTC to 1 November 00:00 UTC.
const OCTOBER = { firstDay: '2024-10-01', lastDay: '2024-10-31', timeZone: LONDON };
const OCTOBER_UTC = ['2024-09-30T23:00:00Z', '2024-11-01T00:00:00Z'] as const;

/** The demo's electricity tariff (its input; every figure expected below is worked out here). */
const ELECTRICITY = DEMO_TARIFFS.electricity;

let server: TestServer;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});
after(async () => {
  await server.close();
});

async function post<T>(body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}/api/bills`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

async function bill(body: unknown): Promise<BillJson> {
  const answer = await post<BillJson>(body);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

function assertLines(actual: BillJson['lines'], expected: ExpectedLine[]): void {
  assert.deepEqual(
    actual.map((l) => l.name),
    expected.map((l) => l.name),
  );
  expected.forEach((line, i) => {
    assert.ok(Math.abs(actual[i].quantity - line.quantity) < 1e-6, `${line.name}: ${actual[i].quantity} ≠ ${line.quantity}`);
    assert.equal(actual[i].amount, line.amount, `${line.name} amount`);
  });
}

describe('POST /api/bills: the shadow bill', () => {
  let halfHours: RawHalfHour[];
  before(async () => {
    halfHours = await rawHalfHours(server.url, 'R1001', 'R1147', ...OCTOBER_UTC);
  });

  it('prices every electricity element line by line, to the penny', async () => {
    const answer = await bill({ supply: { import: 'R1001', reactive: 'R1147' }, period: OCTOBER, tariff: ELECTRICITY });
    assert.equal(halfHours.length, 31 * 48 + 2);
    const night = sum(halfHours.filter((h) => localTime(h.t, LONDON).hour < 7).map((h) => h.kwh));
    const day = sum(halfHours.filter((h) => localTime(h.t, LONDON).hour >= 7).map((h) => h.kwh));
    const peak = peaks(halfHours);
    assert.ok(peak.kva > 200, 'the demo month exceeds its agreed capacity');
    const expected = [
      expectedLine('Day', day, 0.2231),
      expectedLine('Night', night, 0.1512),
      expectedLine('Standing charge', 31, 12.5),
      expectedLine('Availability', 200 * 31, 0.045),
      expectedLine('Excess capacity', (peak.kva - 200) * 31, 0.09),
      expectedLine('Maximum demand', peak.kva, 2.1),
      expectedLine('Reactive power', excessReactive(halfHours, 0.33), 0.0025),
      expectedLine('CCL', day + night, 0.00775),
    ];
    assertLines(answer.lines, expected);
    const net = pence(sum(expected.map((l) => l.amount)));
    assert.equal(answer.net, net);
    assert.equal(answer.vat, pence(net * 0.2));
    assert.equal(answer.total, pence(net + pence(net * 0.2)));
    assert.deepEqual(
      { periods: answer.quality.periods, missing: answer.quality.missing, complete: answer.quality.complete },
      { periods: 1490, missing: 0, complete: true },
    );
  });

  it('reports demand and power quality from the paired registers', async () => {
    const answer = await bill({
      supply: { import: 'R1001', reactive: 'R1147' },
      period: OCTOBER,
      tariff: { units: [{ name: 'Units', rate: 0.2 }], vatRate: 0 },
    });
    const demand = answer.demand;
    assert.ok(demand);
    const peak = peaks(halfHours);
    const kwh = sum(halfHours.map((h) => h.kwh));
    const kvarh = sum(halfHours.map((h) => h.kvarh ?? 0));
    assert.ok(Math.abs((demand.maxDemandKw ?? 0) - peak.kw) < 1e-9);
    assert.ok(Math.abs((demand.maxDemandKva ?? 0) - peak.kva) < 1e-6);
    assert.equal(Date.parse(demand.maxDemandKvaAt ?? ''), peak.kvaAt);
    assert.ok(Math.abs((demand.powerFactor ?? 0) - kwh / Math.sqrt(kwh * kwh + kvarh * kvarh)) < 1e-9);
    assert.ok((demand.powerFactor ?? 0) > 0.85 && (demand.powerFactor ?? 1) < 0.98);
    assert.ok(Math.abs((demand.excessKvarh ?? 0) - excessReactive(halfHours, 0.33)) < 1e-6);
    assert.ok(Math.abs((demand.loadFactor ?? 0) - (2 * kwh) / halfHours.length / peak.kw) < 1e-9);
  });

  it('charges maximum demand on kW when the tariff says so, without a reactive register', async () => {
    const answer = await bill({
      supply: { import: 'R1001' },
      period: OCTOBER,
      tariff: { units: [{ name: 'Units', rate: 0.2 }], maxDemand: { measure: 'kW', rate: 3 }, vatRate: 0.05 },
    });
    assertLines(answer.lines, [expectedLine('Units', sum(halfHours.map((h) => h.kwh)), 0.2), expectedLine('Maximum demand', peaks(halfHours).kw, 3)]);
    assert.equal(answer.vat, pence(answer.net * 0.05));
  });

  it('converts gas m³ to kWh with the calorific value and the correction factor 1.02264', async () => {
    const m3 = sum((await rawHalfHours(server.url, 'R1006', undefined, ...OCTOBER_UTC)).map((h) => h.kwh));
    const tariff = {
      standingChargePerDay: 1.2,
      units: [{ name: 'Gas', rate: 0.0595 }],
      levies: [{ name: 'CCL', ratePerKwh: 0.00672 }],
      vatRate: 0.2,
      gas: { calorificValue: 39.4 },
    };
    const answer = await bill({ supply: { import: 'R1006' }, period: OCTOBER, tariff });
    const kwh = (m3 * 1.02264 * 39.4) / 3.6;
    assertLines(answer.lines, [expectedLine('Gas', kwh, 0.0595), expectedLine('Standing charge', 31, 1.2), expectedLine('CCL', kwh, 0.00672)]);
    assert.ok(answer.gas && Math.abs(answer.gas.volume - m3) < 1e-6 && answer.gas.correctionFactor === 1.02264);
    assert.equal(answer.demand, undefined);
  });

  it('bills water and sewerage on the returned share', async () => {
    const m3 = sum((await rawHalfHours(server.url, 'R1007', undefined, ...OCTOBER_UTC)).map((h) => h.kwh));
    const tariff = {
      standingChargePerDay: 0.85,
      units: [{ name: 'Water supply', rate: 1.52 }],
      water: { sewerageRate: 2.11, sewerageStandingChargePerDay: 0.65 },
      vatRate: 0,
    };
    const answer = await bill({ supply: { import: 'R1007' }, period: OCTOBER, tariff });
    assertLines(answer.lines, [
      expectedLine('Water supply', m3, 1.52),
      expectedLine('Standing charge', 31, 0.85),
      expectedLine('Sewerage', m3 * 0.95, 2.11),
      expectedLine('Sewerage standing charge', 31, 0.65),
    ]);
    assert.equal(answer.lines[0].unit, 'm3');
  });

  it('reports half-hours that no unit rate holds instead of billing them', async () => {
    const answer = await bill({
      supply: { import: 'R1001' },
      period: OCTOBER,
      tariff: { units: [{ name: 'Peak', rate: 0.3, times: 'Mon-Fri 16:00-19:00' }], vatRate: 0 },
    });
    const peak = halfHours.filter((h) => {
      const local = localTime(h.t, LONDON);
      return !['Sat', 'Sun'].includes(local.weekday) && local.hour >= 16 && local.hour < 19;
    });
    assertLines(answer.lines, [expectedLine('Peak', sum(peak.map((h) => h.kwh)), 0.3)]);
    assert.equal(answer.quality.unbanded.periods, 1490 - peak.length);
  });
});

describe('POST /api/bills: the invoice check', () => {
  it('gives each line a verdict: OK, CHECK, NOT ON BILL, NOT EXPECTED', async () => {
    const shadow = await bill({ supply: { import: 'R1001', reactive: 'R1147' }, period: OCTOBER, tariff: ELECTRICITY });
    const [day, night] = shadow.lines;
    const lines = [
      { name: 'day', quantity: Math.round(day.quantity), amount: pence(Math.round(day.quantity) * 0.2231) }, // rounded units: OK
      { name: 'Night', quantity: night.quantity + 100, amount: pence((night.quantity + 100) * 0.1512) }, // 100 kWh too many
      ...shadow.lines.slice(2, -1).filter((l) => l.name !== 'Excess capacity'),
      { name: 'Meter rental', amount: 12 },
    ];
    const answer = await bill({ supply: { import: 'R1001', reactive: 'R1147' }, period: OCTOBER, tariff: ELECTRICITY, invoice: { lines } });
    const verdicts = Object.fromEntries((answer.check?.lines ?? []).map((c) => [c.name, c.verdict]));
    assert.equal(verdicts.Day, 'OK');
    assert.equal(verdicts.Night, 'CHECK');
    assert.equal(verdicts['Excess capacity'], 'NOT ON BILL');
    assert.equal(verdicts.CCL, 'NOT ON BILL');
    assert.equal(verdicts['Meter rental'], 'NOT EXPECTED');
    assert.equal(verdicts.VAT, 'NOT ON BILL');
    const summary = answer.check?.summary;
    assert.equal(summary?.notExpected, 1);
    assert.equal(summary?.check, 1);
    const night100 = answer.check?.lines.find((c) => c.name === 'Night');
    assert.ok(Math.abs((night100?.quantityDifference ?? 0) - 100) < 1e-6);
  });

  it('DATA QUALITY where half-hours behind a differing line are missing; calendar lines stay CHECK', async () => {
    const features = demoFeatures(SIMULATOR_NOW);
    const month = features.gapSpell.start.slice(0, 7); // the gap register's March
    const period = { firstDay: `${month}-01`, lastDay: `${month}-31`, timeZone: 'UTC' };
    const tariff = { standingChargePerDay: 2, units: [{ name: 'Units', rate: 0.2 }], vatRate: 0 };
    const shadow = await bill({ supply: { import: `R${features.gapRegisterId}` }, period, tariff });
    assert.ok(shadow.quality.missing + shadow.quality.estimated > 0 && !shadow.quality.complete);
    const invoice = {
      lines: [
        { name: 'Units', quantity: shadow.lines[0].quantity + 500, amount: pence((shadow.lines[0].quantity + 500) * 0.2) },
        { name: 'Standing charge', quantity: 30, amount: 60 },
      ],
    };
    const answer = await bill({ supply: { import: `R${features.gapRegisterId}` }, period, tariff, invoice });
    const verdicts = Object.fromEntries((answer.check?.lines ?? []).map((c) => [c.name, c.verdict]));
    assert.deepEqual(verdicts, { Units: 'DATA QUALITY', 'Standing charge': 'CHECK', VAT: 'OK' });
  });
});

describe('POST /api/bills: many bills, one pull per source', () => {
  it('twelve monthly bills cost DCS no more than pulling the year once', async () => {
    const months = Array.from({ length: 12 }, (_, m) => {
      const first = new Date(Date.UTC(2024, m, 1));
      const last = new Date(Date.UTC(2024, m + 1, 0));
      return { firstDay: first.toISOString().slice(0, 10), lastDay: last.toISOString().slice(0, 10), timeZone: LONDON };
    });
    const bills = months.map((period) => ({ supply: { import: 'R1001', reactive: 'R1147' }, period, tariff: ELECTRICITY }));
    await bill({ supply: { import: 'R1001' }, period: OCTOBER, tariff: { units: [{ name: 'Units', rate: 1 }], vatRate: 0 } }); // the catalogue, cached
    const sim = server.simulator;
    assert.ok(sim);
    let before = sim.requestCount;
    const year = await fetch(`${server.url}/api/intervals?id=R1001,R1147&start=2024-01-01&end=2025-01-01&interval=month&timeZone=${LONDON}&output=json`, {
      headers: AUTH,
    });
    assert.equal(year.status, 200);
    await year.text();
    const yearCalls = sim.requestCount - before;
    before = sim.requestCount;
    const answer = await post<BillsJson>({ bills });
    assert.equal(answer.status, 200);
    const billCalls = sim.requestCount - before;
    assert.ok(billCalls <= yearCalls, `${billCalls} DCS calls for 12 bills, ${yearCalls} for the year`);
    assert.equal(answer.body.sources, 2);
    assert.equal(answer.body.bills.length, 12);
    const october = answer.body.bills[9];
    const single = await bill({ supply: { import: 'R1001', reactive: 'R1147' }, period: OCTOBER, tariff: ELECTRICITY });
    assert.deepEqual(october, single);
  });
});

describe('POST /api/bills: refusals', () => {
  const good = { supply: { import: 'R1001', reactive: 'R1147' }, period: OCTOBER, tariff: ELECTRICITY };
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a rate that is not a number', { ...good, tariff: { ...ELECTRICITY, units: [{ name: 'Day', rate: '0.2' }] } }, 'tariff.units[0].rate', /must be a number/],
    ['no unit rates', { ...good, tariff: { ...ELECTRICITY, units: [] } }, 'tariff.units', /at least one/],
    [
      'a band that cannot be read',
      { ...good, tariff: { ...ELECTRICITY, units: [{ name: 'Day', rate: 0.2, times: 'Mon-Fri 19:00-07:00' }] } },
      'tariff.units[0].times',
      /over midnight/,
    ],
    ['a VAT rate given in per cent', { ...good, tariff: { ...ELECTRICITY, vatRate: 20 } }, 'tariff.vatRate', /at most 1/],
    ['an unknown tariff field', { ...good, tariff: { ...ELECTRICITY, standingCharge: 3 } }, 'tariff.standingCharge', /is not a field of tariff/],
    ['kVA demand without a reactive register', { ...good, supply: { import: 'R1001' } }, 'supply.reactive', /kVArh/],
    [
      'an MD measure that does not exist',
      { ...good, tariff: { ...ELECTRICITY, maxDemand: { measure: 'MW', rate: 1 } } },
      'tariff.maxDemand.measure',
      /"kW" or "kVA"/,
    ],
    [
      'a gas calorific value in the wrong unit',
      { ...good, tariff: { units: [{ name: 'Gas', rate: 0.05 }], vatRate: 0.2, gas: { calorificValue: 10.9 } } },
      'tariff.gas.calorificValue',
      /MJ/,
    ],
    [
      'gas conversion on a kWh register',
      { supply: { import: 'R1001' }, period: OCTOBER, tariff: { units: [{ name: 'Gas', rate: 0.05 }], vatRate: 0.2, gas: { calorificValue: 39.4 } } },
      'tariff.gas',
      /already in kWh/,
    ],
    [
      'levies on a water tariff',
      {
        supply: { import: 'R1007' },
        period: OCTOBER,
        tariff: { units: [{ name: 'Water', rate: 1 }], levies: [{ name: 'CCL', ratePerKwh: 0.01 }], vatRate: 0, water: { sewerageRate: 1 } },
      },
      'tariff.levies',
      /water tariff/,
    ],
    ['both lastDay and end', { ...good, period: { ...OCTOBER, end: '2024-11-01' } }, 'period.end', /not both/],
    ['a last day before the first', { ...good, period: { ...OCTOBER, lastDay: '2024-09-30' } }, 'period.lastDay', /before firstDay/],
    ['an instantaneous register', { ...good, supply: { import: 'R1003', reactive: 'R1147' } }, 'supply.import', /instantaneous/],
    ['an invoice line without an amount', { ...good, invoice: { lines: [{ name: 'Day', quantity: 3 }] } }, 'invoice.lines[0].amount', /must be a number/],
    ['the second of many bills wrong', { bills: [good, { ...good, tariff: { ...ELECTRICITY, vatRate: -1 } }] }, 'bills[1].tariff.vatRate', /too small/],
  ];
  for (const [what, body, field, message] of cases) {
    it(`400 naming ${field}: ${what}`, async () => {
      const answer = await post<ApiErrorBody>(body);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.parameter, field);
      assert.match(answer.body.error.message, message);
    });
  }

  it('a body that is not JSON is a 400 saying what to send', async () => {
    const res = await fetch(`${server.url}/api/bills`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{"supply": ' });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as ApiErrorBody).error.message, /bill \{"supply", "period", "tariff"/);
  });

  it('an unknown register is a 404 before anything is pulled', async () => {
    const answer = await post<ApiErrorBody>({ ...good, supply: { import: 'R999999', reactive: 'R1147' } });
    assert.equal(answer.status, 404);
  });
});
