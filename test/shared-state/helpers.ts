/**
 * Several "instances" against one throwaway Redis: each instance is its own `openSharedState`
 * (its own connection), as separate server processes would be.
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { sleep, type Clock } from 'dcs-client';
import { openSharedState, type SharedState } from '../../server/shared-state';
import { startRedis, type RunningService } from '../support/services';

export const KEY = randomBytes(32).toString('base64');

export async function instances(redisUrl: string, count: number, extra: { lockLeaseMs?: number; clock?: Clock } = {}): Promise<SharedState[]> {
  return Promise.all(Array.from({ length: count }, () => openSharedState({ redisUrl, sessionEncryptionKey: KEY, ...extra })));
}

export async function closeAll(states: SharedState[]): Promise<void> {
  await Promise.all(states.map((s) => s.close()));
}

/**
 * The real clock, recording every wait asked of it: with Redis's clock behind the shared pace a
 * test cannot move time, but it can check what was waited for ("the two requests left went at
 * once": no wait asked) instead of how long it took on a busy machine.
 */
export function recordingClock(): Clock & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return sleep(ms, signal);
    },
  };
}

let counter = 0;
/** A name no other test uses, so tests sharing one Redis stay independent. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/**
 * For a suite: a throwaway Redis and `count` instances on it, started before its tests and stopped
 * after them. Returns the instances (call it inside a test).
 */
export function redisInstancesForSuite(count: number): () => SharedState[] {
  let redis: RunningService | undefined;
  let states: SharedState[] | undefined;
  before(async () => {
    redis = await startRedis();
    states = await instances(redis.url, count);
  });
  after(async () => {
    if (states) await closeAll(states);
    await redis?.stop();
  });
  return () => states as SharedState[];
}
