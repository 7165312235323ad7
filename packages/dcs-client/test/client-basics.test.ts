import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsAuthenticationError, DcsBadRequestError, DcsClient, DcsError, DcsForbiddenError, DcsQueryError, ReadingStatus, type CompleteReading } from '../src';
import { ELECTRICITY, FAST, collect, countRequests, demoClient, demoFeatures, DEMO_FEATURES, iso, plain, publicClient, withSimulator } from './helpers';

const features = demoFeatures(new Date('2026-06-15T12:00:00Z'));

describe('signing in and out', () => {
  it('signs in with credentials, reports the user, and lists meters and virtual meters', async () => {
    await withSimulator({}, async (sim) => {
      const client = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo', ...FAST });
      assert.equal(client.isPublic, false);
      assert.deepEqual(client.user, { username: 'demo', role: 'Operator', appVersion: '3.9.0-simulator' });
      const meters = await client.meters();
      assert.ok(meters.length > 10);
      assert.ok(meters.some((m) => m.registers.some((r) => r.id === DEMO_FEATURES.electricityRegisterId)));
      const virtualMeters = await client.virtualMeters();
      assert.ok(virtualMeters.some((vm) => vm.id === DEMO_FEATURES.cumulativeVirtualMeterId && vm.registerAliases.length > 1));
      await client.signOut();
    });
  });

  it('signs in by itself on the first call when given credentials but not connected', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      assert.equal(whoIsSignedIn(client), undefined);
      assert.equal(await countRequests(sim, () => client.meters()), 2, 'a sign-in, then the call');
      assert.equal(whoIsSignedIn(client), 'demo');
    });
  });

  it('works unauthenticated against /public/... without credentials', async () => {
    await withSimulator({}, async (sim) => {
      const client = publicClient(sim);
      assert.equal(client.isPublic, true);
      assert.equal(whoIsSignedIn(client), undefined);
      assert.ok((await client.meters()).length > 10);
      const result = await client.readings({ id: ELECTRICITY, start: '2025-01-01', periodCount: 2 });
      assert.equal(result.readings.length, 2);
      await client.signOut(); // nothing to sign out of: a no-op, and the client keeps working
      assert.ok((await client.virtualMeters()).length > 0);
    });
  });

  it('says so when public access is disabled on the server', async () => {
    await withSimulator({ publicMode: false }, async (sim) => {
      await assert.rejects(publicClient(sim).meters(), (error: unknown) => {
        assert.ok(error instanceof DcsError);
        assert.equal(error.status, 404);
        assert.match(error.message, /public access enabled/);
        assert.match(error.details ?? '', /not enabled/);
        return true;
      });
    });
  });

  it('refuses wrong credentials with DcsAuthenticationError, never echoing the password', async () => {
    await withSimulator({}, async (sim) => {
      await assert.rejects(DcsClient.connect({ url: sim.url, username: 'demo', password: 's3cret-wrong', ...FAST }), (error: unknown) => {
        assert.ok(error instanceof DcsAuthenticationError);
        assert.equal(error.status, 401);
        assert.match(error.message, /Check the username and password/);
        assert.match(error.details ?? '', /incorrect/);
        assert.doesNotMatch(`${error.message} ${error.details}`, /s3cret-wrong/);
        return true;
      });
    });
  });

  it('signs out: the session is revoked and the client refuses further calls until signIn', async () => {
    await withSimulator({}, async (sim) => {
      const client = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo', ...FAST });
      await client.signOut();
      assert.equal(whoIsSignedIn(client), undefined);
      const requests = await countRequests(sim, () => assert.rejects(client.meters(), /has signed out; call signIn/));
      assert.equal(requests, 0);
      await client.signIn('viewer', 'viewer');
      assert.equal(whoIsSignedIn(client), 'viewer');
      assert.ok((await client.meters()).length > 0);
    });
  });

  it('signs out at the end of an `await using` block', async () => {
    await withSimulator({}, async (sim) => {
      let signOutRequests: number;
      {
        await using client = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo', ...FAST });
        await client.meters();
        const before = sim.requestCount;
        // The sign-out happens as the block ends; counted just below.
        signOutRequests = -before;
      }
      signOutRequests += sim.requestCount;
      assert.equal(signOutRequests, 1);
    });
  });

  it('signs out in a finally block after a failure', async () => {
    await withSimulator({}, async (sim) => {
      const client = await DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo', ...FAST });
      try {
        await assert.rejects(client.readings({ id: 'R999999', start: '2025-01-01', periodCount: 1 }), DcsBadRequestError);
      } finally {
        await client.signOut();
      }
      assert.equal(whoIsSignedIn(client), undefined);
    });
  });
});

describe('readings', () => {
  it('normalises ids, converts timestamps to Dates and values to numbers, half-open', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const result = await client.readings({ id: `r${DEMO_FEATURES.electricityRegisterId}`, start: '2025-03-01T18:00:00', periodCount: 4 });
      assert.equal(result.id, ELECTRICITY);
      assert.match(result.name, /Main Library/);
      assert.equal(result.unit, 'kWh');
      assert.equal(result.periodType, 'halfHour');
      assert.equal(result.format, 'standard');
      assert.equal(iso(result.startTime), '2025-03-01T18:00:00Z');
      assert.equal(iso(result.endTime), '2025-03-01T20:00:00Z');
      assert.deepEqual(
        result.readings.map((r) => iso(r.timestamp)),
        ['2025-03-01T18:00:00Z', '2025-03-01T18:30:00Z', '2025-03-01T19:00:00Z', '2025-03-01T19:30:00Z'],
      );
      for (const reading of result.readings) {
        assert.ok(reading.timestamp instanceof Date);
        assert.equal(typeof reading.value, 'number');
        assert.equal(reading.status, 0);
      }
    });
  });

  it('asks for every period type on period boundaries', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const cases = [
        { periodType: 'halfHour', start: '2025-03-01T00:00:00Z', end: '2025-03-01T02:00:00Z', first: '2025-03-01T00:00:00Z', count: 4 },
        { periodType: 'hour', start: '2025-03-01T00:00:00Z', end: '2025-03-01T05:00:00Z', first: '2025-03-01T00:00:00Z', count: 5 },
        { periodType: 'day', start: '2025-02-27', end: '2025-03-02', first: '2025-02-27T00:00:00Z', count: 3 },
        { periodType: 'week', start: '2025-03-03', end: '2025-03-31', first: '2025-03-03T00:00:00Z', count: 4 },
        { periodType: 'month', start: '2024-12-01', end: '2025-04-01', first: '2024-12-01T00:00:00Z', count: 4 },
      ] as const;
      for (const c of cases) {
        const result = await client.readings({ id: ELECTRICITY, start: c.start, end: c.end, periodType: c.periodType });
        assert.equal(result.periodType, c.periodType);
        assert.equal(result.readings.length, c.count, c.periodType);
        assert.equal(iso(result.readings[0].timestamp), c.first, c.periodType);
      }
      const months = await client.readings({ id: ELECTRICITY, start: '2024-12-01', end: '2025-04-01', periodType: 'month' });
      assert.deepEqual(
        months.readings.map((r) => iso(r.timestamp)),
        ['2024-12-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z'],
      );
      const weeks = await client.readings({ id: ELECTRICITY, end: '2025-03-31', periodCount: 2, periodType: 'week' });
      assert.deepEqual(
        weeks.readings.map((r) => r.timestamp.getUTCDay()),
        [1, 1],
        'weeks start on Mondays',
      );
    });
  });

  it('turns DCS\'s "NaN", "Infinity" and "-Infinity" into numbers', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const nan = await client.readings({ id: `R${DEMO_FEATURES.nanRegisterId}`, start: features.nanSpell.start, periodCount: 3 });
      assert.ok(nan.readings.every((r) => Number.isNaN(r.value)));
      const inf = await client.readings({ id: `R${DEMO_FEATURES.infinityRegisterId}`, start: features.infinitySpell.start, periodCount: 4 });
      const values = new Set(inf.readings.map((r) => r.value));
      assert.ok(values.has(Infinity) && values.has(-Infinity), `got ${[...values].join(', ')}`);
    });
  });

  it('exposes the reset and interpolated status bits, and leaves gaps empty when not interpolating', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const reset = await client.readings({ id: `R${DEMO_FEATURES.resetRegisterId}`, start: features.resetTime, periodCount: 1 });
      assert.ok(reset.readings[0].status & ReadingStatus.Reset);
      const gap = { id: `R${DEMO_FEATURES.gapRegisterId}`, start: features.gapSpell.start, end: features.gapSpell.end };
      const interpolated = await client.readings(gap);
      assert.ok(interpolated.readings.length > 0);
      assert.ok(interpolated.readings.every((r) => r.status & ReadingStatus.Interpolated));
      const raw = await client.readings({ ...gap, interpolated: false });
      assert.equal(raw.readings.length, 0);
    });
  });

  it('asks for calibrated totals by default, and raw ones when told', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const query = { id: `R${DEMO_FEATURES.calibratedRegisterId}`, start: features.calibrationTime, periodCount: 1 };
      const calibrated = await client.readings(query);
      const raw = await client.readings({ ...query, calibrated: false });
      assert.ok(Math.abs(calibrated.readings[0].value - raw.readings[0].value - features.calibrationOffset) < 1e-6);
    });
  });

  it('reads the complete format with totals and period values', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const result = await client.readings({ id: ELECTRICITY, start: '2025-03-01', periodCount: 3, format: 'complete' });
      const readings: CompleteReading[] = result.readings;
      assert.equal(result.format, 'complete');
      assert.equal(readings.length, 3);
      for (const r of readings) assert.ok(Number.isFinite(r.totalValue) && Number.isFinite(r.periodValue));
      assert.ok(readings[1].totalValue > readings[0].totalValue);
    });
  });

  it('reads virtual meters, whose values are per-period consumption', async () => {
    await withSimulator({}, async (sim) => {
      const result = await demoClient(sim).readings({ id: `vm${DEMO_FEATURES.cumulativeVirtualMeterId}`, start: '2025-03-01', periodCount: 2 });
      assert.equal(result.id, `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`);
      assert.equal(result.duration, 30);
      assert.equal(result.readings.length, 2);
    });
  });

  it('decodes gzip answers to exactly the same readings as uncompressed ones', async () => {
    await withSimulator({}, async (sim) => {
      const query = { id: `R${DEMO_FEATURES.infinityRegisterId}`, start: '2025-08-01', end: '2025-08-20' };
      const gzipped = await demoClient(sim, { compression: true }).readings(query);
      const plainBody = await demoClient(sim, { compression: false }).readings(query);
      assert.equal(gzipped.readings.length, 19 * 48);
      assert.deepEqual(plain(gzipped.readings), plain(plainBody.readings));
    });
  });

  it('streams: the header is there before the first reading is read', async () => {
    await withSimulator({}, async (sim) => {
      const stream = await demoClient(sim).streamReadings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-02-01' });
      assert.equal(stream.header.id, ELECTRICITY);
      assert.equal(iso(stream.header.endTime), '2025-02-01T00:00:00Z');
      assert.equal((await collect(stream)).length, 31 * 48);
      assert.throws(() => stream.batches(), /iterated only once/);
    });
  });
});

describe('refusals', () => {
  it('catches bad queries before sending anything', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const bad = [
        { id: 'M12', start: '2025-01-01', periodCount: 1 },
        { id: ELECTRICITY, start: '2025-01-01' },
        { id: ELECTRICITY, start: '2025-01-01', end: '2025-02-01', periodCount: 3 },
        { id: ELECTRICITY, start: '2025-01-05', end: '2025-02-01', periodType: 'month' as const },
        { id: `VM${DEMO_FEATURES.netVirtualMeterId}`, start: '2025-01-01', periodCount: 1, format: 'complete' as const },
      ];
      const requests = await countRequests(sim, async () => {
        for (const query of bad) await assert.rejects(client.readings(query), DcsQueryError);
      });
      assert.equal(requests, 0);
    });
  });

  it("passes on DCS's 400 details for a query only the server can judge", async () => {
    await withSimulator({}, async (sim) => {
      await assert.rejects(demoClient(sim).readings({ id: 'R999999', start: '2025-01-01', periodCount: 1 }), (error: unknown) => {
        assert.ok(error instanceof DcsBadRequestError);
        assert.equal(error.status, 400);
        assert.match(error.details ?? '', /does not exist/);
        return true;
      });
    });
  });

  it('refuses with DcsForbiddenError what the viewer may not see, and lets it see the rest', async () => {
    await withSimulator({}, async (sim) => {
      const viewer = new DcsClient({ url: sim.url, username: 'viewer', password: 'viewer', ...FAST });
      await assert.rejects(viewer.readings({ id: `R${DEMO_FEATURES.viewerForbiddenRegisterId}`, start: '2025-01-01', periodCount: 1 }), (error: unknown) => {
        assert.ok(error instanceof DcsForbiddenError);
        assert.equal(error.status, 403);
        assert.match(error.details ?? '', /restriction profile/);
        assert.match(error.message, /ask the DCS administrator/);
        return true;
      });
      const allowed = await viewer.readings({ id: `R${DEMO_FEATURES.viewerAllowedRegisterId}`, start: '2025-01-01', periodCount: 1 });
      assert.equal(allowed.readings.length, 1);
    });
  });

  it('refuses an expired account with DcsForbiddenError saying it expired', async () => {
    await withSimulator({}, async (sim) => {
      const expired = await DcsClient.connect({ url: sim.url, username: 'expired', password: 'expired', ...FAST });
      await assert.rejects(expired.meters(), (error: unknown) => error instanceof DcsForbiddenError && /expired/.test(error.details ?? ''));
    });
  });
});

/** The signed-in username, read through a function so that assertions do not narrow `client.user`. */
function whoIsSignedIn(client: DcsClient): string | undefined {
  return client.user?.username;
}
