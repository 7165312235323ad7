import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FEATURES, demoEstate, RunningSimulator } from '../src';
import { FEATURES, get, NOW, plusMinutes, readings, start, WireReading } from './helpers';

const ELEC = DEMO_FEATURES.electricityRegisterId;

function values(list: WireReading[], key: 'value' | 'totalValue' | 'periodValue' = 'value'): number[] {
  return list.map((r) => Number(r[key]));
}

describe('simulator: readings shapes', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  it('answers a half-open span: startTime 18:00 with 4 half hours gives 18:00..19:30 and endTime 20:00', async () => {
    const body = await readings(sim, `id=R${ELEC}&startTime=2021-09-20T18:00:00Z&periodCount=4&periodType=halfHour`);
    assert.equal(body.startTime, '2021-09-20T18:00:00Z');
    assert.equal(body.endTime, '2021-09-20T20:00:00Z');
    assert.deepEqual(
      body.readings.map((r) => r.timestamp),
      ['2021-09-20T18:00:00Z', '2021-09-20T18:30:00Z', '2021-09-20T19:00:00Z', '2021-09-20T19:30:00Z'],
    );
  });

  it('gives the same span from endTime and periodCount, or from startTime and endTime', async () => {
    const a = await readings(sim, `id=R${ELEC}&startTime=2021-09-20T18:00:00Z&periodCount=4`);
    const b = await readings(sim, `id=R${ELEC}&endTime=2021-09-20T20:00:00Z&periodCount=4`);
    const c = await readings(sim, `id=R${ELEC}&startTime=2021-09-20T18:00:00Z&endTime=2021-09-20T20:00:00Z`);
    assert.deepEqual(b, a);
    assert.deepEqual(c, a);
  });

  it('sends keys in DCS order with readings last, a register named "<meter>: <register>", duration 0 and wire timestamps', async () => {
    const answer = await get(sim, `public/readings?id=R${ELEC}&startTime=2025-01-06T00:00:00Z&periodCount=2&periodType=week`);
    const body = JSON.parse(answer.text);
    assert.deepEqual(Object.keys(body), ['startTime', 'endTime', 'name', 'periodType', 'unit', 'duration', 'readings']);
    assert.equal(body.name, 'Main Library - Electricity Main Incomer: Active Energy Import');
    assert.equal(body.unit, 'kWh');
    assert.equal(body.duration, 0);
    assert.equal(body.periodType, 'week');
    assert.deepEqual(Object.keys(body.readings[0]), ['timestamp', 'value', 'status']);
    assert.match(answer.text, /"timestamp":"2025-01-13T00:00:00Z"/);
  });

  it('steps months by the calendar', async () => {
    const body = await readings(sim, `id=R${ELEC}&startTime=2024-01-01T00:00:00Z&endTime=2025-01-01T00:00:00Z&periodType=month`);
    assert.deepEqual(
      body.readings.map((r) => r.timestamp.slice(0, 10)),
      Array.from({ length: 12 }, (_, m) => `2024-${String(m + 1).padStart(2, '0')}-01`),
    );
  });

  it('has readings back to 1900-01-01 and none before', async () => {
    const body = await readings(sim, `id=R${ELEC}&startTime=1899-12-31T22:00:00Z&periodCount=8`);
    assert.deepEqual(
      body.readings.map((r) => r.timestamp),
      ['1900-01-01T00:00:00Z', '1900-01-01T00:30:00Z', '1900-01-01T01:00:00Z', '1900-01-01T01:30:00Z'],
    );
  });

  it('has a reading for every half hour before now and none at or after now (DCS cannot read the future)', async () => {
    const body = await readings(sim, `id=R${ELEC}&startTime=2026-03-15T08:00:00Z&endTime=2026-03-16T00:00:00Z`);
    assert.deepEqual(
      body.readings.map((r) => r.timestamp),
      ['2026-03-15T08:00:00Z', '2026-03-15T08:30:00Z', '2026-03-15T09:00:00Z', '2026-03-15T09:30:00Z', '2026-03-15T10:00:00Z'],
    );
    assert.equal(body.endTime, '2026-03-16T00:00:00Z', 'the header still reports the span asked for');
    assert.ok(Date.parse(body.readings.at(-1)!.timestamp) < NOW.getTime());
  });

  it('is deterministic: the same clock gives the same bytes', async () => {
    const other = await start();
    try {
      const query = `public/readings?id=VM${DEMO_FEATURES.cumulativeVirtualMeterId}&startTime=2025-03-01T00:00:00Z&periodCount=96`;
      assert.equal((await get(other, query)).text, (await get(sim, query)).text);
    } finally {
      await other.close();
    }
  });

  it('gives totals that never decrease on a clean cumulative register, and plausible instantaneous values', async () => {
    const totals = values((await readings(sim, `id=R${ELEC}&startTime=2025-01-01T00:00:00Z&periodCount=2000`)).readings);
    for (let i = 1; i < totals.length; i++) assert.ok(totals[i] > totals[i - 1], `rises at ${i}`);
    const volts = values((await readings(sim, `id=R${DEMO_FEATURES.voltageRegisterId}&startTime=2025-01-01T00:00:00Z&periodCount=480`)).readings);
    for (const v of volts) assert.ok(v > 225 && v < 250, `${v} V`);
    const kw = values((await readings(sim, `id=R${DEMO_FEATURES.instantaneousRegisterId}&startTime=2025-01-01T00:00:00Z&periodCount=480`)).readings);
    for (const p of kw) assert.ok(p > 10 && p < 1000, `${p} kW`);
  });
});

describe('simulator: consumption shape', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  /** Consumption per day over [start, start + days) from daily totals. */
  async function daily(id: number, start: string, days: number): Promise<Array<{ day: number; use: number }>> {
    const body = await readings(sim, `id=R${id}&startTime=${start}&periodCount=${days}&periodType=day&format=complete`);
    return body.readings.map((r) => ({ day: new Date(r.timestamp).getUTCDay(), use: Number(r.periodValue) }));
  }
  const mean = (list: number[]): number => list.reduce((a, b) => a + b, 0) / list.length;

  it('uses more electricity in an academic building on weekdays than at weekends', async () => {
    const days = await daily(ELEC, '2025-10-06T00:00:00Z', 28);
    const weekday = mean(days.filter((d) => d.day >= 1 && d.day <= 5).map((d) => d.use));
    const weekend = mean(days.filter((d) => d.day === 0 || d.day === 6).map((d) => d.use));
    assert.ok(weekday > weekend * 1.3, `weekday ${weekday} vs weekend ${weekend}`);
  });

  it('burns more gas in winter than in summer', async () => {
    const gas = DEMO_FEATURES.calibratedRegisterId;
    const winter = mean((await daily(gas, '2025-01-06T00:00:00Z', 28)).map((d) => d.use));
    const summer = mean((await daily(gas, '2025-07-07T00:00:00Z', 28)).map((d) => d.use));
    assert.ok(winter > summer * 2, `winter ${winter} vs summer ${summer}`);
  });

  it('exports solar power by day and none at night', async () => {
    const body = await readings(sim, `id=R${DEMO_FEATURES.exportRegisterId}&startTime=2025-06-21T00:00:00Z&periodCount=48&format=complete`);
    const byHour = body.readings.map((r) => Number(r.periodValue));
    assert.equal(byHour[2], 0, '01:00');
    assert.ok(byHour[24] > 0, 'noon');
  });
});

describe('simulator: data features', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  const gap = FEATURES.gapSpell;
  const gapId = DEMO_FEATURES.gapRegisterId;

  it("leaves a gap's readings out when interpolated=false", async () => {
    const body = await readings(sim, `id=R${gapId}&startTime=${plusMinutes(gap.start, -60)}&endTime=${plusMinutes(gap.end, 60)}&interpolated=false`);
    assert.deepEqual(
      body.readings.map((r) => r.timestamp),
      [plusMinutes(gap.start, -60), plusMinutes(gap.start, -30), gap.end, plusMinutes(gap.end, 30)],
    );
    assert.ok(body.readings.every((r) => r.status === 0));
  });

  it('fills a gap with status-1 readings interpolated in a straight line when interpolated=true', async () => {
    const body = await readings(sim, `id=R${gapId}&startTime=${plusMinutes(gap.start, -30)}&endTime=${plusMinutes(gap.end, 30)}&interpolated=true`);
    const inside = body.readings.slice(1, -1);
    assert.ok(inside.length > 100);
    assert.ok(
      inside.every((r) => r.status === 1),
      'interpolated readings carry status 1',
    );
    assert.equal(body.readings[0].status, 0);
    assert.equal(body.readings.at(-1)!.timestamp, gap.end);
    assert.equal(body.readings.at(-1)!.status, 0);
    const v = values(body.readings);
    const step = (v[v.length - 1] - v[0]) / (v.length - 1);
    for (let i = 1; i < v.length - 1; i++) assert.ok(Math.abs(v[i] - (v[0] + step * i)) < 0.02, `linear at ${i}`);
  });

  it('shows the gap on day readings too (a midnight inside it is missing)', async () => {
    const day = `${gap.start.slice(0, 10)}T00:00:00Z`;
    const body = await readings(sim, `id=R${gapId}&startTime=${day}&periodCount=5&periodType=day&interpolated=false`);
    assert.ok(body.readings.length < 5, `${body.readings.length} of 5 days`);
  });

  it('has a recent gap too', async () => {
    const recent = FEATURES.recentGapSpell;
    const body = await readings(sim, `id=R${gapId}&startTime=${recent.start}&endTime=${recent.end}&interpolated=false`);
    assert.equal(body.readings.length, 0);
  });

  it('marks a register reset with status 2: the total restarts near 0, consumption stays correct', async () => {
    const id = DEMO_FEATURES.resetRegisterId;
    const body = await readings(sim, `id=R${id}&startTime=${plusMinutes(FEATURES.resetTime, -60)}&periodCount=4&format=complete`);
    const [, before, reset, afterReset] = body.readings;
    assert.equal(reset.timestamp, FEATURES.resetTime);
    assert.equal(reset.status, 2);
    assert.equal(before.status, 0);
    assert.equal(afterReset.status, 0);
    assert.ok(Number(before.totalValue) > 1000, 'old meter had a large total');
    assert.ok(Number(reset.totalValue) < 1, 'new meter starts near 0');
    const consumption = Number(before.periodValue);
    assert.ok(consumption > 0 && consumption < 50, `period value across the reset is consumption (${consumption}), not a huge negative`);
    assert.ok(Math.abs(Number(reset.periodValue) - (Number(afterReset.totalValue) - Number(reset.totalValue))) < 1e-6);
  });

  it('reads "NaN" strings through the NaN spell', async () => {
    const answer = await get(sim, `public/readings?id=R${DEMO_FEATURES.nanRegisterId}&startTime=${plusMinutes(FEATURES.nanSpell.start, -30)}&periodCount=3`);
    const body = JSON.parse(answer.text);
    assert.equal(typeof body.readings[0].value, 'number');
    assert.equal(body.readings[1].value, 'NaN');
    assert.equal(body.readings[2].value, 'NaN');
    assert.match(answer.text, /"value":"NaN"/);
  });

  it('has a recent NaN spell too', async () => {
    const body = await readings(sim, `id=R${DEMO_FEATURES.nanRegisterId}&startTime=${FEATURES.recentNanSpell.start}&endTime=${FEATURES.recentNanSpell.end}`);
    assert.ok(body.readings.length > 0 && body.readings.every((r) => r.value === 'NaN'));
  });

  it('reads "Infinity" and "-Infinity" strings through the infinity spell', async () => {
    const body = await readings(
      sim,
      `id=R${DEMO_FEATURES.infinityRegisterId}&startTime=${FEATURES.infinitySpell.start}&endTime=${plusMinutes(FEATURES.infinitySpell.end, 30)}`,
    );
    const v = body.readings.map((r) => r.value);
    assert.deepEqual(new Set(v.slice(0, -1)), new Set(['Infinity', '-Infinity']));
    assert.equal(typeof v.at(-1), 'number');
  });

  it('adds the calibration offset to totals from the calibration time when calibrated=true, and gives raw totals when false', async () => {
    const id = DEMO_FEATURES.calibratedRegisterId;
    const query = `id=R${id}&startTime=${plusMinutes(FEATURES.calibrationTime, -60)}&periodCount=4`;
    const raw = values((await readings(sim, `${query}&calibrated=false`)).readings);
    const calibrated = values((await readings(sim, `${query}&calibrated=true`)).readings);
    assert.deepEqual(calibrated.slice(0, 2), raw.slice(0, 2), 'no offset before the calibration');
    for (const i of [2, 3]) assert.ok(Math.abs(calibrated[i] - raw[i] - FEATURES.calibrationOffset) < 1e-6, `offset at ${i}`);
  });

  it('gives complete readings: totalValue as standard gives it, periodValue the consumption to the next total', async () => {
    const query = `id=R${ELEC}&startTime=2025-02-03T00:00:00Z&periodCount=6&periodType=hour`;
    const standard = (await readings(sim, query)).readings;
    const complete = (await readings(sim, `${query}&format=complete`)).readings;
    assert.deepEqual(Object.keys(complete[0]), ['timestamp', 'totalValue', 'periodValue', 'status']);
    assert.deepEqual(values(complete, 'totalValue'), values(standard));
    for (let i = 0; i < complete.length - 1; i++) {
      assert.ok(Math.abs(Number(complete[i].periodValue) - (Number(complete[i + 1].totalValue) - Number(complete[i].totalValue))) < 1e-6);
    }
  });
});

describe('simulator: virtual meters', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  it('gives a cumulative virtual meter per-period consumption from its expression, with a non-zero duration', async () => {
    const vm = demoEstate().virtualMeters.find((v) => v.id === DEMO_FEATURES.netVirtualMeterId)!;
    const [imp, exp] = vm.registerAliases.map((a) => a.registerId);
    const span = 'startTime=2025-06-21T08:00:00Z&periodCount=6&periodType=hour';
    const net = await readings(sim, `id=VM${vm.id}&${span}`);
    const importUse = values((await readings(sim, `id=R${imp}&${span}&format=complete`)).readings, 'periodValue');
    const exportUse = values((await readings(sim, `id=R${exp}&${span}&format=complete`)).readings, 'periodValue');
    assert.equal(net.duration, 60);
    assert.equal(net.name, vm.name);
    values(net.readings).forEach((v, i) => assert.ok(Math.abs(v - (importUse[i] - exportUse[i])) < 0.011, `hour ${i}`));
  });

  it('gives an instantaneous virtual meter instantaneous values (duration 0) combined by its expression', async () => {
    const vm = demoEstate().virtualMeters.find((v) => v.id === DEMO_FEATURES.instantaneousVirtualMeterId)!;
    const span = 'startTime=2025-03-03T12:00:00Z&periodCount=2';
    const total = await readings(sim, `id=VM${vm.id}&${span}`);
    assert.equal(total.duration, 0);
    let sum = [0, 0];
    for (const alias of vm.registerAliases) {
      const v = values((await readings(sim, `id=R${alias.registerId}&${span}`)).readings);
      sum = sum.map((s, i) => s + v[i]);
    }
    values(total.readings).forEach((v, i) => assert.ok(Math.abs(v - sum[i]) < 0.2, `${v} vs ${sum[i]}`));
  });

  it('carries NaN from a register through a virtual meter that reads it', async () => {
    const losses = demoEstate().virtualMeters.find((v) => v.registerAliases.some((a) => a.registerId === DEMO_FEATURES.nanRegisterId))!;
    const body = await readings(sim, `id=VM${losses.id}&startTime=${FEATURES.nanSpell.start}&periodCount=2`);
    assert.deepEqual(
      body.readings.map((r) => r.value),
      ['NaN', 'NaN'],
    );
  });
});
