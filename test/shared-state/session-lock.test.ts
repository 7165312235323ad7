import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { keys } from '../../server/shared-state/keys';
import { localSessionLock, openSharedState, type SessionLock, type SharedState } from '../../server/shared-state';
import { skipWithoutRedis, startRedis, type RunningService } from '../support/services';
import { closeAll, instances, KEY, unique } from './helpers';

/** Runs `count` critical sections through the locks at once; returns the largest overlap seen. */
async function maxOverlap(locks: SessionLock[], count: number): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const release = await locks[i % locks.length].acquire();
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 15));
      inside -= 1;
      release();
    }),
  );
  return most;
}

describe('session transaction lock', () => {
  test('in-process: one transaction at a time per session', async () => {
    const lock = localSessionLock();
    assert.equal(await maxOverlap([lock, lock], 6), 1);
  });
});

describe('session transaction lock across instances (Redis)', { skip: skipWithoutRedis(__filename) }, () => {
  let redis: RunningService;
  let states: SharedState[];

  before(async () => {
    redis = await startRedis();
    states = await instances(redis.url, 2, { lockLeaseMs: 600 });
  });
  after(async () => {
    if (states) await closeAll(states);
    await redis?.stop();
  });

  test('two instances never run two transactions of one DCS session at once', async () => {
    const session = unique('session');
    assert.equal(await maxOverlap([states[0].sessionLock(session), states[1].sessionLock(session)], 6), 1);
  });

  test('different sessions do not wait for each other', { timeout: 30_000 }, async () => {
    // A is held until B is in: were B to wait for A, it would never get in (and the test time out).
    const releaseA = await states[0].sessionLock(unique('session')).acquire();
    const releaseB = await states[1].sessionLock(unique('session')).acquire();
    releaseA();
    releaseB();
  });

  test('a holder working longer than the lease keeps the lock', async () => {
    const session = unique('session');
    const release = await states[0].sessionLock(session).acquire();
    let otherGotIn = false;
    const other = states[1]
      .sessionLock(session)
      .acquire()
      .then((r) => {
        otherGotIn = true;
        return r;
      });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(otherGotIn, false);
    release();
    (await other)();
  });

  test('an instance that dies holding the lock blocks the session only until its lease runs out', async () => {
    const session = unique('session');
    const doomed = await openSharedState({ redisUrl: redis.url, sessionEncryptionKey: KEY, lockLeaseMs: 600 });
    await doomed.sessionLock(session).acquire();
    await doomed.close(); // gone without releasing, as a killed process would be
    // What blocks the session is the lock's key, and Redis drops it when its lease runs out: the
    // time left on it is the most any waiter can be held, whatever the machine's load.
    const raw = new Redis(redis.url);
    try {
      const leftMs = await raw.pttl(keys.lock(session));
      assert.ok(leftMs <= 600, `the dead holder's lock lapses within its lease (${leftMs} ms left; -2: already gone)`);
    } finally {
      raw.disconnect();
    }
    const release = await states[1].sessionLock(session).acquire();
    release();
  });

  test('a waiter that gives up leaves at once', async () => {
    const session = unique('session');
    const release = await states[0].sessionLock(session).acquire();
    const controller = new AbortController();
    const waiting = states[1].sessionLock(session).acquire(controller.signal);
    setTimeout(() => controller.abort(new Error('request closed')), 50);
    await assert.rejects(waiting, /request closed/);
    release();
  });
});
