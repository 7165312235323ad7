/**
 * The cell functions' calls to the server (getJson): each only reads, so a call that failed
 * without an answer (a kept-alive connection closed as it was reused: "other side closed",
 * ECONNRESET) is sent once more; a cancelled call, or one the server answered with an error,
 * is not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiRequestError } from '../../../addin/api/client';
import type { Fetch, HttpRequestInit, HttpResponse } from '../../../addin/api/http';
import { Session } from '../../../addin/api/session';
import { getJson, type JsonClient } from '../../../addin/functions/json-api';

const client: JsonClient = { url: (path) => `http://server.test/${path}`, session: new Session() };
const isNumbers = (body: unknown): body is { n: number } => typeof (body as { n?: unknown } | null)?.n === 'number';

function answer(status: number, body: unknown): HttpResponse {
  const text = JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: () => null },
    body: null,
    json: () => Promise.resolve(JSON.parse(text) as unknown),
    text: () => Promise.resolve(text),
  };
}

/** A fetch that plays the outcomes in turn, recording each call. */
function scripted(...outcomes: Array<HttpResponse | Error>): Fetch & { calls: Array<{ url: string; init?: HttpRequestInit }> } {
  const calls: Array<{ url: string; init?: HttpRequestInit }> = [];
  const fetch = (url: string, init?: HttpRequestInit): Promise<HttpResponse> => {
    calls.push({ url, init });
    const next = outcomes.shift() ?? new Error('no more outcomes');
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return Object.assign(fetch, { calls });
}

const reset = (): Error => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });

describe('getJson: the cell functions calls', () => {
  it('sends a POST once more, identical, when it failed without an answer', async () => {
    const fetch = scripted(reset(), answer(200, { n: 7 }));
    const body = await getJson(client, fetch, 'api/consumption/batch', 'consumption request', isNumbers, undefined, { requests: [1] });
    assert.deepEqual(body, { n: 7 });
    assert.equal(fetch.calls.length, 2);
    assert.deepEqual(fetch.calls[1], fetch.calls[0]);
    assert.equal(fetch.calls[1].init?.method, 'POST');
  });

  it('shows a network error when the second attempt fails too, after two attempts only', async () => {
    const fetch = scripted(reset(), reset(), answer(200, { n: 7 }));
    await assert.rejects(getJson(client, fetch, 'api/bills', 'demand request', isNumbers, undefined, {}), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.code, 'network');
      assert.match(error.message, /Could not reach the DCS Excel server \(fetch failed\)/);
      return true;
    });
    assert.equal(fetch.calls.length, 2);
  });

  it('does not send again what was cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const fetch = scripted(new DOMException('cancelled', 'AbortError'), answer(200, { n: 7 }));
    await assert.rejects(getJson(client, fetch, 'api/intervals', 'intervals request', isNumbers, abort.signal), { name: 'AbortError' });
    assert.equal(fetch.calls.length, 1);
  });

  it('does not send again what the server answered, even with an error', async () => {
    const fetch = scripted(answer(503, { error: { code: 'dcs_unavailable', message: 'DCS is down' } }), answer(200, { n: 7 }));
    await assert.rejects(getJson(client, fetch, 'api/intervals', 'intervals request', isNumbers), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.status, 503);
      return true;
    });
    assert.equal(fetch.calls.length, 1);
  });
});
