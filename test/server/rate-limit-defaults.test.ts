/**
 * The server's defaults against a busy DCS: ten users at once on a DCS that allows 4 requests a
 * second (shared by everyone), with no DCS_RATE_LIMIT set. The server must learn DCS's pace from
 * its 429s and Retry-After and wait (up to DCS_RATE_LIMIT_MAX_WAIT) rather than give up: every
 * user's requests complete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_FEATURES } from 'dcs-simulator';
import { rawGet, signIn, startTestServer, type TestServer } from './helpers';

const USERS = 10;
const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const EXPORT = `R${DEMO_FEATURES.exportRegisterId}`;

describe('ten concurrent users on a DCS limited to 4 requests a second, default settings', () => {
  let server: TestServer;
  let refusals = 0;
  before(async () => {
    server = await startTestServer({ logLevel: 'debug', simulator: { rateLimit: { requests: 4, periodSeconds: 1 } } });
  });
  after(() => server?.close());

  it('completes every request of every user', async (t) => {
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: USERS }, async (_, user) => {
        const { token } = await signIn(server.url);
        const auth = { Authorization: `Bearer ${token}` };
        const month = String((user % 12) + 1).padStart(2, '0');
        const paths = [
          '/api/sources',
          `/api/readings?id=${ELEC},${EXPORT}&start=2024-${month}-01&end=2024-${month}-08&output=csv`,
          `/api/consumption?id=${ELEC}&start=2024-${month}-01&end=2024-${month}-28`,
        ];
        const answers = [];
        for (const path of paths) {
          const res = await rawGet(`${server.url}${path}`, auth);
          answers.push({ path, status: res.status, complete: res.complete, body: res.body.slice(0, 200) });
        }
        return answers;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    refusals = server.logs.filter((line) => line.includes('DCS rate limit: waiting')).length;
    t.diagnostic(`${USERS} users × 3 requests in ${seconds.toFixed(1)} s; DCS answered 429 ${refusals} times; ${server.simulator!.requestCount} DCS requests`);
    const failed = outcomes.flat().filter((a) => a.status !== 200 || !a.complete);
    assert.deepEqual(failed, [], 'every request completes');
  });
});
