import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient, ApiRequestError, type ReadingsRequest } from '../../addin/api/client';
import type { Fetch, HttpRequestInit } from '../../addin/api/http';
import { Session } from '../../addin/api/session';

interface Call {
  url: string;
  init: HttpRequestInit | undefined;
}

/** A fetch that answers from a table of handlers, with real WHATWG Response objects. */
function fakeFetch(handler: (url: URL, init: HttpRequestInit | undefined) => Response): Fetch & { calls: Call[] } {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: HttpRequestInit) => {
    calls.push({ url, init });
    return handler(new URL(url), init);
  };
  return Object.assign(fetch as Fetch, { calls });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A response body that arrives in the given chunks (to split records across reads). */
function chunked(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(stream, { status: 200 });
}

const request: ReadingsRequest = {
  ids: ['R1', 'VM2'],
  start: '2024-05-01T00:00:00',
  end: '2024-06-01T00:00:00',
  timeZone: 'Europe/London',
  periodType: 'halfHour',
  calibrated: true,
  interpolated: false,
  format: 'standard',
};

describe('API client', () => {
  it('signs in, then sends the token as a Bearer header and keeps no password', async () => {
    const fetch = fakeFetch((url) => {
      if (url.pathname === '/api/session') return json({ username: 'demo', role: 'Viewer', token: 'tok-123' });
      return json([]);
    });
    const session = new Session();
    const client = new ApiClient({ baseUrl: 'https://addin.example/', fetch, session });
    await client.signIn('demo', 'secret-pw');
    await client.sources('boiler');

    assert.deepEqual(session.user, { username: 'demo', role: 'Viewer', public: false });
    assert.equal(fetch.calls[1].init?.headers?.Authorization, 'Bearer tok-123');
    assert.equal(fetch.calls[1].url, 'https://addin.example/api/sources?q=boiler');
    const everything = JSON.stringify({ session, client });
    assert.doesNotMatch(everything, /secret-pw|tok-123/, 'neither password nor token is reachable through the objects');
  });

  it("turns the server's error answer into an Error carrying its message", async () => {
    const fetch = fakeFetch(() => json({ error: { code: 'bad_request', message: 'start must be before end', parameter: 'start' } }, 400));
    const client = new ApiClient({ baseUrl: 'https://addin.example/', fetch, session: new Session() });
    await assert.rejects(client.sources(''), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.message, 'start must be before end');
      assert.equal(error.status, 400);
      assert.equal(error.parameter, 'start');
      return true;
    });
  });

  it('forgets the session when the server says it has ended (401)', async () => {
    let signedIn = false;
    const fetch = fakeFetch((url) => {
      if (url.pathname === '/api/session') {
        signedIn = true;
        return json({ username: 'demo', role: 'Viewer', token: 't' });
      }
      return json({ error: { code: 'unauthenticated', message: 'Your session has expired: sign in again.' } }, 401);
    });
    const session = new Session();
    const client = new ApiClient({ baseUrl: 'https://addin.example/', fetch, session });
    await client.signIn('demo', 'demo');
    assert.ok(signedIn && session.isSignedIn);
    await assert.rejects(client.sources('x'), (e: unknown) => e instanceof ApiRequestError && e.needsSignIn);
    assert.equal(session.isSignedIn, false);
  });

  it('says the server is unreachable instead of a bare "fetch failed"', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as Fetch;
    const client = new ApiClient({ baseUrl: 'https://addin.example/', fetch, session: new Session() });
    await assert.rejects(client.health(), /Could not reach the DCS Excel server at https:\/\/addin.example/);
  });

  it('streams ndjson records even when a record is split across network chunks', async () => {
    const fetch = fakeFetch(() =>
      chunked([
        '{"source":{"id":"R1","name":"A","unit":"kWh","periodType":"halfHour","format":"standard","startTime":"x","endTime":"y","expectedCount":2}}\n{"id":"R1","timest',
        'amp":"2024-05-01T00:00:00Z","value":1,"status":0}\n',
        '{"id":"R1","timestamp":"2024-05-01T00:30:00Z","value":"NaN","status":0}\n{"end":{"sources":1,"readings":2}}',
      ]),
    );
    const client = new ApiClient({ baseUrl: 'https://addin.example/', fetch, session: new Session() });
    const records = [];
    for await (const record of client.readings(request)) records.push(record);
    assert.equal(records.length, 4);
    assert.deepEqual(records[2], { id: 'R1', timestamp: '2024-05-01T00:30:00Z', value: 'NaN', status: 0 });
    const url = new URL(fetch.calls[0].url);
    assert.equal(url.searchParams.get('output'), 'ndjson');
    assert.equal(url.searchParams.get('timeZone'), 'Europe/London');
    assert.equal(url.searchParams.get('start'), '2024-05-01T00:00:00');
  });

  it('fails a stream with a damaged line instead of skipping it', async () => {
    const fetch = fakeFetch(() => chunked(['{"end":{"sources":0,"read', '\n{"end":{}}\n']));
    const client = new ApiClient({ baseUrl: 'https://addin.example/', fetch, session: new Session() });
    await assert.rejects(async () => {
      for await (const record of client.readings(request)) void record;
    }, /line that is not JSON/);
  });
});
