import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, startTestServer, type TestServer } from './helpers';

describe('the server logs what the DCS client did', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ simulator: { faults: { failEveryNth: 2, failStatus: 503 } } });
  });
  after(() => server.close());

  it('writes each retry at debug level, with the request and never a secret', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await getJson(`${server.url}/api/sources`)).status, 200);
    const retries = server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'DCS request retried');
    assert.ok(retries.length > 0, 'the simulator refused some calls, and each retry was logged');
    for (const line of retries) {
      assert.equal(line.level, 'debug');
      assert.equal(line.method, 'GET');
      assert.equal(line.status, 503);
      assert.match(String(line.url), /\/public\/(meters|virtualMeters)$/);
      assert.equal(typeof line.waitMs, 'number');
    }
  });
});
