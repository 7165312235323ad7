/**
 * Redis key names: everything this server keeps is under one prefix, so that a Redis shared with
 * other applications can be inspected or wiped for this one alone (`--scan --pattern 'dcs-excel:*'`).
 */
import { createHash } from 'node:crypto';

export const KEY_PREFIX = 'dcs-excel:';

/** A DCS endpoint key (`authenticated https://…/`) as a short digest: nothing of a URL lands in Redis. */
export function endpointKeyPart(endpointKey: string): string {
  return createHash('sha256').update(endpointKey.toLowerCase()).digest('hex').slice(0, 24);
}

export const keys = {
  pace: (endpointKey: string) => `${KEY_PREFIX}pace:${endpointKeyPart(endpointKey)}`,
  spanCap: (endpointKey: string) => `${KEY_PREFIX}span-cap:${endpointKeyPart(endpointKey)}`,
  lock: (sessionKey: string) => `${KEY_PREFIX}lock:${sessionKey}`,
  session: (sessionKey: string) => `${KEY_PREFIX}session:${sessionKey}`,
  signInPrefix: `${KEY_PREFIX}sign-in`,
};
