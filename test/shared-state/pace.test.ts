import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DcsRateLimitError } from 'dcs-client';
import { startSimulator, type RunningSimulator } from 'dcs-simulator';
import type { SharedState } from '../../server/shared-state';
import { skipWithoutRedis, startRedis, type RunningService } from '../support/services';
import { closeAll, instances, recordingClock, unique } from './helpers';

describe('shared DCS pace (Redis)', { skip: skipWithoutRedis(__filename) }, () => {
  let redis: RunningService;
  let states: SharedState[];
  const clock = recordingClock();
  const sleepsDuring = async (body: () => Promise<unknown>): Promise<number[]> => {
    const from = clock.sleeps.length;
    await body();
    return clock.sleeps.slice(from);
  };

  before(async () => {
    redis = await startRedis();
    states = await instances(redis.url, 3, { clock });
  });
  after(async () => {
    if (states) await closeAll(states);
    await redis?.stop();
  });

  test('three instances together keep under a DCS rate limit none of them could keep alone: 0 × 429', async () => {
    // DCS allows 10 requests a second; each instance is configured to pace at 8/s. Paced each on
    // its own, three instances would send up to 24 a second.
    const sim: RunningSimulator = await startSimulator({ rateLimit: { requests: 10, periodSeconds: 1 } });
    try {
      const endpoint = `public ${sim.url}`;
      const statuses: number[] = [];
      await Promise.all(
        states.map(async (state) => {
          const pace = state.pace(endpoint, 8);
          for (let i = 0; i < 5; i++) {
            await pace.awaitTurn(10_000);
            const response = await fetch(`${sim.url}public/meters`);
            await response.arrayBuffer();
            statuses.push(response.status);
          }
        }),
      );
      assert.equal(statuses.length, 15);
      assert.deepEqual(
        statuses.filter((s) => s !== 200),
        [],
      );
    } finally {
      await sim.close();
    }
  });

  test("one instance's 429 Retry-After holds the others", async () => {
    const endpoint = unique('endpoint');
    await states[0].pace(endpoint, undefined).pauseFor(300);
    const started = Date.now();
    await states[1].pace(endpoint, undefined).awaitTurn(10_000);
    assert.ok(Date.now() - started >= 250, `waited only ${Date.now() - started} ms`);
  });

  test('a hold longer than the caller will wait fails at once, saying when to try again', async () => {
    const endpoint = unique('endpoint');
    await states[0].pace(endpoint, undefined).pauseFor(5000);
    const waits = await sleepsDuring(() =>
      assert.rejects(states[2].pace(endpoint, undefined).awaitTurn(1000), (error: unknown) => {
        assert.ok(error instanceof DcsRateLimitError);
        assert.equal(error.retryAfterSeconds, 5);
        assert.match(error.message, /Try again in 5 s/);
        return true;
      }),
    );
    assert.deepEqual(waits, [], 'failed without waiting');
  });

  test("DCS's window reported used up by one instance holds every instance until its reset", async () => {
    const endpoint = unique('endpoint');
    await states[0].pace(endpoint, undefined).observe({ remaining: 0, resetAtMs: Date.now() + 300 }, 10_000);
    const started = Date.now();
    await states[1].pace(endpoint, undefined).awaitTurn(10_000);
    assert.ok(Date.now() - started >= 250, `waited only ${Date.now() - started} ms`);
  });

  test('the window is counted down by every instance: the last request left makes the next one wait', async () => {
    const endpoint = unique('endpoint');
    await states[0].pace(endpoint, undefined).observe({ remaining: 2, resetAtMs: Date.now() + 400 }, 10_000);
    const started = Date.now();
    const firstTwo = await sleepsDuring(async () => {
      await states[1].pace(endpoint, undefined).awaitTurn(10_000);
      await states[2].pace(endpoint, undefined).awaitTurn(10_000);
    });
    assert.deepEqual(firstTwo, [], 'the two requests left went at once');
    const third = await sleepsDuring(() => states[0].pace(endpoint, undefined).awaitTurn(10_000));
    assert.ok(third.length > 0 && third.every((ms) => ms > 0 && ms <= 500), `the third waited for the reset (${third.join(', ')} ms)`);
    assert.ok(Date.now() - started >= 350, `the third went after ${Date.now() - started} ms, before the reset`);
  });

  test('a caller giving up while it waits for its turn is released at once', async () => {
    const endpoint = unique('endpoint');
    await states[0].pace(endpoint, undefined).pauseFor(2000);
    const controller = new AbortController();
    const waiting = states[1].pace(endpoint, undefined).awaitTurn(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await assert.rejects(waiting, /user cancelled/);
  });
});
