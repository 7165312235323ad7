/**
 * Every DCS client the product builds (each session's, the scheduled mirror's, `npm run mirror`'s)
 * comes from one factory over the settings, so a setting reaches all of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/config';
import { DcsRateLimitError } from 'dcs-client';
import { connectAs, dcsClientFactory, mirrorRole } from '../../server/dcs-settings';
import { startSimulator } from 'dcs-simulator';

describe('dcsClientFactory', () => {
  it("gives the mirror's client DCS_RATE_LIMIT_MAX_WAIT: a 429 asking for a longer wait fails at once", async () => {
    // One request a minute: the second call is told to come back in about 60 s.
    const sim = await startSimulator({ rateLimit: { requests: 1, periodSeconds: 60 } });
    const config = resolveConfig({ dcsRateLimitMaxWait: 2 });
    const mirror = await connectAs(dcsClientFactory(config, sim.url), mirrorRole(config));
    try {
      await mirror.meters();
      // With the default wait (300 s) the client would sit out the minute and then succeed.
      await assert.rejects(mirror.meters(), (error: unknown) => error instanceof DcsRateLimitError && error.retryAfterSeconds! > 2);
    } finally {
      await mirror[Symbol.asyncDispose]();
      await sim.close();
    }
  });

  it('signs the mirror in as DCS_USERNAME, and uses the public endpoint without it', async () => {
    const sim = await startSimulator();
    const withAccount = resolveConfig({ dcsUsername: 'viewer', dcsPassword: 'viewer' });
    const withoutAccount = resolveConfig();
    const signedIn = await connectAs(dcsClientFactory(withAccount, sim.url), mirrorRole(withAccount));
    const anonymous = await connectAs(dcsClientFactory(withoutAccount, sim.url), mirrorRole(withoutAccount));
    try {
      assert.equal(signedIn.user?.username, 'viewer');
      assert.equal(anonymous.isPublic, true);
      assert.equal(anonymous.user, undefined);
    } finally {
      await signedIn[Symbol.asyncDispose]();
      await anonymous[Symbol.asyncDispose]();
      await sim.close();
    }
  });
});
