/**
 * The main incomers' reactive energy registers: present on every electricity main incomer,
 * numbered after every register that existed before them, and reading a power factor that
 * varies with the load between 0.85 and 0.98 (worked out here from both registers' half-hours).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FEATURES, demoEstate, type RunningSimulator } from '../src';
import { readings, signIn, start } from './helpers';

describe('simulator: reactive energy of the main incomers', () => {
  const { meters } = demoEstate();
  const incomers = meters.filter((m) => m.name.endsWith('Electricity Main Incomer'));
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(async () => {
    await sim.close();
  });

  it('every main incomer has a kVArh register, numbered after all the others', () => {
    const reactive = incomers.map((m) => m.registers.find((r) => r.name === 'Reactive Energy Import'));
    assert.equal(reactive.filter((r) => r?.unit === 'kVArh' && !r.isInstantaneous).length, incomers.length);
    const reactiveIds = new Set(reactive.map((r) => r?.id));
    // The monitoring-and-targeting registers (weather, boiler-house gas) came later still.
    const later = new Set([DEMO_FEATURES.temperatureRegisterId, DEMO_FEATURES.boilerRegisterId]);
    const others = meters.flatMap((m) => m.registers).filter((r) => !reactiveIds.has(r.id) && !later.has(r.id));
    assert.ok(Math.min(...[...reactiveIds].map(Number)) > Math.max(...others.map((r) => r.id)));
    assert.ok(Math.min(...later) > Math.max(...[...reactiveIds].map(Number)));
    // The ids handed out before stay as they were: the Main Library's import is still R1001.
    assert.equal(incomers[0].registers[0].id, 1001);
  });

  it('reads a power factor between 0.85 and 0.98 that is better at high load', async () => {
    const cookie = await signIn(sim);
    const incomer = incomers[0];
    const [active, reactive] = [incomer.registers[0], incomer.registers.find((r) => r.unit === 'kVArh')];
    const query = (id: number | undefined) => `id=R${id}&startTime=2025-01-06T00:00:00Z&periodCount=336&periodType=halfHour&format=complete`;
    const p = (await readings(sim, query(active.id), cookie)).readings.map((r) => Number(r.periodValue));
    const q = (await readings(sim, query(reactive?.id), cookie)).readings.map((r) => Number(r.periodValue));
    assert.equal(p.length, 336);
    const pf = p.map((kwh, i) => kwh / Math.hypot(kwh, q[i]));
    assert.ok(Math.min(...pf) >= 0.85 && Math.max(...pf) <= 0.98, `${Math.min(...pf)}..${Math.max(...pf)}`);
    const busiest = p.indexOf(Math.max(...p));
    const quietest = p.indexOf(Math.min(...p));
    assert.ok(pf[busiest] > pf[quietest]);
  });
});
