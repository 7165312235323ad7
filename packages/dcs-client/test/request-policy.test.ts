import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import {
  DcsAuthenticationError,
  DcsBadRequestError,
  DcsClient,
  DcsError,
  DcsForbiddenError,
  DcsNetworkError,
  DcsProtocolError,
  DcsQueryError,
  DcsRateLimitError,
  DcsServerError,
  DcsSpanTooLongError,
  DcsStalledReaderError,
  DcsTimeoutError,
  type RequestEvent,
} from '../src';
import { FAST, demoClient, fastRetry, withSimulator } from './helpers';

/** A stand-in DCS answering `/public/meters` with each status in turn (then 200 with an empty list). */
async function withScriptedDcs(
  answers: { status: number; headers?: Record<string, string> }[],
  body: (url: string, requests: () => number) => Promise<void>,
): Promise<void> {
  let count = 0;
  const server = http.createServer((req, res) => {
    const answer = answers[count++] ?? { status: 200 };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.status === 200 ? '[]' : JSON.stringify({ details: `scripted ${answer.status}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/DCSWebApi/`, () => count);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('request policy hooks', () => {
  it('tells onRetry of each retry: method, URL, attempt, status and wait', async () => {
    await withSimulator({ faults: { failEveryNth: 2, failStatus: 503 } }, async (sim) => {
      const retries: RequestEvent[] = [];
      const client = demoClient(sim, { hooks: { onRetry: (event) => retries.push(event) } });
      for (let i = 0; i < 3; i++) await client.meters();
      assert.ok(retries.length > 0, 'some calls were refused and retried');
      for (const event of retries) {
        assert.equal(event.status, 503);
        assert.equal(event.attempt, 1);
        assert.ok(event.waitMs >= 0);
        assert.match(event.method, /^(GET|POST)$/);
        assert.ok(event.url.startsWith(sim.url), event.url);
        assert.doesNotMatch(event.url, /demo@|password|COHERENT/i, 'no credentials or cookie in the URL');
      }
    });
  });

  it('tells onResignIn when an expired session is signed in again', async () => {
    await withSimulator({}, async (sim) => {
      const resignIns: RequestEvent[] = [];
      const client = demoClient(sim, { hooks: { onResignIn: (event) => resignIns.push(event) } });
      await client.meters();
      sim.expireAllSessions();
      await client.meters();
      assert.equal(resignIns.length, 1);
      assert.deepEqual(
        { method: resignIns[0].method, url: resignIns[0].url, status: resignIns[0].status },
        { method: 'GET', url: `${sim.url}meters`, status: 401 },
      );
    });
  });

  it('tells onRateLimit how long DCS asked to wait, and a hook that throws changes nothing', async () => {
    await withScriptedDcs([{ status: 429, headers: { 'retry-after': '0' } }], async (url) => {
      const waits: RequestEvent[] = [];
      const client = new DcsClient({
        url,
        ...FAST,
        hooks: {
          onRateLimit: (event) => {
            waits.push(event);
            throw new Error('a broken logger');
          },
        },
      });
      assert.deepEqual(await client.meters(), []);
      assert.equal(waits.length, 1);
      assert.deepEqual(waits[0], { method: 'GET', url: `${url}public/meters`, attempt: 1, status: 429, waitMs: 0 });
    });
  });
});

describe('retry options', () => {
  it('retries only the statuses in retry.statusCodes (502, 503, 504 by default)', async () => {
    await withScriptedDcs([{ status: 500 }], async (url, requests) => {
      await assert.rejects(new DcsClient({ url, ...FAST }).meters(), DcsServerError);
      assert.equal(requests(), 1, 'a 500 is not retried by default');
    });
    await withScriptedDcs([{ status: 500 }, { status: 500 }], async (url, requests) => {
      assert.deepEqual(await new DcsClient({ url, ...FAST, retry: fastRetry({ statusCodes: [500] }) }).meters(), []);
      assert.equal(requests(), 3, 'two 500s retried, then the answer');
    });
  });

  it('refuses retry options it cannot obey, naming them', () => {
    const url = 'http://127.0.0.1:9/';
    assert.throws(() => new DcsClient({ url, retry: { statusCodes: [429] } }), /retry\.statusCodes .*not 401 or 429/);
    assert.throws(() => new DcsClient({ url, retry: { limit: 1.5 } }), /retry\.limit must be a whole number/);
    assert.throws(() => new DcsClient({ url, retry: { backoff: { initialMs: -1 } } }), /retry\.backoff\.initialMs/);
    assert.throws(() => new DcsClient({ url, retry: { rateLimit: { maxWaitMs: Number.NaN } } }), /retry\.rateLimit\.maxWaitMs/);
  });
});

describe('error codes', () => {
  it('gives every error class its own stable code', () => {
    const expected: [new (message: string) => DcsError, string][] = [
      [DcsError, 'DCS_ERROR'],
      [DcsQueryError, 'DCS_QUERY'],
      [DcsBadRequestError, 'DCS_BAD_REQUEST'],
      [DcsSpanTooLongError, 'DCS_SPAN_TOO_LONG'],
      [DcsAuthenticationError, 'DCS_AUTHENTICATION'],
      [DcsForbiddenError, 'DCS_FORBIDDEN'],
      [DcsRateLimitError, 'DCS_RATE_LIMITED'],
      [DcsServerError, 'DCS_SERVER'],
      [DcsNetworkError, 'DCS_NETWORK'],
      [DcsTimeoutError, 'DCS_TIMEOUT'],
      [DcsProtocolError, 'DCS_PROTOCOL'],
      [DcsStalledReaderError, 'DCS_STALLED_READER'],
    ];
    for (const [ErrorClass, code] of expected) assert.equal(new ErrorClass('x').code, code, ErrorClass.name);
  });

  it('names the method and URL of the request that failed, never the credentials', async () => {
    await withScriptedDcs([{ status: 500 }], async (url) => {
      await assert.rejects(new DcsClient({ url, ...FAST }).meters(), (error: unknown) => {
        assert.ok(error instanceof DcsServerError);
        assert.deepEqual(
          { code: error.code, method: error.method, url: error.url, status: error.status },
          {
            code: 'DCS_SERVER',
            method: 'GET',
            url: `${url}public/meters`,
            status: 500,
          },
        );
        return true;
      });
    });
    await withSimulator({}, async (sim) => {
      const client = new DcsClient({ url: sim.url, username: 'demo', password: 'not-the-password', ...FAST });
      await assert.rejects(client.meters(), (error: unknown) => {
        assert.ok(error instanceof DcsAuthenticationError);
        assert.equal(error.code, 'DCS_AUTHENTICATION');
        assert.equal(error.method, 'POST');
        assert.equal(error.url, `${sim.url}authentication/signin`);
        assert.doesNotMatch(JSON.stringify({ ...error, message: error.message }), /not-the-password/);
        return true;
      });
      await assert.rejects(client.readings({ id: 'nonsense' }), (error: unknown) => error instanceof DcsQueryError && error.url === undefined);
    });
  });

  it('names the connection that failed when DCS cannot be reached', async () => {
    const client = new DcsClient({ url: 'http://127.0.0.1:9/DCSWebApi/', ...FAST, retry: fastRetry({ limit: 0 }) });
    await assert.rejects(client.meters(), (error: unknown) => {
      assert.ok(error instanceof DcsNetworkError);
      assert.equal(error.code, 'DCS_NETWORK');
      assert.equal(error.url, 'http://127.0.0.1:9/DCSWebApi/public/meters');
      return true;
    });
  });
});
