/**
 * Any instance renews any session: DCS ends its sessions after a short life here, and the
 * instances that did not sign the user in (and one started after the signing instance stopped)
 * sign in to DCS again with the credentials sealed in the shared record, unsealed with the
 * caller's token.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { DEMO_FEATURES, startSimulator, type RunningSimulator } from 'dcs-simulator';
import { startServer, type StartedServer } from '../../server/server';
import { keys } from '../../server/shared-state/keys';
import { SIMULATOR_NOW, signIn } from '../server/helpers';
import { countingProxy, type CountingProxy } from './counting-proxy';
import { skipWithoutRedis, startRedis, type RunningService } from '../support/services';

const KEY = randomBytes(32).toString('base64');
const SOURCE = `R${DEMO_FEATURES.electricityRegisterId}`;
const DCS_SESSION_SECONDS = 0.5;
const PULLS = 12;

function startInstance(redisUrl: string, dcsUrl: string): Promise<StartedServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    https: false,
    logLevel: 'silent',
    dcsUrl,
    dcsPublicAccess: false,
    redisUrl,
    sessionEncryptionKey: KEY,
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One day of half-hours from `server` with the token: its status and data rows. */
async function pullDay(server: StartedServer, token: string, day: number): Promise<{ status: number; rows: number }> {
  const start = `2024-03-${String(day).padStart(2, '0')}`;
  const end = `2024-03-${String(day + 1).padStart(2, '0')}`;
  const res = await fetch(`${server.url}/api/readings?id=${SOURCE}&start=${start}&end=${end}&output=csv`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.text();
  return { status: res.status, rows: body.trimEnd().split('\n').length - 1 };
}

describe('any instance renews a session DCS ended', { skip: skipWithoutRedis(__filename) }, () => {
  let redis: RunningService;
  let simulator: RunningSimulator;
  let proxy: CountingProxy;
  let redisClient: Redis;

  before(async () => {
    redis = await startRedis();
    simulator = await startSimulator({ sessionTtlSeconds: DCS_SESSION_SECONDS, now: () => SIMULATOR_NOW });
    proxy = await countingProxy(simulator.url);
    redisClient = new Redis(redis.url);
  });
  after(async () => {
    redisClient?.disconnect();
    await proxy?.close();
    await simulator?.close();
    await redis?.stop();
  });

  const signIns = (): number => proxy.calls.filter((call) => call.path.includes('authentication/signin')).length;

  test(`signed in on A, ${PULLS} of ${PULLS} pulls on B after DCS ended the session succeed; with A stopped, B and a new instance C still renew`, async () => {
    const a = await startInstance(redis.url, proxy.url);
    const b = await startInstance(redis.url, proxy.url);
    let c: StartedServer | undefined;
    try {
      const session = await signIn(a.url, 'demo', 'demo');
      const signInsBefore = signIns();
      const results: { status: number; rows: number }[] = [];
      for (let i = 0; i < PULLS; i++) {
        await sleep(DCS_SESSION_SECONDS * 1000 + 50); // DCS has ended the session before each pull
        results.push(await pullDay(b, session.token, 1 + i));
      }
      assert.deepEqual(
        results,
        Array.from({ length: PULLS }, () => ({ status: 200, rows: 48 })),
        'every pull on B answered in full',
      );
      assert.ok(signIns() - signInsBefore >= PULLS, `B signed in to DCS again for each pull (${signIns() - signInsBefore} sign-ins)`);

      await a.close();
      await sleep(DCS_SESSION_SECONDS * 1000 + 50);
      assert.deepEqual(await pullDay(b, session.token, 20), { status: 200, rows: 48 }, 'B renews with A gone');
      c = await startInstance(redis.url, proxy.url);
      await sleep(DCS_SESSION_SECONDS * 1000 + 50);
      assert.deepEqual(await pullDay(c, session.token, 21), { status: 200, rows: 48 }, 'C, started after A stopped, renews too');

      // Neither the token nor the password is readable from Redis: only the user name is in clear.
      const stored = await redisClient.get(keys.session(createHash('sha256').update(session.token).digest('hex')));
      assert.ok(stored !== null);
      const { u: username, ...sealed } = JSON.parse(stored) as Record<string, unknown>;
      assert.equal(username, 'demo');
      assert.ok(typeof sealed.p === 'string', 'the credentials are kept, sealed');
      assert.ok(!JSON.stringify(sealed).includes('demo') && !stored.includes(session.token));

      // Signing out removes the record, sealed credentials and all.
      const out = await fetch(`${b.url}/api/session`, { method: 'DELETE', headers: { Authorization: `Bearer ${session.token}` } });
      assert.equal(out.status, 204);
      assert.equal(await redisClient.exists(keys.session(createHash('sha256').update(session.token).digest('hex'))), 0);
    } finally {
      await Promise.all([b.close(), c?.close(), a.close().catch(() => undefined)]);
    }
  });
});
