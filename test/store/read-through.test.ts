import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DcsClient, type AnyReading } from 'dcs-client';
import { startSimulator, DEMO_FEATURES, demoFeatures, type RunningSimulator } from 'dcs-simulator';
import { arrangeParts, openReadingsStore, readThrough, type ReadingsStore, type RecordSummary, type SeriesKey, type Span } from '../../server/store';
import { skipWithoutPostgres, startPostgres, type RunningService } from '../support/services';

const NOW = new Date('2026-06-15T12:00:00Z');
const FEATURES = demoFeatures(NOW);
const DAY = 86_400_000;

function key(registerId: number, extra: Partial<SeriesKey> = {}): SeriesKey {
  return {
    endpoint: 'will be the simulator',
    source: `R${registerId}`,
    periodType: 'halfHour',
    calibrated: true,
    interpolated: true,
    format: 'standard',
    ...extra,
  };
}

function span(startIso: string, endIso: string): Span {
  return { start: new Date(startIso), end: new Date(endIso) };
}

describe('read-through pulls (simulator + PostgreSQL)', { skip: skipWithoutPostgres(__filename) }, () => {
  let postgres: RunningService;
  let store: ReadingsStore;
  let sim: RunningSimulator;
  let dcs: DcsClient;
  const recorded: RecordSummary[] = [];

  before(async () => {
    [postgres, sim] = await Promise.all([startPostgres(), startSimulator({ now: () => NOW })]);
    store = await openReadingsStore({ databaseUrl: postgres.url, now: () => NOW.getTime() });
    dcs = new DcsClient({ url: sim.url });
  });
  after(async () => {
    await store?.close();
    await sim?.close();
    await postgres?.stop();
  });

  /** A pull as a route would make it: through the store, DCS asked for what the store lacks. */
  async function pull(k: SeriesKey, s: Span, options: { listen?: boolean } = {}) {
    const seriesKey = { ...k, endpoint: sim.url };
    const before = sim.requestCount;
    const stream = await readThrough(
      store,
      seriesKey,
      s,
      (part) =>
        dcs.streamReadings({
          id: k.source,
          start: part.start,
          end: part.end,
          periodType: k.periodType,
          interpolated: k.interpolated,
          calibrated: k.calibrated,
          format: k.format,
        }),
      options.listen === false ? {} : { onRecorded: (_, summary) => recorded.push(summary) },
    );
    const readings: AnyReading[] = [];
    for await (const batch of stream.batches()) readings.push(...batch);
    await stream.recorded();
    return { readings, dcsCalls: sim.requestCount - before, parts: stream.parts, header: stream.header };
  }

  async function direct(k: SeriesKey, s: Span): Promise<AnyReading[]> {
    return (
      await dcs.readings({
        id: k.source,
        start: s.start,
        end: s.end,
        periodType: k.periodType,
        interpolated: k.interpolated,
        calibrated: k.calibrated,
        format: k.format,
      })
    ).readings;
  }

  test('a repeated pull of settled history costs 0 DCS calls and is identical', async () => {
    const k = key(DEMO_FEATURES.electricityRegisterId);
    const month = span('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z');
    const first = await pull(k, month, { listen: false });
    assert.ok(first.dcsCalls >= 1);
    assert.equal(first.readings.length, 31 * 48);
    const second = await pull(k, month);
    assert.equal(second.dcsCalls, 0);
    assert.deepEqual(second.readings, first.readings);
    assert.deepEqual(second.header, first.header);
  });

  test('a longer span asks DCS only for the part the store lacks, and matches DCS throughout', async () => {
    const k = key(DEMO_FEATURES.exportRegisterId);
    await pull(k, span('2025-02-01T00:00:00Z', '2025-02-15T00:00:00Z'));
    const longer = span('2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z');
    const second = await pull(k, longer);
    assert.deepEqual(
      second.parts.map((p) => [p.from, p.span.start.toISOString()]),
      [
        ['store', '2025-02-01T00:00:00.000Z'],
        ['dcs', '2025-02-15T00:00:00.000Z'],
      ],
    );
    assert.equal(second.dcsCalls, 1);
    assert.deepEqual(second.readings, await direct(k, longer));
  });

  test('estimated half-hours are asked of DCS again; only they are', async () => {
    const k = key(DEMO_FEATURES.gapRegisterId);
    const month = span(`${FEATURES.year}-03-01T00:00:00Z`, `${FEATURES.year}-04-01T00:00:00Z`);
    const first = await pull(k, month);
    const estimates = first.readings.filter((r) => r.status === 1).length;
    assert.ok(estimates > 0, 'the gap is filled with estimates');
    assert.deepEqual(recorded[recorded.length - 1], { stored: first.readings.length - estimates, skipped: estimates });
    const second = await pull(k, month);
    const fromDcs = second.parts.filter((p) => p.from === 'dcs').map((p) => [p.span.start.toISOString(), p.span.end.toISOString()]);
    assert.deepEqual(fromDcs, [[new Date(FEATURES.gapSpell.start).toISOString(), new Date(FEATURES.gapSpell.end).toISOString()]]);
    assert.deepEqual(second.readings, first.readings);
  });

  test('missing half-hours (no interpolation) are asked of DCS again', async () => {
    const k = key(DEMO_FEATURES.gapRegisterId, { interpolated: false });
    const month = span(`${FEATURES.year}-03-01T00:00:00Z`, `${FEATURES.year}-04-01T00:00:00Z`);
    const first = await pull(k, month);
    assert.ok(first.readings.length < 31 * 48, 'the gap has no readings');
    const second = await pull(k, month);
    assert.equal(second.dcsCalls, 1);
    assert.deepEqual(second.readings, first.readings);
  });

  test('the last week is always asked of DCS', async () => {
    const k = key(DEMO_FEATURES.electricityRegisterId);
    const recent = { start: new Date(Date.UTC(2026, 5, 10)), end: new Date(Date.UTC(2026, 5, 15)) };
    await pull(k, recent);
    const again = await pull(k, recent);
    assert.equal(again.dcsCalls, 1);
    assert.deepEqual(
      again.parts.map((p) => p.from),
      ['dcs'],
    );
  });

  test('a store that cannot be reached costs the pull nothing but its speed', async () => {
    const broken: ReadingsStore = {
      plan: () => Promise.reject(new Error('connection refused')),
      read: () => {
        throw new Error('not reached');
      },
      recorder: () => {
        throw new Error('not reached');
      },
      close: async () => undefined,
    };
    const errors: Error[] = [];
    const k = key(DEMO_FEATURES.electricityRegisterId);
    const s = span('2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z');
    const stream = await readThrough(broken, { ...k, endpoint: sim.url }, s, (part) => dcs.streamReadings({ id: k.source, start: part.start, end: part.end }), {
      onStoreError: (e) => errors.push(e),
    });
    const readings: AnyReading[] = [];
    for await (const batch of stream.batches()) readings.push(...batch);
    assert.deepEqual(readings, await direct(k, s));
    assert.equal(errors.length, 1);
  });

  test('the readings end without waiting for the store to be written', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow: ReadingsStore = {
      plan: (k, s) => store.plan(k, s),
      read: (k, s) => store.read(k, s),
      recorder: (k, header) => {
        const inner = store.recorder(k, header);
        return { write: (b) => inner.write(b), finish: async () => (await gate, inner.finish()), abandon: () => inner.abandon() };
      },
      close: async () => undefined,
    };
    const k = key(DEMO_FEATURES.instantaneousRegisterId);
    const s = span('2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z');
    const seriesKey = { ...k, endpoint: sim.url };
    const stream = await readThrough(slow, seriesKey, s, (part) => dcs.streamReadings({ id: k.source, start: part.start, end: part.end }));
    let count = 0;
    for await (const batch of stream.batches()) count += batch.length;
    assert.equal(count, 31 * 48);
    let written = false;
    const recording = stream.recorded().then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(written, false, 'the store is still being written');
    open();
    await recording;
    assert.deepEqual((await store.plan(seriesKey, s)).missing, []);
  });

  test("a reader that stops early closes DCS's stream, and the next pull is not blocked", { timeout: 60_000 }, async () => {
    const k = key(DEMO_FEATURES.voltageRegisterId);
    const s = span('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    const stream = await readThrough(store, { ...k, endpoint: sim.url }, s, (part) => dcs.streamReadings({ id: k.source, start: part.start, end: part.end }));
    for await (const batch of stream.batches()) {
      assert.ok(batch.length > 0);
      break;
    }
    await stream.close();
    // The DCS client's transaction lock was released: another call goes through (held, it would
    // wait for ever, and the test time out).
    await direct(k, span('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'));
  });
});

describe('arranging a pull between the store and DCS', () => {
  const whole = span('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z');
  const halfHour = (iso: string): Span => ({ start: new Date(iso), end: new Date(new Date(iso).getTime() + 1_800_000) });

  test('scattered estimates cost one DCS call, not one each', () => {
    const missing = Array.from({ length: 20 }, (_, i) => halfHour(new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString()));
    const stored: Span[] = [];
    let cursor = whole.start;
    for (const gap of missing) {
      stored.push({ start: cursor, end: gap.start });
      cursor = gap.end;
    }
    stored.push({ start: cursor, end: whole.end });
    const parts = arrangeParts(whole, { stored, missing });
    assert.deepEqual(
      parts.map((p) => p.from),
      ['store', 'dcs', 'store'],
    );
    assert.equal(parts[1].span.start.toISOString(), '2025-01-01T12:00:00.000Z');
    assert.equal(parts[1].span.end.toISOString(), '2025-01-20T12:30:00.000Z');
  });

  test('two gaps a week apart stay two DCS calls; the week between comes from the store', () => {
    const missing = [halfHour('2025-01-03T00:00:00Z'), halfHour('2025-01-10T00:00:00Z')];
    const parts = arrangeParts(whole, { stored: [], missing });
    assert.deepEqual(
      parts.map((p) => p.from),
      ['store', 'dcs', 'store', 'dcs', 'store'],
    );
    assert.equal(
      parts.reduce((ms, p) => ms + p.span.end.getTime() - p.span.start.getTime(), 0),
      31 * DAY,
    );
  });
});
