import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DcsClient } from 'dcs-client';
import { runMirror } from '../../server/mirror';
import { exitStatus, parseMirrorArgs, progressLine, summaryText } from '../../server/mirror/cli';
import { startSimulator, DEMO_FEATURES, type RunningSimulator } from 'dcs-simulator';
import { DEFAULT_SETTLE_AGE_MS, openReadingsStore, type ReadingsStore } from '../../server/store';
import { skipWithoutPostgres, startPostgres, type RunningService } from '../support/services';

const NOW = Date.parse('2026-06-15T12:00:00Z');

describe('npm run mirror (simulator + PostgreSQL)', { skip: skipWithoutPostgres(__filename) }, () => {
  let postgres: RunningService;
  let store: ReadingsStore;
  let sim: RunningSimulator;

  before(async () => {
    [postgres, sim] = await Promise.all([startPostgres(), startSimulator({ now: () => new Date(NOW) })]);
    store = await openReadingsStore({ databaseUrl: postgres.url, now: () => NOW });
  });
  after(async () => {
    await store?.close();
    await sim?.close();
    await postgres?.stop();
  });

  async function mirror(user: string, sources: string[]) {
    const dcs = await DcsClient.connect({ url: sim.url, username: user, password: user });
    try {
      return await runMirror({ store, dcs, sources, since: new Date('2026-03-01T00:00:00Z'), settleAgeMs: DEFAULT_SETTLE_AGE_MS, now: () => NOW });
    } finally {
      await dcs[Symbol.asyncDispose]();
    }
  }

  test('a first run copies the settled history; a second costs DCS nothing', async () => {
    const sources = [`R${DEMO_FEATURES.electricityRegisterId}`, `VM${DEMO_FEATURES.netVirtualMeterId}`];
    const first = await mirror('demo', sources);
    // 1 March to 8 June 12:00 (a week before the clock): 99.5 days of half-hours per source.
    const perSource = 99.5 * 48;
    assert.deepEqual({ ...first, elapsedMs: 0 }, { sources: 2, readings: 2 * perSource, stored: 2 * perSource, dcsCalls: 2, failed: [], elapsedMs: 0 });
    const second = await mirror('demo', sources);
    assert.deepEqual({ ...second, elapsedMs: 0 }, { sources: 2, readings: 2 * perSource, stored: 0, dcsCalls: 0, failed: [], elapsedMs: 0 });
  });

  test('a source the account may not read is reported and the others are still mirrored', async () => {
    const forbidden = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;
    const summary = await mirror('viewer', [forbidden, `R${DEMO_FEATURES.resetRegisterId}`]);
    assert.equal(summary.failed.length, 1);
    assert.equal(summary.failed[0].source, forbidden);
    assert.ok(summary.readings > 0);
    assert.match(summaryText(summary), /Mirrored 1 of 2 sources/);
  });
});

describe('the mirror when PostgreSQL stops mid-run', { skip: skipWithoutPostgres(__filename) }, () => {
  let postgres: RunningService;
  let sim: RunningSimulator;
  before(async () => {
    [postgres, sim] = await Promise.all([startPostgres(), startSimulator({ now: () => new Date(NOW) })]);
  });
  after(async () => {
    await sim?.close();
    await postgres?.stop();
  });

  test('reports every source it could not store, and exits non-zero', async () => {
    const store = await openReadingsStore({ databaseUrl: postgres.url, now: () => NOW, timeoutMs: 2000 });
    const dcs = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo' });
    const sources = [`R${DEMO_FEATURES.electricityRegisterId}`, `R${DEMO_FEATURES.exportRegisterId}`, `VM${DEMO_FEATURES.netVirtualMeterId}`];
    try {
      const summary = await runMirror({
        store,
        dcs,
        sources,
        since: new Date('2026-03-01T00:00:00Z'),
        settleAgeMs: DEFAULT_SETTLE_AGE_MS,
        now: () => NOW,
        // After the first source is stored, PostgreSQL shuts down at once (SIGQUIT: immediate shutdown).
        onProgress: (p) => {
          if (p.done === 1) process.kill(postgres.pid!, 'SIGQUIT');
        },
      });
      assert.deepEqual(
        summary.failed.map((f) => f.source),
        sources.slice(1),
      );
      for (const failure of summary.failed) assert.match(failure.message, /readings store failed.*run the mirror again/);
      assert.match(summaryText(summary), /Mirrored 1 of 3 sources/);
      assert.equal(exitStatus(summary), 1);
    } finally {
      await dcs[Symbol.asyncDispose]();
      await store.close().catch(() => undefined);
    }
  });
});

describe('mirror command line', () => {
  const now = Date.parse('2026-06-15T12:00:00Z');

  test('reads sources, --all and --since', () => {
    assert.deepEqual(parseMirrorArgs(['--sources', 'r1, vm2,R1', '--since', '2024-01-01'], now), {
      help: false,
      sources: ['R1', 'VM2'],
      since: new Date('2024-01-01T00:00:00Z'),
    });
    assert.deepEqual(parseMirrorArgs(['--all'], now), { help: false, sources: 'all', since: new Date('2025-06-15T12:00:00Z') });
  });

  test('refuses what it cannot use, saying what to give instead', () => {
    assert.throws(() => parseMirrorArgs([], now), /--sources R1,VM2 or --all/);
    assert.throws(() => parseMirrorArgs(['--all', '--sources', 'R1'], now), /not both/);
    assert.throws(() => parseMirrorArgs(['--sources', 'M7'], now), /R<registerId>/);
    assert.throws(() => parseMirrorArgs(['--all', '--since', 'last year'], now), /2024-01-31/);
    assert.throws(() => parseMirrorArgs(['--everything'], now), /--help/);
  });

  test('shows progress as a bar with the counts so far', () => {
    assert.equal(
      progressLine({ done: 1, total: 4, source: 'R7', readings: 17520, dcsCalls: 2 }, 8),
      '[##------] 1/4 sources · 17,520 readings · 2 DCS calls · R7',
    );
  });
});
