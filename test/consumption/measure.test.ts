/**
 * measureConsumption with a DCS client against the simulator directly, for what the HTTP route
 * cannot show: the fallback to differences of totals when a DCS refuses the complete format.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DcsBadRequestError, DcsClient } from 'dcs-client';
import { measureConsumption } from '../../server/consumption/measure';
import type { CatalogueSource } from '../../server/catalogue';
import { DEMO_FEATURES, demoFeatures, startSimulator, type RunningSimulator } from 'dcs-simulator';

const NOW = new Date('2025-06-01T00:00:00Z');
const F = demoFeatures(NOW);
const DAY_MS = 86_400_000;

let simulator: RunningSimulator;
let client: DcsClient;

before(async () => {
  simulator = await startSimulator({ now: () => NOW });
  client = await DcsClient.connect({ url: simulator.url });
});

after(async () => {
  await client[Symbol.asyncDispose]();
  await simulator.close();
});

/** The same client, as a DCS that answers 400 to the complete format would behave. */
function withoutCompleteFormat(dcs: DcsClient): DcsClient {
  return new Proxy(dcs, {
    get(target, property, receiver) {
      if (property === 'largeReadings') {
        return (query: Parameters<DcsClient['largeReadings']>[0], options: Parameters<DcsClient['largeReadings']>[1]) =>
          query.format === 'complete'
            ? Promise.reject(new DcsBadRequestError('DCS refused the query', { status: 400, details: 'format: unknown value complete' }))
            : target.largeReadings(query, options);
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function register(id: number, name: string, unit: string): CatalogueSource {
  return { id: `R${id}`, kind: 'register', name, unit, isInstantaneous: false };
}

describe('when a DCS refuses the complete format', () => {
  it('falls back to the difference of totals, which agrees with DCS period values on a clean register', async () => {
    const source = register(DEMO_FEATURES.electricityRegisterId, 'Main Library', 'kWh');
    const span = { startMs: Date.UTC(2024, 3, 1), endMs: Date.UTC(2024, 4, 1) };
    const withPeriodValues = await measureConsumption(client, source, span);
    const fromTotals = await measureConsumption(withoutCompleteFormat(client), source, span);
    assert.equal(withPeriodValues.method, 'periodValues');
    assert.equal(fromTotals.method, 'totalsDifference');
    assert.ok(Math.abs(fromTotals.consumption - withPeriodValues.consumption) < 1e-6, `${fromTotals.consumption} vs ${withPeriodValues.consumption}`);
    assert.deepEqual(
      { periods: fromTotals.periods, interpolated: fromTotals.interpolated, resets: fromTotals.resets, missing: fromTotals.missing },
      { periods: 30 * 48, interpolated: 0, resets: 0, missing: 0 },
    );
  });

  it('splits at a reset, losing only the half-hour that crosses it, and counts that half-hour', async () => {
    const source = register(DEMO_FEATURES.resetRegisterId, 'Sports Centre water', 'm3');
    const resetMs = Date.parse(F.resetTime);
    const span = { startMs: resetMs - 2 * DAY_MS, endMs: resetMs + 2 * DAY_MS };
    const withPeriodValues = await measureConsumption(client, source, span);
    const fromTotals = await measureConsumption(withoutCompleteFormat(client), source, span);
    assert.equal(fromTotals.resets, 1);
    assert.equal(withPeriodValues.resets, 1);

    // The crossing half-hour's consumption, from DCS's own period value.
    const crossing = await client.readings({ id: source.id, start: new Date(resetMs - 1_800_000), end: new Date(resetMs), format: 'complete' });
    const lost = (crossing.readings[0] as { periodValue: number }).periodValue;
    assert.ok(lost > 0);
    assert.ok(
      Math.abs(withPeriodValues.consumption - lost - fromTotals.consumption) < 1e-6,
      `${withPeriodValues.consumption} - ${lost} vs ${fromTotals.consumption}`,
    );
  });
});
