/**
 * Three server instances sharing one Redis (REDIS_URL) and one readings store (DATABASE_URL), in
 * front of one DCS (the simulator) that allows 4 requests a second. Each instance is configured to
 * pace itself at 3/s: paced each on its own they would send up to 9 a second. A counting proxy
 * between the instances and DCS sees every call and its status. A fourth instance runs in a child
 * process, to be killed mid-pull.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { DEMO_FEATURES, startSimulator, type RunningSimulator } from 'dcs-simulator';
import { startServer, type StartedServer } from '../../server/server';
import { keys } from '../../server/shared-state/keys';
import { SIMULATOR_NOW, signIn } from '../server/helpers';
import { countingProxy, type Call, type CountingProxy } from './counting-proxy';
import { skipWithoutPostgres, skipWithoutRedis, startPostgres, startRedis, type RunningService } from '../support/services';

const KEY = randomBytes(32).toString('base64');
const DCS_LIMIT_PER_SECOND = 4;
const LEASE_MS = 1500;
const SOURCE = `R${DEMO_FEATURES.electricityRegisterId}`;
const HIDDEN = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;

/** The most calls DCS saw within any one second. */
function busiestSecond(calls: Call[]): number {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

async function whoAmI(server: StartedServer, token: string): Promise<number> {
  const res = await fetch(`${server.url}/api/session`, { headers: bearer(token) });
  await res.arrayBuffer();
  return res.status;
}

type Settings = NonNullable<Parameters<typeof startServer>[0]>;

function startInstance(redisUrl: string, dcsUrl: string, extra: Settings = {}): Promise<StartedServer> {
  return startServer(instanceSettings(redisUrl, dcsUrl, extra));
}

function instanceSettings(redisUrl: string, dcsUrl: string, extra: Settings = {}): Settings {
  return {
    port: 0,
    host: '127.0.0.1',
    https: false,
    logLevel: 'silent',
    dcsUrl,
    dcsPublicAccess: false,
    dcsRateLimit: 3,
    dcsMaxWindowDays: 1,
    redisUrl,
    sessionEncryptionKey: KEY,
    sessionLockLeaseMs: LEASE_MS,
    signInLimit: 3,
    ...extra,
  };
}

/** An instance in a child process (test/scale-out/instance-child.ts), and its URL once it listens. */
async function forkInstance(settings: Settings): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(__dirname, 'instance-child.js'), [], {
    env: { ...process.env, DCS_TEST_INSTANCE: JSON.stringify(settings) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error('the child instance exited before listening');
    }),
  ])) as [{ url?: string; error?: string }];
  if (message.url === undefined) throw new Error(`the child instance did not start: ${message.error}`);
  return { child, url: message.url };
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function sessionKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

describe('three instances sharing one Redis and one PostgreSQL', { skip: skipWithoutRedis(__filename) || skipWithoutPostgres(__filename) }, () => {
  let redis: RunningService;
  let postgres: RunningService;
  let simulator: RunningSimulator;
  let proxy: CountingProxy;
  let instances: StartedServer[] = [];
  let redisClient: Redis;

  before(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    simulator = await startSimulator({ rateLimit: { requests: DCS_LIMIT_PER_SECOND, periodSeconds: 1 }, now: () => SIMULATOR_NOW });
    proxy = await countingProxy(simulator.url);
    // Started together, as a deployment would: the store's migrations must not trip over each other.
    instances = await Promise.all([0, 1, 2].map(() => startInstance(redis.url, proxy.url, { databaseUrl: postgres.url })));
    redisClient = new Redis(redis.url);
  });
  after(async () => {
    await Promise.all(instances.map((s) => s.close()));
    redisClient?.disconnect();
    await proxy?.close();
    await simulator?.close();
    await redis?.stop();
    await postgres?.stop();
  });

  test('a token issued by one instance works on the others, by Bearer and by cookie', async () => {
    const [a, b, c] = instances;
    const session = await signIn(a.url);
    assert.equal(await whoAmI(b, session.token), 200);
    const res = await fetch(`${c.url}/api/session`, { headers: { Cookie: session.cookie } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { username: string }).username, 'demo');
    // Nothing of the token is stored; the DCS cookies are sealed.
    const stored = await redisClient.get(keys.session(createHash('sha256').update(session.token).digest('hex')));
    assert.ok(stored !== null);
    assert.ok(!stored.includes(session.token));
    assert.ok(!/COHERENT-DCS-API/i.test(stored), 'the DCS session cookie is not stored in the clear');
  });

  test('concurrent pulls on every instance stay under DCS rate limit together: 0 × 429', async () => {
    // One after the other: sign-ins under way count against SIGN_IN_LIMIT (3 here) until they end.
    const tokens: string[] = [];
    for (const server of instances) tokens.push((await signIn(server.url)).token);
    const from = proxy.calls.length;
    const answers = await Promise.all(
      instances.map(async (server, i) => {
        // Three one-day windows each: three DCS calls per pull, 9 in all, at once on three instances.
        const day = 1 + 3 * i;
        const start = `2024-03-${String(day).padStart(2, '0')}`;
        const end = `2024-03-${String(day + 3).padStart(2, '0')}`;
        const res = await fetch(`${server.url}/api/readings?id=${SOURCE}&start=${start}&end=${end}&output=csv`, { headers: bearer(tokens[i]) });
        const body = await res.text();
        return { status: res.status, rows: body.trim().split('\n').length - 1 };
      }),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.rows, 3 * 48, 'three days of half-hours');
    }
    const calls = proxy.calls.slice(from);
    assert.equal(calls.filter((c) => c.path.includes('/readings')).length, 9);
    assert.deepEqual(
      calls.filter((c) => c.status === 429),
      [],
      'DCS never refused a call as too frequent',
    );
    assert.ok(busiestSecond(proxy.calls) <= DCS_LIMIT_PER_SECOND, `at most ${DCS_LIMIT_PER_SECOND} calls in any second, saw ${busiestSecond(proxy.calls)}`);
    assert.ok((await redisClient.keys(`${keys.pace('x').split('pace:')[0]}pace:*`)).length >= 1, 'the pace is kept in Redis');
  });

  test('when DCS ends its session, the instance that signs in again passes the new session to the others', async () => {
    const [a, b] = instances;
    const session = await signIn(a.url);
    const pull = (server: StartedServer): Promise<Response> =>
      fetch(`${server.url}/api/readings?id=${SOURCE}&start=2024-05-01&end=2024-05-02&output=csv`, { headers: bearer(session.token) });
    assert.equal((await pull(b)).status, 200, 'b continues the session a signed in');
    const recordKey = keys.session(createHash('sha256').update(session.token).digest('hex'));
    const before = await redisClient.get(recordKey);
    simulator.expireAllSessions();
    // a still knows the password, so it signs in to DCS again and stores the new session ...
    assert.equal((await pull(a)).status, 200);
    for (let i = 0; i < 100 && (await redisClient.get(recordKey)) === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.notEqual(await redisClient.get(recordKey), before);
    // ... which b, holding only the old cookies, takes up.
    assert.equal((await pull(b)).status, 200);
  });

  test('signing out on one instance signs out everywhere', async () => {
    const [a, b, c] = instances;
    const session = await signIn(a.url);
    assert.equal(await whoAmI(b, session.token), 200);
    assert.equal(await whoAmI(c, session.token), 200);
    const out = await fetch(`${c.url}/api/session`, { method: 'DELETE', headers: bearer(session.token) });
    assert.equal(out.status, 204);
    assert.equal(await whoAmI(a, session.token), 401);
    assert.equal(await whoAmI(b, session.token), 401);
    assert.equal(await whoAmI(c, session.token), 401);
  });

  test('a pull of settled history made on one instance costs DCS nothing on another, byte for byte', async () => {
    const [a, b] = instances;
    const session = await signIn(a.url);
    const pull = `/api/readings?id=${SOURCE}&start=2024-06-01&end=2024-06-04&output=csv`;
    const first = await fetch(`${a.url}${pull}`, { headers: bearer(session.token) });
    const firstBody = await first.text();
    assert.equal(first.status, 200);
    assert.equal(firstBody.trimEnd().split('\n').length, 1 + 3 * 48);
    await a.context.readingsStore?.settled();
    // Authorization never comes from the store: b learns the user's own source list from DCS first.
    await (await fetch(`${b.url}/api/sources`, { headers: bearer(session.token) })).arrayBuffer();
    const from = proxy.calls.length;
    const again = await fetch(`${b.url}${pull}`, { headers: bearer(session.token) });
    const againBody = await again.text();
    assert.equal(again.status, 200);
    assert.deepEqual(
      proxy.calls.slice(from).map((c) => c.path),
      [],
      'no DCS call',
    );
    assert.ok(againBody === firstBody, 'the same bytes as the pull from DCS');
  });

  test('a restricted user gets 403 on another instance for a stored source hidden from them', async () => {
    const [a, b, c] = instances;
    const demo = await signIn(a.url);
    const pull = `/api/readings?id=${HIDDEN}&start=2024-01-10&end=2024-01-12&output=csv`;
    const stored = await fetch(`${a.url}${pull}`, { headers: bearer(demo.token) });
    await stored.arrayBuffer();
    assert.equal(stored.status, 200);
    await a.context.readingsStore?.settled();
    const from = proxy.calls.length;
    const fromStore = await fetch(`${c.url}${pull}`, { headers: bearer(demo.token) });
    await fromStore.arrayBuffer();
    assert.equal(fromStore.status, 200);
    assert.deepEqual(
      proxy.calls.slice(from).filter((call) => call.path.includes('/readings')),
      [],
      'c has it from the store',
    );
    const viewer = await signIn(b.url, 'viewer', 'viewer');
    const refused = await fetch(`${c.url}${pull}`, { headers: bearer(viewer.token) });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /not allowed/);
  });

  test('an instance killed mid-pull blocks the same token on another instance only until its lock lease runs out', async () => {
    const [a, b] = instances;
    const { child, url } = await forkInstance(instanceSettings(redis.url, proxy.url, { databaseUrl: postgres.url }));
    try {
      const session = await signIn(a.url);
      const lockKey = keys.lock(sessionKey(session.token));
      const from = proxy.calls.length;
      // A month in one-day windows at 3 calls a second: some ten seconds of pulling.
      const cut = fetch(`${url}/api/readings?id=${SOURCE}&start=2024-07-01&end=2024-07-31&output=csv`, { headers: bearer(session.token) })
        .then((res) => res.text())
        .then(
          () => 'complete',
          () => 'cut',
        );
      const readingsCalls = (): number => proxy.calls.slice(from).filter((call) => call.path.includes('/readings')).length;
      await until(async () => readingsCalls() >= 2 && (await redisClient.exists(lockKey)) === 1, 'the pull holding the session lock');
      child.kill('SIGKILL');
      await once(child, 'exit');
      const started = Date.now();
      const leftBehind = await redisClient.pttl(lockKey);
      assert.equal(await cut, 'cut', 'the pull died with its instance');
      assert.ok(readingsCalls() < 30, 'killed mid-pull');

      const res = await fetch(`${b.url}/api/readings?id=${SOURCE}&start=2024-04-01&end=2024-04-02&output=csv`, { headers: bearer(session.token) });
      const body = await res.text();
      const waited = Date.now() - started;
      assert.equal(res.status, 200);
      assert.equal(body.trimEnd().split('\n').length, 1 + 48);
      assert.ok(waited >= leftBehind - 300, `the other instance honoured the dead one's lock (${leftBehind} ms left, waited ${waited} ms)`);
      // The most it could have waited is what the dead instance's lock had left, at most a lease (Redis drops the key then).
      // (-2: already gone.)
      assert.ok(leftBehind <= LEASE_MS, `the dead instance's lock lapses within a lease (${leftBehind} ms left)`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('the scheduled mirror keeps to the pace the instances share: pulling alongside it, 0 × 429', async () => {
    // A fourth instance runs the mirror each minute; its clock starts just before a minute turns.
    const minute = Date.parse('2024-08-11T00:00:00Z');
    const started = Date.now();
    const logs: string[] = [];
    const mirroring = await startInstance(redis.url, proxy.url, {
      databaseUrl: postgres.url,
      now: () => minute - 100 + (Date.now() - started),
      logLevel: 'info',
      logSink: (line) => logs.push(line),
      mirrorSchedule: '* * * * *',
      mirrorSources: [SOURCE],
      mirrorSince: 10 * 86_400,
      settleAge: 86_400,
      dcsUsername: 'demo',
      dcsPassword: 'demo',
    });
    try {
      const session = await signIn(instances[0].url);
      const from = proxy.calls.length;
      const mirrorCalls = (): Call[] => proxy.calls.slice(from).filter((call) => call.userAgent.includes('dcs-excel-mirror'));
      await until(() => Promise.resolve(mirrorCalls().some((call) => call.path.includes('/readings'))), 'the mirror calling DCS');
      // Nine one-day windows for the mirror, six for this pull: at 3/s each, paced apart, 6 a second.
      const pull = await fetch(`${instances[0].url}/api/readings?id=${SOURCE}&start=2024-09-01&end=2024-09-07&output=csv`, {
        headers: bearer(session.token),
      });
      assert.equal(pull.status, 200);
      await pull.arrayBuffer();
      await until(() => Promise.resolve(logs.some((line) => line.includes('scheduled mirror done'))), 'the mirror run');
      const calls = proxy.calls.slice(from);
      assert.ok(mirrorCalls().filter((call) => call.path.includes('/readings')).length >= 5, 'the mirror pulled alongside');
      assert.deepEqual(
        calls.filter((call) => call.status === 429),
        [],
        'DCS never refused a call as too frequent',
      );
      assert.ok(busiestSecond(calls) <= DCS_LIMIT_PER_SECOND, `at most ${DCS_LIMIT_PER_SECOND} calls in any second, saw ${busiestSecond(calls)}`);
    } finally {
      await mirroring.close();
    }
  });

  test('failed sign-ins are counted across instances', async () => {
    let guess = 0;
    const wrong = (server: StartedServer): Promise<Response> =>
      fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'guesser', password: `wrong-${++guess}` }),
      });
    for (const server of instances) assert.equal((await wrong(server)).status, 401);
    const third = await wrong(instances[0]);
    assert.equal(third.status, 429);
    assert.equal(((await third.json()) as { error: { code: string } }).error.code, 'too_many_sign_ins');
  });
});

describe('an instance whose Redis goes away', { skip: skipWithoutRedis(__filename) }, () => {
  test('answers 503 with Retry-After rather than serving without the shared state', async () => {
    const redis = await startRedis();
    const simulator = await startSimulator({ now: () => SIMULATOR_NOW });
    const server = await startInstance(redis.url, simulator.url, { dcsRateLimit: undefined });
    try {
      const session = await signIn(server.url);
      assert.equal(await whoAmI(server, session.token), 200);
      await redis.stop();
      const res = await fetch(`${server.url}/api/session`, { headers: bearer(session.token) });
      assert.equal(res.status, 503);
      assert.ok(res.headers.get('retry-after'));
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.match(body.error.message, /REDIS_URL/);
    } finally {
      await server.close();
      await simulator.close();
    }
  });
});
