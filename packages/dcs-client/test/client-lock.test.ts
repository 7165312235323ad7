import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsClient } from '../src';
import { ELECTRICITY, FAST, collect, demoClient, withSimulator } from './helpers';

const YEAR = { id: ELECTRICITY, start: '2024-01-01', end: '2025-01-01' };

describe('one transaction at a time per session', () => {
  it('queues concurrent calls and runs them in the order they were made', async () => {
    await withSimulator({ faults: { latencyMs: 20 } }, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      const finished: string[] = [];
      const track = <T>(name: string, p: Promise<T>): Promise<T> => p.then((v) => (finished.push(name), v));
      const before = sim.requestCount;
      await Promise.all([
        track('readings', client.readings({ id: ELECTRICITY, start: '2025-01-01', periodCount: 48 })),
        track('meters', client.meters()),
        track('virtualMeters', client.virtualMeters()),
        track('month', client.readings({ id: ELECTRICITY, start: '2025-01-01', periodCount: 1, periodType: 'month' })),
      ]);
      assert.deepEqual(finished, ['readings', 'meters', 'virtualMeters', 'month']);
      assert.equal(sim.requestCount - before, 4);
    });
  });

  it('holds the session only while DCS is sending: a stream left unread does not block the next call', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const stream = await client.streamReadings(YEAR);
      const meters = await Promise.race([
        client.meters(),
        // A "did not hang" bound: were meters() to wait for the unread stream, it would wait for ever.
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('meters() still waits for the unread stream')), 30_000).unref()),
      ]);
      assert.ok(meters.length > 0);
      assert.equal((await collect(stream)).length, 366 * 48, 'the stream still reads whole afterwards');
    });
  });

  it('frees the session when the consumer breaks out of its loop', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const stream = await client.streamReadings(YEAR);
      let seen = 0;
      for await (const _ of stream) if (++seen === 10) break;
      assert.ok((await client.meters()).length > 0);
      // And the same for batch-by-batch reading.
      const batches = await client.streamReadings(YEAR);
      for await (const batch of batches.batches()) {
        assert.ok(batch.length > 0);
        break;
      }
      assert.ok((await client.virtualMeters()).length > 0);
    });
  });

  it('frees the session when a stream is closed without being read, or fails', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim, { retry: { limit: 0 } });
      const unread = await client.streamReadings(YEAR);
      await unread.close();
      await unread.close(); // closing twice is harmless
      assert.ok((await client.meters()).length > 0);
      sim.setFaults({ cutEveryNth: 1 });
      await assert.rejects(client.streamReadings(YEAR).then(collect), 'the cut answer fails, wherever it is noticed');
      sim.setFaults({});
      assert.ok((await client.meters()).length > 0);
    });
  });

  it('lets a queued call be cancelled while it waits for the session', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const stream = await client.streamReadings(YEAR);
      const controller = new AbortController();
      const queued = client.meters({ signal: controller.signal });
      const after = client.virtualMeters();
      controller.abort(new Error('not needed any more'));
      await assert.rejects(queued, /not needed any more/);
      await stream.close();
      assert.ok((await after).length > 0, 'the call queued behind it still runs');
    });
  });

  it('does not make separate clients wait for each other', async () => {
    await withSimulator({}, async (sim) => {
      const a = demoClient(sim);
      const b = new DcsClient({ url: sim.url, username: 'viewer', password: 'viewer', ...FAST });
      const stream = await a.streamReadings(YEAR);
      assert.ok((await b.meters()).length > 0, 'b runs while a holds its own session');
      await stream.close();
    });
  });

  it('closes streams still open when the client is disposed', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const stream = await client.streamReadings(YEAR);
      await client[Symbol.asyncDispose]();
      assert.deepEqual(await collect(stream), [], 'a closed stream yields nothing more');
      assert.equal(client.user, undefined);
    });
  });
});
