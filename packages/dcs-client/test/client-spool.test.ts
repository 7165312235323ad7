import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DcsStalledReaderError } from '../src';
import { ELECTRICITY, collect, countRequests, demoClient, plain, publicClient, withSimulator } from './helpers';

const YEAR = { id: ELECTRICITY, start: '2024-01-01', end: '2025-01-01' };
const THREE_YEARS = { id: ELECTRICITY, start: '2022-01-01', end: '2025-01-01' };

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls until the condition holds; `ms` is a "did not hang" bound (it is met in milliseconds). */
async function waitFor(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('readings spool: DCS is read at its pace, the reader at its own', () => {
  let dir: string;
  const files = (): string[] => fs.readdirSync(dir);
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-spool-test-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('spills past its memory limit to a temporary file, reads back identical readings, and deletes the file', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const expected = plain(await collect(await client.streamReadings({ ...YEAR, format: 'complete' })));
      const stream = await client.streamReadings({ ...YEAR, format: 'complete' }, { spool: { memoryBytes: 64 * 1024, directory: dir } });
      // The whole answer is taken off DCS although nobody reads: the session is free meanwhile.
      assert.ok((await within(30_000, 'meters() beside an unread stream', client.meters())).length > 0);
      assert.equal(files().length, 1, 'the answer beyond 64 KB waits in one temporary file');
      assert.deepEqual(plain(await collect(stream)), expected);
      await waitFor(() => files().length === 0, 'the spool file is deleted');
    });
  });

  it('deletes the file of a stream closed before it was read', async () => {
    await withSimulator({}, async (sim) => {
      const client = publicClient(sim);
      const stream = await client.streamReadings(YEAR, { spool: { memoryBytes: 0, directory: dir } });
      await waitFor(() => files().length === 1, 'the answer is spooled to a file');
      await stream.close();
      await waitFor(() => files().length === 0, 'the spool file is deleted');
    });
  });

  it('asks for the next window only once the reader has caught up, so an abandoned stream costs DCS one window', async () => {
    await withSimulator({}, async (sim) => {
      const client = publicClient(sim);
      const requests = await countRequests(sim, async () => {
        const stream = await client.largeReadings(THREE_YEARS, { maxWindowDays: 366 });
        await client.meters(); // the first window is spooled by the time the session is free again
        await new Promise((resolve) => setTimeout(resolve, 100));
        await stream.close();
      });
      assert.equal(requests, 2, 'one readings window and the meters, not all three windows');
      const whole = await countRequests(sim, async () => {
        assert.equal((await collect(await client.largeReadings(THREE_YEARS, { maxWindowDays: 366 }))).length, (365 + 365 + 366) * 48);
      });
      assert.equal(whole, 3, 'read to the end, every window is fetched once');
    });
  });

  it('cuts off a reader that leaves readings waiting too long: the read throws, the file goes, the session is free', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const stream = await client.largeReadings(THREE_YEARS, { spool: { memoryBytes: 0, directory: dir, stalledReaderMs: 150 } });
      const iterator = stream.batches()[Symbol.asyncIterator]();
      assert.ok(((await iterator.next()).value ?? []).length > 0, 'a reader that reads gets readings');
      await waitFor(() => files().length === 1, 'the window is spooled to a file');
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(files().length, 0, 'the stalled spool is freed without waiting for the reader');
      await assert.rejects(iterator.next(), (error: unknown) => error instanceof DcsStalledReaderError && /not read for 0.2 s/.test((error as Error).message));
      assert.ok((await within(30_000, 'meters() after the stall', client.meters())).length > 0);
    });
  });

  it('never cuts off a reader that keeps reading, however long the pull', async () => {
    await withSimulator({ faults: { latencyMs: 30 } }, async (sim) => {
      const client = publicClient(sim);
      const stream = await client.largeReadings(THREE_YEARS, { maxWindowDays: 100, spool: { stalledReaderMs: 60 } });
      let count = 0;
      for await (const batch of stream.batches()) {
        count += batch.length;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assert.equal(count, (365 + 365 + 366) * 48);
    });
  });

  it('refuses unusable spool options with a message naming them', () => {
    assert.throws(() => demoClient({ url: 'http://127.0.0.1:1/' } as never, { spool: { memoryBytes: -1 } }), /spool\.memoryBytes/);
    assert.throws(() => demoClient({ url: 'http://127.0.0.1:1/' } as never, { spool: { directory: '' } }), /spool\.directory/);
  });
});

describe('never asking DCS for periods after now', () => {
  const NOW = Date.parse('2026-06-15T12:00:00Z'); // the simulator's data clock in these tests

  it('ends a far-future span at the period in progress: one window, the same readings as asking up to now', async () => {
    await withSimulator({}, async (sim) => {
      const client = publicClient(sim, { now: () => NOW });
      let far: unknown[] = [];
      const requests = await countRequests(sim, async () => {
        const stream = await client.largeReadings({ id: ELECTRICITY, start: '2026-01-01', end: '9999-12-31', periodType: 'day' });
        assert.equal(stream.header.endTime.toISOString(), '9999-12-31T00:00:00.000Z', 'the header still says what was asked');
        far = plain(await collect(stream));
      });
      assert.equal(requests, 1);
      const upToNow = plain(await collect(await client.largeReadings({ id: ELECTRICITY, start: '2026-01-01', end: '2026-06-16', periodType: 'day' })));
      assert.deepEqual(far, upToNow);
      assert.equal(far.length, 31 + 28 + 31 + 30 + 31 + 15, 'up to and including the day in progress (whose reading exists)');
    });
  });

  it('asks for one period only (for the header) when the whole span is in the future', async () => {
    await withSimulator({}, async (sim) => {
      const client = publicClient(sim);
      const requests = await countRequests(sim, async () => {
        const stream = await client.largeReadings({ id: ELECTRICITY, start: '3000-01-01', end: '3100-01-01' }, { now: () => NOW });
        assert.ok(stream.header.name.length > 0);
        assert.equal((await collect(stream)).length, 0);
      });
      assert.equal(requests, 1);
    });
  });
});
