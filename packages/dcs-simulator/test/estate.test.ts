import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ACCOUNTS, DEMO_FEATURES, demoEstate, RunningSimulator, WireMeter, WireVirtualMeter } from '../src';
import { FEATURES, get, NOW, signIn, start } from './helpers';

describe('simulator: demo estate', () => {
  const { meters, virtualMeters } = demoEstate();
  const registers = meters.flatMap((m) => m.registers);

  it('is a campus-sized estate: at least 40 meters, 120 registers and 10 virtual meters', () => {
    assert.ok(meters.length >= 40, `${meters.length} meters`);
    assert.ok(registers.length >= 120, `${registers.length} registers`);
    assert.ok(virtualMeters.length >= 10, `${virtualMeters.length} virtual meters`);
  });

  it('meters electricity import and export, gas, water and heat, and instantaneous kW, V and A', () => {
    const kinds = new Set(registers.map((r) => `${r.isInstantaneous ? 'instantaneous' : 'cumulative'} ${r.unit}`));
    for (const kind of ['cumulative kWh', 'cumulative m3', 'instantaneous kW', 'instantaneous V', 'instantaneous A']) {
      assert.ok(kinds.has(kind), kind);
    }
    const names = new Set(registers.map((r) => r.name));
    for (const name of ['Active Energy Import', 'Active Energy Export', 'Gas Volume', 'Water Volume', 'Heat Energy']) assert.ok(names.has(name), name);
  });

  it('gives meters unique names and registers unique ids, with DCS fields (scale factors as strings)', () => {
    assert.equal(new Set(meters.map((m) => m.name)).size, meters.length);
    assert.equal(new Set(registers.map((r) => r.id)).size, registers.length);
    for (const meter of meters) {
      assert.deepEqual(Object.keys(meter).slice(0, 7), ['id', 'name', 'connectionMethod', 'deviceId', 'meterType', 'remoteAddress', 'serialNumber']);
      assert.equal(Object.keys(meter).at(-1), 'registers');
      assert.ok(['tcp', 'modem', 'idc'].includes(meter.connectionMethod));
      assert.ok(['online', 'offline', 'disabled', 'unknown'].includes(meter.status));
      for (const register of meter.registers) {
        assert.equal(typeof register.scaleFactor, 'string');
        assert.equal(typeof register.defaultScaleFactor, 'string');
      }
    }
  });

  it('gives electricity meters MPANs with a valid check digit', () => {
    const primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
    const electricity = meters.filter((m) => m.service === 'Electricity');
    assert.ok(electricity.length > 10);
    for (const meter of electricity) {
      const mpan = meter.mpn ?? '';
      assert.match(mpan, /^\d{13}$/);
      const sum = primes.reduce((total, p, i) => total + p * Number(mpan[i]), 0);
      assert.equal((sum % 11) % 10, Number(mpan[12]), meter.name);
    }
  });

  it('defines virtual meters whose expressions use exactly their register aliases, which name real registers', () => {
    const byId = new Map(registers.map((r) => [r.id, r]));
    const meterOf = new Map(meters.flatMap((m) => m.registers.map((r) => [r.id, m] as [number, WireMeter])));
    for (const vm of virtualMeters) {
      const used = new Set(vm.expression.match(/[A-Za-z_]\w*/g));
      assert.deepEqual(used, new Set(vm.registerAliases.map((a) => a.alias)), vm.name);
      for (const alias of vm.registerAliases) {
        const register = byId.get(alias.registerId);
        assert.ok(register, `${vm.name}: ${alias.registerId}`);
        assert.equal(alias.registerName, `${meterOf.get(alias.registerId)?.name}: ${register.name}`);
        assert.equal(register.isInstantaneous, vm.isInstantaneous, `${vm.name} mixes kinds`);
      }
    }
    assert.ok(
      virtualMeters.some((vm) => vm.isInstantaneous),
      'an instantaneous virtual meter',
    );
    const net = virtualMeters.find((vm) => vm.id === DEMO_FEATURES.netVirtualMeterId) as WireVirtualMeter;
    assert.equal(net.expression, 'R1-R2');
  });

  it('names feature carriers that exist, with the right kinds', () => {
    const byId = new Map(registers.map((r) => [r.id, r]));
    const vmById = new Map(virtualMeters.map((v) => [v.id, v]));
    for (const key of ['electricityRegisterId', 'gapRegisterId', 'resetRegisterId', 'nanRegisterId', 'calibratedRegisterId', 'exportRegisterId'] as const) {
      assert.equal(byId.get(DEMO_FEATURES[key])?.isInstantaneous, false, key);
    }
    for (const key of ['infinityRegisterId', 'instantaneousRegisterId', 'voltageRegisterId'] as const) {
      assert.equal(byId.get(DEMO_FEATURES[key])?.isInstantaneous, true, key);
    }
    assert.equal(vmById.get(DEMO_FEATURES.cumulativeVirtualMeterId)?.isInstantaneous, false);
    assert.equal(vmById.get(DEMO_FEATURES.instantaneousVirtualMeterId)?.isInstantaneous, true);
  });

  it('places every feature in the previous calendar year, before now', () => {
    const times = [
      FEATURES.gapSpell.start,
      FEATURES.gapSpell.end,
      FEATURES.nanSpell.start,
      FEATURES.nanSpell.end,
      FEATURES.infinitySpell.start,
      FEATURES.infinitySpell.end,
      FEATURES.resetTime,
      FEATURES.calibrationTime,
    ];
    for (const time of times) assert.equal(new Date(time).getUTCFullYear(), NOW.getUTCFullYear() - 1, time);
    const recent = Date.parse(FEATURES.recentGapSpell.start);
    assert.ok(recent < NOW.getTime() && recent > NOW.getTime() - 90 * 86400_000, 'recent gap within the last three months');
    assert.equal(new Date(FEATURES.resetTime).getUTCDay(), 1, 'reset on a Monday');
    assert.equal(new Date(FEATURES.resetTime).getUTCDate(), 1, 'reset on the 1st');
  });

  it('lists the demo accounts with their roles', () => {
    assert.deepEqual(
      DEMO_ACCOUNTS.map((a) => [a.username, a.password, a.role]),
      [
        ['demo', 'demo', 'Operator'],
        ['viewer', 'viewer', 'Viewer'],
        ['expired', 'expired', 'Viewer'],
      ],
    );
  });
});

describe('simulator: /meters and /virtualMeters', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  it('lists the whole estate for demo and for the public endpoint', async () => {
    const cookie = await signIn(sim);
    const estate = demoEstate();
    assert.deepEqual(JSON.parse((await get(sim, 'meters', cookie)).text), estate.meters);
    assert.deepEqual(JSON.parse((await get(sim, 'virtualMeters', cookie)).text), estate.virtualMeters);
    assert.deepEqual(JSON.parse((await get(sim, 'public/meters')).text), estate.meters);
    assert.deepEqual(JSON.parse((await get(sim, 'public/virtualMeters')).text), estate.virtualMeters);
  });

  it('lists for viewer only its permitted meters, and only virtual meters built entirely from them', async () => {
    const cookie = await signIn(sim, 'viewer');
    const meters = JSON.parse((await get(sim, 'meters', cookie)).text) as WireMeter[];
    const vms = JSON.parse((await get(sim, 'virtualMeters', cookie)).text) as WireVirtualMeter[];
    const all = demoEstate();
    assert.ok(meters.length > 0 && meters.length < all.meters.length);
    for (const meter of meters) assert.match(meter.name, /^(Main Library|Students' Union|Sports Centre) - /);
    const visibleRegisters = new Set(meters.flatMap((m) => m.registers.map((r) => r.id)));
    assert.ok(visibleRegisters.has(DEMO_FEATURES.viewerAllowedRegisterId));
    assert.ok(!visibleRegisters.has(DEMO_FEATURES.viewerForbiddenRegisterId));
    assert.ok(vms.length > 0 && vms.length < all.virtualMeters.length);
    for (const vm of vms) for (const alias of vm.registerAliases) assert.ok(visibleRegisters.has(alias.registerId), vm.name);
    assert.ok(vms.some((vm) => vm.id === DEMO_FEATURES.viewerAllowedVirtualMeterId));
  });

  it('matches paths case-insensitively, as IIS does', async () => {
    assert.equal((await get(sim, 'public/virtualmeters')).status, 200);
    assert.equal((await get(sim, 'PUBLIC/METERS/')).status, 200);
  });
});
