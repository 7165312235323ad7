/**
 * The readings store's benchmark: a settled year of half-hours for one source, served from DCS
 * (the simulator, in a child process) and from the store, and what recording it costs a first
 * pull. Needs PostgreSQL's server binaries (a throwaway cluster is started, as in the tests).
 *
 * Run on its own with `node build/bench/store-bench.js`, or call `runStoreBench()`.
 * Each figure is the best of BENCH_REPEAT interleaved rounds (default 3): other work only makes a run slower.
 */
import { fork } from 'node:child_process';
import { DcsClient } from 'dcs-client';
import { openReadingsStore, readThrough, type ReadingsStore, type SeriesKey, type Span } from '../server/store';
import { skipWithoutPostgres, startPostgres } from '../test/support/services';

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const NOW = Date.parse('2026-06-15T12:00:00Z');
const SOURCE = 'R1001';
const YEAR: Span = { start: new Date('2024-01-01T00:00:00Z'), end: new Date('2025-01-01T00:00:00Z') };

interface Run {
  readings: number;
  ms: number;
  dcsCalls: number;
  /** For a first pull: until everything was written to the store. */
  recordedMs?: number;
}

async function simulatorInChild(): Promise<{ url: string; stop: () => void }> {
  const child = fork(__filename, ['simulator'], { stdio: 'inherit' });
  const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));
  return { url, stop: () => child.kill() };
}

async function pull(dcs: DcsClient, store: ReadingsStore | undefined, key: SeriesKey): Promise<Run> {
  let dcsCalls = 0;
  const open = (span: Span) => {
    dcsCalls += 1;
    return dcs.streamReadings({ id: SOURCE, start: span.start, end: span.end });
  };
  const started = performance.now();
  let readings = 0;
  if (!store) {
    const stream = await open(YEAR);
    for await (const batch of stream.batches()) readings += batch.length;
    return { readings, ms: performance.now() - started, dcsCalls };
  }
  const stream = await readThrough(store, key, YEAR, open);
  for await (const batch of stream.batches()) readings += batch.length;
  const ms = performance.now() - started;
  await stream.recorded();
  return { readings, ms, dcsCalls, recordedMs: performance.now() - started };
}

const faster = (a: Run | undefined, b: Run): Run => (a === undefined || b.ms < a.ms ? b : a);
const rate = (r: Run, ms = r.ms): string => `${Math.round((r.readings / ms) * 1000).toLocaleString('en')}/s`;

export async function runStoreBench(): Promise<void> {
  if (skipWithoutPostgres(__filename)) return;
  const [sim, postgres] = await Promise.all([simulatorInChild(), startPostgres()]);
  const store = await openReadingsStore({ databaseUrl: postgres.url, now: () => NOW });
  const dcs = new DcsClient({ url: sim.url });
  try {
    const key = (n: number): SeriesKey => ({
      endpoint: `${sim.url}#${n}`,
      source: SOURCE,
      periodType: 'halfHour',
      calibrated: true,
      interpolated: true,
      format: 'standard',
    });
    await pull(dcs, undefined, key(0)); // warm-up: JIT, connections
    await pull(dcs, store, key(0));
    // Interleaved rounds: a machine whose load changes during the run slows all three alike.
    let fromDcs: Run | undefined;
    let first: Run | undefined;
    let fromStore: Run | undefined;
    for (let i = 0; i < REPEAT; i++) {
      fromDcs = faster(fromDcs, await pull(dcs, undefined, key(0)));
      first = faster(first, await pull(dcs, store, key(1 + i)));
      fromStore = faster(fromStore, await pull(dcs, store, key(1)));
    }
    if (!fromDcs || !first || !fromStore) return;
    console.log(`Readings store: a settled year of half-hours (${fromDcs.readings.toLocaleString('en')} readings) of one source\n`);
    console.log('| measurement | figure | DCS calls | target |');
    console.log('| --- | --- | --- | --- |');
    console.log(`| from DCS (simulator) | ${fromDcs.ms.toFixed(0)} ms, ${rate(fromDcs)} | ${fromDcs.dcsCalls} | |`);
    console.log(
      `| from the store | ${fromStore.ms.toFixed(0)} ms, ${rate(fromStore)}, ${(fromDcs.ms / fromStore.ms).toFixed(2)}× DCS's speed | ${fromStore.dcsCalls} | ≥ 2×, 0 calls |`,
    );
    console.log(
      `| first pull, recording | ${first.ms.toFixed(0)} ms, ${(first.ms / fromDcs.ms).toFixed(2)}× the time without the store | ${first.dcsCalls} | ≤ 1.2× |`,
    );
    console.log(`| store write rate (first pull) | ${rate(first, first.recordedMs)}, all written after ${(first.recordedMs ?? 0).toFixed(0)} ms | | |`);
  } finally {
    await store.close();
    sim.stop();
    await postgres.stop();
  }
}

if (require.main === module) {
  if (process.argv[2] === 'simulator') {
    void import('dcs-simulator').then(async ({ startSimulator }) => {
      const sim = await startSimulator({ now: () => new Date(NOW) });
      process.send?.({ url: sim.url });
    });
  } else {
    runStoreBench().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
}
