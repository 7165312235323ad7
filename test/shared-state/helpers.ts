/**
 * Several "instances" against one throwaway Redis: each instance is its own `openSharedState`
 * (its own connection), as separate server processes would be.
 */
import { randomBytes } from 'node:crypto';
import { openSharedState, type SharedState } from '../../server/shared-state';

export const KEY = randomBytes(32).toString('base64');

export async function instances(redisUrl: string, count: number, extra: { lockLeaseMs?: number } = {}): Promise<SharedState[]> {
  return Promise.all(Array.from({ length: count }, () => openSharedState({ redisUrl, sessionEncryptionKey: KEY, ...extra })));
}

export async function closeAll(states: SharedState[]): Promise<void> {
  await Promise.all(states.map((s) => s.close()));
}

let counter = 0;
/** A name no other test uses, so tests sharing one Redis stay independent. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
