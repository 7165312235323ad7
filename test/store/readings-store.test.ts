import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { AnyReading, Reading } from 'dcs-client';
import { openReadingsStore, type ReadingsStore, type SeriesKey, type Span } from '../../server/store';
import { skipWithoutPostgres, startPostgres, type RunningService } from '../support/services';

const HALF_HOUR = 1_800_000;
const DAY = 86_400_000;
/** The tests' clock: readings of periods ending more than 7 days before this are settled. */
const NOW = Date.parse('2025-06-01T00:00:00Z');
const HEADER = { name: 'Main incomer', unit: 'kWh', duration: 1800 };

let sourceCounter = 0;
/** A series of its own per test, so tests sharing one database stay independent. */
function freshKey(overrides: Partial<SeriesKey> = {}): SeriesKey {
  sourceCounter += 1;
  return {
    endpoint: 'http://dcs.test/DCSWebApi/',
    source: `R${sourceCounter}`,
    periodType: 'halfHour',
    calibrated: true,
    interpolated: true,
    format: 'standard',
    ...overrides,
  };
}

function halfHours(startIso: string, count: number, status: (i: number) => number = () => 0): Reading[] {
  const start = Date.parse(startIso);
  // Values that do not survive a careless float round trip (0.1 + 0.2 and friends).
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(start + i * HALF_HOUR),
    value: i * 0.1 + 0.2,
    status: status(i),
  }));
}

function span(startIso: string, endIso: string): Span {
  return { start: new Date(startIso), end: new Date(endIso) };
}

function iso(spans: Span[]): string[][] {
  return spans.map((s) => [s.start.toISOString(), s.end.toISOString()]);
}

async function record(store: ReadingsStore, key: SeriesKey, readings: AnyReading[]) {
  const recorder = store.recorder(key, HEADER);
  // As a pull would: the stream's batches, one after another.
  for (let i = 0; i < readings.length; i += 700) await recorder.write(readings.slice(i, i + 700));
  return recorder.finish();
}

async function readAll(store: ReadingsStore, key: SeriesKey, spans: Span[]): Promise<AnyReading[]> {
  const all: AnyReading[] = [];
  for (const part of spans) for await (const batch of store.read(key, part)) all.push(...batch);
  return all;
}

const skip = skipWithoutPostgres(__filename);

/** Every migration the server ships (the compiled ones, as node-pg-migrate reads them), in order. */
function migrationNames(): string[] {
  const folder = path.resolve(__dirname, '../../server/store/migrations');
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.js'))
    .map((file) => file.replace(/\.js$/, ''))
    .sort();
}

describe('readings store (PostgreSQL)', { skip }, () => {
  let postgres: RunningService;
  let store: ReadingsStore;
  const errors: Error[] = [];

  before(async () => {
    postgres = await startPostgres();
    store = await openReadingsStore({ databaseUrl: postgres.url, now: () => NOW, batchRows: 1000, onError: (e) => errors.push(e) });
  });
  after(async () => {
    await store?.close();
    await postgres?.stop();
  });

  test('a second instance starting on the same database applies no migration twice', async () => {
    const [a, b] = await Promise.all([openReadingsStore({ databaseUrl: postgres.url }), openReadingsStore({ databaseUrl: postgres.url })]);
    await Promise.all([a.close(), b.close()]);
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT name FROM store_migrations');
    await client.end();
    assert.deepEqual(
      rows.map((r) => r.name),
      migrationNames(),
    );
  });

  test('settled history written once is served whole and identical, with no span left for DCS', async () => {
    const key = freshKey();
    const readings = halfHours('2025-01-01T00:00:00Z', 48 * 31);
    const summary = await record(store, key, readings);
    assert.deepEqual(summary, { stored: readings.length, skipped: 0 });

    const plan = await store.plan(key, span('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'));
    assert.deepEqual(iso(plan.stored), [['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']]);
    assert.deepEqual(plan.missing, []);
    assert.deepEqual(plan.header, HEADER);
    assert.deepEqual(await readAll(store, key, plan.stored), readings);
  });

  test('NaN and infinite values come back exactly as DCS sent them', async () => {
    const key = freshKey();
    const readings = halfHours('2025-01-05T00:00:00Z', 4).map((r, i) => ({ ...r, value: [NaN, Infinity, -Infinity, -0.000123][i] }));
    await record(store, key, readings);
    const plan = await store.plan(key, span('2025-01-05T00:00:00Z', '2025-01-05T02:00:00Z'));
    assert.deepEqual(await readAll(store, key, plan.stored), readings);
  });

  test('a longer span is served from the store where it can and sends only the rest to DCS', async () => {
    const key = freshKey();
    await record(store, key, halfHours('2025-01-10T00:00:00Z', 48 * 5));
    const plan = await store.plan(key, span('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'));
    assert.deepEqual(iso(plan.stored), [['2025-01-10T00:00:00.000Z', '2025-01-15T00:00:00.000Z']]);
    assert.deepEqual(iso(plan.missing), [
      ['2025-01-01T00:00:00.000Z', '2025-01-10T00:00:00.000Z'],
      ['2025-01-15T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
    ]);
  });

  test('estimated and missing half-hours are asked of DCS again', async () => {
    const key = freshKey();
    const readings = halfHours('2025-03-01T00:00:00Z', 48, (i) => (i === 10 ? 1 : 0)).filter((_, i) => i !== 20);
    const summary = await record(store, key, readings);
    assert.deepEqual(summary, { stored: 46, skipped: 1 });
    const plan = await store.plan(key, span('2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z'));
    assert.deepEqual(iso(plan.missing), [
      ['2025-03-01T05:00:00.000Z', '2025-03-01T05:30:00.000Z'],
      ['2025-03-01T10:00:00.000Z', '2025-03-01T10:30:00.000Z'],
    ]);
    const served = await readAll(store, key, plan.stored);
    assert.equal(served.length, 46);
    assert.ok(served.every((r) => r.status === 0));
  });

  test('readings younger than the settle age are neither kept nor served', async () => {
    const key = freshKey();
    // The last 10 days before NOW: only the first three days' periods ended 7 days ago.
    const readings = halfHours(new Date(NOW - 10 * DAY).toISOString(), 48 * 10);
    const summary = await record(store, key, readings);
    assert.deepEqual(summary, { stored: 48 * 3, skipped: 48 * 7 });
    const plan = await store.plan(key, { start: new Date(NOW - 10 * DAY), end: new Date(NOW) });
    assert.deepEqual(iso(plan.stored), [['2025-05-22T00:00:00.000Z', '2025-05-25T00:00:00.000Z']]);
    assert.deepEqual(iso(plan.missing), [['2025-05-25T00:00:00.000Z', '2025-06-01T00:00:00.000Z']]);
  });

  test('a longer settle age on a later start stops serving what is no longer old enough', async () => {
    const key = freshKey();
    await record(store, key, halfHours('2025-05-01T00:00:00Z', 48 * 20));
    const stricter = await openReadingsStore({ databaseUrl: postgres.url, now: () => NOW, settleAgeMs: 30 * DAY });
    try {
      const plan = await stricter.plan(key, span('2025-05-01T00:00:00Z', '2025-05-21T00:00:00Z'));
      assert.deepEqual(iso(plan.stored), [['2025-05-01T00:00:00.000Z', '2025-05-02T00:00:00.000Z']]);
    } finally {
      await stricter.close();
    }
  });

  test('each set of query options is a series of its own', async () => {
    const key = freshKey();
    await record(store, key, halfHours('2025-01-01T00:00:00Z', 48));
    const whole = span('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z');
    for (const other of [{ calibrated: false }, { interpolated: false }, { endpoint: 'http://other.test/DCSWebApi/' }]) {
      const plan = await store.plan({ ...key, ...other }, whole);
      assert.deepEqual(iso(plan.missing), iso([whole]), JSON.stringify(other));
    }
    // The same series named differently (case, trailing slash) is still found.
    const same = await store.plan({ ...key, source: key.source.toLowerCase(), endpoint: 'HTTP://DCS.TEST/DCSWebApi' }, whole);
    assert.deepEqual(same.missing, []);
  });

  test('complete-format readings keep their total and period values', async () => {
    const key = freshKey({ format: 'complete', periodType: 'month' });
    const readings = ['2024-01-01', '2024-02-01', '2024-03-01'].map((d, i) => ({
      timestamp: new Date(`${d}T00:00:00Z`),
      totalValue: 1000.5 + i,
      periodValue: 31.25 * (i + 1),
      status: 0,
    }));
    await record(store, key, readings);
    const plan = await store.plan(key, span('2024-01-01T00:00:00Z', '2024-04-01T00:00:00Z'));
    assert.deepEqual(plan.missing, []);
    assert.deepEqual(await readAll(store, key, plan.stored), readings);
  });

  test('a pull cut short keeps the batches already written, and a re-pull fills the rest', async () => {
    const key = freshKey();
    const readings = halfHours('2025-02-01T00:00:00Z', 2500);
    const recorder = store.recorder(key, HEADER);
    await recorder.write(readings.slice(0, 1200));
    await recorder.write(readings.slice(1200, 1500));
    await recorder.abandon();
    const whole = { start: readings[0].timestamp, end: new Date(readings[0].timestamp.getTime() + 2500 * HALF_HOUR) };
    const plan = await store.plan(key, whole);
    assert.equal(plan.stored.length, 1);
    assert.equal(plan.stored[0].end.getTime() - plan.stored[0].start.getTime(), 1200 * HALF_HOUR);

    await record(store, key, readings);
    assert.deepEqual((await store.plan(key, whole)).missing, []);
    assert.deepEqual(await readAll(store, key, [whole]), readings);
  });

  test("two instances recording the same days of a series at once lose none of each other's readings", async () => {
    const key = freshKey();
    await record(store, key, halfHours('2025-03-20T00:00:00Z', 48)); // the series exists: no batch waits on creating it
    // Small batches and interleaved half-hours: both instances rewrite the same days many times over.
    const [one, two] = await Promise.all([0, 1].map(() => openReadingsStore({ databaseUrl: postgres.url, now: () => NOW, batchRows: 24 })));
    try {
      const all = halfHours('2025-04-01T00:00:00Z', 48 * 6);
      const writeInDays = async (instance: ReadingsStore, readings: Reading[]) => {
        const recorder = instance.recorder(key, HEADER);
        for (let i = 0; i < readings.length; i += 24) await recorder.write(readings.slice(i, i + 24));
        return recorder.finish();
      };
      const [a, b] = await Promise.all([
        writeInDays(
          one,
          all.filter((_, i) => i % 2 === 0),
        ),
        writeInDays(
          two,
          all.filter((_, i) => i % 2 === 1),
        ),
      ]);
      assert.equal(a.error, undefined);
      assert.equal(b.error, undefined);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
    const plan = await store.plan(key, span('2025-04-01T00:00:00Z', '2025-04-07T00:00:00Z'));
    assert.deepEqual(iso(plan.stored), [['2025-04-01T00:00:00.000Z', '2025-04-07T00:00:00.000Z']]);
    assert.deepEqual(await readAll(store, key, plan.stored), halfHours('2025-04-01T00:00:00Z', 48 * 6));
  });

  test('a write the database refuses never fails the pull; finish reports it', async () => {
    const key = freshKey();
    errors.length = 0;
    const recorder = store.recorder(key, { ...HEADER, name: 'bad\u0000name' });
    await recorder.write(halfHours('2025-01-01T00:00:00Z', 1500));
    await recorder.write(halfHours('2025-02-01T00:00:00Z', 10));
    const summary = await recorder.finish();
    assert.equal(summary.stored, 0);
    assert.ok(summary.error instanceof Error);
    assert.equal(errors.length, 1);
    const plan = await store.plan(key, span('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z'));
    assert.equal(plan.stored.length, 0);
  });

  test('a span that does not start and end on period boundaries is refused with what to do', async () => {
    await assert.rejects(
      store.plan(freshKey(), span('2025-01-01T00:10:00Z', '2025-01-02T00:00:00Z')),
      (error: Error) => error instanceof RangeError && /not the start of a halfHour period/.test(error.message),
    );
  });
});
