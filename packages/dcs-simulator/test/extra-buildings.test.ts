/**
 * A larger estate (the `extraBuildings` option): the demo estate stays exactly as it was, ids
 * and all, and each further building brings its own meters and billable supplies, with unique
 * ids and DCS fields, and data that behaves like the demo's buildings of the same use.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DcsClient } from 'dcs-client';
import { DEMO_FEATURES, demoEstate, MAX_EXTRA_BUILDINGS, type RunningSimulator, type WireMeter, type WireVirtualMeter } from '../src';
import { get, signIn, start } from './helpers';

type Listing = { meters: WireMeter[]; virtualMeters: WireVirtualMeter[] };

const registersOf = (listing: Listing) => listing.meters.flatMap((m) => m.registers);

/** Sources a bill can be drawn on: cumulative registers (not reactive energy) and cumulative virtual meters. */
function billableSupplies(listing: Listing): string[] {
  const registers = registersOf(listing).filter((r) => !r.isInstantaneous && r.unit !== 'kVArh');
  const virtualMeters = listing.virtualMeters.filter((vm) => !vm.isInstantaneous);
  return [...registers.map((r) => `R${r.id}`), ...virtualMeters.map((vm) => `VM${vm.id}`)];
}

const range = (from: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => from + i * step);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('simulator: the demo estate, without further buildings', () => {
  const estate = demoEstate();

  it('is unchanged: 17 buildings, 50 meters (101-150), 165 registers (1001-1165), 15 virtual meters (3-31, odd), 83 billable supplies', () => {
    assert.deepEqual(
      estate.meters.map((m) => m.id),
      range(101, 50),
    );
    assert.deepEqual(sorted(registersOf(estate).map((r) => r.id)), range(1001, 165));
    assert.deepEqual(
      estate.virtualMeters.map((vm) => vm.id),
      range(3, 15, 2),
    );
    assert.equal(billableSupplies(estate).length, 83);
    assert.equal(new Set(estate.meters.map((m) => m.name.split(' - ')[0])).size, 17 + 1, '17 buildings, and Birch Hall’s boiler house');
  });

  it('is byte for byte the listing the tests and docs were written against (a change to it changes this fingerprint)', () => {
    const fingerprint = createHash('sha256').update(JSON.stringify(estate)).digest('hex');
    assert.equal(fingerprint, '91c6cdb2305d552af0e0e54d25b6c29c2359dd6f76167eb89f53c3bfcb1c2069');
  });

  it('keeps the feature carriers where the docs say they are', () => {
    assert.equal(DEMO_FEATURES.electricityRegisterId, 1001);
    assert.equal(DEMO_FEATURES.gapRegisterId, 1019);
    assert.equal(DEMO_FEATURES.resetRegisterId, 1052);
    assert.equal(DEMO_FEATURES.nanRegisterId, 1036);
    assert.equal(DEMO_FEATURES.infinityRegisterId, 1087);
    assert.equal(DEMO_FEATURES.calibratedRegisterId, 1058);
    assert.equal(DEMO_FEATURES.boilerRegisterId, 1165);
  });

  it('is what extraBuildings: 0 gives', () => {
    assert.deepEqual(demoEstate({ extraBuildings: 0 }), estate);
  });
});

describe('simulator: a larger estate (extraBuildings)', () => {
  const demo = demoEstate();
  const demoRegisterIds = new Set(registersOf(demo).map((r) => r.id));

  for (const count of [1, 5, MAX_EXTRA_BUILDINGS]) {
    it(`with ${count} further building(s): the demo estate first, unchanged, and 4 more billable supplies per building, ids unique`, () => {
      const larger = demoEstate({ extraBuildings: count });
      assert.deepEqual(larger.meters.slice(0, demo.meters.length), demo.meters);
      assert.deepEqual(larger.virtualMeters, demo.virtualMeters, 'the campus virtual meters stay the demo’s');
      const added = larger.meters.slice(demo.meters.length);
      assert.equal(added.length, 3 * count, 'an electricity main incomer, gas and water each');
      const supplies = billableSupplies(larger);
      assert.equal(supplies.length, billableSupplies(demo).length + 4 * count, 'import, export, gas and water each');
      assert.equal(new Set(supplies).size, supplies.length);
      const registers = registersOf(larger);
      assert.equal(new Set(registers.map((r) => r.id)).size, registers.length, 'register ids');
      assert.equal(new Set(larger.meters.map((m) => m.id)).size, larger.meters.length, 'meter ids');
      assert.equal(new Set(larger.meters.map((m) => m.name)).size, larger.meters.length, 'meter names');
      assert.equal(new Set(larger.meters.map((m) => m.serialNumber)).size, larger.meters.length, 'serial numbers');
      const mpns = larger.meters.flatMap((m) => (m.mpn === undefined ? [] : [m.mpn]));
      assert.equal(new Set(mpns).size, mpns.length, 'MPANs and MPRNs');
      const newIds = added.flatMap((m) => m.registers.map((r) => r.id));
      assert.ok(Math.min(...newIds) > Math.max(...demoRegisterIds), 'numbered after every id of the demo estate');
      assert.ok(Math.min(...added.map((m) => m.id)) > Math.max(...demo.meters.map((m) => m.id)));
    });
  }

  it('a larger count only adds buildings after the ones a smaller count gives', () => {
    const five = demoEstate({ extraBuildings: 5 });
    assert.deepEqual(demoEstate({ extraBuildings: MAX_EXTRA_BUILDINGS }).meters.slice(0, five.meters.length), five.meters);
  });

  it('gives every further building a main incomer with import, export, power, V, A and reactive energy, a valid MPAN, gas and water', () => {
    const added = demoEstate({ extraBuildings: MAX_EXTRA_BUILDINGS }).meters.slice(demo.meters.length);
    const primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
    for (let i = 0; i < added.length; i += 3) {
      const [electricity, gas, water] = added.slice(i, i + 3);
      const building = electricity.name.replace(' - Electricity Main Incomer', '');
      assert.equal(electricity.service, 'Electricity', building);
      assert.deepEqual([gas.name, gas.service, water.name, water.service], [`${building} - Gas`, 'Gas', `${building} - Water`, 'Water']);
      const names = electricity.registers.map((r) => r.name);
      for (const name of ['Active Energy Import', 'Active Energy Export', 'Active Power', 'Voltage L1-N', 'Current L1', 'Reactive Energy Import']) {
        assert.ok(names.includes(name), `${building}: ${name}`);
      }
      const mpan = electricity.mpn ?? '';
      assert.match(mpan, /^\d{13}$/);
      assert.equal((primes.reduce((total, p, k) => total + p * Number(mpan[k]), 0) % 11) % 10, Number(mpan[12]), building);
    }
  });

  it('refuses a count it cannot build, naming the option', async () => {
    for (const bad of [-1, 1.5, NaN, MAX_EXTRA_BUILDINGS + 1]) {
      await assert.rejects(start({ extraBuildings: bad }), new RegExp(`extraBuildings must be a whole number from 0 to ${MAX_EXTRA_BUILDINGS}`));
    }
  });
});

describe('simulator: the further buildings’ data', () => {
  const EXTRA = 5;
  const YEAR = '2025';
  let sim: RunningSimulator;
  let dcs: DcsClient;
  const larger = demoEstate({ extraBuildings: EXTRA });
  const added = larger.meters.slice(demoEstate().meters.length);
  before(async () => {
    sim = await start({ extraBuildings: EXTRA });
    dcs = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo' });
  });
  after(async () => {
    await dcs.signOut();
    await sim.close();
  });

  const registerId = (meter: string, register: string): string => {
    const found = added.find((m) => m.name === meter)?.registers.find((r) => r.name === register);
    assert.ok(found, `${meter}: ${register}`);
    return `R${found.id}`;
  };
  const daily = async (id: string): Promise<Map<string, number>> => {
    const result = await dcs.readings({
      id,
      start: `${YEAR}-01-01T00:00:00Z`,
      end: `${Number(YEAR) + 1}-01-01T00:00:00Z`,
      periodType: 'day',
      format: 'complete',
    });
    return new Map(result.readings.map((r) => [r.timestamp.toISOString().slice(0, 10), r.periodValue]));
  };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const month = (days: Map<string, number>, m: string) => [...days].filter(([date]) => date.startsWith(`${YEAR}-${m}`)).reduce((sum, [, v]) => sum + v, 0);
  const weekRatio = (days: Map<string, number>) => {
    const weekend = [...days].filter(([date]) => new Date(`${date}T00:00:00Z`).getUTCDay() % 6 === 0).map(([, v]) => v);
    const weekday = [...days].filter(([date]) => new Date(`${date}T00:00:00Z`).getUTCDay() % 6 !== 0).map(([, v]) => v);
    return mean(weekend) / mean(weekday);
  };

  it('lists them to demo and on the public endpoint, never to the restricted viewer', async () => {
    assert.deepEqual(JSON.parse((await get(sim, 'public/meters')).text), larger.meters);
    const viewerMeters = JSON.parse((await get(sim, 'meters', await signIn(sim, 'viewer'))).text) as WireMeter[];
    const addedIds = new Set(added.map((m) => m.id));
    assert.ok(viewerMeters.length > 0 && viewerMeters.every((m) => !addedIds.has(m.id)));
  });

  it('reads a year of consumption on every day, sized like the demo estate’s buildings', async () => {
    const demoImports = demoEstate().meters.filter((m) => m.service === 'Electricity');
    const demoMeans = await Promise.all(demoImports.map(async (m) => mean([...(await daily(`R${m.registers[0].id}`)).values()]) / 48));
    for (const meter of added) {
      const register = meter.registers[0];
      const days = await daily(`R${register.id}`);
      assert.equal(days.size, 365, meter.name);
      assert.ok(
        [...days.values()].every((v) => v > 0),
        `${meter.name}: something used every day`,
      );
      if (meter.service !== 'Electricity') continue;
      const perHalfHour = mean([...days.values()]) / 48;
      assert.ok(
        perHalfHour >= Math.min(...demoMeans) / 2 && perHalfHour <= Math.max(...demoMeans),
        `${meter.name}: ${perHalfHour.toFixed(1)} kWh per half-hour, the demo's from ${Math.min(...demoMeans).toFixed(1)} to ${Math.max(...demoMeans).toFixed(1)}`,
      );
    }
  });

  it('follows each building’s use: teaching and offices quieter at weekends, halls of residence not, heating gas in winter', async () => {
    const teaching = weekRatio(await daily(registerId('Physics Building - Electricity Main Incomer', 'Active Energy Import')));
    const office = weekRatio(await daily(registerId('Registry - Electricity Main Incomer', 'Active Energy Import')));
    const hall = weekRatio(await daily(registerId('Ashgrove Hall - Electricity Main Incomer', 'Active Energy Import')));
    assert.ok(teaching < 0.8, `Physics Building: weekend ÷ weekday ${teaching.toFixed(2)}`);
    assert.ok(office < 0.8, `Registry: weekend ÷ weekday ${office.toFixed(2)}`);
    assert.ok(hall > 0.95, `Ashgrove Hall: weekend ÷ weekday ${hall.toFixed(2)}`);
    for (const meter of added.filter((m) => m.service === 'Gas')) {
      const days = await daily(`R${meter.registers[0].id}`);
      assert.ok(
        month(days, '01') > 2 * month(days, '07'),
        `${meter.name}: January ${month(days, '01').toFixed(0)} m3, July ${month(days, '07').toFixed(0)} m3`,
      );
    }
  });

  it('reads a power factor between 0.85 and 0.98 on every further main incomer', async () => {
    for (const meter of added.filter((m) => m.service === 'Electricity')) {
      const week = (id: string) =>
        dcs.readings({ id, start: `${YEAR}-01-06T00:00:00Z`, end: `${YEAR}-01-13T00:00:00Z`, periodType: 'halfHour', format: 'complete' });
      const p = (await week(registerId(meter.name, 'Active Energy Import'))).readings.map((r) => r.periodValue);
      const q = (await week(registerId(meter.name, 'Reactive Energy Import'))).readings.map((r) => r.periodValue);
      assert.equal(p.length, 336);
      const pf = p.map((kwh, i) => kwh / Math.hypot(kwh, q[i]));
      assert.ok(Math.min(...pf) >= 0.85 && Math.max(...pf) <= 0.98, `${meter.name}: ${Math.min(...pf).toFixed(3)}..${Math.max(...pf).toFixed(3)}`);
    }
  });
});
