/**
 * Sign-in is retried like every idempotent call (502/503/504, a dropped connection), so a pull
 * whose DCS session expires at a bad moment does not fail; a refused password never is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsAuthenticationError } from '../src';
import { ELECTRICITY, countRequests, demoClient, publicClient, withSimulator } from './helpers';

describe('sign-in retried with the policy of other idempotent calls', () => {
  it('signs in through a 503 answer to the sign-in itself', async () => {
    await withSimulator({ faults: { failEveryNth: 2, failStatus: 503 } }, async (sim) => {
      // Call 1 (public) passes, so the sign-in is call 2: refused, then repeated as call 3.
      await publicClient(sim).meters();
      const client = demoClient(sim);
      const info = await client.signIn('demo', 'demo');
      assert.equal(info.username, 'demo');
      assert.ok((await client.meters()).length > 0);
    });
  });

  it('completes a pull when DCS expires the session and the sign-in again meets a 502', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      await client.signIn('demo', 'demo');
      const clean = await client.readings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-01-03' });
      sim.expireAllSessions();
      // Every 2nd request fails from now: the readings call (401 after expiry) passes the fault,
      // the sign-in again gets 502 and is repeated, then the readings call is repeated.
      sim.setFaults({ failEveryNth: 2, failStatus: 502 });
      const again = await client.readings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-01-03' });
      assert.deepEqual(again, clean);
    });
  });

  it('never repeats a sign-in DCS refused as a wrong password (401)', async () => {
    await withSimulator({}, async (sim) => {
      const client = publicClient(sim);
      const requests = await countRequests(sim, () => assert.rejects(client.signIn('demo', 'wrong'), DcsAuthenticationError));
      assert.equal(requests, 1);
    });
  });
});
