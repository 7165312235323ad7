import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalEndpoints, DcsClient, DcsRateLimitError, DcsSpanTooLongError, type RequestEvent } from '../src';
import { virtualClock } from 'dcs-simulator';
import { ELECTRICITY, FAST, collect, countRequests, demoClient, fastRetry, iso, plain, publicClient, withSimulator } from './helpers';

/** Another spelling of the simulator's URL: to the client, a different endpoint (like another process would be). */
const otherSpelling = (url: string): string => url.replace('127.0.0.1', 'localhost');

describe("discovering DCS's span cap", () => {
  it('shrinks the window when DCS refuses a span as too long, and returns every reading once', async () => {
    await withSimulator({ rangeLimitDays: 30 }, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      const query = { id: ELECTRICITY, start: '2025-01-01', end: '2025-05-01' }; // 120 days
      let stream: Awaited<ReturnType<typeof client.largeReadings>> | undefined;
      const firstRequests = await countRequests(sim, async () => {
        stream = await client.largeReadings(query);
        assert.equal(iso(stream.header.startTime), '2025-01-01T00:00:00Z');
        assert.equal(iso(stream.header.endTime), '2025-05-01T00:00:00Z');
      });
      const readings = await collect(stream!);
      assert.equal(readings.length, 120 * 48);
      for (let i = 1; i < readings.length; i++) assert.equal(readings[i].timestamp.getTime() - readings[i - 1].timestamp.getTime(), 1_800_000);
      // 120 days refused once; DCS said 30 days at most, so 4 windows of 30 days.
      assert.equal(firstRequests, 2, 'the refused request and the first 30-day window');
    });
  });

  it('remembers the cap for the endpoint: later calls, from any client of it, ask within it at once', async () => {
    await withSimulator({ rangeLimitDays: 30 }, async (sim) => {
      const first = publicClient(sim);
      await collect(await first.largeReadings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-03-01' }));
      const second = publicClient(sim);
      const requests = await countRequests(sim, async () => {
        const readings = await collect(await second.largeReadings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-05-01' }));
        assert.equal(readings.length, 120 * 48);
      });
      assert.equal(requests, 4, 'four 30-day windows, no refusals');
    });
  });

  it('gives up with DcsSpanTooLongError when even one period is refused', async () => {
    await withSimulator({ rangeLimitDays: 2 }, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      const requests = await countRequests(sim, () =>
        assert.rejects(client.largeReadings({ id: ELECTRICITY, start: '2025-01-06', end: '2025-03-03', periodType: 'week' }), (error: unknown) => {
          assert.ok(error instanceof DcsSpanTooLongError);
          assert.equal(error.status, 400);
          assert.match(error.message, /refuses even a single week/);
          assert.match(error.details ?? '', /maximum allowed is 2 days/);
          return true;
        }),
      );
      assert.ok(requests <= 3, `bounded (${requests} requests)`);
    });
  });

  it('lets readings() fail with DcsSpanTooLongError, pointing to largeReadings', async () => {
    await withSimulator({ rangeLimitDays: 10 }, async (sim) => {
      const client = demoClient(sim);
      await assert.rejects(client.readings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-02-01' }), (error: unknown) => {
        assert.ok(error instanceof DcsSpanTooLongError);
        assert.match(error.message, /use largeReadings/);
        return true;
      });
    });
  });
});

describe('rate limits', () => {
  it('pauses when X-Rate-Limit-Remaining reaches 0, so DCS never has to refuse', async () => {
    await withSimulator({ rateLimit: { requests: 3, periodSeconds: 0.3 } }, async (sim) => {
      const client = publicClient(sim);
      const started = Date.now();
      const requests = await countRequests(sim, async () => {
        for (let i = 0; i < 7; i++) await client.meters();
      });
      assert.equal(requests, 7, 'no request was refused and repeated');
      assert.ok(Date.now() - started >= 500, 'the client waited for two resets');
    });
  });

  it('waits out a 429 (Retry-After) and tries again', async () => {
    await withSimulator({ rateLimit: { requests: 2, periodSeconds: 1 } }, async (sim) => {
      // Another process used the allowance up: this client has not seen the headers that say so.
      const someoneElse = publicClient(sim);
      await someoneElse.meters();
      await someoneElse.meters();
      const client = new DcsClient({ url: otherSpelling(sim.url), ...FAST });
      const started = Date.now();
      assert.ok((await client.meters()).length > 0);
      assert.ok(Date.now() - started >= 900, 'it waited for the Retry-After second');
    });
  });

  it('gives up with DcsRateLimitError, saying how long to wait, when the budget is spent', async () => {
    await withSimulator({ rateLimit: { requests: 1, periodSeconds: 60 } }, async (sim) => {
      await publicClient(sim).meters();
      const client = new DcsClient({ url: otherSpelling(sim.url), ...FAST, retry: fastRetry({ rateLimit: { retries: 0 } }) });
      await assert.rejects(client.meters(), (error: unknown) => {
        assert.ok(error instanceof DcsRateLimitError);
        assert.equal(error.status, 429);
        assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 50);
        assert.match(error.message, /Try again in \d+ s/);
        assert.match(error.details ?? '', /Rate limit exceeded/);
        return true;
      });
      // A wait longer than the client allows fails at once rather than hanging.
      const clock = virtualClock();
      const waits: RequestEvent[] = [];
      const impatient = new DcsClient({
        url: otherSpelling(sim.url),
        ...FAST,
        retry: fastRetry({ rateLimit: { maxWaitMs: 1_000 } }),
        endpoints: createLocalEndpoints(clock),
        hooks: { onRateLimit: (event) => waits.push(event), onRetry: (event) => waits.push(event) },
      });
      await assert.rejects(
        impatient.meters(),
        (error: unknown) => error instanceof DcsRateLimitError && /longer than retry\.rateLimit\.maxWaitMs/.test(error.message),
      );
      assert.deepEqual(waits, [], 'no wait for the 429');
      assert.deepEqual(clock.sleeps, [], 'nor for its turn');
    });
  });

  it('keeps public and signed-in clients of one DCS to one pace: never more calls a second than configured', async (t) => {
    await withSimulator({}, async (sim) => {
      const signedIn = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo', ...FAST, rateLimit: 4 });
      const anonymous = publicClient(sim);
      const started = performance.now();
      const calls = await countRequests(sim, () =>
        Promise.all([
          signedIn.meters(),
          anonymous.meters(),
          signedIn.virtualMeters(),
          anonymous.virtualMeters(),
          signedIn.meters(),
          anonymous.meters(),
          anonymous.meters(),
          signedIn.meters(),
          anonymous.virtualMeters(),
        ]),
      );
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`${calls} calls in ${seconds.toFixed(2)} s across public and signed-in clients at DCS_RATE_LIMIT 4/s`);
      // n calls at r a second need (n - 1) / r seconds: the first goes at once.
      assert.ok(seconds >= (calls - 1) / 4 - 0.01, `${calls} calls in ${seconds} s is faster than 4 a second`);
    });
  });

  it('paces requests to the configured rate, shared by every client of the endpoint', async () => {
    await withSimulator({}, async (sim) => {
      const clock = virtualClock(1_000_000);
      const endpoints = createLocalEndpoints(clock);
      const a = publicClient(sim, { rateLimit: 5, endpoints });
      const b = publicClient(sim, { endpoints });
      await Promise.all([a.meters(), b.meters(), a.virtualMeters(), b.virtualMeters(), a.meters(), b.meters()]);
      assert.equal(clock.now() - 1_000_000, 5 * 200, 'six requests at 5/s across two clients: the first at once, then 200 ms apart');
      // Another endpoint is not held back.
      const elsewhere = new DcsClient({ url: otherSpelling(sim.url), ...FAST, endpoints });
      const asleep = clock.sleeps.length;
      await Promise.all([elsewhere.meters(), elsewhere.meters(), elsewhere.meters()]);
      assert.deepEqual(clock.sleeps.slice(asleep), [], 'unpaced');
    });
  });
});

describe('largeReadings over the rate limit and cap together', () => {
  it('returns the same readings as one pull', async () => {
    await withSimulator({ rangeLimitDays: 40, rateLimit: { requests: 4, periodSeconds: 0.2 } }, async (sim) => {
      const client = demoClient(sim);
      const query = { id: ELECTRICITY, start: '2025-01-01', end: '2025-02-01' };
      const once = await client.readings(query);
      const windowed = await collect(await client.largeReadings({ ...query, start: '2024-11-01', end: '2025-03-01' }));
      const slice = windowed.filter((r) => r.timestamp >= new Date('2025-01-01') && r.timestamp < new Date('2025-02-01'));
      assert.deepEqual(plain(slice), plain(once.readings));
      assert.equal(windowed.length, 120 * 48);
    });
  });
});
