/**
 * The server with DATABASE_URL: every route that reads readings goes through the readings store.
 * Each answer is compared with a server without a store (its own simulator, the same demo data),
 * so "through the store" can never change what a user gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_FEATURES, demoFeatures } from 'dcs-simulator';
import { STORE_ACCESS_RECHECK_MS } from '../../server/http/stored-readings';
import { skipWithoutPostgres, startPostgres, type RunningService } from '../support/services';
import { rawGet, signIn, SIMULATOR_NOW, startTestServer, type TestServer } from './helpers';

const F = demoFeatures(SIMULATOR_NOW);
const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const EXPORT = `R${DEMO_FEATURES.exportRegisterId}`;
const GAP = `R${DEMO_FEATURES.gapRegisterId}`;
const HIDDEN = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;
const CAMPUS_VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
const month = (m: number): string => `${F.year}-${String(m).padStart(2, '0')}-01`;

describe('the server reading through the readings store (PostgreSQL)', { skip: skipWithoutPostgres(__filename) }, () => {
  let postgres: RunningService;
  let stored: TestServer;
  let plain: TestServer;
  const tokens = new Map<TestServer, Map<string, string>>();

  before(async () => {
    postgres = await startPostgres();
    // Both servers' clocks stand at the simulator's "now", so the settle age counts from there.
    const now = () => SIMULATOR_NOW.getTime();
    [stored, plain] = await Promise.all([startTestServer({ databaseUrl: postgres.url, now, logLevel: 'warn' }), startTestServer({ now, logLevel: 'warn' })]);
  });
  after(async () => {
    await stored?.close();
    await plain?.close();
    await postgres?.stop();
  });

  async function token(server: TestServer, user: string): Promise<string> {
    const byUser = tokens.get(server) ?? new Map<string, string>();
    tokens.set(server, byUser);
    if (!byUser.has(user)) byUser.set(user, (await signIn(server.url, user, user)).token);
    return byUser.get(user) as string;
  }

  /** A GET as `user`, and how many requests it cost the server's DCS; recordings are waited for. */
  async function get(server: TestServer, path: string, user = 'demo') {
    const auth = { Authorization: `Bearer ${await token(server, user)}` };
    const before = server.simulator!.requestCount;
    const res = await rawGet(`${server.url}${path}`, auth);
    await server.context.readingsStore?.settled();
    // Links name the server they came from; everything else must match byte for byte.
    return { status: res.status, body: res.body.replaceAll(server.url, 'SERVER'), dcsCalls: server.simulator!.requestCount - before };
  }

  /** The same GET on both servers: the answers must be identical. */
  async function same(path: string, user = 'demo') {
    const [fromStore, fromDcs] = [await get(stored, path, user), await get(plain, path, user)];
    assert.equal(fromStore.status, fromDcs.status, fromStore.body.slice(0, 500));
    assert.ok(fromStore.body === fromDcs.body, `${path}: the answer through the store differs from DCS's`);
    return fromStore;
  }

  it('serves a repeated pull of settled history from the store: 0 DCS calls, byte-identical readings and intervals', async () => {
    const readings = `/api/readings?id=${ELEC}&start=${month(1)}&end=${month(3)}&output=csv`;
    const intervals = `/api/intervals?id=${ELEC}&start=${month(1)}&end=${month(3)}&interval=day&output=csv`;
    const first = await same(readings);
    assert.ok(first.dcsCalls >= 1);
    assert.equal(first.body.trimEnd().split('\n').length, 1 + 60 * 48);
    await same(intervals);
    const again = await same(readings);
    assert.equal(again.dcsCalls, 0);
    const intervalsAgain = await same(intervals);
    assert.equal(intervalsAgain.dcsCalls, 0);
    const consumption = await same(`/api/consumption?id=${ELEC}&start=${month(1)}&end=${month(2)}`);
    assert.equal(consumption.dcsCalls, 0);
    // A virtual meter of running totals needs the total at the span's end too: stored as well.
    const totals = `/api/intervals?id=${CAMPUS_VM}&start=${month(1)}&end=${month(2)}&interval=week&output=csv`;
    await same(totals);
    assert.equal((await same(totals)).dcsCalls, 0);
  });

  it('asks DCS only for the part of a longer span the store lacks', async () => {
    await same(`/api/readings?id=${EXPORT}&start=${month(4)}&end=${month(5)}&output=csv`);
    const longer = await same(`/api/readings?id=${EXPORT}&start=${month(4)}&end=${month(6)}&output=csv`);
    assert.equal(longer.dcsCalls, 1);
    const whole = await same(`/api/readings?id=${EXPORT}&start=${month(4)}&end=${month(6)}&output=json`);
    assert.equal(whole.dcsCalls, 0);
  });

  it('asks DCS again for estimated half-hours, and for the last SETTLE_AGE', async () => {
    const gap = `/api/readings?id=${GAP}&start=${month(3)}&end=${month(4)}&output=csv`;
    const first = await same(gap);
    assert.match(first.body, /,1\r?\n/, 'the gap is filled with estimates (status 1)');
    const again = await same(gap);
    assert.equal(again.dcsCalls, 1, 'only the estimated spell is asked again');
    const lastWeek = `/api/readings?id=${ELEC}&start=2025-05-25&end=2025-06-01&output=csv`;
    await same(lastWeek);
    assert.equal((await same(lastWeek)).dcsCalls, 1);
  });

  it('refuses stored data of a source hidden from a restricted user as without a store: 403 on /api/readings, 404 on intervals and OData', async () => {
    const hidden = `/api/readings?id=${HIDDEN}&start=${month(1)}&end=${month(2)}&output=csv`;
    await same(hidden);
    assert.equal((await same(hidden)).dcsCalls, 0, 'the store holds it');
    const refused = await same(hidden, 'viewer');
    assert.equal(refused.status, 403);
    assert.match(refused.body, /not allowed/);
    const intervals = await same(`/api/intervals?id=${HIDDEN}&start=${month(1)}&end=${month(2)}&interval=month`, 'viewer');
    assert.equal(intervals.status, 404, 'a source outside the viewer’s list is unknown to intervals, as without a store');
    const odata = await same(
      `/odata/Readings?$filter=${encodeURIComponent(`SourceId eq '${HIDDEN}' and Timestamp ge ${month(1)}T00:00:00Z and Timestamp lt ${month(2)}T00:00:00Z`)}`,
      'viewer',
    );
    assert.equal(odata.status, 404, 'OData answers a source the caller may not see with 404 (no credential prompt), store or not');
    for (const refusal of [refused, intervals, odata])
      assert.doesNotMatch(refusal.body, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[^,]*,[-\d.]+,\d/, 'no stored reading in a refusal');
    assert.equal(odata.dcsCalls, 0);
  });

  it('decides access and DCS refusals before the first byte when the store knows the series but not the span', async () => {
    // Settled history of the hidden source is stored (the demo user may read it); its last week never is.
    await get(stored, `/api/readings?id=${HIDDEN}&start=${month(1)}&end=${month(2)}&output=csv`);
    const lastWeek = (id: string) => `/api/readings?id=${id}&start=2025-05-25&end=2025-06-01&output=ndjson`;
    const refused = await get(stored, lastWeek(HIDDEN), 'viewer');
    assert.equal(refused.status, 403, refused.body.slice(0, 300));
    const json = JSON.parse(refused.body) as { error: { code: string } };
    assert.equal(json.error.code, 'forbidden', 'an error answer of its own: 0 bytes of a readings body were sent');
    assert.doesNotMatch(refused.body, /"name"|"unit"/, 'neither the name nor the unit of the hidden source');
    // With several sources, one the caller may not see is refused before the first's readings are sent.
    const several = await same(`/api/readings?id=${ELEC},${HIDDEN}&start=${month(1)}&end=${month(2)}&output=csv`, 'viewer');
    assert.equal(several.status, 404);
    assert.match(several.body, new RegExp(`^\\{"error".*no source ${HIDDEN} that you may see`));
    // Any other DCS failure on that path is its own status too, never a cut 200.
    await get(stored, `/api/readings?id=${ELEC}&start=${month(1)}&end=${month(2)}&output=csv`);
    stored.simulator!.setFaults({ failEveryNth: 1, failStatus: 503 });
    try {
      const failed = await get(stored, lastWeek(ELEC));
      assert.equal(failed.status, 502, failed.body.slice(0, 300));
      assert.match(failed.body, /^\{"error"/);
    } finally {
      stored.simulator!.setFaults({});
    }
  });

  it("asks DCS for the caller's source list again before serving stored data once it is STORE_ACCESS_RECHECK_MS old", async () => {
    let clock = SIMULATOR_NOW.getTime();
    const server = await startTestServer({ databaseUrl: postgres.url, now: () => clock, logLevel: 'warn' });
    try {
      const path = `/api/readings?id=${ELEC}&start=${month(1)}&end=${month(2)}&output=csv`;
      await get(server, path); // from DCS, recorded (this server's simulator is an endpoint of its own)
      await get(server, path); // from the store: the caller's source list is loaded to decide access
      assert.equal((await get(server, path)).dcsCalls, 0, 'within the recheck age: nothing asked');
      clock += STORE_ACCESS_RECHECK_MS + 1;
      const rechecked = await get(server, path);
      assert.equal(rechecked.status, 200);
      assert.equal(rechecked.dcsCalls, 2, 'meters and virtual meters asked again: a revocation takes effect within the recheck age');
    } finally {
      await server.close();
    }
  });

  it('reads OData Readings through the store too', async () => {
    const filter = encodeURIComponent(`SourceId eq '${ELEC}' and Timestamp ge ${month(7)}T00:00:00Z and Timestamp lt ${month(8)}T00:00:00Z`);
    const path = `/odata/Readings?$filter=${filter}&$orderby=Timestamp desc`;
    const first = await same(path);
    assert.ok(first.dcsCalls >= 1);
    const again = await same(path);
    assert.equal(again.dcsCalls, 0);
    const intervals = `/odata/Intervals?$filter=${encodeURIComponent(`SourceId eq '${ELEC}' and Start ge ${month(7)}T00:00:00Z and Start lt ${month(8)}T00:00:00Z`)}`;
    assert.equal((await same(intervals)).status, 200);
    assert.equal((await same(intervals)).dcsCalls, 0);
  });

  it('runs the mirror on MIRROR_SCHEDULE, after which the mirrored history costs DCS nothing', async () => {
    // The server's clock stands still 100 ms before a whole minute until the server is up, then
    // runs: "every minute" is due 100 ms after the start however long starting took. (A clock
    // running from before the start put the next run a minute away whenever starting took over
    // 100 ms, as it does on a loaded machine, past the 30 s this test waits.)
    let started: number | undefined;
    const now = () => SIMULATOR_NOW.getTime() - 100 + (started === undefined ? 0 : Date.now() - started);
    const mirroring = await startTestServer({
      databaseUrl: postgres.url,
      now,
      logLevel: 'info',
      mirrorSchedule: '* * * * *',
      mirrorSources: [CAMPUS_VM],
      mirrorSince: 30 * 86_400,
      dcsUsername: 'demo',
      dcsPassword: 'demo',
    });
    started = Date.now();
    try {
      const deadline = Date.now() + 30_000;
      while (!mirroring.logs.some((line) => line.includes('scheduled mirror done'))) {
        assert.ok(Date.now() < deadline, 'the scheduled mirror did not finish within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const done = JSON.parse(mirroring.logs.find((line) => line.includes('scheduled mirror done')) as string) as {
        sources: number;
        stored: number;
        failed: string[];
      };
      assert.deepEqual([done.sources, done.failed], [1, []]);
      assert.ok(done.stored > 20 * 48, `stored ${done.stored}`);
      await get(mirroring, '/api/sources'); // the caller's own source list, checked before stored data is served
      const mirrored = await get(mirroring, `/api/readings?id=${CAMPUS_VM}&start=2025-05-03&end=2025-05-24&output=csv`);
      assert.equal(mirrored.status, 200);
      assert.equal(mirrored.dcsCalls, 0);
    } finally {
      await mirroring.close();
    }
  });
});

describe('a server whose DATABASE_URL cannot be opened', () => {
  it('does not start, says what to check, and never repeats the password', async () => {
    await assert.rejects(
      startTestServer({ databaseUrl: 'postgres://dcs:s3cret-pw@127.0.0.1:1/dcs' }),
      (error: Error) => /DATABASE_URL\) could not be opened: .*unset DATABASE_URL/.test(error.message) && !error.message.includes('s3cret-pw'),
    );
  });
});
